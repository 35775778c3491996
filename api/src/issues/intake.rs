//! POST /issues: filing a case (业主提诉求), with `Idempotency-Key` so that a phone on a bad
//! network can retry without filing twice.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    post, web,
};
use chrono::Duration;
use linli_domain::{
    auth::{self, Actor},
    category::Category,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
    issue::{Issue, NewIssue, Place, Source},
    urgency::Urgency,
    values::{GeoPoint, IssueDescription},
};
use linli_infra::{
    DbConn, RepoError, db,
    repo::{
        idempotency,
        issues::{self, EventActor},
        notifications, org,
    },
    time::to_millis,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{core, dto::IssueResponse, transitions::opt_text},
    state::AppState,
};

/// How long a stored response is kept for retries (at least).
pub const IDEMPOTENCY_TTL_HOURS: i64 = 24;
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
    pub category: String,
    /// What is wrong: 5 to 2000 characters.
    pub description: String,
    /// The compound (小区) where the problem is; residents may file only for their own.
    pub compound_id: i64,
    /// A building of that compound; gives the grid.
    pub building_id: Option<i64>,
    /// Unit and door, free text, at most 64 characters.
    pub unit: Option<String>,
    /// Where exactly, free text, at most 200 characters.
    pub location_text: Option<String>,
    /// WGS-84 latitude, -90 to 90 (with `lon`).
    pub lat: Option<f64>,
    /// WGS-84 longitude, -180 to 180 (with `lat`).
    pub lon: Option<f64>,
    /// Show it to the whole compound (公示).
    pub is_public: bool,
    /// `app` (default, residents), `patrol` (grid workers, officials, mediators), `hotline` or
    /// `meeting` (dispatchers).
    pub source: Option<String>,
    /// emergency, urgent or normal; the category's default otherwise.
    pub urgency: Option<String>,
}

/// The request, parsed into domain values (the place is resolved in the transaction).
struct ParsedIssue {
    category: Category,
    description: String,
    compound_id: i64,
    building_id: Option<i64>,
    unit: Option<String>,
    location_text: Option<String>,
    point: Option<GeoPoint>,
    is_public: bool,
    source: Source,
    urgency: Option<Urgency>,
}

impl CreateIssueRequest {
    fn parse(&self) -> ApiResult<ParsedIssue> {
        let category = Category::parse(self.category.trim())?;
        let description = IssueDescription::parse(&self.description)?.into_string();
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint::parse(lat, lon)?),
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
        Ok(ParsedIssue {
            category,
            description,
            compound_id: self.compound_id,
            building_id: self.building_id,
            unit: opt_text("unit", self.unit.as_deref(), 64)?,
            location_text: opt_text("location_text", self.location_text.as_deref(), 200)?,
            point,
            is_public: self.is_public,
            source,
            urgency,
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
            "invalid_idempotency_key",
            format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
        )
    };
    let key = value.to_str().map_err(|_| bad())?.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(key.to_owned()))
}

/// Where the issue is, from the organisation tree; 422 for an unknown compound or a building
/// of another compound.
fn resolve_place(
    conn: &mut DbConn,
    compound_id: i64,
    building_id: Option<i64>,
) -> ApiResult<Place> {
    let compound = match org::compound_place(conn, compound_id) {
        Ok(c) => c,
        Err(RepoError::NotFound) => {
            return Err(ApiError::validation("compound_id", "no such compound"));
        }
        Err(e) => return Err(e.into()),
    };
    let grid_id = match building_id {
        None => None,
        Some(b) => {
            let building = match org::find_building(conn, b) {
                Ok(b) => b,
                Err(RepoError::NotFound) => {
                    return Err(ApiError::validation("building_id", "no such building"));
                }
                Err(e) => return Err(e.into()),
            };
            if building.compound_id != compound_id {
                return Err(ApiError::validation(
                    "building_id",
                    "the building is not in that compound",
                ));
            }
            Some(GridId(building.grid_id))
        }
    };
    Ok(Place {
        street_id: StreetId(compound.street_id),
        community_id: CommunityId(compound.community_id),
        compound_id: CompoundId(compound.compound_id),
        building_id: building_id.map(BuildingId),
        grid_id,
        property_company_id: PropertyCompanyId(compound.property_company_id),
    })
}

/// What POST /issues answers: a new issue, or the stored answer to an earlier identical request.
enum Created {
    New(Box<IssueResponse>),
    Replay { status: u16, body: String },
}

/// Resolve, authorise, file, store, notify — and remember the response under the key — in the
/// caller's transaction.
fn create_in_tx(
    conn: &mut DbConn,
    state: &AppState,
    actor: &Actor,
    parsed: ParsedIssue,
    key: Option<(&str, &str)>,
) -> ApiResult<Created> {
    let now = state.now();
    if let Some((key, hash)) = key {
        if let Some(row) = idempotency::find(conn, actor.user_id.0, key)? {
            return replay_of(row, hash);
        }
        idempotency::reserve(conn, actor.user_id.0, key, hash, to_millis(now)).map_err(
            |e| match e {
                RepoError::Conflict(_) => key_in_flight(),
                other => other.into(),
            },
        )?;
    }
    let place = resolve_place(conn, parsed.compound_id, parsed.building_id)?;
    if !auth::can_file(actor, parsed.source, &place) {
        return Err(ApiError::forbidden(format!(
            "a {} may not file a `{}` issue in this compound",
            actor.role.as_str().replace('_', " "),
            parsed.source.as_str()
        )));
    }
    let new = NewIssue {
        reporter: actor.user_id,
        category: parsed.category,
        source: parsed.source,
        place,
        description: parsed.description,
        unit: parsed.unit,
        location_text: parsed.location_text,
        lat: parsed.point.map(|p| p.lat),
        lon: parsed.point.map(|p| p.lon),
        is_public: parsed.is_public,
        urgency: parsed.urgency,
    };
    let (issue, event) = Issue::file(new, now, &state.config.workflow);
    let event_actor = EventActor {
        user_id: Some(actor.user_id.0),
        role: Some(actor.role.as_str()),
    };
    let (stored, event_id) = issues::insert(conn, &issue, &event, event_actor, now)?;
    notifications::notify_event(conn, &stored, event_id, &event, Some(actor.user_id.0))?;
    let response = IssueResponse::new(&stored, 0, now);
    if let Some((key, _)) = key {
        let body = serde_json::to_string(&response).map_err(ApiError::internal)?;
        idempotency::complete(conn, actor.user_id.0, key, 201, &body)?;
    }
    Ok(Created::New(Box::new(response)))
}

fn key_in_flight() -> ApiError {
    ApiError::conflict(
        "idempotency_conflict",
        "a request with this Idempotency-Key is still being processed; retry shortly",
    )
}

fn replay_of(row: idempotency::IdempotencyRow, hash: &str) -> ApiResult<Created> {
    if row.request_hash != hash {
        return Err(ApiError::Unprocessable {
            code: "idempotency_key_reused",
            detail: "this Idempotency-Key was used with a different request body".into(),
        });
    }
    if row.response_status == 0 {
        return Err(key_in_flight());
    }
    Ok(Created::Replay {
        status: u16::try_from(row.response_status).map_err(ApiError::internal)?,
        body: row.response_body,
    })
}

/// 201 with the issue, `Location` and `ETag`.
fn created_response(status: u16, id: i64, version: i64, body: String) -> ApiResult<HttpResponse> {
    let status = StatusCode::from_u16(status).map_err(ApiError::internal)?;
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("/api/v1/issues/{id}")))
        .insert_header((header::ETAG, core::etag(version)))
        .content_type("application/json")
        .body(body))
}

/// File an issue (业主提诉求).
///
/// Residents file (`source: app`) for their own compound; grid workers, community officials and
/// mediators file `patrol` issues (巡查) in their grid or community; dispatchers take `hotline`
/// and `meeting` issues in their street. The answer carries the routing suggestion and the
/// deadlines. With an `Idempotency-Key`, a retry of the same body returns the stored answer
/// (same status and body, no second issue); keys are per user and kept at least 24 hours.
#[utoipa::path(
    tag = "issues",
    operation_id = "create_issue",
    request_body = CreateIssueRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header,
            description = "Client-chosen key (1–255 visible ASCII characters, e.g. a UUID) that makes retries safe"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed (or the stored answer to an identical earlier request)", body = IssueResponse,
            headers(
                ("Location" = String, description = "/api/v1/issues/{id}"),
                ("ETag" = String, description = "The issue's version, e.g. \"1\""),
            )),
        (status = 400, description = "Malformed JSON, wrong types, unknown fields (`invalid_body`, `malformed_json`) or a bad Idempotency-Key (`invalid_idempotency_key`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not file this kind of issue in this compound", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same Idempotency-Key is in flight (`idempotency_conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid value (`validation_failed`: category, description, unknown compound, building of another compound, lat/lon, ...) or the Idempotency-Key was used with another body (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
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
    let parsed = body.parse()?;
    let hash = match key {
        Some(_) => Some(body.hash()?),
        None => None,
    };
    let actor = caller.actor;
    let st = state.get_ref().clone();
    let created = state
        .run(move |conn| {
            let key = key.as_deref().zip(hash.as_deref());
            if key.is_some() {
                // Opportunistic clean-up, outside the unit of work; failure only delays it.
                let cutoff = to_millis(st.now() - Duration::hours(IDEMPOTENCY_TTL_HOURS));
                if let Err(e) = idempotency::purge_older_than(conn, cutoff) {
                    tracing::warn!(error = %e, "could not purge old idempotency keys");
                }
            }
            let result =
                db::write_transaction(conn, |conn| create_in_tx(conn, &st, &actor, parsed, key));
            match (result, key) {
                // Lost the race for the key: the winner has committed by now (PostgreSQL made
                // us wait for it), so answer what it answered.
                (Err(e), Some((key, hash))) if e.code() == "idempotency_conflict" => {
                    match idempotency::find(conn, actor.user_id.0, key)? {
                        Some(row) => replay_of(row, hash),
                        None => Err(e),
                    }
                }
                (other, _) => other,
            }
        })
        .await?;
    match created {
        Created::New(issue) => {
            let body = serde_json::to_string(&issue).map_err(ApiError::internal)?;
            created_response(201, issue.id, issue.version, body)
        }
        Created::Replay { status, body } => {
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
