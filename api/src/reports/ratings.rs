//! GET /reports/property-ratings: the quarterly star rating (星级物业) of each property company
//! and the red/black list (红黑榜).

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::application::reports::ratings::PropertyRating;
use crate::application::reports::ratings::property_rating_example;
use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    reports::{
        csv_download,
        params::{Period, report_scope, wants_csv},
    },
    responses::{InvalidQuery, ReportReaders},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingsQuery {
    /// The quarter, `YYYYQn` (1970Q1 to 9999Q3): issues created in it (in the district's time
    /// zone, Asia/Shanghai) and the assessments filed for it.
    #[param(required = true, example = "2026Q3")]
    #[param(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: Option<String>,
}

/// The ratings of every company with data in the period, best first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "period": "2026Q3",
    "from": "2026-06-30T16:00:00Z",
    "to": "2026-09-30T16:00:00Z",
    "generated_at": "2026-10-08T09:00:00Z",
    "companies": [property_rating_example()]
}))]
pub struct PropertyRatingsReport {
    /// The quarter, `YYYYQn` (e.g. `2026Q3`).
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    /// Period start (inclusive), UTC.
    pub from: DateTime<Utc>,
    /// Period end (exclusive), UTC.
    pub to: DateTime<Utc>,
    /// When the report was computed, RFC 3339 UTC.
    pub generated_at: DateTime<Utc>,
    /// One entry per company with data in the period, best score first.
    pub companies: Vec<PropertyRating>,
}

/// Property-company star ratings and the red/black list (星级物业, 红黑榜) for a quarter.
///
/// Per company, over the issues **created in the period** that it handles (current handler is
/// the company) and within the caller's scope (auditors all, community officials their
/// community, dispatchers their street):
///
/// - `on_time_rectification_rate` = due issues whose latest rectification came no later than
///   the resolution deadline ÷ due issues (closed, or open past the resolution deadline — an
///   overdue issue not rectified yet counts as late; a rectification sent back and redone late
///   counts as late);
/// - `satisfaction_rate` = (ratings 4–5 + 0.9 × ratings of 3) ÷ rated issues;
/// - `committee_first_pass_rate` = supervised issues passed with no send-back ÷ issues the
///   owners' committee supervised (passed, or sent back at least once);
/// - `revisit_recurrence_rate` = `revisit_recurred` events ÷ (`revisit_confirmed` +
///   `revisit_recurred`) events on these issues (whenever the revisit happened);
/// - `mean_assessment_score` = mean score of the daily work assessments filed for the period
///   (for compounds in the caller's scope).
///
/// `score` = 100 × (0.4 × satisfaction + 0.3 × on-time + 0.15 × first-pass) + 0.15 × mean
/// assessment − 20 × recurrence, clamped to 0–100, rounded to 2 decimals (weights are
/// configuration). A component without data counts as neutral: 0.8 for a rate, 80 for the
/// assessment, 0 for recurrence — so a company with no data at all scores exactly 80.
/// `stars`: ≥90 ★5, ≥80 ★4, ≥70 ★3, ≥60 ★2, else ★1. `list`: `red` for ★5, `black` for a
/// score under 60. Companies with neither issues nor assessments in the period are not listed.
/// With `Accept: text/csv` the same rows come as CSV.
#[utoipa::path(
    tag = "reports",
    // Content negotiation is expressed by the two content types of the 200 response (OpenAPI
    // ignores an `Accept` header parameter).
    params(RatingsQuery),
    responses(
        (status = 200, description = "The ratings, best first, as JSON or (with `Accept: text/csv`) as CSV", content(
            (PropertyRatingsReport = "application/json"),
            (String = "text/csv", example = json!("\u{FEFF}property_company_id,name,handled,due,rectified_on_time,rated,satisfied,rated_three,supervised,first_pass,revisits,recurred,assessments,on_time_rectification_rate,satisfaction_rate,committee_first_pass_rate,revisit_recurrence_rate,mean_assessment_score,score,stars,list\n1,红管家物业,40,38,37,30,29,1,35,34,8,0,3,0.9736842105263158,0.9966666666666667,0.9714285714285714,0.0,95.0,98.29,5,red\n")),
        )),
        (status = 422, description = "Missing or malformed `period` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        ReportReaders, InvalidQuery,
    )
)]
#[get("/reports/property-ratings")]
pub async fn report_property_ratings(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<RatingsQuery>,
) -> ApiResult<HttpResponse> {
    let scope = report_scope(&caller)?;
    let period = Period::parse(
        query
            .period
            .as_deref()
            .ok_or_else(|| ApiError::validation("period", "is required"))?,
    )?;
    let (range, key) = (
        period.range(state.config.workflow.time_zone),
        period.as_string(),
    );
    let period_str = key.clone();
    let report = state
        .call(move |app| app.property_ratings(scope, &key, range.from, range.to))
        .await?;
    if wants_csv(&req) {
        let name = format!("linli-property-ratings-{period_str}.csv");
        return csv_download(&name, &report.rows);
    }
    Ok(HttpResponse::Ok().json(PropertyRatingsReport {
        period: period_str,
        from: range.from,
        to: range.to,
        generated_at: report.generated_at,
        companies: report.rows,
    }))
}
