//! Linli's HTTP API: thin handlers that parse input into domain types, run one unit of work
//! on the blocking pool, and map the result (or an RFC 9457 problem) to a response.

// The OpenAPI examples of the issue schemas are large `json!` literals: macro expansion only.
#![recursion_limit = "256"]

pub mod admin;
pub mod application;
pub mod auth;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod contract;
pub mod cors;
pub mod demo;
pub mod directory;
pub mod error;
pub mod evaluation;
pub mod head;
pub mod health;
pub mod issues;
pub mod labels;
pub mod limits;
pub mod live;
pub mod meetings;
pub mod messages;
pub mod metrics;
pub mod middleware;
pub mod notices;
pub mod org_lookup;
pub mod pagination;
pub mod patrols;
pub mod photos;
pub mod ratelimit;
pub mod reports;
pub mod residents;
pub mod responses;
pub mod scheduler;
pub mod security;
pub mod server;
pub mod state;

use crate::application::ProblemCode;
use actix_web::{
    App, HttpRequest, HttpResponse,
    body::MessageBody,
    dev::{ResourceDef, ServiceFactory, ServiceRequest, ServiceResponse},
    error::{JsonPayloadError, PathError, QueryPayloadError},
    web,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_actix_web::{AppExt, UtoipaApp, scope, service_config::ServiceConfig};
use utoipa_swagger_ui::SwaggerUi;

use crate::{error::ApiError, state::AppState};

/// Largest JSON body accepted (photos go through multipart, not JSON).
pub const JSON_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Linli 邻里 API",
        description = "Party-building-led residential property management (红色物业): residents report \
problems from a phone, the property-management centre triages them, the property company \
rectifies, the owners' committee supervises, the community revisits (回头看), auditors report.\n\n\
Every error is `application/problem+json` (RFC 9457) with a stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&BearerAuth),
    // The named response sets (`responses.rs`) refer to `Problem` without registering it.
    components(schemas(error::Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Registration, login, token rotation"),
        (name = "residents", description = "Verified residents (业主认证): the verification queue and invitation codes"),
        (name = "admin", description = "The organisation tree and staff accounts (admin only)"),
        (name = "directory", description = "What a resident signs up from: communities, compounds, buildings (public)"),
        (name = "org", description = "The organisation units a dispatcher, official or handler works with, within their scope"),
        (name = "issues", description = "Cases (诉求) and their workflow"),
        (name = "notifications", description = "What concerns the caller: state changes of own issues, new assignments, due revisits"),
        (name = "reports", description = "Rates, ratings and exports for auditors"),
        (name = "patrols", description = "Patrol rounds (巡查) and their problem list (问题清单): findings filed as cases or fixed on the spot"),
        (name = "meetings", description = "Meetings that decide several cases (联席会议, 恳谈会, 议事会): decisions, minutes, publication"),
        (name = "notices", description = "The notice board (公告/公示): outages, fees, meetings, ratings"),
        (name = "evaluation", description = "The district office's evaluation cycle: assessment schemes, rating runs, the published 红黑榜, appeals"),
        (name = "live", description = "Live updates (Server-Sent Events) and phones registered for push"),
        (name = "calendar", description = "The working-day calendar deadlines count on: holidays and 调休 make-up working days"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from /api/v1/auth/login (15 minutes)"))
                    .build(),
            ),
        );
    }
}

/// Every documented route under `/api/v1`.
fn configure_api(cfg: &mut ServiceConfig) {
    cfg.service(auth::handlers::request_sms_code)
        .service(auth::handlers::register)
        .service(auth::handlers::login)
        .service(auth::handlers::reset_password)
        .service(auth::handlers::refresh)
        .service(auth::handlers::logout)
        .service(auth::handlers::get_me)
        .service(auth::handlers::change_password)
        .service(labels::get_labels)
        .service(calendar::get_calendar)
        .service(calendar::put_calendar)
        .service(directory::list_directory_communities)
        .service(directory::list_directory_compounds)
        .service(directory::list_directory_buildings)
        .service(org_lookup::list_org_streets)
        .service(org_lookup::list_org_communities)
        .service(org_lookup::list_org_grids)
        .service(org_lookup::list_org_compounds)
        .service(org_lookup::list_org_buildings)
        .service(org_lookup::list_org_property_companies);
    admin::configure(cfg);
    issues::configure(cfg);
    reports::configure(cfg);
    evaluation::configure(cfg);
    live::configure(cfg);
    residents::configure(cfg);
    notices::configure(cfg);
    patrols::configure(cfg);
    meetings::configure(cfg);
}

fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(scope("/api/v1").configure(configure_api))
}

/// The OpenAPI document, generated from the router itself, with the contract's generic rules
/// applied (`contract::refine`).
pub fn openapi_document() -> serde_json::Value {
    refined_value(
        &with_routes(App::new().into_utoipa_app())
            .split_for_parts()
            .1,
    )
}

/// The same document as utoipa's type (what the docs UI serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    serde_json::from_value(openapi_document()).unwrap_or_default()
}

/// The OpenAPI document as pretty JSON (what `openapi/openapi.json` holds).
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi_document()).unwrap_or_default()
}

fn refined_value(api: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut doc = serde_json::to_value(api).unwrap_or_default();
    contract::refine(&mut doc);
    doc
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType {
            detail: "send the body as application/json".into(),
        },
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => ApiError::PayloadTooLarge {
            detail: format!("the JSON body is larger than {limit} bytes"),
        },
        JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::bad_request(
            ProblemCode::InvalidBody,
            format!("the JSON body does not fit: {e}"),
        ),
        JsonPayloadError::Deserialize(e) => ApiError::bad_request(
            ProblemCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        ),
        other => ApiError::bad_request(ProblemCode::MalformedJson, other.to_string()),
    };
    api.into()
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(
        ProblemCode::InvalidQuery,
        format!("invalid query string: {err}"),
    )
    .into()
}

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    let _ = err;
    ApiError::NotFound.into()
}

/// Known path templates and their methods, to tell 405 from 404.
#[derive(Clone)]
struct RouteTable(std::sync::Arc<Vec<(ResourceDef, Vec<String>)>>);

impl RouteTable {
    fn from_openapi(api: &utoipa::openapi::OpenApi, docs: bool) -> Self {
        let mut routes: Vec<(ResourceDef, Vec<String>)> = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                if item.get.is_some() {
                    methods.push("GET".to_owned());
                    methods.push("HEAD".to_owned());
                }
                if item.post.is_some() {
                    methods.push("POST".to_owned());
                }
                if item.put.is_some() {
                    methods.push("PUT".to_owned());
                }
                if item.patch.is_some() {
                    methods.push("PATCH".to_owned());
                }
                if item.delete.is_some() {
                    methods.push("DELETE".to_owned());
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        if docs {
            routes.push((
                ResourceDef::new("/api-docs/openapi.json"),
                vec!["GET".into(), "HEAD".into()],
            ));
        }
        Self(std::sync::Arc::new(routes))
    }

    fn allowed(&self, path: &str) -> Option<String> {
        let mut methods: Vec<&str> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, m)| m.iter().map(String::as_str))
            .collect();
        methods.sort_unstable();
        methods.dedup();
        (!methods.is_empty()).then(|| methods.join(", "))
    }
}

async fn fallback(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    match routes.allowed(req.path()) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::NotFound),
    }
}

/// The whole application: API, spec, docs UI, error handling, request ids.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, _) = with_routes(App::new().into_utoipa_app()).split_for_parts();
    // Every worker builds its own App; the document and route table are built once.
    static CONTRACT: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    let api = CONTRACT.get_or_init(openapi).clone();
    let docs = state.config.docs;
    let limits = state.limits.clone();
    let cors = &state.config.cors_origins;
    let cors = actix_web::middleware::Condition::new(!cors.is_empty(), cors::layer(cors));
    let routes = RouteTable::from_openapi(&api, docs);
    app.app_data(web::Data::new(state))
        .app_data(web::Data::new(routes))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .configure(move |cfg| {
            if let Some(limits) = limits {
                cfg.app_data(limits);
            }
            if docs {
                cfg.service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api))
                    .service(web::redirect("/docs", "/docs/"));
            }
        })
        .default_service(web::to(fallback))
        .wrap(actix_web::middleware::from_fn(ratelimit::limit_by_address))
        .wrap(actix_web::middleware::from_fn(limits::bound_request))
        .wrap(actix_web::middleware::from_fn(metrics::record_request))
        // Inside the request context and the security headers, so a preflight carries both.
        .wrap(cors)
        .wrap(actix_web::middleware::from_fn(middleware::request_context))
        .wrap(actix_web::middleware::from_fn(security::headers))
        // Outermost, so that no response to a `HEAD` has a body, whoever produced it (the
        // request log and metrics count it as the `GET` it is served as).
        .wrap(actix_web::middleware::from_fn(head::head_as_get))
}
