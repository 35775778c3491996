//! Prometheus metrics: requests and latency by route and status, the database pools, the
//! single writer's queue, the password-hashing and photo-processing queues and the scheduler's
//! runs. Served in the
//! text format on its own listener (`LINLI_METRICS_BIND`), never on the public API.

use std::{sync::OnceLock, time::Duration};

use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::state::AppState;

struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    password: IntGaugeVec,
    photos: IntGaugeVec,
    scheduler_runs: IntCounterVec,
    scheduler_seconds: HistogramVec,
}

/// Latency buckets in seconds: 0.5 ms to 10 s.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Register `collector` with `registry` and hand it back for recording.
fn registered<C: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    collector: prometheus::Result<C>,
) -> prometheus::Result<C> {
    let collector = collector?;
    registry.register(Box::new(collector.clone()))?;
    Ok(collector)
}

fn build() -> prometheus::Result<Metrics> {
    let registry = Registry::new_custom(Some("linli".into()), None)?;
    let counter = |name: &str, help: &str, labels: &[&str]| {
        registered(&registry, IntCounterVec::new(Opts::new(name, help), labels))
    };
    let gauge = |name: &str, help: &str, labels: &[&str]| {
        registered(&registry, IntGaugeVec::new(Opts::new(name, help), labels))
    };
    let histogram = |name: &str, help: &str, labels: &[&str]| {
        let opts = HistogramOpts::new(name, help).buckets(BUCKETS.to_vec());
        registered(&registry, HistogramVec::new(opts, labels))
    };
    let request_labels = ["method", "route", "status"];
    Ok(Metrics {
        requests: counter(
            "http_requests_total",
            "HTTP requests answered",
            &request_labels,
        )?,
        latency: histogram(
            "http_request_duration_seconds",
            "Time from the request head to the response",
            &request_labels,
        )?,
        pool: gauge(
            "db_connections",
            "Database connections by pool (readers, writer) and state (in_use, idle, waiting)",
            &["pool", "state"],
        )?,
        password: gauge(
            "password_hashing",
            "Password hashes running and callers waiting for a slot",
            &["state"],
        )?,
        photos: gauge(
            "photo_processing",
            "Uploads being decoded and re-encoded, and uploads waiting for a slot",
            &["state"],
        )?,
        scheduler_runs: counter(
            "scheduler_runs_total",
            "Scheduler ticks by outcome",
            &["outcome"],
        )?,
        scheduler_seconds: histogram(
            "scheduler_tick_duration_seconds",
            "Duration of a scheduler tick",
            &["outcome"],
        )?,
        registry,
    })
}

fn metrics() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| {
            build()
                .map_err(|e| tracing::error!(error = %e, "metrics disabled"))
                .ok()
        })
        .as_ref()
}

/// Record one scheduler tick (call it after every run, `ok` false when it failed).
pub fn scheduler_tick(duration: Duration, ok: bool) {
    if let Some(m) = metrics() {
        let outcome = if ok { "ok" } else { "failed" };
        m.scheduler_runs.with_label_values(&[outcome]).inc();
        m.scheduler_seconds
            .with_label_values(&[outcome])
            .observe(duration.as_secs_f64());
    }
}

/// Count the request and its latency under its route pattern (`/api/v1/issues/{id}`), never
/// the raw path, so the number of series stays fixed.
pub async fn record_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = std::time::Instant::now();
    let res = next.call(req).await?.map_into_boxed_body();
    if let Some(m) = metrics() {
        let route = res.request().match_pattern();
        let route = route.as_deref().unwrap_or("unmatched");
        let method = res.request().method().as_str();
        let status = res.status();
        let labels = [method, route, status.as_str()];
        m.requests.with_label_values(&labels).inc();
        m.latency
            .with_label_values(&labels)
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}

fn set_pool(m: &Metrics, pool: &str, stats: linli_infra::db::PoolStats) {
    let set = |state: &str, v: i64| m.pool.with_label_values(&[pool, state]).set(v);
    set("in_use", i64::from(stats.in_use));
    set("idle", i64::from(stats.idle));
    set("waiting", stats.waiting as i64);
}

/// The text exposition of every metric, with the gauges read now.
pub fn render(state: &AppState) -> String {
    let Some(m) = metrics() else {
        return String::new();
    };
    set_pool(m, "readers", state.pool.reader_stats());
    set_pool(m, "writer", state.pool.writer_stats());
    for (gauge, (running, waiting)) in [
        (&m.password, linli_infra::password::queue_stats()),
        (&m.photos, linli_infra::images::queue_stats()),
    ] {
        gauge.with_label_values(&["running"]).set(running as i64);
        gauge.with_label_values(&["waiting"]).set(waiting as i64);
    }
    let mut out = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&m.registry.gather(), &mut out) {
        tracing::error!(error = %e, "metrics encoding failed");
    }
    String::from_utf8(out).unwrap_or_default()
}

async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, prometheus::TEXT_FORMAT))
        .body(render(&state))
}

/// The metrics listener's app: `GET /metrics` only.
pub fn app(
    state: AppState,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(web::Data::new(state))
        .route("/metrics", web::get().to(get_metrics))
}
