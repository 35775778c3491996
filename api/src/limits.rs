//! Bounded resources per connection: a deadline for request bodies (slow bodies get 408 and
//! the connection is closed) and a cap on concurrent connections per client address.
//!
//! actix closes connections whose headers trickle in (`client_request_timeout`), but a body is
//! read by the handler at its own pace and has no timer: 1 byte/s kept a connection (and its
//! file descriptor) forever. Here the body must arrive within `body_timeout`, plus one second per
//! [`MIN_BODY_RATE`] bytes received, so a steady upload of a large photo over a slow mobile link
//! still passes while a trickle does not.

use std::{
    any::Any,
    cell::Cell,
    collections::HashMap,
    net::IpAddr,
    pin::Pin,
    rc::Rc,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
    time::Duration,
};

use actix_web::{
    Error, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{Extensions, Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    http::ConnectionType,
    middleware::Next,
    rt::time::{Instant, Sleep, sleep_until},
    web::{self, Bytes},
};
use futures_util::{Stream, StreamExt};

use crate::{error::ApiError, state::AppState};

type BoxedPayloadStream = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

/// Bytes per second a body must average, after the grace time, to keep its connection.
pub const MIN_BODY_RATE: u64 = 16 * 1024;

/// The request payload with a deadline that moves forward as bytes arrive.
struct DeadlineBody {
    inner: Payload,
    started: Instant,
    grace: Duration,
    received: u64,
    timer: Pin<Box<Sleep>>,
    timed_out: Rc<Cell<bool>>,
}

impl DeadlineBody {
    fn deadline(&self) -> Instant {
        self.started + self.grace + Duration::from_secs(self.received / MIN_BODY_RATE)
    }
}

impl Stream for DeadlineBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.timed_out.get() {
            return Poll::Ready(None);
        }
        match this.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let before = this.received / MIN_BODY_RATE;
                this.received += chunk.len() as u64;
                if this.received / MIN_BODY_RATE != before {
                    let deadline = this.deadline();
                    this.timer.as_mut().reset(deadline);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.timed_out.set(true);
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "request body timed out",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// The connections currently open per client address.
#[derive(Debug, Default)]
pub struct ConnectionTracker {
    cap: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// Stored in each connection's data; frees its place when the connection closes.
pub struct ConnectionSlot {
    tracker: Arc<ConnectionTracker>,
    ip: IpAddr,
    over_cap: bool,
}

impl ConnectionTracker {
    /// `cap` 0 means no cap.
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            cap,
            open: Mutex::default(),
        })
    }

    fn admit(self: &Arc<Self>, ip: IpAddr) -> ConnectionSlot {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let n = open.entry(ip).or_insert(0);
        *n += 1;
        ConnectionSlot {
            tracker: Arc::clone(self),
            ip,
            over_cap: self.cap > 0 && *n > self.cap,
        }
    }

    /// Connections open from `ip` right now.
    pub fn open_from(&self, ip: IpAddr) -> usize {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.get(&ip).copied().unwrap_or(0)
    }

    /// The `HttpServer::on_connect` callback: count the connection against its address.
    pub fn on_connect(self: Arc<Self>) -> impl Fn(&dyn Any, &mut Extensions) + Send + Sync {
        move |io, data| {
            if self.cap == 0 {
                return;
            }
            if let Some(stream) = io.downcast_ref::<actix_web::rt::net::TcpStream>()
                && let Ok(peer) = stream.peer_addr()
            {
                data.insert(self.admit(peer.ip()));
            }
        }
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self
            .tracker
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

fn closing(req: actix_web::HttpRequest, error: &ApiError) -> ServiceResponse<BoxBody> {
    let mut res = error.error_response();
    res.head_mut().set_connection_type(ConnectionType::Close);
    ServiceResponse::new(req, res)
}

/// Refuse requests on connections beyond the per-address cap; put a deadline on the body.
pub async fn bound_request(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req
        .conn_data::<ConnectionSlot>()
        .is_some_and(|slot| slot.over_cap)
    {
        let (req, _) = req.into_parts();
        return Ok(closing(req, &ApiError::TooManyConnections));
    }
    let grace = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config.body_timeout);
    let timed_out = Rc::new(Cell::new(false));
    if let Some(grace) = grace {
        let (_, payload) = req.parts_mut();
        if !matches!(payload, Payload::None) {
            let started = Instant::now();
            let body = DeadlineBody {
                inner: payload.take(),
                started,
                grace,
                received: 0,
                timer: Box::pin(sleep_until(started + grace)),
                timed_out: Rc::clone(&timed_out),
            };
            req.set_payload(Payload::from(Box::pin(body) as BoxedPayloadStream));
        }
    }
    let res = next.call(req).await?.map_into_boxed_body();
    if timed_out.get() {
        let (req, _) = res.into_parts();
        return Ok(closing(req, &ApiError::RequestTimeout));
    }
    Ok(res)
}
