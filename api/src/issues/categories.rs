//! GET /categories: the catalogue of what can be reported, public; with `compound_id`, each
//! category with the outage notices in force there that cover it (a token is needed then).
//! POST /categories and PUT /categories/{code}: the district office edits the catalogue.

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, get, post, put, web};
use linli_domain::{
    auth::Role,
    category::{CategoryCode, CategoryEntry, CategoryName, parse_kinds, parse_span_minutes},
    ids::CompoundId,
    level::Level,
    urgency::{SpanOverrides, Urgency},
    values::Note,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::dto::CategoryResponse,
    notices::OutageNoticeBrief,
    responses::{Malformed, Unauthenticated},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CategoriesQuery {
    /// The compound about to be reported on: adds to each category the outage notices in
    /// force there that cover it. Needs the bearer token of a resident of the compound or of
    /// staff whose scope covers it.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub compound_id: Option<CompoundId>,
}

/// A category, with the outage notices in force in the compound that cover it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "water_leak", "name_zh": "漏水", "name_en": "Water leak",
    "kinds": ["complaint", "help", "consultation", "suggestion", "praise"],
    "default_level": "property", "default_urgency": "urgent", "photos_expected": true,
    "stop_notice": null, "response_minutes": null, "resolution_minutes": null, "active": true,
    "notices": [{"id": 4, "title": "停水通知", "expires_at": "2026-11-24T18:00:00+08:00"}]}))]
pub struct CompoundCategoryResponse {
    #[serde(flatten)]
    pub category: CategoryResponse,
    /// 停水停电、电梯停运 notices covering this category, soonest end first (empty: none).
    pub notices: Vec<OutageNoticeBrief>,
}

/// The catalogue, or (with `compound_id`) the catalogue for one compound.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum CategoryList {
    Catalogue(Vec<CategoryResponse>),
    ForCompound(Vec<CompoundCategoryResponse>),
}

/// The category catalogue (the categories taking new issues), with names in Chinese and
/// English, the request types each takes, the default routing, and the stop notice to show
/// before filing (燃气泄漏: call 119 and leave, do not report here).
///
/// Public without `compound_id`: the app shows it before anyone logs in. With `compound_id`
/// (a token of a resident of the compound, or of staff whose scope covers it; anyone else,
/// and an unknown compound, is `not_found`) each category carries the outage notices in force
/// there that cover it, so the filing screen can show "停水通知：14:00-18:00" before a
/// resident reports no water.
#[utoipa::path(
    tag = "issues",
    params(CategoriesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every category (with `compound_id`: each with its outage notices)", body = CategoryList,
            example = json!([{"code": "gas_leak", "name_zh": "燃气泄漏", "name_en": "Gas leak",
                "kinds": ["complaint", "help"], "default_level": "department",
                "default_urgency": "emergency", "photos_expected": false,
                "stop_notice": "燃气泄漏请立即拨打119并撤离，不要在此报修",
                "response_minutes": null, "resolution_minutes": null, "active": true}])),
        (status = 401, description = "`compound_id` without a valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such compound, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Wrong method or path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list_categories(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CategoriesQuery>,
) -> ApiResult<web::Json<CategoryList>> {
    let entries = state.call(|app| app.list_categories()).await?;
    let catalogue = || entries.iter().map(CategoryResponse::from_domain);
    let Some(compound) = query.into_inner().compound_id else {
        return Ok(web::Json(CategoryList::Catalogue(catalogue().collect())));
    };
    let actor = Caller::from_request(&req, &mut Payload::None).await?.actor;
    let outages = state
        .call(move |app| app.outage_notices(&actor, compound))
        .await?;
    Ok(web::Json(CategoryList::ForCompound(
        catalogue()
            .map(|category| CompoundCategoryResponse {
                notices: outages
                    .iter()
                    .filter(|o| o.categories.iter().any(|c| c == category.code.as_str()))
                    .map(|o| OutageNoticeBrief::of(o, state.config.workflow.time_zone))
                    .collect(),
                category,
            })
            .collect(),
    )))
}

/// A category as the district office writes it: the whole entry (PUT replaces every field).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "elevator_entrapment", "name_zh": "电梯困人", "name_en": "People trapped in a lift",
    "kinds": ["complaint", "help"], "default_level": "property", "default_urgency": "emergency",
    "photos_expected": false, "stop_notice": null, "response_minutes": 30,
    "resolution_minutes": null, "active": true
}))]
pub struct CategoryRequest {
    /// The new code (POST, required): a lowercase slug, 2 to 32 characters, `[a-z][a-z0-9_]*`.
    /// With PUT it may be left out; if given it must be the path's.
    #[schema(value_type = Option<CategoryCode>)]
    pub code: Option<String>,
    /// Chinese name, 1 to 40 characters.
    #[schema(min_length = 1, max_length = 40)]
    pub name_zh: String,
    /// English name, 1 to 40 characters.
    #[schema(min_length = 1, max_length = 40)]
    pub name_en: String,
    /// The request types that may be filed under it: at least one of complaint, help,
    /// consultation, suggestion, praise.
    #[schema(value_type = Vec<linli_domain::issue::IssueKind>, min_items = 1)]
    pub kinds: Vec<String>,
    /// grid, property, community, mediation or department; null: the dispatcher decides.
    #[schema(value_type = Option<Level>)]
    pub default_level: Option<String>,
    /// emergency, urgent or normal.
    #[schema(value_type = Urgency)]
    pub default_urgency: String,
    /// The filing screen should ask for photos (default false).
    #[serde(default)]
    pub photos_expected: bool,
    /// Shown before filing, 1 to 2000 characters; null: none.
    pub stop_notice: Option<String>,
    /// Respond within this many minutes instead of the urgency's window (1 to 129600).
    #[schema(minimum = 1, maximum = 129600)]
    pub response_minutes: Option<i64>,
    /// Resolve within this many minutes instead of the urgency's window (1 to 129600; not
    /// shorter than `response_minutes`).
    #[schema(minimum = 1, maximum = 129600)]
    pub resolution_minutes: Option<i64>,
    /// false retires it: kept for the issues filed under it, no new ones (default true).
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

/// A value error reported on the request's own field name.
fn on(field: &str, e: linli_domain::DomainError) -> ApiError {
    match e {
        linli_domain::DomainError::Invalid { message, .. } => ApiError::validation(field, message),
        other => other.into(),
    }
}

impl CategoryRequest {
    /// The entry for `code`, every field parsed (422 `validation_failed` naming the field).
    fn parse(self, code: CategoryCode) -> ApiResult<CategoryEntry> {
        let respond = parse_span_minutes("response_minutes", self.response_minutes)?;
        let resolve = parse_span_minutes("resolution_minutes", self.resolution_minutes)?;
        let spans = SpanOverrides::minutes(respond, resolve);
        if let (Some(respond), Some(resolve)) = (respond, resolve)
            && resolve < respond
        {
            return Err(ApiError::validation(
                "resolution_minutes",
                "cannot be shorter than response_minutes",
            ));
        }
        let stop_notice = self
            .stop_notice
            .as_deref()
            .map(|n| {
                Note::parse(n).map_err(|_| {
                    ApiError::validation("stop_notice", "must be 1 to 2000 characters")
                })
            })
            .transpose()?;
        Ok(CategoryEntry {
            code,
            name_zh: CategoryName::parse("name_zh", &self.name_zh)?,
            name_en: CategoryName::parse("name_en", &self.name_en)?,
            kinds: parse_kinds(&self.kinds)?,
            default_level: self
                .default_level
                .as_deref()
                .map(|l| Level::parse(l.trim()))
                .transpose()
                .map_err(|e| on("default_level", e))?,
            default_urgency: Urgency::parse(self.default_urgency.trim())
                .map_err(|e| on("default_urgency", e))?,
            photos_expected: self.photos_expected,
            stop_notice,
            spans,
            active: self.active,
        })
    }
}

/// Add a category to the catalogue (区物管办 only). New issues under it are routed by it at
/// once.
#[utoipa::path(
    tag = "issues",
    request_body = CategoryRequest,
    responses(
        (status = 201, description = "The new category", body = CategoryResponse,
            headers(("Location" = String, description = "/api/v1/categories/{code}"))),
        Unauthenticated, Malformed,
        (status = 403, description = "Not the district office (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad code, name, request type, level, urgency, stop notice or span (`validation_failed`, naming the field)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
pub async fn create_category(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CategoryRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let code = body
        .code
        .as_deref()
        .ok_or_else(|| ApiError::validation("code", "a new category needs a code"))
        .and_then(|c| CategoryCode::parse(c.trim()).map_err(|e| on("code", e)))?;
    let entry = body.parse(code)?;
    let actor = caller.actor;
    let stored = state
        .call(move |app| app.create_category(&actor, entry))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/categories/{}", stored.code),
        ))
        .json(CategoryResponse::from_domain(&stored)))
}

/// Replace a category (区物管办 only): names, request types, routing, stop notice, spans, or
/// retire it with `active: false`. Issues filed from now on are routed by the new entry.
#[utoipa::path(
    tag = "issues",
    request_body = CategoryRequest,
    params(("code" = CategoryCode, Path, description = "The category's code")),
    responses(
        (status = 200, description = "The category as changed", body = CategoryResponse),
        Unauthenticated, Malformed,
        (status = 403, description = "Not the district office (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad name, request type, level, urgency, stop notice or span, or a `code` other than the path's (`validation_failed`, naming the field)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/categories/{code}")]
pub async fn update_category(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<CategoryRequest>,
) -> ApiResult<web::Json<CategoryResponse>> {
    caller.require(&[Role::DistrictOffice])?;
    let code = CategoryCode::parse(path.trim()).map_err(|_| ApiError::NotFound)?;
    let body = body.into_inner();
    if body
        .code
        .as_deref()
        .is_some_and(|c| c.trim() != code.as_str())
    {
        return Err(ApiError::validation(
            "code",
            "a category's code cannot change; leave it out or give the path's",
        ));
    }
    let entry = body.parse(code)?;
    let actor = caller.actor;
    let stored = state
        .call(move |app| app.update_category(&actor, entry))
        .await?;
    Ok(web::Json(CategoryResponse::from_domain(&stored)))
}
