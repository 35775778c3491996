//! The background task on actix's runtime: runs the scheduler tick of the application layer
//! (`application::scheduler`) every `LINLI_SCHEDULER_INTERVAL_SECS` seconds.

use std::time::Duration;

use actix_web::web;

pub use crate::application::scheduler::{TickReport, tick};
use crate::state::AppState;

/// Start the periodic task on actix's runtime (no-op when the interval is 0). Each tick runs on
/// the blocking pool; ticks never overlap within a process.
pub fn spawn(state: &AppState) {
    let secs = state.config.scheduler_interval_secs;
    if secs == 0 {
        tracing::info!("scheduler disabled (LINLI_SCHEDULER_INTERVAL_SECS=0)");
        return;
    }
    let app = state.app.clone();
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(Duration::from_secs(secs));
        loop {
            interval.tick().await;
            let app = app.clone();
            let started = std::time::Instant::now();
            let outcome = web::block(move || app.scheduler_tick()).await;
            let ok = matches!(&outcome, Ok(Ok(report)) if report.failed == 0);
            crate::metrics::scheduler_tick(started.elapsed(), ok);
            match outcome {
                Ok(Ok(report)) if report.changed() > 0 || report.failed > 0 => {
                    tracing::info!(?report, "scheduler tick");
                }
                Ok(Ok(report)) => tracing::debug!(?report, "scheduler tick"),
                Ok(Err(e)) => tracing::warn!(error = %e, "scheduler tick failed"),
                Err(e) => tracing::warn!(error = %e, "scheduler tick did not run"),
            }
        }
    });
}
