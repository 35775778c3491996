//! 退单 with adjudication: the handler returns a case to the dispatcher with a reason; the
//! dispatcher upholds it (another handler takes it) or not (back to the same handler, and the
//! return counts against it).

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, ReturnReason},
    triage::Level,
    values::Note,
};

use super::{
    IssueView,
    triage::{HandlerChoice, TriageInput, triage_choice},
};
use crate::application::{AppError, AppResult, Application};

/// The handler's return, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnInput {
    pub reason: ReturnReason,
    pub note: Note,
}

/// The dispatcher's decision on a return, parsed. `level` and `handler` name the new handler
/// when upheld (as at triage; the note is the reason of the new assignment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDecisionInput {
    pub upheld: bool,
    pub note: Note,
    pub level: Option<Level>,
    pub handler: Option<HandlerChoice>,
}

impl Application {
    /// Return issue `id` to the dispatcher as `actor` (its current handler).
    pub fn return_issue(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: ReturnInput,
    ) -> AppResult<IssueView> {
        self.run_command(actor, id, expected_version, CommandKind::Return, |_, _| {
            Ok(Command::Return {
                reason: input.reason,
                note: input.note,
            })
        })
    }

    /// Decide the return of issue `id` as `actor` (a dispatcher of its street).
    pub fn decide_return(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: ReturnDecisionInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::DecideReturn,
            |issue, conn| {
                let reassign_to = if input.upheld {
                    let to = TriageInput {
                        level: input.level,
                        handler: input.handler,
                        urgency: None,
                        reason: Some(input.note.clone()),
                    };
                    Some(triage_choice(conn, issue, to)?)
                } else if input.level.is_some() || input.handler.is_some() {
                    return Err(AppError::validation(
                        "handler_id",
                        "a return not upheld goes back to the same handler; name no other",
                    ));
                } else {
                    None
                };
                Ok(Command::DecideReturn {
                    upheld: input.upheld,
                    note: input.note,
                    reassign_to,
                })
            },
        )
    }
}
