//! The push outbox: one row per notification, written in the notification's transaction, and
//! the delivery state the push worker keeps on it (attempts, next attempt, lease, delivered).
//!
//! Claiming is a conditional UPDATE of the lease (`lease_until` in the past or unset), so with
//! several processes on one PostgreSQL exactly one of them wins a row for the lease period; a
//! process that dies mid-delivery loses the lease when it runs out and another one retries.

use diesel::prelude::*;
use linli_domain::ids::{IssueEventId, NotificationId};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{issues, notifications, outbox},
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub notification_id: i64,
    pub created_at: i64,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub lease_until: Option<i64>,
    pub lease_owner: Option<String>,
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

/// What a push message is made of: the notification and a line of its issue.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PushSource {
    pub notification_id: i64,
    pub user_id: i64,
    pub issue_id: i64,
    pub kind: String,
    pub created_at: i64,
    pub category: String,
    pub description: String,
}

/// Queue every notification of `event_id` for push (called inside the transaction that wrote
/// them). Due at once: `next_attempt_at` 0.
pub fn enqueue_for_event(
    conn: &mut DbConn,
    event: IssueEventId,
    created_at: i64,
) -> RepoResult<usize> {
    let event_id = event.0;
    let ids: Vec<i64> = notifications::table
        .filter(notifications::event_id.eq(event_id))
        .select(notifications::id)
        .load(conn)?;
    // One statement per row: the multi-backend connection cannot batch-insert on SQLite.
    for id in &ids {
        diesel::insert_into(outbox::table)
            .values((
                outbox::notification_id.eq(*id),
                outbox::created_at.eq(created_at),
                outbox::next_attempt_at.eq(0_i64),
            ))
            .execute(conn)?;
    }
    Ok(ids.len())
}

/// Undelivered, due at `now`, and not leased by anyone (or the lease has run out).
#[diesel::dsl::auto_type(no_type_alias)]
fn claimable(now: i64) -> _ {
    outbox::delivered_at
        .is_null()
        .and(outbox::next_attempt_at.le(now))
        .and(
            outbox::lease_until
                .is_null()
                .or(outbox::lease_until.le(now)),
        )
}

/// Undelivered rows due at `now` and not leased by anyone, oldest due first.
pub fn due(conn: &mut DbConn, now: i64, limit: i64) -> RepoResult<Vec<i64>> {
    Ok(outbox::table
        .filter(claimable(now))
        .order((outbox::next_attempt_at, outbox::notification_id))
        .limit(limit)
        .select(outbox::notification_id)
        .load(conn)?)
}

/// Take the lease on one row until `lease_until` and count the attempt. False when another
/// process holds it, or it was delivered meanwhile.
pub fn claim(
    conn: &mut DbConn,
    notification_id: i64,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> RepoResult<bool> {
    let n = diesel::update(
        outbox::table
            .filter(outbox::notification_id.eq(notification_id))
            .filter(claimable(now)),
    )
    .set((
        outbox::lease_until.eq(lease_until),
        outbox::lease_owner.eq(owner),
        outbox::attempts.eq(outbox::attempts + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The gateway acknowledged the row.
pub fn mark_delivered(conn: &mut DbConn, notification: NotificationId, now: i64) -> RepoResult<()> {
    let notification_id = notification.0;
    diesel::update(outbox::table.find(notification_id))
        .set((
            outbox::delivered_at.eq(now),
            outbox::lease_until.eq(None::<i64>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The attempt failed: retry at `next_attempt_at`. Only the lease holder gives the lease back
/// (a late answer after the lease ran out must not undo another process's claim).
pub fn mark_failed(
    conn: &mut DbConn,
    notification_id: i64,
    owner: &str,
    next_attempt_at: i64,
    error: &str,
) -> RepoResult<()> {
    diesel::update(
        outbox::table
            .filter(outbox::notification_id.eq(notification_id))
            .filter(outbox::lease_owner.eq(owner))
            .filter(outbox::delivered_at.is_null()),
    )
    .set((
        outbox::next_attempt_at.eq(next_attempt_at),
        outbox::lease_until.eq(None::<i64>),
        outbox::last_error.eq(error),
    ))
    .execute(conn)?;
    Ok(())
}

/// One row's delivery state.
pub fn find(conn: &mut DbConn, notification: NotificationId) -> RepoResult<OutboxRow> {
    let notification_id = notification.0;
    outbox::table
        .find(notification_id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// The notification and issue line behind an outbox row.
pub fn source(conn: &mut DbConn, notification: NotificationId) -> RepoResult<PushSource> {
    let notification_id = notification.0;
    notifications::table
        .inner_join(issues::table)
        .filter(notifications::id.eq(notification_id))
        .select((
            notifications::id,
            notifications::user_id,
            notifications::issue_id,
            notifications::kind,
            notifications::created_at,
            issues::category,
            issues::description,
        ))
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Forget push messages queued before `older_than`: delivered ones are history, and one still
/// undelivered after the whole retention is news nobody wants any more.
pub fn prune(conn: &mut DbConn, older_than: i64) -> RepoResult<usize> {
    Ok(diesel::delete(outbox::table.filter(outbox::created_at.lt(older_than))).execute(conn)?)
}
