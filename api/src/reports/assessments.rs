//! /assessments: daily work assessments (日常工作考核) of property companies, filed by community
//! officials per compound and quarter; they feed the star ratings.

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{Role, Scope},
    ids::{CompoundId, PropertyCompanyId},
    values::AssessmentNotes,
};
use linli_infra::{repo::assessments::AssessmentView, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::reports::assessments::NewAssessmentInput,
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    reports::params::Period,
    responses::{InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// Longest `notes` accepted, in characters.
pub const NOTES_MAX: usize = AssessmentNotes::MAX_CHARS;

/// Body of POST /assessments: a daily work assessment (日常工作考核) of a company.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "property_company_id": 1, "compound_id": 1, "period": "2026Q3", "score": 92,
    "notes": "楼道整洁，消防通道畅通；垃圾分类宣传到位"
}))]
pub struct CreateAssessmentRequest {
    /// The company assessed; it must currently manage the compound.
    pub property_company_id: i64,
    /// A compound of the official's community.
    pub compound_id: i64,
    /// The quarter assessed, `YYYYQn` (e.g. `2026Q3`).
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    /// 0 to 100.
    #[schema(minimum = 0, maximum = 100)]
    pub score: i64,
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
    "score": 92, "notes": "楼道整洁，消防通道畅通；垃圾分类宣传到位", "assessor_id": 7,
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
    /// 0 to 100.
    #[schema(minimum = 0, maximum = 100)]
    pub score: i32,
    /// What was checked and found; up to 2000 characters, may be empty.
    pub notes: String,
    /// The community official who filed it.
    pub assessor_id: i64,
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
            score: v.row.score,
            notes: v.row.notes,
            assessor_id: v.row.assessor_id,
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

/// File a daily work assessment (日常工作考核) of a property company for one compound and
/// quarter. Community officials only, for the compounds of their community; the company must
/// be the one managing the compound now. Several assessments per compound and quarter are
/// allowed (it is daily work); the ratings use their mean.
#[utoipa::path(
    tag = "reports",
    request_body = CreateAssessmentRequest,
    responses(
        (status = 201, description = "Assessment filed", body = AssessmentResponse),
        (status = 400, description = "Malformed JSON or a field of the wrong type", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a community official, or the compound is not in the official's community", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, score or notes; unknown compound or company; the company does not manage the compound (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/assessments")]
pub async fn create_assessment(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CreateAssessmentRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::CommunityOfficial])?;
    let Scope::Community(community) = caller.scope() else {
        return Err(ApiError::forbidden("this account has no community"));
    };
    let body = body.into_inner();
    let input = NewAssessmentInput {
        period: Period::parse(&body.period)?.as_string(),
        score: parse_score(body.score)?,
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

/// List daily work assessments, optionally of one quarter, by id: auditors see all,
/// community officials those of their community's compounds.
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
        (Role::Auditor, _) => None,
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
