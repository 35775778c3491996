//! The raw issue export: one CSV record per issue, the material an auditor re-computes the
//! rates from.

use chrono::{DateTime, SecondsFormat, Utc};
use linli_infra::{
    repo::reports::{self, IssueExportRow, ReportScope},
    time::from_millis,
};
use serde::Serialize;

use crate::application::{AppResult, Application, catalogue::Catalogue};

/// One CSV record. Times are RFC 3339 UTC with milliseconds; empty when not (yet) reached.
/// (`Default`: the blank record an empty export writes for its header row.)
#[derive(Debug, Default, Serialize)]
pub struct ExportRecord {
    id: i64,
    created_at: String,
    triaged_at: String,
    responded_at: String,
    rectified_at: String,
    supervised_at: String,
    closed_at: String,
    revisited_at: String,
    response_due: String,
    resolution_due: String,
    urgency: String,
    level: String,
    category: String,
    category_name: String,
    handler_kind: String,
    property_company_id: i64,
    property_company: String,
    community_id: i64,
    community: String,
    compound_id: i64,
    compound: String,
    status: String,
    closure: String,
    satisfaction: Option<i64>,
    reopen_count: i64,
    sent_back_count: i64,
}

/// A time as RFC 3339 in UTC with milliseconds (`2026-07-01T08:30:00.000Z`).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn time(ms: i64) -> String {
    from_millis(ms).map(rfc3339).unwrap_or_default()
}

fn opt_time(ms: Option<i64>) -> String {
    ms.map(time).unwrap_or_default()
}

impl ExportRecord {
    /// A record of `r`, its category named from `catalogue`.
    fn of(r: IssueExportRow, catalogue: &Catalogue) -> Self {
        let category_name = catalogue.name_zh(&r.category);
        Self {
            id: r.id,
            created_at: time(r.created_at),
            triaged_at: opt_time(r.triaged_at),
            responded_at: opt_time(r.responded_at),
            rectified_at: opt_time(r.rectified_at),
            supervised_at: opt_time(r.supervised_at),
            closed_at: opt_time(r.closed_at),
            revisited_at: opt_time(r.revisited_at),
            response_due: time(r.response_due),
            resolution_due: time(r.resolution_due),
            urgency: r.urgency,
            level: r.level.unwrap_or_default(),
            category: r.category,
            category_name,
            handler_kind: r.handler_kind.unwrap_or_default(),
            property_company_id: r.property_company_id,
            property_company: r.property_company,
            community_id: r.community_id,
            community: r.community,
            compound_id: r.compound_id,
            compound: r.compound,
            status: r.status,
            closure: r.closure.unwrap_or_default(),
            satisfaction: r.satisfaction,
            reopen_count: r.reopen_count,
            sent_back_count: r.sent_back_count,
        }
    }
}

impl Application {
    /// Every issue created in `[from, to)` within `scope`, by id, as CSV records.
    pub fn export_issues(
        &self,
        scope: ReportScope,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<Vec<ExportRecord>> {
        let (window, _) = self.report_window(from, to);
        let (rows, catalogue) = self.read(|conn| {
            Ok((
                reports::issue_export(conn, scope, window)?,
                Catalogue::load(conn)?,
            ))
        })?;
        Ok(rows
            .into_iter()
            .map(|r| ExportRecord::of(r, &catalogue))
            .collect())
    }
}
