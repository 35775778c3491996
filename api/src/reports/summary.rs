//! GET /reports/summary: the three rates (响应率, 解决率, 满意率) and their composite per
//! community, compound, property company, category, level or request type.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::application::reports::summary::SummaryRow;
use crate::application::reports::summary::summary_row_example;
use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    reports::{
        csv_download, file_date,
        params::{Range, group_by_str, parse_group_by, report_scope, wants_csv},
    },
    responses::{InvalidQuery, ReportReaders},
    state::AppState,
};

/// What the summary rows group by.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SummaryGroupBy {
    Community,
    Compound,
    PropertyCompany,
    Category,
    Level,
    /// The request type: complaint, help, consultation, suggestion, praise.
    Kind,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Start of the window (inclusive) on the issues' creation time: RFC 3339, or a date
    /// `YYYY-MM-DD` meaning 00:00 in the district's time zone (Asia/Shanghai); years 1970–9999.
    #[param(required = true, example = "2026-07-01")]
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub from: Option<String>,
    /// End of the window (exclusive), same formats; must be after `from`.
    #[param(required = true, example = "2026-10-01")]
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub to: Option<String>,
    /// Grouping; default `community`.
    #[param(value_type = Option<SummaryGroupBy>, inline)]
    pub group_by: Option<String>,
}

/// The summary report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "group_by": "community",
    "from": "2026-07-01T00:00:00Z",
    "to": "2026-10-01T00:00:00Z",
    "generated_at": "2026-10-08T09:00:00Z",
    "rows": [summary_row_example()]
}))]
pub struct SummaryReport {
    /// community, compound, property_company, category, level or kind (request type).
    #[schema(value_type = crate::reports::summary::SummaryGroupBy)]
    pub group_by: String,
    /// Window start (inclusive) on the issues' creation time.
    pub from: DateTime<Utc>,
    /// Window end (exclusive).
    pub to: DateTime<Utc>,
    /// When the report was computed: "overdue" and "due" are judged at this time.
    pub generated_at: DateTime<Utc>,
    /// One row per group with at least one issue, in id / catalogue order.
    pub rows: Vec<SummaryRow>,
}

/// The three rates (三率) per group.
///
/// Covers the issues **created** in `[from, to)` that the caller may see: auditors all,
/// community officials their community, dispatchers their street (all when district-wide).
/// Counted by the database in one GROUP BY (plus one window-function query for the medians).
///
/// - 响应率 `response_rate` = triaged issues answered (first response) no later than their
///   response deadline ÷ triaged issues;
/// - 解决率 `resolution_rate` = issues closed as resolved ÷ issues due. *Resolved* = closed with
///   closure `confirmed` or `deliberation` (a deliberation meeting's written decision settles a
///   community-level matter; it has no resident confirmation), or closed and confirmed at the
///   回头看 revisit after its latest close. `auto_confirmed` alone does not count as resolved.
///   *Due* = closed (but not merged into another case), or open past the resolution deadline
///   at report time;
/// - 满意率 `satisfaction_rate` = (ratings 4–5 + 0.9 × ratings of 3) ÷ rated issues;
/// - `composite` = 0.1 × response + 0.5 × resolution + 0.4 × satisfaction;
/// - 回退率 `return_upheld_rate` = returns (退单) the dispatcher upheld ÷ returns it decided;
///   `returned` counts the returns.
/// - `urged` counts the urgings (督办), `extended` the extensions (延期) approved, `merged` the
///   duplicates merged into another case (never due or resolved themselves).
///
/// A rate is `null` when its denominator is 0; `composite` is `null` when a rate is.
/// With `Accept: text/csv` the same rows come as CSV (UTF-8 with BOM, header row = the JSON
/// field names of a row; empty cell for null).
#[utoipa::path(
    tag = "reports",
    // Content negotiation is expressed by the two content types of the 200 response (OpenAPI
    // ignores an `Accept` header parameter).
    params(SummaryQuery),
    responses(
        (status = 200, description = "The report, as JSON or (with `Accept: text/csv`) as CSV", content(
            (SummaryReport = "application/json"),
            (String = "text/csv", example = json!("\u{FEFF}key,name,total,triaged,responded_on_time,resolved,resolved_unverified,due,rated,satisfied,rated_three,staff_rated_excluded,overdue_open,reopened,sent_back,returned,urged,extended,merged,found_and_fixed,median_resolution_hours,response_rate,resolution_rate,satisfaction_rate,composite,return_upheld_rate\n1,东坪社区,10,9,8,6,1,8,5,3,1,0,1,1,2,3,2,1,1,1,52.5,0.8888888888888888,0.75,0.78,0.7758888888888889,0.5\n")),
        )),
        (status = 422, description = "Missing or invalid `from`/`to`, `from` not before `to`, unknown `group_by` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        ReportReaders, InvalidQuery,
    )
)]
#[get("/reports/summary")]
pub async fn report_summary(
    caller: Caller,
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let scope = report_scope(&caller)?;
    let range = Range::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        state.config.workflow.time_zone,
    )?;
    let group_by = parse_group_by(query.group_by.as_deref())?;
    let report = state
        .call(move |app| app.summary_report(scope, group_by, range.from, range.to))
        .await?;
    if wants_csv(&req) {
        let name = format!(
            "linli-summary-{}-{}-{}.csv",
            group_by_str(group_by),
            file_date(range.from),
            file_date(range.to)
        );
        return csv_download(&name, &report.rows);
    }
    Ok(HttpResponse::Ok().json(SummaryReport {
        group_by: group_by_str(group_by).to_owned(),
        from: range.from,
        to: range.to,
        generated_at: report.generated_at,
        rows: report.rows,
    }))
}
