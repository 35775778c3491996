//! The answer (部门解答): the handler accepts the issue, or declines it back to the dispatcher.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
    values::Note,
};

use super::IssueView;
use crate::application::{AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    /// The reply the resident reads.
    pub message: Note,
    /// true: take it on; false: decline with `reason`.
    pub accept: bool,
    pub reason: Option<Note>,
}

impl AnswerInput {
    pub fn command(self) -> Command {
        Command::Answer {
            message: self.message,
            accept: self.accept,
            reason: self.reason,
        }
    }
}

impl Application {
    /// Answer issue `id` as `actor` (its current handler).
    pub fn answer(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: AnswerInput,
    ) -> AppResult<IssueView> {
        self.run_command(actor, id, expected_version, CommandKind::Answer, |_, _| {
            Ok(input.command())
        })
    }
}
