//! The event stream (`GET /events/stream`, Server-Sent Events) and its tickets.
//!
//! A stream passes on the caller's new notifications (`event: notification`) and the new
//! timeline events of the issues the caller may view (`event: issue_event`). Every message
//! carries an `id:` — the position `"<notification id>.<event id>"` — that a client sends back
//! as `Last-Event-ID` (EventSource does so by itself) to get what it missed replayed. A comment
//! line every 15 s keeps proxies from closing an idle stream. A stream ends after the lifetime
//! of an access token (so a revoked or disabled account does not listen on forever), and the
//! client reconnects with fresh credentials.

use std::{
    collections::{HashSet, VecDeque},
    convert::Infallible,
    time::Duration,
};

use actix_web::{
    FromRequest, HttpRequest, HttpResponse, get,
    http::header::{self, HeaderValue},
    post,
    web::{self, Bytes},
};
use chrono::{DateTime, Utc};
use linli_domain::auth::Actor;
use linli_infra::time::from_millis;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::{self, error::RecvError};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::live::{FeedPosition, LiveItem, Replay},
    auth::Caller,
    error::{ApiResult, Problem},
    live::hub::Batch,
    responses::Unauthenticated,
    state::AppState,
};

/// Interval of the keep-alive comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// What a browser waits before reconnecting (the SSE `retry:` field), in milliseconds.
const RETRY_MS: u32 = 3000;

/// A ticket that opens one event stream without an `Authorization` header.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "ticket": "b0Zq3xk9…", "expires_at": "2026-09-01T08:01:00Z"
}))]
pub struct StreamTicketResponse {
    /// Pass as `?ticket=` to GET /events/stream. Valid for 60 seconds, for any number of
    /// connections (so that EventSource can reconnect), and only for the stream.
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
}

/// Get a short-lived ticket for GET /events/stream, for browsers (EventSource cannot send an
/// `Authorization` header).
#[utoipa::path(
    tag = "live",
    responses(
        (status = 201, description = "A ticket for the caller's stream", body = StreamTicketResponse),
        Unauthenticated,
    )
)]
#[post("/events/tickets")]
pub async fn create_stream_ticket(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let user = caller.user_id();
    let t = state.call(move |app| app.issue_stream_ticket(user)).await?;
    Ok(HttpResponse::Created().json(StreamTicketResponse {
        ticket: t.ticket,
        expires_at: t.expires_at,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// A ticket from POST /events/tickets, instead of a bearer token.
    pub ticket: Option<String>,
    /// Resume after this message id, like the `Last-Event-ID` header (which wins when both
    /// are given) — for a client that kept the id across a restart.
    pub last_event_id: Option<String>,
}

/// `data:` of `event: notification`.
#[derive(Debug, Serialize)]
struct NotificationData {
    id: i64,
    issue_id: i64,
    event_id: Option<i64>,
    kind: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// `data:` of `event: issue_event` (re-read the issue for the details).
#[derive(Debug, Serialize)]
struct IssueEventData {
    issue_id: i64,
    event_id: i64,
    seq: i64,
    kind: String,
    from_status: Option<String>,
    to_status: String,
    at: DateTime<Utc>,
}

/// Live updates as Server-Sent Events: the caller's new notifications and the changes of the
/// issues the caller may view.
///
/// Messages: `event: ready` first (its `id` is where the stream starts); then
/// `event: notification` (data as in GET /notifications) and `event: issue_event`
/// (`{issue_id, event_id, seq, kind, from_status, to_status, at}`; re-read the issue for the
/// rest); `event: reset` when more was missed than can be replayed (reload the lists). Every
/// message has an `id`; reconnect with it as `Last-Event-ID` to get what was missed. A comment
/// line (`: keep-alive`) comes every 15 s. The stream ends after the lifetime of an access token
/// (15 minutes by default); reconnect with fresh credentials and the last id.
#[utoipa::path(
    tag = "live",
    security(("bearer" = []), ()),
    params(
        StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The `id` of the last message received: replay what came after it"),
    ),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = String),
        (status = 401, description = "Missing or invalid token, or a ticket that is unknown, used or expired (`invalid_ticket`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/stream")]
pub async fn stream_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<StreamQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let actor = match query.ticket {
        Some(ticket) => state.call(move |app| app.actor_for_ticket(&ticket)).await?,
        None => Caller::extract(&req).await?.actor,
    };
    let resume = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id)
        .as_deref()
        .and_then(FeedPosition::parse);

    let (rx, present) = state.live.subscribe(&state).await?;
    let mut conn = Connection {
        actor,
        rx,
        position: present,
        replayed: HashSet::new(),
        queue: VecDeque::new(),
        heartbeat: actix_web::rt::time::interval_at(
            tokio::time::Instant::now() + HEARTBEAT,
            HEARTBEAT,
        ),
        ends_at: tokio::time::Instant::now()
            + state.config.access_ttl.to_std().unwrap_or(HEARTBEAT),
        done: false,
    };
    conn.queue
        .push_back(Bytes::from(format!("retry: {RETRY_MS}\n\n")));
    match resume {
        None => conn.push_control("ready", present),
        Some(since) => {
            let replay = state.call(move |app| app.replay(&actor, since)).await?;
            match replay {
                Replay::Items(items) => {
                    conn.position = since;
                    conn.push_control("ready", since);
                    for item in items {
                        conn.replayed.insert(item.key());
                        conn.push_item(&item);
                    }
                }
                Replay::TooFar => conn.push_control("reset", present),
            }
        }
    }
    let body = futures_util::stream::unfold(conn, |mut conn| async move {
        let bytes = conn.next().await?;
        Some((Ok::<_, Infallible>(bytes), conn))
    });
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        ))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        // nginx would otherwise buffer the stream.
        .insert_header(("X-Accel-Buffering", HeaderValue::from_static("no")))
        .streaming(body))
}

/// One open stream: what it has passed on and what is waiting to be written.
struct Connection {
    actor: Actor,
    rx: broadcast::Receiver<Batch>,
    position: FeedPosition,
    /// Rows sent by the replay: the broadcast may bring them again.
    replayed: HashSet<(bool, i64)>,
    queue: VecDeque<Bytes>,
    heartbeat: tokio::time::Interval,
    ends_at: tokio::time::Instant,
    done: bool,
}

impl Connection {
    /// The next chunk of the body; `None` ends the stream.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if let Some(bytes) = self.queue.pop_front() {
                return Some(bytes);
            }
            if self.done {
                return None;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(self.ends_at) => self.done = true,
                _ = self.heartbeat.tick() => {
                    self.queue.push_back(Bytes::from_static(b": keep-alive\n\n"));
                }
                received = self.rx.recv() => match received {
                    Ok(batch) => {
                        for item in batch.iter() {
                            if item.visible_to(&self.actor) && !self.replayed.contains(&item.key()) {
                                self.push_item(item);
                            }
                        }
                    }
                    // Too slow to keep up, or the hub is gone: end here; the client
                    // reconnects with its last id and gets the rest replayed.
                    Err(RecvError::Lagged(_) | RecvError::Closed) => self.done = true,
                },
            }
        }
    }

    fn push_control(&mut self, event: &str, at: FeedPosition) {
        self.queue.push_back(Bytes::from(format!(
            "id: {at}\nevent: {event}\ndata: {{}}\n\n"
        )));
    }

    fn push_item(&mut self, item: &LiveItem) {
        self.position.advance(item);
        let (event, data) = match item {
            LiveItem::Notification(n) => (
                "notification",
                serde_json::to_string(&NotificationData {
                    id: n.id,
                    issue_id: n.issue_id,
                    event_id: n.event_id,
                    kind: n.kind.clone(),
                    created_at: from_millis(n.created_at).unwrap_or_default(),
                    read_at: None,
                }),
            ),
            LiveItem::IssueEvent { event, .. } => (
                "issue_event",
                serde_json::to_string(&IssueEventData {
                    issue_id: event.issue_id,
                    event_id: event.id,
                    seq: event.seq,
                    kind: event.kind.clone(),
                    from_status: event.from_status.clone(),
                    to_status: event.to_status.clone(),
                    at: from_millis(event.at).unwrap_or_default(),
                }),
            ),
        };
        match data {
            Ok(data) => self.queue.push_back(Bytes::from(format!(
                "id: {}\nevent: {event}\ndata: {data}\n\n",
                self.position
            ))),
            Err(e) => tracing::warn!(error = %e, "live item not serialisable"),
        }
    }
}
