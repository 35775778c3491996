//! What falls due on an issue as time passes: overdue deadlines, the escalation ladder,
//! auto-confirmation and the 回头看 revisit (the scheduler's and the reports' rules).

use super::*;
use crate::revisit;

/// The deadline the issue has missed first at `now`, if any.
fn missed_deadline(issue: &Issue, now: Timestamp) -> Option<Timestamp> {
    if !issue.status.is_on_the_clock() {
        return None;
    }
    let Deadlines {
        response_due,
        resolution_due,
    } = issue.deadlines;
    if issue.responded_at.is_none() && now > response_due {
        Some(response_due)
    } else if now > resolution_due {
        Some(resolution_due)
    } else {
        None
    }
}

pub(super) fn is_overdue(issue: &Issue, now: Timestamp) -> bool {
    missed_deadline(issue, now).is_some()
}

pub(super) fn escalation_due(issue: &Issue, now: Timestamp, config: &WorkflowConfig) -> Option<u8> {
    let missed = missed_deadline(issue, now)?;
    match issue.escalation_step {
        0 => Some(1),
        1 if now >= missed + config.second_escalation_after => Some(2),
        _ => None,
    }
}

/// Building leaders let the response deadline pass: the backstop (the grid) takes it.
pub(super) fn backstop_due(issue: &Issue, now: Timestamp) -> bool {
    issue.status == IssueStatus::Triaged
        && issue.responded_at.is_none()
        && now > issue.deadlines.response_due
        && super::assignment::backstop_handler(issue).is_some()
}

pub(super) fn auto_confirm_due(issue: &Issue, now: Timestamp, config: &WorkflowConfig) -> bool {
    issue.status == IssueStatus::AwaitingConfirmation
        && now >= issue.status_since + config.auto_confirm_after
}

pub(super) fn revisit_due(issue: &Issue, now: Timestamp, config: &WorkflowConfig) -> bool {
    let Some(closed_at) = issue.closed_at else {
        return false;
    };
    if issue.status != IssueStatus::Closed
        || !issue.closure.is_some_and(Closure::is_revisitable)
        || issue.revisit_queued
        || issue.revisited_at.is_some()
        || now < closed_at + config.revisit_after
    {
        return false;
    }
    revisit::selected(
        issue.id,
        issue.satisfaction,
        issue.urgency,
        issue.closure,
        config.revisit_sample_percent,
    )
}
