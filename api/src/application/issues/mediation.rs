//! Mediation (调解): a mediator (和事佬) records whether a dispute was settled.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind},
    values::Note,
};

use super::IssueView;
use crate::application::{AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediationInput {
    /// true: settled (→ awaiting_confirmation); false: failed (→ in_deliberation).
    pub settled: bool,
    pub notes: Note,
}

impl Application {
    /// Record the mediation of issue `id` as `actor` (a mediator of the handling community).
    pub fn record_mediation(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: MediationInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::RecordMediation,
            |_, _| {
                Ok(Command::RecordMediation {
                    settled: input.settled,
                    notes: input.notes,
                })
            },
        )
    }
}
