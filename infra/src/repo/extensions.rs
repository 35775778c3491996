//! 延期 (extensions): the handlers' requests for a later resolution deadline and the
//! dispatchers' decisions. The issue's state (its pending request, its deadline) changes by its
//! events in the same transaction; these rows give each request its id and keep who decided.

use diesel::prelude::*;
use linli_domain::{
    ids::{ExtensionRequestId, IssueId, UserId},
    issue::ExtensionStatus,
};

use crate::{
    DbConn,
    codes::Code,
    error::{RepoError, RepoResult},
    schema::extension_requests,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = extension_requests)]
pub struct ExtensionRequestRow {
    pub id: i64,
    pub issue_id: i64,
    pub requested_by: i64,
    pub requested_at: i64,
    pub new_resolution_due: i64,
    pub reason: String,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
}

impl ExtensionRequestRow {
    pub fn status(&self) -> RepoResult<ExtensionStatus> {
        ExtensionStatus::from_code(&self.status)
    }
}

/// A new pending request (its times in epoch milliseconds).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = extension_requests)]
pub struct NewExtensionRequest<'a> {
    pub issue_id: i64,
    pub requested_by: i64,
    pub requested_at: i64,
    pub new_resolution_due: i64,
    pub reason: &'a str,
    pub status: &'a str,
}

/// Store a pending request; returns it with its id. Call inside the transaction of its event.
pub fn insert(
    conn: &mut DbConn,
    issue_id: IssueId,
    requested_by: UserId,
    requested_at: i64,
    new_resolution_due: i64,
    reason: &str,
) -> RepoResult<ExtensionRequestRow> {
    let id: i64 = diesel::insert_into(extension_requests::table)
        .values(NewExtensionRequest {
            issue_id: issue_id.0,
            requested_by: requested_by.0,
            requested_at,
            new_resolution_due,
            reason,
            status: ExtensionStatus::Pending.code(),
        })
        .returning(extension_requests::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "extension request"))?;
    find(conn, issue_id, ExtensionRequestId(id))
}

/// Request `id` of issue `issue_id`; NotFound when it is another issue's.
pub fn find(
    conn: &mut DbConn,
    issue_id: IssueId,
    id: ExtensionRequestId,
) -> RepoResult<ExtensionRequestRow> {
    extension_requests::table
        .filter(extension_requests::id.eq(id.0))
        .filter(extension_requests::issue_id.eq(issue_id.0))
        .select(ExtensionRequestRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Record the decision on a pending request; `StaleVersion` if it was decided meanwhile.
pub fn decide(
    conn: &mut DbConn,
    issue_id: IssueId,
    id: ExtensionRequestId,
    status: ExtensionStatus,
    decided_by: UserId,
    decided_at: i64,
    note: &str,
) -> RepoResult<ExtensionRequestRow> {
    let n = diesel::update(
        extension_requests::table
            .filter(extension_requests::id.eq(id.0))
            .filter(extension_requests::issue_id.eq(issue_id.0))
            .filter(extension_requests::status.eq(ExtensionStatus::Pending.code())),
    )
    .set((
        extension_requests::status.eq(status.code()),
        extension_requests::decided_by.eq(decided_by.0),
        extension_requests::decided_at.eq(decided_at),
        extension_requests::decision_note.eq(note),
    ))
    .execute(conn)?;
    if n != 1 {
        return Err(RepoError::StaleVersion);
    }
    find(conn, issue_id, id)
}

/// Close the issue's pending request, if any, as lapsed at `at` (the case left its requester).
pub fn lapse_pending(conn: &mut DbConn, issue_id: IssueId, at: i64) -> RepoResult<usize> {
    Ok(diesel::update(
        extension_requests::table
            .filter(extension_requests::issue_id.eq(issue_id.0))
            .filter(extension_requests::status.eq(ExtensionStatus::Pending.code())),
    )
    .set((
        extension_requests::status.eq(ExtensionStatus::Lapsed.code()),
        extension_requests::decided_at.eq(at),
    ))
    .execute(conn)?)
}

/// The issue's requests, oldest first: at most `limit` after the id `after`.
pub fn for_issue(
    conn: &mut DbConn,
    issue_id: IssueId,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<ExtensionRequestRow>> {
    let mut q = extension_requests::table
        .filter(extension_requests::issue_id.eq(issue_id.0))
        .select(ExtensionRequestRow::as_select())
        .order(extension_requests::id)
        .limit(limit)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(extension_requests::id.gt(a));
    }
    Ok(q.load(conn)?)
}
