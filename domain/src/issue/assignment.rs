//! Handing a case to a handler: where it goes, the checks on the choice, the new handler's clock
//! (fair clocks), and the hand-over to a backstop (小事不出网格).

use super::*;

/// Where a case handed to the handler of `choice` goes: a community-level matter to the
/// deliberation meeting, anything else (and any consultation, suggestion or praise, which only
/// needs a reply) to the handler's answer.
pub(super) fn assigned_status(issue: &Issue, choice: &TriageChoice) -> IssueStatus {
    if choice.level == Level::Community && issue.kind.is_worked() {
        IssueStatus::InDeliberation
    } else {
        IssueStatus::Triaged
    }
}

/// A case taken from its handler goes to another one, by a consistent choice.
pub(super) fn check_reassignment(issue: &Issue, choice: &TriageChoice) -> Result<(), DomainError> {
    check_choice(choice)?;
    if issue.handler.as_ref() == Some(&choice.handler) {
        return Err(DomainError::invalid(
            "handler_id",
            "the case must go to another handler than the one it leaves",
        ));
    }
    Ok(())
}

/// The decision recorded for `choice` at `at`: the new handler's clock starts now.
pub(super) fn assignment(
    issue: &Issue,
    choice: &TriageChoice,
    at: Timestamp,
    config: &WorkflowConfig,
) -> Result<TriageDecision, DomainError> {
    let deadlines = config.assignment_deadlines(choice.urgency, issue.spans, at, None)?;
    Ok(choice.clone().assigned(deadlines))
}

/// The unit that takes the case over from its current handler ([`Handler::backstop`]).
pub(super) fn backstop_handler(issue: &Issue) -> Option<Handler> {
    issue.handler.as_ref()?.backstop(&issue.place)
}

/// The hand-over to the backstop at `at`: the new handler's clock starts then (fair clocks), and
/// is never earlier than the deadlines the case had.
pub(super) fn backstop(issue: &Issue, at: Timestamp, config: &WorkflowConfig) -> Option<Backstop> {
    let handler = backstop_handler(issue)?;
    let fresh = config
        .assignment_deadlines(issue.urgency, issue.spans, at, None)
        .ok()?;
    Some(Backstop {
        handler,
        deadlines: Deadlines {
            response_due: fresh.response_due.max(issue.deadlines.response_due),
            resolution_due: fresh.resolution_due.max(issue.deadlines.resolution_due),
        },
    })
}

/// Hand the case over to its backstop: a new handler, with its own clock.
pub(super) fn hand_over(issue: &mut Issue, backstop: &Backstop) {
    start_clock(
        issue,
        backstop.handler.level(),
        backstop.handler.clone(),
        backstop.deadlines,
    );
}

/// Hand the case to the handler of `decision`.
pub(super) fn assign(issue: &mut Issue, decision: &TriageDecision) {
    issue.urgency = decision.urgency;
    start_clock(
        issue,
        decision.level,
        decision.handler.clone(),
        decision.deadlines,
    );
}

/// A new handler's clock (fair clocks): its own deadlines, nothing answered yet, and the
/// escalation ladder from its first step. The timeline keeps every earlier assignment's clock.
pub(super) fn start_clock(issue: &mut Issue, level: Level, handler: Handler, deadlines: Deadlines) {
    issue.level = Some(level);
    issue.handler = Some(handler);
    issue.deadlines = deadlines;
    issue.responded_at = None;
    // The previous handler's request for more time is not the new handler's.
    issue.pending_extension = None;
    issue.escalation_step = 0;
}

/// A triage choice must be internally consistent.
pub(super) fn check_choice(choice: &TriageChoice) -> Result<(), DomainError> {
    if choice.handler.level() != choice.level {
        return Err(DomainError::invalid(
            "handler_id",
            format!(
                "a {} handler cannot take a {}-level issue",
                choice.handler.level().as_str(),
                choice.level.as_str()
            ),
        ));
    }
    Ok(())
}
