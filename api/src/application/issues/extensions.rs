//! 延期 (extensions): the handler asks for a later resolution deadline; a dispatcher of the street
//! approves (the deadline moves, the resident is told the new date) or refuses. The request row
//! and the issue's event are written in one transaction.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Actor,
    ids::{ExtensionRequestId, IssueId},
    issue::{Command, CommandKind, ExtensionStatus},
    values::Note,
};
use linli_infra::{
    repo::extensions::{self, ExtensionRequestRow},
    time::to_millis,
};

use super::{IssueView, load_visible};
use crate::application::{AppError, AppResult, Application, ProblemCode};

/// The handler's request, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInput {
    pub new_resolution_due: DateTime<Utc>,
    pub reason: Note,
}

/// The dispatcher's decision, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionDecisionInput {
    pub approved: bool,
    pub note: Note,
}

impl Application {
    /// Ask for a later resolution deadline on issue `id` as `actor` (its current handler): the
    /// request as stored, and the issue after it.
    pub fn request_extension(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: ExtensionInput,
    ) -> AppResult<(ExtensionRequestRow, IssueView)> {
        let (due, reason) = (input.new_resolution_due, input.reason.clone());
        let now = to_millis(self.now());
        let (view, row) = self.run_command_then(
            actor,
            id,
            expected_version,
            CommandKind::RequestExtension,
            |_, _| {
                Ok(Command::RequestExtension {
                    new_resolution_due: input.new_resolution_due,
                    reason: input.reason,
                })
            },
            |conn, _| {
                Ok(extensions::insert(
                    conn,
                    id,
                    actor.user_id,
                    now,
                    to_millis(due),
                    reason.as_str(),
                )?)
            },
        )?;
        Ok((row, view))
    }

    /// Approve or refuse request `request` of issue `id` as `actor` (a dispatcher of its
    /// street). Another issue's request is not found; a decided one is `already_decided`.
    pub fn decide_extension(
        &self,
        actor: &Actor,
        id: IssueId,
        request: ExtensionRequestId,
        expected_version: Option<i64>,
        input: ExtensionDecisionInput,
    ) -> AppResult<IssueView> {
        let now = to_millis(self.now());
        let note = input.note.clone();
        let status = ExtensionStatus::decided(input.approved);
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::DecideExtension,
            |_, conn| {
                let row = extensions::find(conn, id, request)?;
                if row.status()? != ExtensionStatus::Pending {
                    return Err(AppError::conflict(
                        ProblemCode::AlreadyDecided,
                        format!("extension request {request} was already {}", row.status),
                    ));
                }
                // The row's decision first, in the same transaction as the step: the step then
                // finds no request left pending to lapse, and a refused step rolls both back.
                extensions::decide(conn, id, request, status, actor.user_id, now, note.as_str())?;
                Ok(Command::DecideExtension {
                    request_id: request,
                    approved: input.approved,
                    note: input.note,
                })
            },
        )
    }

    /// The extension requests of issue `id`, oldest first, for whoever may see the issue: at
    /// most `fetch` after the id `after`.
    pub fn extension_requests(
        &self,
        actor: &Actor,
        id: IssueId,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<ExtensionRequestRow>> {
        self.read(|conn| {
            load_visible(conn, actor, id)?;
            Ok(extensions::for_issue(conn, id, after, fetch)?)
        })
    }
}
