//! Confirmation and rating (评价): the reporter's verdict.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
    values::{Note, Satisfaction},
};

use super::IssueView;
use crate::application::{AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationInput {
    /// true: resolved (→ closed); false: not resolved (reopened).
    pub resolved: bool,
    /// Required when resolved (the domain says so).
    pub satisfaction: Option<Satisfaction>,
    pub comment: Option<Note>,
}

impl Application {
    /// Confirm issue `id` as `actor` (its reporter).
    pub fn confirm(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: ConfirmationInput,
    ) -> AppResult<IssueView> {
        self.run_command(actor, id, expected_version, CommandKind::Confirm, |_, _| {
            Ok(Command::Confirm {
                resolved: input.resolved,
                satisfaction: input.satisfaction,
                comment: input.comment,
            })
        })
    }
}
