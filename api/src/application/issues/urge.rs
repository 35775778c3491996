//! 督办 (urging): a dispatcher, a street or community official or the district office presses
//! the handler of a case being worked on; the handler is told, and the urgings are counted.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
    values::Note,
};

use super::IssueView;
use crate::application::{AppResult, Application};

impl Application {
    /// Urge issue `id` as `actor` with `note` (what the handler reads).
    pub fn urge(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        note: Note,
    ) -> AppResult<IssueView> {
        self.run_command(actor, id, expected_version, CommandKind::Urge, |_, _| {
            Ok(Command::Urge { note })
        })
    }
}
