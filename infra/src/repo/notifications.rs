//! Notifications: a row for every event that concerns a user — the reporter when their issue
//! changes state, the handling unit on a new assignment, the committee when a rectification
//! awaits supervision, officials and dispatchers on escalation, officials on a due revisit,
//! the street's dispatchers when a new issue waits for triage, the handler when urged (督办), the
//! dispatchers when an extension is asked for, the reporter of the new date when it is approved.
//! Whoever follows a case (a duplicate of theirs was merged into it) is told what its reporter is.

use diesel::prelude::*;
use linli_domain::{
    auth::{Role, ScopeKind},
    ids::{IssueEventId, NotificationId, UserId},
    issue::{EscalationTarget, EventData, Issue, IssueEvent, IssueStatus},
    triage::Handler,
};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{compounds, issue_events, issues, notifications, users},
    time::to_millis,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub issue_id: i64,
    pub event_id: Option<i64>,
    pub kind: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Enabled accounts of `role` whose scope is `scope_id` (`None`: the district-wide ones), of
/// the role's usual kind.
fn holders(conn: &mut DbConn, role: Role, scope_id: Option<i64>) -> RepoResult<Vec<i64>> {
    holders_of_kind(conn, role, None, scope_id)
}

/// Enabled accounts of `role` whose scope is `scope_id` of `kind` (`None`: the role's usual).
fn holders_of_kind(
    conn: &mut DbConn,
    role: Role,
    kind: Option<ScopeKind>,
    scope_id: Option<i64>,
) -> RepoResult<Vec<i64>> {
    let q = users::table
        .filter(users::role.eq(role.as_str()))
        .filter(users::disabled_at.is_null())
        .select(users::id)
        .into_boxed();
    let q = match kind {
        Some(k) => q.filter(users::scope_kind.eq(k.as_str())),
        None => q.filter(users::scope_kind.is_null()),
    };
    let q = match scope_id {
        Some(s) => q.filter(users::scope_id.eq(s)),
        None => q.filter(users::scope_id.is_null()),
    };
    Ok(q.load(conn)?)
}

/// The accounts that act for a handling unit.
pub fn handler_accounts(
    conn: &mut DbConn,
    issue: &Issue,
    handler: &Handler,
) -> RepoResult<Vec<i64>> {
    match handler {
        Handler::Grid { grid_id } => holders(conn, Role::GridWorker, Some(grid_id.0)),
        Handler::PropertyCompany {
            property_company_id,
        } => holders(conn, Role::PropertyStaff, Some(property_company_id.0)),
        Handler::Community { community_id } => {
            holders(conn, Role::CommunityOfficial, Some(community_id.0))
        }
        Handler::Mediators { community_id } => holders(conn, Role::Mediator, Some(community_id.0)),
        Handler::Department { .. } => street_dispatchers(conn, issue),
        // The building's own leaders, and the 片长 of its grid (the case's grid: a
        // residents-level case stays with the leaders of its own building).
        Handler::BuildingLeaders { building_id } => {
            let mut ids = holders(conn, Role::BuildingLeader, Some(building_id.0))?;
            if let Some(grid) = issue.place.grid_id {
                ids.extend(holders_of_kind(
                    conn,
                    Role::BuildingLeader,
                    Some(ScopeKind::Grid),
                    Some(grid.0),
                )?);
            }
            Ok(ids)
        }
    }
}

fn street_dispatchers(conn: &mut DbConn, issue: &Issue) -> RepoResult<Vec<i64>> {
    let mut ids = holders(conn, Role::Dispatcher, Some(issue.place.street_id.0))?;
    ids.extend(holders(conn, Role::Dispatcher, None)?);
    Ok(ids)
}

/// Write the notifications `event` (already stored as `event_id`) causes. The actor is not
/// notified of their own action.
pub fn notify_event(
    conn: &mut DbConn,
    issue: &Issue,
    event_id: IssueEventId,
    event: &IssueEvent,
    actor_id: Option<UserId>,
) -> RepoResult<usize> {
    let mut recipients: Vec<i64> = Vec::new();
    let state_changed = event.from != Some(event.to);
    // The resident learns the new date of an approved extension too.
    let tells_reporter = (state_changed && !matches!(event.data, EventData::Created { .. }))
        || matches!(event.data, EventData::ExtensionApproved { .. });
    if tells_reporter {
        recipients.push(issue.reporter.0);
        recipients.extend(crate::repo::followers::of_issue(conn, issue.id)?);
    }
    match &event.data {
        // Declined by the building leaders, or left unanswered: the grid (小事不出网格).
        EventData::Declined {
            backstop: Some(backstop),
            ..
        }
        | EventData::Backstopped { backstop } => {
            recipients.extend(handler_accounts(conn, issue, &backstop.handler)?);
        }
        EventData::Created { .. }
        | EventData::Declined { .. }
        | EventData::Returned { .. }
        | EventData::ExtensionRequested { .. } => {
            recipients.extend(street_dispatchers(conn, issue)?);
        }
        EventData::Reassigned {
            from_handler,
            decision,
        } => {
            // The old handler learns the case is no longer theirs.
            recipients.extend(handler_accounts(conn, issue, from_handler)?);
            recipients.extend(handler_accounts(conn, issue, &decision.handler)?);
        }
        EventData::Triaged { decision, .. } | EventData::ReturnUpheld { decision, .. } => {
            recipients.extend(handler_accounts(conn, issue, &decision.handler)?);
        }
        EventData::MediationFailed { .. } | EventData::Deliberated { .. } => {
            if let Some(h) = &issue.handler {
                recipients.extend(handler_accounts(conn, issue, h)?);
            }
        }
        EventData::Rectified { .. } if event.to == IssueStatus::AwaitingSupervision => {
            recipients.extend(holders(
                conn,
                Role::CommitteeMember,
                Some(issue.place.compound_id.0),
            )?);
        }
        EventData::SupervisionFailed { .. }
        | EventData::ReturnOverruled { .. }
        | EventData::Urged { .. }
        | EventData::ExtensionApproved { .. }
        | EventData::ExtensionRefused { .. }
        | EventData::NotResolved { .. }
        | EventData::RevisitRecurred { .. } => {
            if let Some(h) = &issue.handler {
                recipients.extend(handler_accounts(conn, issue, h)?);
            }
        }
        EventData::Escalated { target, .. } => match target {
            EscalationTarget::CommunityOfficial => recipients.extend(holders(
                conn,
                Role::CommunityOfficial,
                Some(issue.place.community_id.0),
            )?),
            EscalationTarget::StreetDispatcher => {
                recipients.extend(street_dispatchers(conn, issue)?)
            }
        },
        EventData::RevisitQueued => recipients.extend(holders(
            conn,
            Role::CommunityOfficial,
            Some(issue.place.community_id.0),
        )?),
        _ => {}
    }
    recipients.sort_unstable();
    recipients.dedup();
    recipients.retain(|id| Some(UserId(*id)) != actor_id);
    if recipients.is_empty() {
        return Ok(0);
    }
    let at = to_millis(event.at);
    // One statement per recipient: diesel's multi-backend connection cannot batch-insert on
    // SQLite, and a unit has a handful of accounts.
    for user_id in &recipients {
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(*user_id),
                notifications::issue_id.eq(issue.id.0),
                notifications::event_id.eq(event_id.0),
                notifications::kind.eq(event.data.kind()),
                notifications::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    // Same transaction: a notification is never stored without its push message.
    crate::repo::outbox::enqueue_for_event(conn, event_id, at)?;
    Ok(recipients.len())
}

/// A user's notifications, newest first, keyset-paginated by id.
/// A notification with the names it refers to: the compound of its issue, and who caused its
/// event (none for the scheduler, or without an event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationView {
    pub row: NotificationRow,
    pub compound_name: String,
    pub actor_id: Option<i64>,
    pub actor_role: Option<String>,
    pub actor_name: Option<String>,
}

/// The user's notifications, newest first: at most `limit` before the id `before`.
pub fn list(
    conn: &mut DbConn,
    user_id: UserId,
    before: Option<i64>,
    limit: i64,
    unread_only: bool,
) -> RepoResult<Vec<NotificationView>> {
    load_named(conn, user_id, None, before, limit, unread_only)
}

/// One of the user's notifications with its names; NotFound when it is not theirs.
pub fn find_named(
    conn: &mut DbConn,
    user_id: UserId,
    id: NotificationId,
) -> RepoResult<NotificationView> {
    load_named(conn, user_id, Some(id), None, 1, false)?
        .pop()
        .ok_or(RepoError::NotFound)
}

/// The user's notifications (only `only`, when given) joined with the names they refer to.
fn load_named(
    conn: &mut DbConn,
    user_id: UserId,
    only: Option<NotificationId>,
    before: Option<i64>,
    limit: i64,
    unread_only: bool,
) -> RepoResult<Vec<NotificationView>> {
    let mut q = notifications::table
        .inner_join(issues::table.inner_join(compounds::table))
        .left_join(issue_events::table.left_join(users::table))
        .filter(notifications::user_id.eq(user_id.0))
        .select((
            NotificationRow::as_select(),
            compounds::name,
            issue_events::actor_id.nullable(),
            issue_events::actor_role.nullable(),
            users::display_name.nullable(),
        ))
        .order(notifications::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(notifications::id.eq(id.0));
    }
    if let Some(b) = before {
        q = q.filter(notifications::id.lt(b));
    }
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    type Named = (
        NotificationRow,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    Ok(q.load::<Named>(conn)?
        .into_iter()
        .map(
            |(row, compound_name, actor_id, actor_role, actor_name)| NotificationView {
                row,
                compound_name,
                actor_id,
                actor_role,
                actor_name,
            },
        )
        .collect())
}

/// Mark one of the user's notifications read; NotFound when it is not theirs.
pub fn mark_read(
    conn: &mut DbConn,
    user_id: UserId,
    id: NotificationId,
    now: i64,
) -> RepoResult<NotificationRow> {
    let id = id.0;
    let found = notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user_id.0))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)?;
    if found.read_at.is_none() {
        diesel::update(notifications::table.filter(notifications::id.eq(id)))
            .set(notifications::read_at.eq(now))
            .execute(conn)?;
    }
    notifications::table
        .filter(notifications::id.eq(id))
        .select(NotificationRow::as_select())
        .first(conn)
        .map_err(RepoError::from)
}
