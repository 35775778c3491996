//! Live updates: the unread badge, stream tickets, and the feed that the event-stream poller
//! reads — new notifications and timeline events, by id.

use diesel::prelude::*;
use linli_domain::ids::UserId;

use crate::{
    DbConn,
    error::RepoResult,
    repo::{issues::EventHeadRow, notifications::NotificationRow},
    schema::{issue_events, notifications, stream_tickets, users},
};

/// The account a stream ticket stands for: id, role and scope as stored now.
#[derive(Debug, Clone, Queryable)]
pub struct TicketHolder {
    pub user_id: i64,
    pub role: String,
    pub scope_id: Option<i64>,
    pub scope_kind: Option<String>,
}

/// How many of the user's notifications are unread.
pub fn unread_count(conn: &mut DbConn, user_id: UserId) -> RepoResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user_id.0))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Mark every unread notification of the user read at `now`; returns how many changed.
pub fn mark_all_read(conn: &mut DbConn, user_id: UserId, now: i64) -> RepoResult<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id.0))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now))
    .execute(conn)?)
}

/// Store a ticket (its hash) for the user until `expires_at`; drops expired tickets on the way.
pub fn create_ticket(
    conn: &mut DbConn,
    ticket_hash: &str,
    user_id: UserId,
    expires_at: i64,
    now: i64,
) -> RepoResult<()> {
    diesel::delete(stream_tickets::table.filter(stream_tickets::expires_at.le(now)))
        .execute(conn)?;
    diesel::insert_into(stream_tickets::table)
        .values((
            stream_tickets::ticket_hash.eq(ticket_hash),
            stream_tickets::user_id.eq(user_id.0),
            stream_tickets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The enabled account behind an unexpired ticket, if any.
pub fn ticket_holder(
    conn: &mut DbConn,
    ticket_hash: &str,
    now: i64,
) -> RepoResult<Option<TicketHolder>> {
    Ok(stream_tickets::table
        .inner_join(users::table)
        .filter(stream_tickets::ticket_hash.eq(ticket_hash))
        .filter(stream_tickets::expires_at.gt(now))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::role, users::scope_id, users::scope_kind))
        .first(conn)
        .optional()?)
}

/// The newest notification id and the newest event id (0 when there is none).
pub fn latest_ids(conn: &mut DbConn) -> RepoResult<(i64, i64)> {
    let n: Option<i64> = notifications::table
        .select(diesel::dsl::max(notifications::id))
        .first(conn)?;
    let e: Option<i64> = issue_events::table
        .select(diesel::dsl::max(issue_events::id))
        .first(conn)?;
    Ok((n.unwrap_or(0), e.unwrap_or(0)))
}

/// Notifications of everyone with an id above `after`, oldest first.
pub fn notifications_after(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> RepoResult<Vec<NotificationRow>> {
    feed_notifications(conn, None, after, limit)
}

/// Notifications (of one user, or of everyone) with an id above `after`, oldest first.
fn feed_notifications(
    conn: &mut DbConn,
    user_id: Option<UserId>,
    after: i64,
    limit: i64,
) -> RepoResult<Vec<NotificationRow>> {
    let mut q = notifications::table
        .filter(notifications::id.gt(after))
        .order(notifications::id)
        .limit(limit)
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(user_id) = user_id {
        q = q.filter(notifications::user_id.eq(user_id.0));
    }
    Ok(q.load(conn)?)
}

/// The notifications with these ids (the poller's gaps: rows committed out of id order).
pub fn notifications_in(conn: &mut DbConn, ids: &[i64]) -> RepoResult<Vec<NotificationRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(notifications::table
        .filter(notifications::id.eq_any(ids))
        .order(notifications::id)
        .select(NotificationRow::as_select())
        .load(conn)?)
}

/// One user's notifications with an id above `after`, oldest first (a stream's replay).
pub fn user_notifications_after(
    conn: &mut DbConn,
    user_id: UserId,
    after: i64,
    limit: i64,
) -> RepoResult<Vec<NotificationRow>> {
    feed_notifications(conn, Some(user_id), after, limit)
}

/// Timeline events with an id above `after`, oldest first.
pub fn events_after(conn: &mut DbConn, after: i64, limit: i64) -> RepoResult<Vec<EventHeadRow>> {
    Ok(issue_events::table
        .filter(issue_events::id.gt(after))
        .order(issue_events::id)
        .limit(limit)
        .select(EventHeadRow::as_select())
        .load(conn)?)
}

/// The events with these ids (the poller's gaps).
pub fn events_in(conn: &mut DbConn, ids: &[i64]) -> RepoResult<Vec<EventHeadRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(issue_events::table
        .filter(issue_events::id.eq_any(ids))
        .order(issue_events::id)
        .select(EventHeadRow::as_select())
        .load(conn)?)
}
