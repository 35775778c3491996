//! /assessment-schemes: the district office's scheme (考核评价办法) per year.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    evaluation::{AssessmentScheme, SchemeSpec},
};
use linli_infra::{repo::assessment_schemes::StoredScheme, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    responses::{DistrictOfficeOnly, InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// Years a scheme may be set for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn parse_year(raw: i32) -> ApiResult<i32> {
    if YEARS.contains(&raw) {
        Ok(raw)
    } else {
        Err(ApiError::validation("year", "must be from 2000 to 2100"))
    }
}

/// Body of POST /assessment-schemes: the year and its scheme; a field left out of `scheme`
/// takes the district's default.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "year": 2026,
    "scheme": {
        "weights": {"daily_work": 30, "satisfaction": 40, "management": 30},
        "grade_thresholds": {"excellent": 90, "good": 80, "qualified": 60},
        "min_samples": {"assessments": 1, "rated_cases": 5, "handled_cases": 5}
    }
}))]
pub struct CreateSchemeRequest {
    /// The year the scheme governs (2000–2100).
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[serde(default)]
    pub scheme: SchemeSpec,
}

/// One version of a year's scheme.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeResponse {
    pub id: i64,
    pub year: i32,
    /// 1 for the first scheme of the year, then +1 per change; rating runs use the latest.
    pub version: i32,
    pub scheme: SchemeSpec,
    /// The district-office account that set it.
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
}

impl From<StoredScheme> for SchemeResponse {
    fn from(s: StoredScheme) -> Self {
        Self {
            id: s.id,
            year: s.year,
            version: s.version,
            scheme: s.scheme.into_spec(),
            created_by: s.created_by,
            created_at: from_millis(s.created_at).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SchemeFilter {
    /// Only the versions of this year.
    #[param(example = 2026, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// Set a year's assessment scheme (考核评价办法): component weights, the daily-work checklist,
/// 等次 thresholds, stars and minimum samples. Each POST adds a version; a published rating
/// keeps the version it used. District office only.
#[utoipa::path(
    tag = "evaluation",
    request_body = CreateSchemeRequest,
    responses(
        (status = 201, description = "The new version", body = SchemeResponse),
        DistrictOfficeOnly,
        (status = 422, description = "Weights not summing to 100, thresholds or stars out of order, a bad checklist or year (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/assessment-schemes")]
pub async fn create_assessment_scheme(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CreateSchemeRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let year = parse_year(body.year)?;
    let scheme = AssessmentScheme::parse(body.scheme)?;
    let author = caller.user_id();
    let stored = state
        .call(move |app| app.create_assessment_scheme(author, year, scheme))
        .await?;
    Ok(HttpResponse::Created().json(SchemeResponse::from(stored)))
}

/// The assessment schemes, newest year and version first: the district office and auditors.
#[utoipa::path(
    tag = "evaluation",
    params(SchemeFilter),
    responses(
        (status = 200, description = "Scheme versions", body = [SchemeResponse]),
        (status = 403, description = "Not the district office or an auditor (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad year (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/assessment-schemes")]
pub async fn list_assessment_schemes(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<SchemeFilter>,
) -> ApiResult<web::Json<Vec<SchemeResponse>>> {
    caller.require(&[Role::DistrictOffice, Role::Auditor])?;
    let year = query.year.map(parse_year).transpose()?;
    let rows = state
        .call(move |app| app.list_assessment_schemes(year))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}
