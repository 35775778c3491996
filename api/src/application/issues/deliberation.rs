//! Deliberation (议事/协商): the community records a meeting that decides a hard matter.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, DeliberationMinutes, DeliberationOutcome, Issue},
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

/// What a deliberation decides for `issue`: `Some(level)` hands it to the default handler of
/// that level at its place, with the meeting's own resolution deadline if it set one; `None`
/// closes it.
pub(crate) fn outcome_for(
    issue: &Issue,
    assign: Option<Level>,
    resolution_due: Option<DateTime<Utc>>,
) -> AppResult<DeliberationOutcome> {
    Ok(match assign {
        None if resolution_due.is_some() => {
            return Err(AppError::validation(
                "resolution_due",
                "a deadline is set only for work the meeting hands over",
            ));
        }
        None => DeliberationOutcome::Close,
        Some(level) => DeliberationOutcome::Assign {
            handler: Handler::default_for(level, &issue.place).ok_or_else(|| {
                AppError::validation(
                    "outcome",
                    "the issue has no building and so no grid; assign it elsewhere",
                )
            })?,
            resolution_due,
        },
    })
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
                Ok(Command::RecordDeliberation(DeliberationMinutes {
                    held_at: input.held_at,
                    venue: input.venue,
                    attendees: input.attendees,
                    decision: input.decision,
                    outcome: outcome_for(issue, input.assign, input.resolution_due)?,
                    meeting_id: None,
                }))
            },
        )
    }
}
