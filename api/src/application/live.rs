//! Badges and live updates: the unread count and mark-all-read, push devices, stream tickets,
//! and the reads behind the event stream — the shared poller's feed (new notifications and
//! timeline events since its cursor) and one stream's replay after `Last-Event-ID`.

use crate::application::ProblemCode;
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{Actor, Role, Scope, ScopeKind, can_view},
    device::{DeviceToken, Platform},
    ids::{IssueId, UserId},
    issue::Issue,
};
use linli_infra::{
    DbConn,
    repo::{
        devices::{self, DeviceRow},
        issues::{self, EventHeadRow},
        live,
        notifications::NotificationRow,
    },
    time::to_millis,
    tokens::{hash_refresh_token, random_token},
};

use super::{AppError, AppResult, Application};

/// How long a stream ticket opens a stream: long enough for a browser to connect (and to
/// reconnect after a blip), short enough that one leaked from a log is soon useless.
pub const TICKET_TTL: chrono::Duration = chrono::Duration::seconds(60);

/// Most rows one stream replays after `Last-Event-ID`; beyond that it is told to reload.
pub const REPLAY_LIMIT: i64 = 500;

/// Most rows the poller reads per table and tick (the rest follow at the next tick).
const POLL_BATCH: i64 = 1000;

/// How long the poller waits for a row whose id it skipped (PostgreSQL assigns ids at insert,
/// so a transaction that commits late shows a lower id than rows already seen). After that the
/// id is taken for a rolled-back insert and forgotten.
const GAP_PATIENCE: Duration = Duration::from_secs(10);

/// Most skipped ids the poller waits for at once (a burst of rollbacks must not grow it).
const MAX_GAPS: usize = 1000;

/// A ticket that opens one event stream, for clients that cannot send headers.
#[derive(Debug, Clone)]
pub struct StreamTicket {
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
}

/// Where a stream stands: the last notification id and the last event id it has passed on.
/// Sent as the SSE `id:` (`"<notification>.<event>"`), so a reconnecting client resumes there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedPosition {
    pub notification: i64,
    pub event: i64,
}

impl FeedPosition {
    /// Parse a `Last-Event-ID` as this server formats it; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (n, e) = raw.trim().split_once('.')?;
        let position = Self {
            notification: n.parse().ok()?,
            event: e.parse().ok()?,
        };
        (position.notification >= 0 && position.event >= 0).then_some(position)
    }

    /// Move past `item` (never backwards: a late row keeps the position where it is).
    pub fn advance(&mut self, item: &LiveItem) {
        match item {
            LiveItem::Notification(n) => self.notification = self.notification.max(n.id),
            LiveItem::IssueEvent { event, .. } => self.event = self.event.max(event.id),
        }
    }
}

impl std::fmt::Display for FeedPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.notification, self.event)
    }
}

/// One thing a stream may pass on.
#[derive(Debug, Clone)]
pub enum LiveItem {
    /// A new notification (for its user only).
    Notification(NotificationRow),
    /// A new timeline event, with its issue as read with it (for whoever may view the issue).
    IssueEvent {
        event: EventHeadRow,
        issue: Arc<Issue>,
    },
}

impl LiveItem {
    /// Whether `actor` may receive this: their own notifications, and events of the issues
    /// they may view (the same rule as `GET /issues/{id}`).
    pub fn visible_to(&self, actor: &Actor) -> bool {
        match self {
            Self::Notification(n) => n.user_id == actor.user_id.0,
            Self::IssueEvent { issue, .. } => can_view(actor, issue),
        }
    }

    /// Table and id, to tell items apart (a replayed row may also come live).
    pub fn key(&self) -> (bool, i64) {
        match self {
            Self::Notification(n) => (true, n.id),
            Self::IssueEvent { event, .. } => (false, event.id),
        }
    }
}

/// What a reconnecting stream gets.
#[derive(Debug)]
pub enum Replay {
    /// Everything it missed that it may see, oldest first per table.
    Items(Vec<LiveItem>),
    /// It missed more than [`REPLAY_LIMIT`] rows: it should reload its lists; the stream goes on
    /// from the present.
    TooFar,
}

/// The read position of the shared poller in one table, with the ids it skipped and still
/// waits for.
#[derive(Debug, Clone, Default)]
pub struct TableCursor {
    last: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl TableCursor {
    pub fn at(last: i64) -> Self {
        Self {
            last,
            gaps: BTreeMap::new(),
        }
    }

    pub fn last(&self) -> i64 {
        self.last
    }

    fn gap_ids(&self) -> Vec<i64> {
        self.gaps.keys().copied().collect()
    }

    /// Take the ids read this tick: keep the new ones (above `last`, or a gap now filled) and
    /// remember the ids skipped on the way. Returns the ids to pass on.
    fn take(&mut self, mut ids: Vec<i64>, now: Instant) -> Vec<i64> {
        ids.sort_unstable();
        ids.dedup();
        let mut fresh = Vec::with_capacity(ids.len());
        for id in ids {
            if id > self.last {
                for skipped in (self.last + 1)..id {
                    if self.gaps.len() >= MAX_GAPS {
                        break;
                    }
                    self.gaps.insert(skipped, now);
                }
                self.last = id;
                fresh.push(id);
            } else if self.gaps.remove(&id).is_some() {
                fresh.push(id);
            }
        }
        self.gaps
            .retain(|_, since| now.duration_since(*since) < GAP_PATIENCE);
        fresh
    }
}

/// The shared poller's position in both tables.
#[derive(Debug, Clone, Default)]
pub struct FeedCursor {
    pub notifications: TableCursor,
    pub events: TableCursor,
}

impl FeedCursor {
    pub fn position(&self) -> FeedPosition {
        FeedPosition {
            notification: self.notifications.last(),
            event: self.events.last(),
        }
    }
}

impl Application {
    /// How many of the user's notifications are unread (the badge).
    pub fn unread_count(&self, user: UserId) -> AppResult<i64> {
        self.read(|conn| Ok(live::unread_count(conn, user)?))
    }

    /// Mark all the user's notifications read; returns how many were unread.
    pub fn mark_all_notifications_read(&self, user: UserId) -> AppResult<usize> {
        let now = to_millis(self.now());
        self.write(|conn| Ok(live::mark_all_read(conn, user, now)?))
    }

    /// Register a phone for push (or move a token to this account).
    pub fn register_device(
        &self,
        user: UserId,
        token: DeviceToken,
        platform: Platform,
    ) -> AppResult<DeviceRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            Ok(devices::upsert(
                conn,
                user,
                token.as_str(),
                platform.as_str(),
                now,
            )?)
        })
    }

    /// Forget one of the user's devices; NotFound when it is not theirs.
    pub fn remove_device(&self, user: UserId, token: DeviceToken) -> AppResult<()> {
        self.write(|conn| {
            if devices::remove(conn, user, token.as_str())? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
    }

    /// A short-lived ticket that opens the caller's event stream (stored only as a hash).
    pub fn issue_stream_ticket(&self, user: UserId) -> AppResult<StreamTicket> {
        let now = self.now();
        let expires_at = now + TICKET_TTL;
        let ticket = random_token(32);
        let hash = hash_refresh_token(&ticket);
        self.write(|conn| {
            Ok(live::create_ticket(
                conn,
                &hash,
                user,
                to_millis(expires_at),
                to_millis(now),
            )?)
        })?;
        Ok(StreamTicket { ticket, expires_at })
    }

    /// The account behind a ticket, with its role and scope as stored now.
    pub fn actor_for_ticket(&self, ticket: &str) -> AppResult<Actor> {
        let refused = || AppError::Unauthorized {
            code: ProblemCode::InvalidTicket,
            detail: "the stream ticket is unknown or has expired".into(),
        };
        let now = to_millis(self.now());
        let hash = hash_refresh_token(ticket);
        let holder = self
            .read(|conn| Ok(live::ticket_holder(conn, &hash, now)?))?
            .ok_or_else(refused)?;
        let role = Role::parse(&holder.role).map_err(|_| refused())?;
        let kind = (holder.scope_kind.as_deref())
            .map(ScopeKind::parse)
            .transpose()
            .map_err(|_| refused())?;
        let scope = Scope::for_account(role, kind, holder.scope_id).map_err(|_| refused())?;
        let account = self.account(UserId(holder.user_id))?;
        Ok(Actor {
            user_id: UserId(holder.user_id),
            role,
            scope,
            verified: crate::application::sessions::is_verified(&account),
        })
    }

    /// Where the feed stands now: the poller starts here.
    pub fn feed_start(&self) -> AppResult<FeedCursor> {
        let (n, e) = self.read(|conn| Ok(live::latest_ids(conn)?))?;
        Ok(FeedCursor {
            notifications: TableCursor::at(n),
            events: TableCursor::at(e),
        })
    }

    /// One tick of the shared poller: every notification and event written since `cursor`
    /// (and the skipped ids that have turned up), for everyone; streams filter what they pass on.
    pub fn poll_feed(&self, cursor: &mut FeedCursor) -> AppResult<Vec<LiveItem>> {
        let n_gaps = cursor.notifications.gap_ids();
        let e_gaps = cursor.events.gap_ids();
        let (n_after, e_after) = (cursor.notifications.last(), cursor.events.last());
        let (notes, events, issues) = self.read(|conn| {
            let mut notes = live::notifications_after(conn, n_after, POLL_BATCH)?;
            notes.extend(live::notifications_in(conn, &n_gaps)?);
            let mut events = live::events_after(conn, e_after, POLL_BATCH)?;
            events.extend(live::events_in(conn, &e_gaps)?);
            let issues = issues_of(conn, &events)?;
            Ok((notes, events, issues))
        })?;
        let now = Instant::now();
        let keep_n = cursor
            .notifications
            .take(notes.iter().map(|n| n.id).collect(), now);
        let keep_e = cursor
            .events
            .take(events.iter().map(|e| e.id).collect(), now);
        Ok(assemble(notes, events, &issues, &keep_n, &keep_e))
    }

    /// What a stream reconnecting at `since` missed and `actor` may see.
    pub fn replay(&self, actor: &Actor, since: FeedPosition) -> AppResult<Replay> {
        let user = actor.user_id;
        let read = self.read(|conn| {
            let notes =
                live::user_notifications_after(conn, user, since.notification, REPLAY_LIMIT + 1)?;
            let events = live::events_after(conn, since.event, REPLAY_LIMIT + 1)?;
            if too_many(&notes) || too_many(&events) {
                return Ok(None);
            }
            let issues = issues_of(conn, &events)?;
            Ok(Some((notes, events, issues)))
        })?;
        let Some((notes, events, issues)) = read else {
            return Ok(Replay::TooFar);
        };
        let keep_n: Vec<i64> = notes.iter().map(|n| n.id).collect();
        let keep_e: Vec<i64> = events.iter().map(|e| e.id).collect();
        let items = assemble(notes, events, &issues, &keep_n, &keep_e)
            .into_iter()
            .filter(|item| item.visible_to(actor))
            .collect();
        Ok(Replay::Items(items))
    }
}

fn too_many<T>(rows: &[T]) -> bool {
    i64::try_from(rows.len()).unwrap_or(i64::MAX) > REPLAY_LIMIT
}

/// The issues the events belong to, read in one query.
fn issues_of(conn: &mut DbConn, events: &[EventHeadRow]) -> AppResult<HashMap<i64, Arc<Issue>>> {
    let mut ids: Vec<IssueId> = events.iter().map(|e| IssueId(e.issue_id)).collect();
    ids.sort_unstable_by_key(|id| id.0);
    ids.dedup();
    Ok(issues::find_many(conn, &ids)?
        .into_iter()
        .map(|issue| (issue.id.0, Arc::new(issue)))
        .collect())
}

/// The rows whose ids are kept, as items: notifications first, then events, each by id.
fn assemble(
    notes: Vec<NotificationRow>,
    events: Vec<EventHeadRow>,
    issues: &HashMap<i64, Arc<Issue>>,
    keep_n: &[i64],
    keep_e: &[i64],
) -> Vec<LiveItem> {
    let keep_n: HashSet<i64> = keep_n.iter().copied().collect();
    let keep_e: HashSet<i64> = keep_e.iter().copied().collect();
    let mut notes: Vec<_> = notes
        .into_iter()
        .filter(|n| keep_n.contains(&n.id))
        .collect();
    notes.sort_by_key(|n| n.id);
    notes.dedup_by_key(|n| n.id);
    let mut events: Vec<_> = events
        .into_iter()
        .filter(|e| keep_e.contains(&e.id))
        .collect();
    events.sort_by_key(|e| e.id);
    events.dedup_by_key(|e| e.id);
    let mut items: Vec<LiveItem> = notes.into_iter().map(LiveItem::Notification).collect();
    items.extend(events.into_iter().filter_map(|event| {
        let issue = issues.get(&event.issue_id)?.clone();
        Some(LiveItem::IssueEvent { event, issue })
    }));
    items
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn positions_round_trip_and_garbage_is_ignored() {
        let p = FeedPosition {
            notification: 12,
            event: 340,
        };
        assert_eq!(FeedPosition::parse(&p.to_string()), Some(p));
        for bad in ["", "12", "a.b", "-1.3", "1.2.3"] {
            assert_eq!(FeedPosition::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_cursor_waits_for_skipped_ids_and_then_forgets_them() {
        let t0 = Instant::now();
        let mut c = TableCursor::at(10);
        // 11 is still uncommitted when 12 and 13 are read.
        assert_eq!(c.take(vec![12, 13], t0), vec![12, 13]);
        assert_eq!(c.gap_ids(), vec![11]);
        // Seen again (re-read) rows are not passed on twice; 11 turns up.
        assert_eq!(c.take(vec![11, 13], t0), vec![11]);
        assert!(c.gap_ids().is_empty());
        // A rolled-back id is given up after GAP_PATIENCE.
        assert_eq!(c.take(vec![15], t0), vec![15]);
        assert_eq!(c.gap_ids(), vec![14]);
        assert_eq!(c.take(vec![], t0 + GAP_PATIENCE), Vec::<i64>::new());
        assert!(c.gap_ids().is_empty());
        assert_eq!(c.last(), 15);
    }
}
