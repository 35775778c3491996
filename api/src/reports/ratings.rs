//! GET /reports/property-ratings: the quarterly star rating (星级物业) of each property company
//! and the red/black list (红黑榜).

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use linli_domain::report::{self, RatingComponents, ratio, satisfaction_rate};
use linli_infra::{
    repo::reports::{self, CompanyAssessment, CompanyCounts, CompanyRevisits, Window},
    schema::property_companies,
    time::to_millis,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    reports::{
        csv_bytes, csv_response,
        params::{Period, report_scope, wants_csv},
    },
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingsQuery {
    /// The quarter, `YYYYQn`: issues created in it (UTC) and the assessments filed for it.
    #[param(required = true, example = "2026Q3")]
    pub period: Option<String>,
}

/// One property company's rating for the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "property_company_id": 1, "name": "红管家物业", "handled": 40, "due": 38,
    "rectified_on_time": 37, "rated": 30, "satisfied": 29, "rated_three": 1,
    "supervised": 35, "first_pass": 34, "revisits": 8, "recurred": 0, "assessments": 3,
    "on_time_rectification_rate": 0.9736842105263158, "satisfaction_rate": 0.9966666666666667,
    "committee_first_pass_rate": 0.9714285714285714, "revisit_recurrence_rate": 0.0,
    "mean_assessment_score": 95.0, "score": 98.29, "stars": 5, "list": "red"
}))]
pub struct PropertyRating {
    /// The company rated.
    pub property_company_id: i64,
    /// Its name, e.g. 红管家物业.
    pub name: String,
    /// Issues created in the period that the company handles (its handler is the company).
    pub handled: i64,
    /// Of those, due: closed, or open past the resolution deadline.
    pub due: i64,
    /// Of the due ones, rectified (latest rectification) no later than the resolution deadline.
    pub rectified_on_time: i64,
    /// Of the handled issues, those with a satisfaction rating.
    pub rated: i64,
    /// Ratings of 4 or 5.
    pub satisfied: i64,
    /// Ratings of 3.
    pub rated_three: i64,
    /// Issues the owners' committee looked at (passed, or sent back at least once).
    pub supervised: i64,
    /// Supervised issues passed without ever being sent back.
    pub first_pass: i64,
    /// 回头看 outcomes recorded on these issues (`revisit_confirmed` + `revisit_recurred` events).
    pub revisits: i64,
    /// `revisit_recurred` events among them.
    pub recurred: i64,
    /// Daily work assessments (日常工作考核) filed for the period.
    pub assessments: i64,
    /// rectified_on_time ÷ due; null without due issues.
    pub on_time_rectification_rate: Option<f64>,
    /// (satisfied + 0.9 × rated_three) ÷ rated; null without ratings.
    pub satisfaction_rate: Option<f64>,
    /// first_pass ÷ supervised; null without supervised issues.
    pub committee_first_pass_rate: Option<f64>,
    /// recurred ÷ revisits; null without revisits.
    pub revisit_recurrence_rate: Option<f64>,
    /// Mean assessment score (0–100); null without assessments.
    pub mean_assessment_score: Option<f64>,
    /// 0–100, rounded to 2 decimals.
    pub score: f64,
    /// 1 to 5.
    pub stars: u8,
    /// `red` (★5), `black` (score under 60) or null.
    pub list: Option<String>,
}

/// The ratings of every company with data in the period, best first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "period": "2026Q3",
    "from": "2026-07-01T00:00:00Z",
    "to": "2026-10-01T00:00:00Z",
    "generated_at": "2026-10-08T09:00:00Z",
    "companies": [{
        "property_company_id": 1, "name": "红管家物业", "handled": 40, "due": 38,
        "rectified_on_time": 37, "rated": 30, "satisfied": 29, "rated_three": 1,
        "supervised": 35, "first_pass": 34, "revisits": 8, "recurred": 0, "assessments": 3,
        "on_time_rectification_rate": 0.9736842105263158, "satisfaction_rate": 0.9966666666666667,
        "committee_first_pass_rate": 0.9714285714285714, "revisit_recurrence_rate": 0.0,
        "mean_assessment_score": 95.0, "score": 98.29, "stars": 5, "list": "red"
    }]
}))]
pub struct PropertyRatingsReport {
    /// The quarter, `YYYYQn` (e.g. `2026Q3`).
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

const CSV_HEADER: [&str; 21] = [
    "property_company_id",
    "name",
    "handled",
    "due",
    "rectified_on_time",
    "rated",
    "satisfied",
    "rated_three",
    "supervised",
    "first_pass",
    "revisits",
    "recurred",
    "assessments",
    "on_time_rectification_rate",
    "satisfaction_rate",
    "committee_first_pass_rate",
    "revisit_recurrence_rate",
    "mean_assessment_score",
    "score",
    "stars",
    "list",
];

/// What the database computed for the ratings.
struct RatingInputs {
    counts: Vec<CompanyCounts>,
    revisits: Vec<CompanyRevisits>,
    assessments: Vec<CompanyAssessment>,
    names: HashMap<i64, String>,
}

fn rate_companies(state: &AppState, inputs: RatingInputs) -> Vec<PropertyRating> {
    let w = state.config.report_weights;
    let RatingInputs {
        counts,
        revisits,
        assessments,
        names,
    } = inputs;
    let revisits: HashMap<i64, CompanyRevisits> = revisits
        .into_iter()
        .map(|r| (r.property_company_id, r))
        .collect();
    let mut by_company: BTreeMap<i64, (Option<CompanyCounts>, Option<CompanyAssessment>)> =
        BTreeMap::new();
    for c in counts {
        let id = c.property_company_id;
        by_company.entry(id).or_default().0 = Some(c);
    }
    for a in assessments {
        let id = a.property_company_id;
        by_company.entry(id).or_default().1 = Some(a);
    }
    let mut companies: Vec<PropertyRating> = by_company
        .into_iter()
        .map(|(id, (c, a))| {
            let c = c.unwrap_or(CompanyCounts {
                property_company_id: id,
                handled: 0,
                due: 0,
                rectified_on_time: 0,
                rated: 0,
                satisfied: 0,
                rated_three: 0,
                supervised: 0,
                first_pass: 0,
            });
            let (revisit_count, recurred) = revisits
                .get(&id)
                .map_or((0, 0), |r| (r.revisits, r.recurred));
            let components = RatingComponents {
                satisfaction: satisfaction_rate(c.satisfied, c.rated_three, c.rated),
                on_time_rectification: ratio(c.rectified_on_time as f64, c.due),
                committee_first_pass: ratio(c.first_pass as f64, c.supervised),
                revisit_recurrence: ratio(recurred as f64, revisit_count),
                mean_assessment: a.as_ref().map(|a| a.mean_score),
            };
            let score = report::rating_score(&w, &components);
            PropertyRating {
                property_company_id: id,
                name: names.get(&id).cloned().unwrap_or_default(),
                handled: c.handled,
                due: c.due,
                rectified_on_time: c.rectified_on_time,
                rated: c.rated,
                satisfied: c.satisfied,
                rated_three: c.rated_three,
                supervised: c.supervised,
                first_pass: c.first_pass,
                revisits: revisit_count,
                recurred,
                assessments: a.as_ref().map_or(0, |a| a.assessments),
                on_time_rectification_rate: components.on_time_rectification,
                satisfaction_rate: components.satisfaction,
                committee_first_pass_rate: components.committee_first_pass,
                revisit_recurrence_rate: components.revisit_recurrence,
                mean_assessment_score: components.mean_assessment,
                score,
                stars: report::stars(score),
                list: report::list(score).map(str::to_owned),
            }
        })
        .collect();
    companies.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.property_company_id.cmp(&b.property_company_id))
    });
    companies
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
    operation_id = "report_property_ratings",
    security(("bearer" = [])),
    // Content negotiation is expressed by the two content types of the 200 response (OpenAPI
    // ignores an `Accept` header parameter).
    params(RatingsQuery),
    responses(
        (status = 200, description = "The ratings, best first, as JSON or (with `Accept: text/csv`) as CSV", content(
            (PropertyRatingsReport = "application/json"),
            (String = "text/csv", example = json!("\u{FEFF}property_company_id,name,handled,due,rectified_on_time,rated,satisfied,rated_three,supervised,first_pass,revisits,recurred,assessments,on_time_rectification_rate,satisfaction_rate,committee_first_pass_rate,revisit_recurrence_rate,mean_assessment_score,score,stars,list\n1,红管家物业,40,38,37,30,29,1,35,34,8,0,3,0.9736842105263158,0.9966666666666667,0.9714285714285714,0.0,95.0,98.29,5,red\n")),
        )),
        (status = 400, description = "Unknown query parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor, community official or dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or malformed `period` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
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
    let range = period.range()?;
    let now = state.now();
    let window = Window {
        from: to_millis(range.from),
        to: to_millis(range.to),
        now: to_millis(now),
    };
    let period_str = period.as_string();
    let key = period_str.clone();
    let inputs = state
        .run(move |conn| {
            let counts = reports::company_counts(conn, scope, window)?;
            let revisits = reports::company_revisits(conn, scope, window)?;
            let assessments = reports::company_assessments(conn, scope, &key)?;
            let ids: Vec<i64> = counts
                .iter()
                .map(|c| c.property_company_id)
                .chain(assessments.iter().map(|a| a.property_company_id))
                .collect();
            let names: Vec<(i64, String)> = property_companies::table
                .filter(property_companies::id.eq_any(ids))
                .select((property_companies::id, property_companies::name))
                .load(conn)?;
            Ok(RatingInputs {
                counts,
                revisits,
                assessments,
                names: names.into_iter().collect(),
            })
        })
        .await?;
    let companies = rate_companies(&state, inputs);
    if wants_csv(&req) {
        let name = format!("linli-property-ratings-{period_str}.csv");
        return Ok(csv_response(&name, &CSV_HEADER, csv_bytes(&companies)?));
    }
    Ok(HttpResponse::Ok().json(PropertyRatingsReport {
        period: period_str,
        from: range.from,
        to: range.to,
        generated_at: now,
        companies,
    }))
}
