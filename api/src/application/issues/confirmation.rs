//! Confirmation and rating (评价): the reporter's verdict.

use linli_domain::{
    auth::Actor,
    evaluation::{DissatisfactionReason, asks_for_reasons},
    ids::IssueId,
    issue::{Command, CommandKind},
    values::{Note, Satisfaction},
};

use linli_infra::repo::reports;

use super::IssueView;
use crate::application::{AppError, AppResult, Application};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationInput {
    /// true: resolved (→ closed); false: not resolved (reopened).
    pub resolved: bool,
    /// Required when resolved (the domain says so).
    pub satisfaction: Option<Satisfaction>,
    pub comment: Option<Note>,
    /// Why the resident is dissatisfied: only with a rating of 1–2 or "not resolved".
    pub reasons: Vec<DissatisfactionReason>,
}

/// The reasons, checked: each once, and only when the verdict asks for them.
fn checked_reasons(input: &ConfirmationInput) -> AppResult<Vec<DissatisfactionReason>> {
    let reasons = &input.reasons;
    if reasons.is_empty() {
        return Ok(Vec::new());
    }
    if !asks_for_reasons(input.resolved, input.satisfaction.map(|s| s.value())) {
        return Err(AppError::validation(
            "reasons",
            "reasons go with a rating of 1 or 2, or with \"not resolved\"",
        ));
    }
    if reasons
        .iter()
        .enumerate()
        .any(|(i, r)| reasons[..i].contains(r))
    {
        return Err(AppError::validation("reasons", "each reason at most once"));
    }
    Ok(reasons.clone())
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
        let reasons = checked_reasons(&input)?;
        self.run_command_then(
            actor,
            id,
            expected_version,
            CommandKind::Confirm,
            |_, _| {
                Ok(Command::Confirm {
                    resolved: input.resolved,
                    satisfaction: input.satisfaction,
                    comment: input.comment,
                })
            },
            |conn, applied| {
                let codes: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
                reports::record_reasons(conn, applied.event_id.0, id.0, &codes)?;
                Ok(())
            },
        )
        .map(|(view, ())| view)
    }
}
