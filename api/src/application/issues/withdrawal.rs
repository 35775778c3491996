//! Withdrawal: the reporter takes back an issue before it is triaged.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
};

use super::IssueView;
use crate::application::{AppResult, Application};

impl Application {
    /// Withdraw issue `id` as `actor` (its reporter).
    pub fn withdraw(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::Withdraw,
            |_, _| Ok(Command::Withdraw),
        )
    }
}
