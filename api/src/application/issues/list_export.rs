//! The followed list as a file (GET /issues.csv): every issue of a filtered list the caller may
//! see, one record each, newest first — the problem list (问题清单) a patrol team prints.

use linli_domain::auth::Actor;
use linli_infra::{
    repo::issues::{self, IssueListFilter, Visibility},
    time::to_millis,
};
use serde::Serialize;

use super::IssueView;
use crate::application::{AppError, AppResult, Application, reports::export::rfc3339};

/// Most issues one export holds; narrow the filters for more.
pub const MAX_LIST_EXPORT_ROWS: usize = 5000;
/// Issues read per query while exporting.
const EXPORT_PAGE: i64 = 500;

/// One CSV record. Times are RFC 3339 UTC; empty when not (yet) reached.
/// (`Default`: the blank record an empty export writes for its header row.)
#[derive(Debug, Default, Serialize)]
pub struct ListRecord {
    id: i64,
    created_at: String,
    source: String,
    category: String,
    category_name: String,
    description: String,
    compound: String,
    building: String,
    grid: String,
    location_text: String,
    status: String,
    level: String,
    handler_kind: String,
    handler: String,
    urgency: String,
    response_due: String,
    resolution_due: String,
    overdue: bool,
    closed_at: String,
    closure: String,
    satisfaction: Option<i64>,
}

impl ListRecord {
    fn of(view: &IssueView) -> Self {
        let issue = &view.issue;
        let names = &view.names;
        Self {
            id: issue.id.0,
            created_at: rfc3339(issue.created_at),
            source: issue.source.as_str().to_owned(),
            category: issue.category.as_str().to_owned(),
            category_name: names.category.clone(),
            description: issue.description.clone(),
            compound: names.compound.clone(),
            building: names.building.clone().unwrap_or_default(),
            grid: names.grid.clone().unwrap_or_default(),
            location_text: issue.location_text.clone().unwrap_or_default(),
            status: issue.status.as_str().to_owned(),
            level: issue
                .level
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            handler_kind: issue
                .handler
                .as_ref()
                .map(|h| h.kind().as_str().to_owned())
                .unwrap_or_default(),
            handler: names.handler.clone().unwrap_or_default(),
            urgency: issue.urgency.as_str().to_owned(),
            response_due: rfc3339(issue.deadlines.response_due),
            resolution_due: rfc3339(issue.deadlines.resolution_due),
            overdue: issue.is_overdue(view.at),
            closed_at: issue.closed_at.map(rfc3339).unwrap_or_default(),
            closure: issue
                .closure
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            satisfaction: issue.satisfaction.map(|s| i64::from(s.value())),
        }
    }
}

impl Application {
    /// Every issue `actor` may see that passes `filter` (its paging is ignored), newest first,
    /// as CSV records; 422 when more than [`MAX_LIST_EXPORT_ROWS`] match.
    pub fn export_issue_list(
        &self,
        actor: &Actor,
        mut filter: IssueListFilter,
    ) -> AppResult<Vec<ListRecord>> {
        let at = self.now();
        filter.now = to_millis(at);
        filter.limit = EXPORT_PAGE;
        filter.before_id = None;
        let visibility = Visibility::of(actor);
        self.read(|conn| {
            let mut records = Vec::new();
            loop {
                let rows = issues::list_visible(conn, visibility, &filter)?;
                let full_page = usize::try_from(EXPORT_PAGE).ok() == Some(rows.len());
                filter.before_id = rows.last().map(|r| r.id);
                let views = IssueView::present_rows(&self.org_names, conn, actor, &rows, at)?;
                records.extend(views.iter().map(ListRecord::of));
                if records.len() > MAX_LIST_EXPORT_ROWS {
                    return Err(AppError::validation(
                        "filters",
                        format!(
                            "more than {MAX_LIST_EXPORT_ROWS} issues match; narrow the filters"
                        ),
                    ));
                }
                if !full_page {
                    return Ok(records);
                }
            }
        })
    }
}
