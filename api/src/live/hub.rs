//! The per-process fan-out of the live feed: ONE poller task reads new notifications and
//! timeline events every [`POLL_INTERVAL`] and broadcasts them to every open stream of this
//! process, and each stream keeps what its caller may see. The database is the only channel
//! between processes, so a change made through any API node on the same PostgreSQL reaches the
//! streams of every node; the cost is one pair of indexed queries per tick and process, never
//! one per client.
//!
//! The poller runs only while some stream is open: the first subscriber starts it, and it
//! stops at the first tick that finds nobody listening.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use actix_web::web;
use tokio::sync::broadcast;

use crate::{
    application::live::{FeedCursor, FeedPosition, LiveItem},
    error::ApiResult,
    state::AppState,
};

/// How often the poller reads the feed.
pub const POLL_INTERVAL: Duration = Duration::from_millis(400);

/// Ticks a slow stream may fall behind before it is closed (it then reconnects and replays).
const BACKLOG: usize = 256;

/// What the poller broadcasts per tick: everything new, for everyone.
pub type Batch = Arc<Vec<LiveItem>>;

/// Shared by every worker of one process (it lives in [`AppState`]). Cheap to clone.
#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Batch>,
    /// Serialises starting and stopping the poller against new subscribers.
    start: tokio::sync::Mutex<()>,
    running: AtomicBool,
    /// Where the poller stands: a stream that starts without `Last-Event-ID` starts here.
    position: Mutex<FeedPosition>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            inner: Arc::new(Inner {
                sender: broadcast::channel(BACKLOG).0,
                start: tokio::sync::Mutex::new(()),
                running: AtomicBool::new(false),
                position: Mutex::new(FeedPosition::default()),
            }),
        }
    }
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("subscribers", &self.inner.sender.receiver_count())
            .finish_non_exhaustive()
    }
}

/// Marks the poller stopped however its task ends (also when the runtime drops it).
struct Running(Arc<Inner>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}

impl Inner {
    fn position(&self) -> FeedPosition {
        self.position.lock().map(|p| *p).unwrap_or_default()
    }

    fn set_position(&self, p: FeedPosition) {
        if let Ok(mut guard) = self.position.lock() {
            *guard = p;
        }
    }
}

impl LiveHub {
    /// Listen to the feed from now on; returns the receiver and the position it starts at
    /// (everything up to it was broadcast before, everything after it will come).
    pub async fn subscribe(
        &self,
        state: &AppState,
    ) -> ApiResult<(broadcast::Receiver<Batch>, FeedPosition)> {
        let _start = self.inner.start.lock().await;
        let rx = self.inner.sender.subscribe();
        if !self.inner.running.load(Ordering::SeqCst) {
            let cursor = state.call(|app| app.feed_start()).await?;
            self.inner.set_position(cursor.position());
            self.inner.running.store(true, Ordering::SeqCst);
            actix_web::rt::spawn(poll(state.clone(), Running(self.inner.clone()), cursor));
        }
        Ok((rx, self.inner.position()))
    }
}

async fn poll(state: AppState, running: Running, mut cursor: FeedCursor) {
    let inner = running.0.clone();
    let mut interval = actix_web::rt::time::interval(POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if inner.sender.receiver_count() == 0 {
            let _start = inner.start.lock().await;
            if inner.sender.receiver_count() == 0 {
                inner.running.store(false, Ordering::SeqCst);
                return;
            }
        }
        let app = state.app.clone();
        let mut next = cursor.clone();
        match web::block(move || app.poll_feed(&mut next).map(|items| (next, items))).await {
            Ok(Ok((next, items))) => {
                cursor = next;
                // Position first: a stream subscribing in between gets the batch as well, which
                // it may (it filters repeats), rather than missing it.
                inner.set_position(cursor.position());
                if !items.is_empty() {
                    let _ = inner.sender.send(Arc::new(items));
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "live feed poll failed"),
            Err(e) => tracing::warn!(error = %e, "live feed poll did not run"),
        }
    }
}
