//! POST /issues: filing a case (业主提诉求), with `Idempotency-Key` so that a phone on a bad
//! network can retry without filing twice.

use crate::application::ProblemCode;
use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    post, web,
};
use linli_domain::{
    category::CategoryCode,
    geo::{CoordSystem, LatLng},
    ids::{BuildingId, CompoundId},
    issue::{HotlineCaller, IssueKind, LocationText, Source, TicketNo, UnitText},
    urgency::Urgency,
    values::{DisplayName, GeoPoint, IssueDescription, PhoneNumber},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use crate::application::issues::intake::IDEMPOTENCY_TTL_HOURS;
use crate::{
    application::{
        AppError,
        issues::intake::{Filed, IdempotencyKey, NewIssueInput},
    },
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{dto::IssueResponse, http::etag},
    responses::Unauthenticated,
    state::AppState,
};
/// Longest accepted `Idempotency-Key`.
pub const MAX_KEY_LEN: usize = 255;

/// Body of POST /issues: a new issue (诉求) to file.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "category": "water_leak",
    "description": "地下车库B区顶板漏水，地面积水很深",
    "compound_id": 1,
    "building_id": 1,
    "unit": "2单元",
    "location_text": "地下车库B区",
    "lat": 27.8587,
    "lon": 112.9112,
    "is_public": true
}))]
pub struct CreateIssueRequest {
    /// A category code from GET /categories, e.g. `water_leak`.
    #[schema(value_type = linli_domain::category::CategoryCode)]
    pub category: String,
    /// The request type (诉求类型): `complaint` (投诉, the default), `help` (求助),
    /// `consultation` (咨询: answered and closed), `suggestion` (建议) or `praise` (表扬) (both
    /// acknowledged and closed). The category must list it in its `kinds`.
    #[schema(value_type = Option<linli_domain::issue::IssueKind>)]
    pub kind: Option<String>,
    /// What is wrong: 5 to 2000 characters.
    #[schema(min_length = 5, max_length = 2000)]
    pub description: String,
    /// The compound (小区) where the problem is; residents may file only for their own.
    #[schema(minimum = 1)]
    pub compound_id: i64,
    /// A building of that compound; gives the grid.
    #[schema(minimum = 1)]
    pub building_id: Option<i64>,
    /// Unit and door, free text, at most 64 characters.
    #[schema(max_length = 64)]
    pub unit: Option<String>,
    /// Where exactly, free text, at most 200 characters.
    #[schema(max_length = 200)]
    pub location_text: Option<String>,
    /// Latitude, -90 to 90 (with `lon`), in `coord_system`.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    /// Longitude, -180 to 180 (with `lat`), in `coord_system`.
    #[schema(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
    /// The datum of `lat`/`lon`: `gcj02` (default: what the 高德 and 腾讯 map SDKs give a
    /// phone app) or `wgs84` (GPS). Linli converts to WGS-84 for storage; the issue answers
    /// both (`lat`/`lon` in WGS-84, `lat_gcj02`/`lon_gcj02` for drawing on a Chinese map).
    #[schema(value_type = Option<linli_domain::geo::CoordSystem>)]
    pub coord_system: Option<String>,
    /// Show it to the whole compound (公示).
    pub is_public: bool,
    /// `app` (default, residents), `patrol` (grid workers, officials, mediators), `hotline` or
    /// `meeting` (dispatchers).
    #[schema(value_type = Option<linli_domain::issue::Source>)]
    pub source: Option<String>,
    /// emergency, urgent or normal; the category's default otherwise.
    #[schema(value_type = Option<linli_domain::urgency::Urgency>)]
    pub urgency: Option<String>,
    /// Who called, for a `hotline` issue only (refused with any other source).
    pub caller: Option<HotlineCallerRequest>,
}

/// The caller of a hotline case, as the dispatcher takes it down.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "刘先生", "phone": "13900001111", "ticket_no": "12345-20261126-0042"}))]
pub struct HotlineCallerRequest {
    /// The caller's name, 1 to 64 characters.
    #[schema(min_length = 1, max_length = 64)]
    pub name: String,
    /// The number to call back: a mainland mobile number. Shown in full only to whoever
    /// handles or triages the case.
    pub phone: String,
    /// The external ticket number (12345 工单号): 1 to 40 letters, digits or `-`; searchable
    /// with `GET /issues?ticket_no=`.
    #[schema(max_length = 40)]
    pub ticket_no: Option<String>,
}

impl HotlineCallerRequest {
    fn parse(&self) -> ApiResult<HotlineCaller> {
        let name = DisplayName::parse(&self.name).map_err(|_| {
            ApiError::validation("caller.name", "the caller's name: 1 to 64 characters")
        })?;
        let on = |field: &'static str| {
            move |e: linli_domain::DomainError| match e {
                linli_domain::DomainError::Invalid { message, .. } => {
                    ApiError::validation(field, message)
                }
                other => other.into(),
            }
        };
        let phone = PhoneNumber::parse(&self.phone).map_err(on("caller.phone"))?;
        let ticket_no = self
            .ticket_no
            .as_deref()
            .map(TicketNo::parse)
            .transpose()
            .map_err(on("caller.ticket_no"))?;
        Ok(HotlineCaller::new(name, phone, ticket_no))
    }
}

impl CreateIssueRequest {
    fn parse(&self) -> ApiResult<NewIssueInput> {
        let category = CategoryCode::parse(self.category.trim())?;
        let kind = match self.kind.as_deref() {
            None => IssueKind::default(),
            Some(k) => IssueKind::parse(k.trim())?,
        };
        let description = IssueDescription::parse(&self.description)?;
        let system = match self.coord_system.as_deref() {
            None => CoordSystem::default(),
            Some(s) => CoordSystem::parse(s)?,
        };
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                let given = GeoPoint::parse(lat, lon)?;
                let wgs84 = LatLng::parse(given.lat, given.lon)?.to_wgs84(system);
                Some(GeoPoint::parse(wgs84.lat(), wgs84.lng())?)
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(ApiError::validation("lon", "give lat and lon together"));
            }
            (None, Some(_)) => {
                return Err(ApiError::validation("lat", "give lat and lon together"));
            }
        };
        let source = match self.source.as_deref() {
            None => Source::App,
            Some(s) => Source::parse(s.trim())?,
        };
        let urgency = self
            .urgency
            .as_deref()
            .map(|u| Urgency::parse(u.trim()))
            .transpose()?;
        Ok(NewIssueInput {
            category,
            kind,
            description,
            compound_id: CompoundId(self.compound_id),
            building_id: self.building_id.map(BuildingId),
            unit: UnitText::parse_optional(self.unit.as_deref())?,
            location_text: LocationText::parse_optional(self.location_text.as_deref())?,
            point,
            is_public: self.is_public,
            source,
            urgency,
            caller: self
                .caller
                .as_ref()
                .map(HotlineCallerRequest::parse)
                .transpose()?,
        })
    }

    /// SHA-256 of the canonical JSON of the typed body: field order, whitespace and absent vs
    /// null do not matter, every value does.
    fn hash(&self) -> ApiResult<String> {
        let canonical = serde_json::to_vec(self).map_err(ApiError::internal)?;
        Ok(hex::encode(Sha256::digest(&canonical)))
    }
}

/// The `Idempotency-Key` header, if sent: 1 to 255 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(value) = req.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::bad_request(
            ProblemCode::InvalidIdempotencyKey,
            format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
        )
    };
    let key = value.to_str().map_err(|_| bad())?.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(key.to_owned()))
}

/// 201 with the issue, `Location` and `ETag`.
fn created_response(status: u16, id: i64, version: i64, body: String) -> ApiResult<HttpResponse> {
    let status = StatusCode::from_u16(status).map_err(ApiError::internal)?;
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("/api/v1/issues/{id}")))
        .insert_header((header::ETAG, etag(version)))
        .content_type("application/json")
        .body(body))
}

/// File an issue (业主提诉求).
///
/// Residents file (`source: app`) for their own compound; grid workers, community officials and
/// mediators file `patrol` issues (巡查) in their grid or community; dispatchers take `hotline`
/// and `meeting` issues in their street; for a `hotline` issue they record the `caller` (name,
/// callback number, 12345 ticket number). The answer carries the routing suggestion and the
/// deadlines. With an `Idempotency-Key`, a retry of the same body returns the stored answer
/// (same status and body, no second issue); keys are per user and kept at least 24 hours.
#[utoipa::path(
    tag = "issues",
    request_body = CreateIssueRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header,
            description = "Client-chosen key (1–255 visible ASCII characters, e.g. a UUID) that makes retries safe"),
    ),
    responses(
        (status = 201, description = "Filed (or the stored answer to an identical earlier request)", body = IssueResponse,
            headers(
                ("Location" = String, description = "/api/v1/issues/{id}"),
                ("ETag" = String, description = "The issue's version, e.g. \"1\""),
            )),
        (status = 400, description = "Malformed JSON, wrong types, unknown fields (`invalid_body`, `malformed_json`) or a bad Idempotency-Key (`invalid_idempotency_key`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
        (status = 403, description = "The caller may not file this kind of issue in this compound", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same Idempotency-Key is in flight (`idempotency_conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid value (`validation_failed`: category, description, unknown compound, building of another compound, lat/lon, ...) or the Idempotency-Key was used with another body (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The resident has filed `LINLI_FILING_QUOTA_PER_DAY` issues today, the district's day (`filing_quota_exceeded`); retry after `Retry-After` seconds, at the next midnight", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues")]
pub async fn create_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: web::Json<CreateIssueRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req)?;
    let input = body.parse()?;
    let key = match key {
        Some(key) => Some(IdempotencyKey {
            key,
            request_hash: body.hash()?,
        }),
        None => None,
    };
    let actor = caller.actor;
    let filed = state
        .call(move |app| {
            app.file_issue(&actor, input, key, |view| {
                let response = IssueResponse::from_view(view);
                serde_json::to_string(&response).map_err(AppError::internal)
            })
        })
        .await?;
    match filed {
        Filed::New { view, body } => {
            created_response(201, view.issue.id.0, view.issue.version, body)
        }
        Filed::Replay { status, body } => {
            let value: serde_json::Value =
                serde_json::from_str(&body).map_err(ApiError::internal)?;
            let id = value["id"].as_i64().unwrap_or_default();
            let version = value["version"].as_i64().unwrap_or_default();
            let mut res = created_response(status, id, version, body)?;
            res.headers_mut().insert(
                header::HeaderName::from_static("idempotent-replayed"),
                header::HeaderValue::from_static("true"),
            );
            Ok(res)
        }
    }
}
