//! Merging duplicates (合并重复诉求): a dispatcher closes a case as `merged` into its primary, an
//! open case of the same compound; the duplicate's reporter and supporters follow the primary
//! from then on (told of its changes, finding it among their own, counted in its "me too"s).

use linli_domain::{
    auth::Actor,
    ids::IssueId,
    issue::{Command, CommandKind, Issue},
};
use linli_infra::{
    DbConn,
    repo::{followers, issues},
    time::to_millis,
};

use super::{IssueView, load_visible};
use crate::application::{AppError, AppResult, Application, ProblemCode};

/// Why `duplicate` cannot be merged into `primary` (which the caller may see), if it cannot.
fn check_merge(conn: &mut DbConn, duplicate: &Issue, primary: &Issue) -> AppResult<()> {
    if let Some(further) = primary.merged_into {
        return Err(AppError::conflict(
            ProblemCode::MergeChain,
            format!(
                "issue {} was itself merged into issue {further}; merge into that one",
                primary.id
            ),
        ));
    }
    if !primary.status.is_open() {
        return Err(AppError::conflict(
            ProblemCode::MergeTargetClosed,
            format!(
                "issue {} is {}; merge into an open case",
                primary.id, primary.status
            ),
        ));
    }
    if followers::has_duplicates(conn, duplicate.id)? {
        return Err(AppError::conflict(
            ProblemCode::MergeChain,
            format!(
                "duplicates were merged into issue {}; it cannot itself be merged",
                duplicate.id
            ),
        ));
    }
    if primary.place.compound_id != duplicate.place.compound_id {
        return Err(AppError::validation(
            "into",
            "a duplicate is merged into a case of the same compound",
        ));
    }
    Ok(())
}

impl Application {
    /// Merge issue `id` into issue `into` as `actor` (a dispatcher of its street): the
    /// duplicate after it.
    pub fn merge(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        into: IssueId,
    ) -> AppResult<IssueView> {
        let now = to_millis(self.now());
        self.run_command_then(
            actor,
            id,
            expected_version,
            CommandKind::Merge,
            |duplicate, conn| {
                if into == duplicate.id {
                    return Err(AppError::Unprocessable {
                        code: ProblemCode::MergeIntoItself,
                        detail: "a case cannot be merged into itself".into(),
                    });
                }
                // A case the dispatcher cannot see is no case to merge into (422, like a missing one).
                let primary = match load_visible(conn, actor, into) {
                    Err(AppError::NotFound) => Err(AppError::validation("into", "no such issue")),
                    other => other,
                }?;
                check_merge(conn, duplicate, &primary)?;
                Ok(Command::Merge { into })
            },
            |conn, applied| {
                let primary = issues::find(conn, into)?;
                Ok(followers::follow_merged(
                    conn,
                    &primary,
                    &applied.issue,
                    now,
                )?)
            },
        )
        .map(|(view, _)| view)
    }
}
