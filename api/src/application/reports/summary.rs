//! The summary report: the three rates (响应率, 解决率, 满意率) and their composite per group.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use linli_domain::{
    issue::IssueKind,
    labels::{Labelled, Lang},
    report::{ReportWeights, composite, ratio, satisfaction_rate},
    triage::Level,
};
use linli_infra::repo::reports::{self, GroupBy, GroupMedian, ReportScope, SummaryCounts};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::application::{AppResult, Application, catalogue::Catalogue, reports::Report};

/// The example row the spec shows, alone and inside the report's example.
pub fn summary_row_example() -> serde_json::Value {
    serde_json::json!({
        "key": "1", "name": "东坪社区", "total": 10, "triaged": 9, "responded_on_time": 8,
        "resolved": 6, "resolved_unverified": 1, "due": 8, "rated": 5, "satisfied": 3,
        "rated_three": 1, "staff_rated_excluded": 0,
        "overdue_open": 1, "reopened": 1, "sent_back": 2, "returned": 3,
        "urged": 2, "extended": 1, "merged": 1, "found_and_fixed": 1,
        "median_resolution_hours": 52.5,
        "response_rate": 0.8888888888888888, "resolution_rate": 0.75,
        "satisfaction_rate": 0.78, "composite": 0.7758888888888889,
        "return_upheld_rate": 0.5
    })
}

/// One group of the summary: counts and the three rates. Rates are `null` when their
/// denominator is 0.
// `Default`: the blank row an empty CSV writes for its header row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = summary_row_example)]
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
    /// Triaged issues whose current handler responded (answer, mediation or deliberation
    /// record) no later than its own response deadline: each handler is judged by the clock
    /// started when the case was assigned to it.
    pub responded_on_time: i64,
    /// Issues closed as resolved: closure `confirmed` (the resident confirmed), closure
    /// `deliberation` (the community's deliberation meeting decided the matter — there is no
    /// resident confirmation for such cases), closure `fixed_on_patrol` (found and fixed on the
    /// spot by a patrol), closure `auto_confirmed` (resolved but
    /// unverified, see `resolved_unverified`), or any closed issue whose 回头看 revisit confirmed
    /// it after its latest close. A revisit that finds the problem recurred reopens the issue.
    pub resolved: i64,
    /// Of `resolved`: closed unrated by the auto-confirmation (resolved, unverified); never in
    /// 满意率, always revisited.
    pub resolved_unverified: i64,
    /// Issues due (denominator of `resolution_rate`): closed, or open past the resolution
    /// deadline at the time of the report.
    pub due: i64,
    /// Issues with a satisfaction rating (their current one) given by the resident who
    /// reported them: only residents' own ratings count in 满意率.
    pub rated: i64,
    /// Ratings of 4 or 5.
    pub satisfied: i64,
    /// Ratings of 3 (each counts 0.9 in `satisfaction_rate`).
    pub rated_three: i64,
    /// Ratings staff gave on cases they filed and confirmed themselves (patrol, hotline,
    /// meeting): marked and left out of `rated` and 满意率.
    pub staff_rated_excluded: i64,
    /// Issues still open and overdue now (no response after the response deadline, or past the
    /// resolution deadline).
    pub overdue_open: i64,
    /// Issues reopened at least once (not resolved at confirmation, or recurred at revisit).
    pub reopened: i64,
    /// Issues the owners' committee sent back at least once.
    pub sent_back: i64,
    /// Returns (退单) of these issues by their handlers, decided or not.
    pub returned: i64,
    /// Times these issues were urged (督办).
    pub urged: i64,
    /// Extensions (延期) of their resolution deadline approved.
    pub extended: i64,
    /// Duplicates merged into another case (closure `merged`): never due, resolved or rated
    /// themselves; their matter is judged on the primary.
    pub merged: i64,
    /// Patrol findings fixed on the spot (立行立改, closure `fixed_on_patrol`): counted in
    /// `resolved`, never rated (the finder does not rate their own fix).
    pub found_and_fixed: i64,
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
    /// 回退率: returns the dispatcher upheld ÷ returns it decided (upheld or not); null when it
    /// decided none. A return not upheld counts against the handler.
    pub return_upheld_rate: Option<f64>,
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Grid => "网格(小事)",
        Level::Property => "物业(大事)",
        Level::Community => "社区议事(难事)",
        Level::Mediation => "调解(矛盾)",
        Level::Department => "职能部门",
        Level::Residents => "居民自治(小事)",
    }
}

const UNTRIAGED: &str = "untriaged";

/// Key, name and sort position of a group.
fn describe(
    catalogue: &Catalogue,
    group_by: GroupBy,
    c: &SummaryCounts,
) -> (String, String, (usize, i64)) {
    match (group_by, c.group_id, c.group_code.as_deref()) {
        (GroupBy::Category, _, Some(code)) => match catalogue.get(code) {
            Some((pos, entry)) => (code.to_owned(), entry.name_zh.as_str().to_owned(), (pos, 0)),
            None => (code.to_owned(), code.to_owned(), (usize::MAX, 0)),
        },
        (GroupBy::Level, _, Some(code)) => match Level::parse(code) {
            Ok(level) => {
                let pos = Level::ALL.iter().position(|x| *x == level).unwrap_or(0);
                (code.to_owned(), level_name(level).to_owned(), (pos, 0))
            }
            Err(_) => (code.to_owned(), code.to_owned(), (usize::MAX - 1, 0)),
        },
        (GroupBy::Kind, _, Some(code)) => match IssueKind::parse(code) {
            Ok(kind) => {
                let pos = IssueKind::ALL.iter().position(|x| *x == kind).unwrap_or(0);
                (code.to_owned(), kind.label(Lang::Zh).to_owned(), (pos, 0))
            }
            Err(_) => (code.to_owned(), code.to_owned(), (usize::MAX, 0)),
        },
        (GroupBy::Level | GroupBy::Category | GroupBy::Kind, _, None) => {
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
    catalogue: &Catalogue,
    w: &ReportWeights,
    group_by: GroupBy,
    counts: Vec<SummaryCounts>,
    medians: Vec<GroupMedian>,
) -> Vec<SummaryRow> {
    let medians: HashMap<(Option<i64>, Option<String>), Option<f64>> = medians
        .into_iter()
        .map(|m| ((m.group_id, m.group_code), m.median_ms))
        .collect();
    let mut rows: Vec<((usize, i64), SummaryRow)> = counts
        .into_iter()
        .map(|c| {
            let (key, name, order) = describe(catalogue, group_by, &c);
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
                resolved_unverified: c.resolved_unverified,
                due: c.due,
                rated: c.rated,
                satisfied: c.satisfied,
                rated_three: c.rated_three,
                staff_rated_excluded: c.staff_rated_excluded,
                overdue_open: c.overdue_open,
                reopened: c.reopened,
                sent_back: c.sent_back,
                returned: c.returned,
                urged: c.urged,
                extended: c.extended,
                merged: c.merged,
                found_and_fixed: c.found_and_fixed,
                median_resolution_hours: median_ms.map(|ms| ms / 3_600_000.0),
                response_rate,
                resolution_rate,
                satisfaction_rate: satisfaction,
                composite: composite(w, response_rate, resolution_rate, satisfaction),
                return_upheld_rate: ratio(
                    c.returns_upheld as f64,
                    c.returns_upheld + c.returns_overruled,
                ),
            };
            (order, row)
        })
        .collect();
    rows.sort_by_key(|(order, _)| *order);
    rows.into_iter().map(|(_, r)| r).collect()
}

impl Application {
    /// One row per group with at least one issue created in `[from, to)` in `scope`, in id /
    /// catalogue order; "due" and "overdue" are judged now.
    pub fn summary_report(
        &self,
        scope: ReportScope,
        group_by: GroupBy,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<Report<SummaryRow>> {
        let (window, generated_at) = self.report_window(from, to);
        let (catalogue, counts, medians) = self.read(|conn| {
            let counts = reports::summary_counts(conn, group_by, scope, window)?;
            let medians = reports::median_resolution(conn, group_by, scope, window)?;
            Ok((Catalogue::load(conn)?, counts, medians))
        })?;
        let rows = build_rows(
            &catalogue,
            &self.config.report_weights,
            group_by,
            counts,
            medians,
        );
        Ok(Report { rows, generated_at })
    }
}
