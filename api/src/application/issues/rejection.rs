//! Rejection before triage: a duplicate, out of scope, or invalid.

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, Rejection},
    values::Note,
};
use linli_infra::repo::issues;

use super::{IssueView, named};
use crate::application::{AppResult, Application};

/// On what ground the dispatcher rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectGround {
    /// It repeats this existing issue.
    Duplicate(IssueId),
    OutOfScope,
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectInput {
    pub ground: RejectGround,
    /// Why; shown to the resident.
    pub note: Note,
}

impl Application {
    /// Reject issue `id` as `actor` (a dispatcher of its street).
    pub fn reject(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: RejectInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::Reject,
            |_, conn| {
                let RejectInput { ground, note } = input;
                let rejection = match ground {
                    RejectGround::Duplicate(duplicate_of) => {
                        named(
                            issues::find_row(conn, duplicate_of),
                            "duplicate_of",
                            "issue",
                        )?;
                        Rejection::Duplicate { duplicate_of, note }
                    }
                    RejectGround::OutOfScope => Rejection::OutOfScope { note },
                    RejectGround::Invalid => Rejection::Invalid { note },
                };
                Ok(Command::Reject(rejection))
            },
        )
    }
}
