//! Supervision (业委会督查): the owners' committee passes the rectification or sends it back.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
    values::Note,
};

use super::IssueView;
use crate::application::{AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionInput {
    pub passed: bool,
    /// What the committee found (督查意见).
    pub notes: Note,
}

impl Application {
    /// Supervise issue `id` as `actor` (a committee member of its compound).
    pub fn supervise(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: SupervisionInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::Supervise,
            |_, _| {
                Ok(Command::Supervise {
                    passed: input.passed,
                    notes: input.notes,
                })
            },
        )
    }
}
