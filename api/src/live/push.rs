//! The push worker: when `LINLI_PUSH_WEBHOOK` is set, every process delivers the outbox to the
//! district's gateway (spawned like the scheduler). Claims are leases in the database, so any
//! number of processes may run it; what one leaves undelivered (gateway down, process gone)
//! another one — or the same one after a restart — delivers later.

use std::{sync::Arc, time::Duration};

use actix_web::{rt::task::JoinHandle, web};
use linli_infra::{push::WebhookGateway, tokens::random_token};

use crate::{
    application::push::PushPolicy,
    config::{ConfigError, num, var},
    state::AppState,
};

/// The push configuration (each variable documented in the README).
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// `LINLI_PUSH_WEBHOOK`: the gateway's URL; push is off without it.
    pub webhook: String,
    /// `LINLI_PUSH_SECRET` (≥ 16 bytes, required with the webhook): the HMAC-SHA256 key of the
    /// `X-Linli-Signature` header.
    pub secret: String,
    /// `LINLI_PUSH_INTERVAL_MS`, default 1000: how often the outbox is looked at.
    pub interval: Duration,
    /// `LINLI_PUSH_TIMEOUT_SECS`, default 10: per request to the gateway.
    pub timeout: Duration,
    /// `LINLI_PUSH_BACKOFF_BASE_MS` (default 1000) and `LINLI_PUSH_BACKOFF_MAX_SECS` (default
    /// 600): the first retry wait, doubled per failure up to the maximum.
    pub policy: PushPolicy,
}

impl PushConfig {
    /// `None` when `LINLI_PUSH_WEBHOOK` is unset.
    pub fn from_env() -> Result<Option<Self>, ConfigError> {
        let Some(webhook) = var("LINLI_PUSH_WEBHOOK") else {
            return Ok(None);
        };
        let secret = var("LINLI_PUSH_SECRET").unwrap_or_default();
        if secret.len() < 16 {
            return Err(ConfigError {
                name: "LINLI_PUSH_SECRET",
                message: "must be set (at least 16 bytes) when LINLI_PUSH_WEBHOOK is".into(),
            });
        }
        let defaults = PushPolicy::default();
        Ok(Some(Self {
            webhook,
            secret,
            interval: Duration::from_millis(num("LINLI_PUSH_INTERVAL_MS", 1000)?),
            timeout: Duration::from_secs(num("LINLI_PUSH_TIMEOUT_SECS", 10)?),
            policy: PushPolicy {
                backoff_base: Duration::from_millis(num("LINLI_PUSH_BACKOFF_BASE_MS", 1000)?),
                backoff_max: Duration::from_secs(num("LINLI_PUSH_BACKOFF_MAX_SECS", 600)?),
                ..defaults
            },
        }))
    }

    /// Defaults around a webhook and its secret.
    pub fn new(webhook: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            webhook: webhook.into(),
            secret: secret.into(),
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            policy: PushPolicy::default(),
        }
    }
}

/// Start delivering on actix's runtime. Rounds never overlap within a process; a full batch is
/// followed by the next one at once. The handle stops the worker when aborted.
pub fn spawn(state: &AppState, config: PushConfig) -> JoinHandle<()> {
    let state = state.clone();
    // The URL is not logged: a gateway may take its credentials in it.
    tracing::info!("push worker started");
    actix_web::rt::spawn(async move {
        let gateway = Arc::new(WebhookGateway::new(
            config.webhook.clone(),
            config.secret.clone().into_bytes(),
            config.timeout,
        ));
        // Names this process in the leases it takes.
        let owner = Arc::new(random_token(9));
        let policy = Arc::new(config.policy.clone());
        loop {
            let (app, gateway, owner, policy) = (
                state.app.clone(),
                gateway.clone(),
                owner.clone(),
                policy.clone(),
            );
            let round =
                web::block(move || app.deliver_due_pushes(gateway.as_ref(), &owner, &policy)).await;
            let full = match round {
                Ok(Ok(report)) => {
                    if report.delivered + report.failed > 0 {
                        tracing::debug!(?report, "push round");
                    }
                    let handled = report.delivered + report.failed + report.skipped;
                    i64::try_from(handled).unwrap_or(0) >= config.policy.batch
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "push round failed");
                    false
                }
                Err(e) => {
                    tracing::warn!(error = %e, "push round did not run");
                    false
                }
            };
            if !full {
                actix_web::rt::time::sleep(config.interval).await;
            }
        }
    })
}
