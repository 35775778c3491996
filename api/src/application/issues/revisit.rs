//! The revisit (街社"回头看"): the community's follow-up look at closed issues, and its queue.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, RevisitOutcome},
    values::Note,
};
use linli_infra::repo::due::{self, RevisitArea};

use super::IssueView;
use crate::application::{AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisitInput {
    /// `confirmed` (still fixed) or `recurred` (reopened).
    pub outcome: RevisitOutcome,
    pub notes: Note,
}

impl Application {
    /// Record the revisit of issue `id` as `actor` (an official of its community).
    pub fn revisit(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: RevisitInput,
    ) -> AppResult<IssueView> {
        self.run_command(actor, id, expected_version, CommandKind::Revisit, |_, _| {
            Ok(Command::Revisit {
                outcome: input.outcome,
                notes: input.notes,
            })
        })
    }

    /// The 回头看 queue of a community or street, oldest issue first: at most `fetch` issues
    /// after the id `after`, as `actor` (an official of it) sees them.
    pub fn due_revisits(
        &self,
        actor: &Actor,
        area: RevisitArea,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<IssueView>> {
        let at = self.now();
        self.read(|conn| {
            let rows = due::queued_revisits(conn, area, after, fetch)?;
            IssueView::present_rows(&self.org_names, conn, actor, &rows, at)
        })
    }
}
