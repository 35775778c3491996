//! Deliberation (议事/协商): the community records a meeting that decides a hard matter.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, DeliberationMinutes, DeliberationOutcome},
    triage::{Handler, Level},
    values::{DisplayName, Note, OrgName},
};

use super::IssueView;
use crate::application::{AppError, AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliberationInput {
    pub held_at: DateTime<Utc>,
    pub venue: OrgName,
    /// At least one.
    pub attendees: Vec<DisplayName>,
    pub decision: Note,
    /// `Some(level)`: hand it to the default handler of that level; `None`: close it.
    pub assign: Option<Level>,
    /// The meeting's own deadline for the work it hands over (with `assign` only); otherwise
    /// the handler's clock runs the urgency's spans from the recording.
    pub resolution_due: Option<DateTime<Utc>>,
}

impl Application {
    /// Record a deliberation of issue `id` as `actor` (an official of its community).
    pub fn record_deliberation(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: DeliberationInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::RecordDeliberation,
            |issue, _| {
                let outcome = match input.assign {
                    None if input.resolution_due.is_some() => {
                        return Err(AppError::validation(
                            "resolution_due",
                            "a deadline is set only for work the meeting hands over",
                        ));
                    }
                    None => DeliberationOutcome::Close,
                    Some(level) => DeliberationOutcome::Assign {
                        resolution_due: input.resolution_due,
                        handler: Handler::default_for(level, &issue.place).ok_or_else(|| {
                            AppError::validation(
                                "outcome",
                                "the issue has no building and so no grid; assign it elsewhere",
                            )
                        })?,
                    },
                };
                Ok(Command::RecordDeliberation(DeliberationMinutes {
                    held_at: input.held_at,
                    venue: input.venue,
                    attendees: input.attendees,
                    decision: input.decision,
                    outcome,
                }))
            },
        )
    }
}
