//! GET /reports/summary: the three rates (响应率, 解决率, 满意率) and their composite per
//! community, compound, property company, category or level.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    category::Category,
    report::{composite, ratio, satisfaction_rate},
    triage::Level,
};
use linli_infra::{
    repo::reports::{self, GroupBy, GroupMedian, SummaryCounts, Window},
    time::to_millis,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    reports::{
        csv_bytes, csv_response, file_date,
        params::{Range, group_by_str, parse_group_by, report_scope, wants_csv},
    },
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
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Start of the window (inclusive) on the issues' creation time: RFC 3339, or a date
    /// `YYYY-MM-DD` meaning 00:00 UTC.
    #[param(required = true, example = "2026-07-01")]
    pub from: Option<String>,
    /// End of the window (exclusive), same formats; must be after `from`.
    #[param(required = true, example = "2026-10-01")]
    pub to: Option<String>,
    /// Grouping; default `community`.
    #[param(value_type = Option<SummaryGroupBy>, inline)]
    pub group_by: Option<String>,
}

/// One group of the summary: counts and the three rates. Rates are `null` when their
/// denominator is 0.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "key": "1", "name": "东坪社区", "total": 10, "triaged": 9, "responded_on_time": 8,
    "resolved": 6, "due": 8, "rated": 5, "satisfied": 3, "rated_three": 1,
    "overdue_open": 1, "reopened": 1, "sent_back": 2, "median_resolution_hours": 52.5,
    "response_rate": 0.8888888888888888, "resolution_rate": 0.75,
    "satisfaction_rate": 0.78, "composite": 0.7758888888888889
}))]
pub struct SummaryRow {
    /// The group: an id (as a string) for community, compound and property_company; the code
    /// for category (`water_leak`) and level (`property`; `untriaged` for issues not triaged).
    pub key: String,
    /// The group's Chinese name (organisation name, catalogue name, or level name).
    pub name: String,
    /// Issues created in the window.
    pub total: i64,
    /// Issues triaged (denominator of `response_rate`).
    pub triaged: i64,
    /// Triaged issues whose first response (answer, mediation or deliberation record) came no
    /// later than the response deadline.
    pub responded_on_time: i64,
    /// Issues closed as resolved: closure `confirmed` (the resident confirmed), closure
    /// `deliberation` (the community's deliberation meeting decided the matter — there is no
    /// resident confirmation for such cases), or any closed issue whose 回头看 revisit confirmed
    /// it after its latest close. An `auto_confirmed` closure alone is *not* resolved.
    pub resolved: i64,
    /// Issues due (denominator of `resolution_rate`): closed, or open past the resolution
    /// deadline at the time of the report.
    pub due: i64,
    /// Issues with a satisfaction rating (their current one).
    pub rated: i64,
    /// Ratings of 4 or 5.
    pub satisfied: i64,
    /// Ratings of 3 (each counts 0.9 in `satisfaction_rate`).
    pub rated_three: i64,
    /// Issues still open and overdue now (no response after the response deadline, or past the
    /// resolution deadline).
    pub overdue_open: i64,
    /// Issues reopened at least once (not resolved at confirmation, or recurred at revisit).
    pub reopened: i64,
    /// Issues the owners' committee sent back at least once.
    pub sent_back: i64,
    /// Median hours from creation to the (latest) close over the closed issues; null when none.
    pub median_resolution_hours: Option<f64>,
    /// 响应率 = responded_on_time ÷ triaged.
    pub response_rate: Option<f64>,
    /// 解决率 = resolved ÷ due.
    pub resolution_rate: Option<f64>,
    /// 满意率 = (satisfied + 0.9 × rated_three) ÷ rated.
    pub satisfaction_rate: Option<f64>,
    /// 0.1 × response_rate + 0.5 × resolution_rate + 0.4 × satisfaction_rate (configurable
    /// weights); null when any of the three is null.
    pub composite: Option<f64>,
}

/// The summary report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "group_by": "community",
    "from": "2026-07-01T00:00:00Z",
    "to": "2026-10-01T00:00:00Z",
    "generated_at": "2026-10-08T09:00:00Z",
    "rows": [{
        "key": "1", "name": "东坪社区", "total": 10, "triaged": 9, "responded_on_time": 8,
        "resolved": 6, "due": 8, "rated": 5, "satisfied": 3, "rated_three": 1,
        "overdue_open": 1, "reopened": 1, "sent_back": 2, "median_resolution_hours": 52.5,
        "response_rate": 0.8888888888888888, "resolution_rate": 0.75,
        "satisfaction_rate": 0.78, "composite": 0.7758888888888889
    }]
}))]
pub struct SummaryReport {
    /// community, compound, property_company, category or level.
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

const CSV_HEADER: [&str; 18] = [
    "key",
    "name",
    "total",
    "triaged",
    "responded_on_time",
    "resolved",
    "due",
    "rated",
    "satisfied",
    "rated_three",
    "overdue_open",
    "reopened",
    "sent_back",
    "median_resolution_hours",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "composite",
];

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Grid => "网格(小事)",
        Level::Property => "物业(大事)",
        Level::Community => "社区议事(难事)",
        Level::Mediation => "调解(矛盾)",
        Level::Department => "职能部门",
    }
}

const UNTRIAGED: &str = "untriaged";

/// Key, name and sort position of a group.
fn describe(group_by: GroupBy, c: &SummaryCounts) -> (String, String, (usize, i64)) {
    match (group_by, c.group_id, c.group_code.as_deref()) {
        (GroupBy::Category, _, Some(code)) => match Category::parse(code) {
            Ok(cat) => {
                let pos = Category::ALL.iter().position(|x| *x == cat).unwrap_or(0);
                (code.to_owned(), cat.info().name_zh.to_owned(), (pos, 0))
            }
            Err(_) => (code.to_owned(), code.to_owned(), (usize::MAX, 0)),
        },
        (GroupBy::Level, _, Some(code)) => match Level::parse(code) {
            Ok(level) => {
                let pos = Level::ALL.iter().position(|x| *x == level).unwrap_or(0);
                (code.to_owned(), level_name(level).to_owned(), (pos, 0))
            }
            Err(_) => (code.to_owned(), code.to_owned(), (usize::MAX - 1, 0)),
        },
        (GroupBy::Level | GroupBy::Category, _, None) => {
            (UNTRIAGED.to_owned(), "未分流".to_owned(), (usize::MAX, 0))
        }
        (_, Some(id), _) => (
            id.to_string(),
            c.group_name.clone().unwrap_or_default(),
            (0, id),
        ),
        (_, None, _) => (String::new(), String::new(), (usize::MAX, 0)),
    }
}

fn build_rows(
    state: &AppState,
    group_by: GroupBy,
    counts: Vec<SummaryCounts>,
    medians: Vec<GroupMedian>,
) -> Vec<SummaryRow> {
    let w = state.config.report_weights;
    let medians: HashMap<(Option<i64>, Option<String>), Option<f64>> = medians
        .into_iter()
        .map(|m| ((m.group_id, m.group_code), m.median_ms))
        .collect();
    let mut rows: Vec<((usize, i64), SummaryRow)> = counts
        .into_iter()
        .map(|c| {
            let (key, name, order) = describe(group_by, &c);
            let median_ms = medians
                .get(&(c.group_id, c.group_code.clone()))
                .copied()
                .flatten();
            let response_rate = ratio(c.responded_on_time as f64, c.triaged);
            let resolution_rate = ratio(c.resolved as f64, c.due);
            let satisfaction = satisfaction_rate(c.satisfied, c.rated_three, c.rated);
            let row = SummaryRow {
                key,
                name,
                total: c.total,
                triaged: c.triaged,
                responded_on_time: c.responded_on_time,
                resolved: c.resolved,
                due: c.due,
                rated: c.rated,
                satisfied: c.satisfied,
                rated_three: c.rated_three,
                overdue_open: c.overdue_open,
                reopened: c.reopened,
                sent_back: c.sent_back,
                median_resolution_hours: median_ms.map(|ms| ms / 3_600_000.0),
                response_rate,
                resolution_rate,
                satisfaction_rate: satisfaction,
                composite: composite(&w, response_rate, resolution_rate, satisfaction),
            };
            (order, row)
        })
        .collect();
    rows.sort_by_key(|(order, _)| *order);
    rows.into_iter().map(|(_, r)| r).collect()
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
///   *Due* = closed, or open past the resolution deadline at report time;
/// - 满意率 `satisfaction_rate` = (ratings 4–5 + 0.9 × ratings of 3) ÷ rated issues;
/// - `composite` = 0.1 × response + 0.5 × resolution + 0.4 × satisfaction.
///
/// A rate is `null` when its denominator is 0; `composite` is `null` when a rate is.
/// With `Accept: text/csv` the same rows come as CSV (UTF-8 with BOM, header row = the JSON
/// field names of a row; empty cell for null).
#[utoipa::path(
    tag = "reports",
    operation_id = "report_summary",
    security(("bearer" = [])),
    // Content negotiation is expressed by the two content types of the 200 response (OpenAPI
    // ignores an `Accept` header parameter).
    params(SummaryQuery),
    responses(
        (status = 200, description = "The report, as JSON or (with `Accept: text/csv`) as CSV", content(
            (SummaryReport = "application/json"),
            (String = "text/csv", example = json!("\u{FEFF}key,name,total,triaged,responded_on_time,resolved,due,rated,satisfied,rated_three,overdue_open,reopened,sent_back,median_resolution_hours,response_rate,resolution_rate,satisfaction_rate,composite\n1,东坪社区,10,9,8,6,8,5,3,1,1,1,2,52.5,0.8888888888888888,0.75,0.78,0.7758888888888889\n")),
        )),
        (status = 400, description = "Unknown query parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor, community official or dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid `from`/`to`, `from` not before `to`, unknown `group_by` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
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
    let range = Range::parse(query.from.as_deref(), query.to.as_deref())?;
    let group_by = parse_group_by(query.group_by.as_deref())?;
    let now = state.now();
    let window = Window {
        from: to_millis(range.from),
        to: to_millis(range.to),
        now: to_millis(now),
    };
    let (counts, medians) = state
        .run(move |conn| {
            let counts = reports::summary_counts(conn, group_by, scope, window)?;
            let medians = reports::median_resolution(conn, group_by, scope, window)?;
            Ok((counts, medians))
        })
        .await?;
    let rows = build_rows(&state, group_by, counts, medians);
    if wants_csv(&req) {
        let name = format!(
            "linli-summary-{}-{}-{}.csv",
            group_by_str(group_by),
            file_date(range.from),
            file_date(range.to)
        );
        return Ok(csv_response(&name, &CSV_HEADER, csv_bytes(&rows)?));
    }
    Ok(HttpResponse::Ok().json(SummaryReport {
        group_by: group_by_str(group_by).to_owned(),
        from: range.from,
        to: range.to,
        generated_at: now,
        rows,
    }))
}
