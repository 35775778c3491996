//! Harness for live updates: a second API node on a test app's database (another process, as
//! far as the database can tell: its own pool, state and live feed), and a Server-Sent Events
//! client that reads a stream message by message.

use std::{pin::Pin, time::Duration};

use actix_web::web::Bytes;
use awc::error::PayloadError;
use futures_util::{Stream, StreamExt};
use linli_api::{config::Config, state::AppState};
use serde_json::Value;

use crate::TestApp;

/// Another API server on the same database as a [`TestApp`].
pub struct Node {
    pub base: String,
    pub state: AppState,
    server: actix_web::dev::ServerHandle,
}

impl TestApp {
    /// Start a second node on this app's database, with the same configuration and clock.
    pub async fn second_node(&self) -> Node {
        Node::start((*self.state.config).clone(), self.clock.clone()).await
    }
}

impl Node {
    pub async fn start(config: Config, clock: linli_api::clock::ManualClock) -> Self {
        let pool = linli_api::server::open_database(&config).unwrap();
        let state =
            linli_api::server::build_state(config, pool, std::sync::Arc::new(clock)).unwrap();
        let (base, handle) = crate::serve(&state, 1);
        Self {
            base,
            state,
            server: handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POST JSON with a bearer token; returns status and body.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let mut res = awc::Client::new()
            .post(self.url(path))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send_json(body)
            .await
            .unwrap();
        let bytes = res.body().await.unwrap();
        (
            res.status().as_u16(),
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Stop serving (in-flight requests are dropped).
    pub async fn stop(self) {
        self.server.stop(false).await;
    }
}

/// One Server-Sent Events message.
#[derive(Debug, Clone)]
pub struct SseMessage {
    pub id: Option<String>,
    pub event: String,
    pub data: Value,
}

type Body = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

/// An open event stream.
pub struct EventStream {
    body: Body,
    buffer: String,
    /// Comment lines (heartbeats) seen so far.
    pub comments: usize,
}

impl EventStream {
    /// `who`'s own stream on `base`, from now on.
    pub async fn open_as(base: &str, who: &crate::Session) -> Self {
        Self::open(base, "/api/v1/events/stream", Some(&who.access_token), None).await
    }

    /// Open `path` (with its query) on `base`; asserts 200 and `text/event-stream`.
    pub async fn open(
        base: &str,
        path: &str,
        token: Option<&str>,
        last_event_id: Option<&str>,
    ) -> Self {
        let mut req = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish()
            .get(format!("{base}{path}"));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        if let Some(id) = last_event_id {
            req = req.insert_header(("Last-Event-ID", id.to_owned()));
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "the stream did not open");
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Self {
            body: Box::pin(res),
            buffer: String::new(),
            comments: 0,
        }
    }

    /// The next message within `wait`, skipping comments; `None` on timeout or end.
    pub async fn next(&mut self, wait: Duration) -> Option<SseMessage> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            if let Some(message) = self.take_message() {
                return Some(message);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let chunk = actix_web::rt::time::timeout(left, self.body.next())
                .await
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk.ok()?));
        }
    }

    /// The next message of kind `event` within `wait` (others are skipped); panics otherwise.
    pub async fn expect(&mut self, event: &str, wait: Duration) -> SseMessage {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.next(left).await {
                Some(m) if m.event == event => return m,
                Some(_) => continue,
                None => panic!("no `{event}` message within {wait:?}"),
            }
        }
    }

    /// Every message that arrives within `wait`.
    pub async fn drain(&mut self, wait: Duration) -> Vec<SseMessage> {
        let deadline = std::time::Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.next(left).await {
                Some(m) => out.push(m),
                None => return out,
            }
        }
    }

    /// Parse one complete message off the buffer, if there is one.
    fn take_message(&mut self) -> Option<SseMessage> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut message = SseMessage {
                id: None,
                event: "message".into(),
                data: Value::Null,
            };
            let mut data = String::new();
            let mut fields = 0;
            for line in block.lines().filter(|l| !l.is_empty()) {
                if line.starts_with(':') {
                    self.comments += 1;
                    continue;
                }
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match name {
                    "id" => message.id = Some(value.to_owned()),
                    "event" => message.event = value.to_owned(),
                    "data" => data.push_str(value),
                    _ => {}
                }
                if name != "retry" {
                    fields += 1;
                }
            }
            if fields > 0 {
                message.data = serde_json::from_str(&data).unwrap_or(Value::Null);
                return Some(message);
            }
        }
    }
}
