//! 改派 (reassignment): the dispatcher hands a triaged or in-progress case to another handler.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
};

use super::{
    IssueView,
    triage::{TriageInput, triage_choice},
};
use crate::application::{AppResult, Application};

impl Application {
    /// Reassign issue `id` as `actor` (a dispatcher of its street): the new handler is chosen as
    /// at triage (`input`; its `reason` is required); the old handler is told and, no longer
    /// handling it, no longer sees it.
    pub fn reassign(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: TriageInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::Reassign,
            |issue, conn| triage_choice(conn, issue, input).map(Command::Reassign),
        )
    }
}
