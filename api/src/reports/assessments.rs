//! /assessments: daily work assessments (日常工作考核) of property companies, filed by community
//! officials (their community) or the district office per compound and quarter, or per month
//! itemised by the year's checklist; they feed the ratings' 日常工作考核 component.

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{Role, Scope},
    evaluation::ItemScore,
    ids::{CompoundId, PropertyCompanyId},
    period::Month,
    values::AssessmentNotes,
};
use linli_infra::{repo::assessments::AssessmentView, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::reports::assessments::{AssessmentScore, NewAssessmentInput},
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    reports::params::Period,
    responses::{InvalidQuery, Malformed, NotFound, PhotoUpload, Unauthenticated},
    state::AppState,
};

/// Longest `notes` accepted, in characters.
pub const NOTES_MAX: usize = AssessmentNotes::MAX_CHARS;

/// Body of POST /assessments: a daily work assessment (日常工作考核) of a company, either one
/// overall `score` for a quarter (`period`) or a `month` itemised by the checklist of its
/// year's scheme (`items`; the score is their sum).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "property_company_id": 1, "compound_id": 1, "month": "2026-07",
    "items": [
        {"key": "sanitation", "points": 23, "notes": "楼道整洁"},
        {"key": "order", "points": 18, "notes": "消防通道畅通"},
        {"key": "facilities", "points": 22, "notes": ""},
        {"key": "greening", "points": 14, "notes": ""},
        {"key": "service", "points": 15, "notes": "垃圾分类宣传到位"}
    ],
    "notes": "7月日常工作考核"
}))]
pub struct CreateAssessmentRequest {
    /// The company assessed; it must currently manage the compound.
    pub property_company_id: i64,
    /// A compound of the official's community (any compound for the district office).
    pub compound_id: i64,
    /// The quarter assessed, `YYYYQn` (e.g. `2026Q3`); with `month`, its quarter (or absent).
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: Option<String>,
    /// The month assessed, `YYYY-MM`; required with `items`.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// An overall 0 to 100; exactly one of `score` and `items`.
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<i64>,
    /// Every checklist item of the year's scheme scored once, within its maximum.
    pub items: Option<Vec<ItemScore>>,
    /// What was checked and found; up to 2000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub notes: String,
}

/// A daily work assessment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "property_company_id": 1, "property_company_name": "红管家物业",
    "compound_id": 1, "compound_name": "东坪花园", "community_id": 1, "period": "2026Q3",
    "score": 92, "notes": "楼道整洁，消防通道畅通；垃圾分类宣传到位", "assessor_id": 7, "photo_ids": [],
    "created_at": "2026-09-30T08:00:00Z"
}))]
pub struct AssessmentResponse {
    /// Assessment id.
    pub id: i64,
    /// The company assessed.
    pub property_company_id: i64,
    /// Its name, e.g. 红管家物业.
    pub property_company_name: String,
    /// The compound (小区) assessed.
    pub compound_id: i64,
    /// Its name, e.g. 东坪花园.
    pub compound_name: String,
    /// The compound's community (社区).
    pub community_id: i64,
    /// The quarter assessed, `YYYYQn` (e.g. `2026Q3`).
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    /// The month assessed, `YYYY-MM`; null for a quarterly assessment.
    pub month: Option<String>,
    /// 0 to 100 (the items' sum when itemised).
    #[schema(minimum = 0, maximum = 100)]
    pub score: i32,
    /// The scores per checklist item; null for a single overall score.
    pub items: Option<Vec<ItemScore>>,
    /// What was checked and found; up to 2000 characters, may be empty.
    pub notes: String,
    /// The community official or district office account who filed it.
    pub assessor_id: i64,
    /// Evidence photos: `GET /assessments/{id}/photos/{photo_id}`.
    pub photo_ids: Vec<i64>,
    /// When it was filed, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<AssessmentView> for AssessmentResponse {
    fn from(v: AssessmentView) -> Self {
        Self {
            id: v.row.id,
            property_company_id: v.row.property_company_id,
            property_company_name: v.property_company_name,
            compound_id: v.row.compound_id,
            compound_name: v.compound_name,
            community_id: v.community_id,
            period: v.row.period,
            month: v.row.month,
            score: v.row.score,
            items: v
                .row
                .items
                .as_deref()
                .and_then(|i| serde_json::from_str(i).ok()),
            notes: v.row.notes,
            assessor_id: v.row.assessor_id,
            photo_ids: v.photo_ids,
            created_at: from_millis(v.row.created_at).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssessmentFilter {
    /// Only the assessments of this quarter (`YYYYQn`).
    #[param(example = "2026Q3")]
    #[param(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: Option<String>,
}

fn parse_score(raw: i64) -> ApiResult<i32> {
    i32::try_from(raw)
        .ok()
        .filter(|s| (0..=100).contains(s))
        .ok_or_else(|| ApiError::validation("score", "must be an integer from 0 to 100"))
}

fn parse_notes(raw: &str) -> ApiResult<String> {
    Ok(AssessmentNotes::parse(raw)?.into_string())
}

/// The quarter, the month and the score of a request: `period` + `score` (quarterly), or
/// `month` with `score` or `items` (a `period` given beside it must be its quarter).
fn parse_scoring(
    body: &mut CreateAssessmentRequest,
) -> ApiResult<(String, Option<Month>, AssessmentScore)> {
    let month = body.month.as_deref().map(Month::parse).transpose()?;
    let period = body
        .period
        .as_deref()
        .map(Period::parse)
        .transpose()?
        .map(Period::as_string);
    let period = match (period, month) {
        (Some(p), Some(m)) if p != m.quarter().as_string() => {
            return Err(ApiError::validation(
                "period",
                "must be the quarter of `month` (or left out)",
            ));
        }
        (Some(p), _) => p,
        (None, Some(m)) => m.quarter().as_string(),
        (None, None) => {
            return Err(ApiError::validation(
                "period",
                "give the quarter (`period`) or the month (`month`) assessed",
            ));
        }
    };
    let score = match (body.score, body.items.take(), month) {
        (Some(s), None, _) => AssessmentScore::Overall(parse_score(s)?),
        (None, Some(items), Some(m)) => AssessmentScore::Itemised(m, items),
        (None, Some(_), None) => {
            return Err(ApiError::validation(
                "month",
                "itemised assessments are monthly",
            ));
        }
        _ => {
            return Err(ApiError::validation(
                "score",
                "give exactly one of `score` and `items`",
            ));
        }
    };
    Ok((period, month, score))
}

/// File a daily work assessment (日常工作考核) of a property company for one compound: a
/// quarter with one score, or a month itemised by the checklist of its year's scheme (with
/// notes per item). Community officials for the compounds of their community, the district
/// office for any; the company must be the one managing the compound now. Several assessments
/// per compound and quarter are allowed (it is daily work); the ratings use their mean.
#[utoipa::path(
    tag = "reports",
    request_body = CreateAssessmentRequest,
    responses(
        (status = 201, description = "Assessment filed", body = AssessmentResponse),
        (status = 400, description = "Malformed JSON or a field of the wrong type", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a community official or the district office, or the compound is not in the official's community", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, month, score, items or notes; no scheme for the month's year; unknown compound or company; the company does not manage the compound (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/assessments")]
pub async fn create_assessment(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CreateAssessmentRequest>,
) -> ApiResult<HttpResponse> {
    let community = match (caller.role(), caller.scope()) {
        (Role::DistrictOffice, _) => None,
        (Role::CommunityOfficial, Scope::Community(c)) => Some(c),
        _ => {
            return Err(ApiError::forbidden(
                "assessments are filed by community officials and the district office",
            ));
        }
    };
    let mut body = body.into_inner();
    let (period, month, score) = parse_scoring(&mut body)?;
    let input = NewAssessmentInput {
        period,
        month,
        score,
        notes: parse_notes(&body.notes)?,
        property_company: PropertyCompanyId(body.property_company_id),
        compound: CompoundId(body.compound_id),
    };
    let assessor = caller.user_id();
    let view = state
        .call(move |app| app.file_assessment(assessor, community, input))
        .await?;
    let res = AssessmentResponse::from(view);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/assessments/{}", res.id)))
        .json(res))
}

/// List daily work assessments, optionally of one quarter, by id: auditors and the district
/// office see all, community officials those of their community's compounds.
#[utoipa::path(
    tag = "reports",
    params(AssessmentFilter),
    responses(
        (status = 200, description = "Assessments, by id", body = [AssessmentResponse]),
        (status = 403, description = "Not an auditor or community official", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed `period` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/assessments")]
pub async fn list_assessments(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<AssessmentFilter>,
) -> ApiResult<web::Json<Vec<AssessmentResponse>>> {
    let community = match (caller.role(), caller.scope()) {
        (Role::Auditor | Role::DistrictOffice, _) => None,
        (Role::CommunityOfficial, Scope::Community(c)) => Some(c),
        _ => {
            return Err(ApiError::forbidden(
                "assessments are for auditors and community officials",
            ));
        }
    };
    let period = query
        .period
        .as_deref()
        .map(Period::parse)
        .transpose()?
        .map(Period::as_string);
    let rows = state
        .call(move |app| app.list_assessments(period, community))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// What an evidence upload returns.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentPhotoResponse {
    pub id: i64,
    pub assessment_id: i64,
}

/// Add an evidence photo to an assessment (multipart field `file`; at most 9): the district
/// office, or an official of the assessed compound's community. Stored like an issue's photo
/// (upright, re-encoded without metadata).
#[utoipa::path(
    tag = "reports",
    params(("id" = i64, Path, description = "Assessment id")),
    request_body(content = crate::issues::photos::UploadPhotoForm, content_type = "multipart/form-data", description = "One photo in the field `file`"),
    responses(
        (status = 201, description = "Stored", body = AssessmentPhotoResponse),
        PhotoUpload,
        (status = 403, description = "Not the district office or an official of the compound's community (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The assessment already has 9 photos (`too_many_photos`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an image that can be decoded (`unsupported_image`, `image_too_large`) or no `file` field (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[post("/assessments/{id}/photos")]
pub async fn upload_assessment_photo(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (actor, id) = (caller.actor, id.into_inner());
    let bytes = crate::issues::photos::read_file_field(&req, payload).await?;
    let photo = state
        .call(move |app| app.add_assessment_photo(&actor, id, bytes))
        .await?;
    Ok(HttpResponse::Created().json(AssessmentPhotoResponse {
        id: photo,
        assessment_id: id,
    }))
}

/// An evidence photo's bytes: the district office, auditors and the community's officials.
#[utoipa::path(
    tag = "reports",
    params(
        ("id" = i64, Path, description = "Assessment id"),
        ("photo_id" = i64, Path, description = "Photo id"),
    ),
    responses(
        (status = 200, description = "The image, with its content type",
            content(
                (crate::issues::photos::PhotoBytes = "image/jpeg"),
                (crate::issues::photos::PhotoBytes = "image/png"),
                (crate::issues::photos::PhotoBytes = "image/webp"),
            )
        ),
        (status = 403, description = "Other roles and communities (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/assessments/{id}/photos/{photo_id}")]
pub async fn get_assessment_photo(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (actor, (id, photo)) = (caller.actor, path.into_inner());
    let file = state
        .call(move |app| app.assessment_photo(&actor, id, photo))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, file.content_type))
        .body(file.bytes))
}
