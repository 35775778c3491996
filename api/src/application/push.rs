//! Push to phones through the district's gateway: claim the due rows of the outbox, send each
//! as one signed JSON message, record the outcome. At least once: a row is marked delivered
//! only after the gateway acknowledged it, and every failure (or a process dying mid-send,
//! whose lease runs out) leads to another attempt, later each time.
//!
//! Delivery timing (leases, backoff) follows the wall clock, not the injected domain clock:
//! it is about the network, not about deadlines of cases.

use linli_domain::ids::NotificationId;
use std::time::Duration;

use chrono::{DateTime, Utc};
use linli_domain::{category::CategoryCode, ids::UserId};
use linli_infra::{
    push::PushTransport,
    repo::{categories, devices, outbox},
    time::from_millis,
};
use serde::Serialize;

use super::{AppResult, Application};

/// How the worker paces deliveries.
#[derive(Debug, Clone)]
pub struct PushPolicy {
    /// How long a claimed row is reserved for the claiming process.
    pub lease: Duration,
    /// Wait after the first failure; doubled after each further one...
    pub backoff_base: Duration,
    /// ...up to this.
    pub backoff_max: Duration,
    /// Rows claimed per round.
    pub batch: i64,
}

impl Default for PushPolicy {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(60),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(600),
            batch: 50,
        }
    }
}

impl PushPolicy {
    /// The wait before attempt `attempts + 1`: exponential, capped, with jitter in its upper
    /// half so that a gateway coming back is not hit by every row at the same instant.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exp = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        let full = self
            .backoff_base
            .saturating_mul(2u32.saturating_pow(exp))
            .min(self.backoff_max);
        let half = full / 2;
        half + half.mul_f64(rand::random::<f64>())
    }
}

/// A phone registered by the recipient.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PushDevice {
    pub token: String,
    pub platform: String,
}

/// The JSON body the gateway receives. `id` is the notification id: a message delivered twice
/// carries the same id, so the gateway can drop the repeat.
#[derive(Debug, Clone, Serialize)]
pub struct PushMessage {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub issue_id: i64,
    pub created_at: DateTime<Utc>,
    pub devices: Vec<PushDevice>,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PushReport {
    pub delivered: usize,
    pub failed: usize,
    /// Rows another process claimed first.
    pub skipped: usize,
}

impl Application {
    /// Send every outbox row due now (up to `policy.batch`), one claim and one POST at a time.
    /// `owner` names this process in the lease. Blocking: run it on the blocking pool.
    pub fn deliver_due_pushes(
        &self,
        transport: &dyn PushTransport,
        owner: &str,
        policy: &PushPolicy,
    ) -> AppResult<PushReport> {
        let mut report = PushReport::default();
        let due = self.read(|conn| Ok(outbox::due(conn, wall_ms(Utc::now()), policy.batch)?))?;
        for id in due {
            let now = Utc::now();
            let lease_until = now + chrono::Duration::from_std(policy.lease).unwrap_or_default();
            let claimed = self.write(|conn| {
                Ok(outbox::claim(
                    conn,
                    id,
                    owner,
                    wall_ms(now),
                    wall_ms(lease_until),
                )?)
            })?;
            if !claimed {
                report.skipped += 1;
                continue;
            }
            let sent = self
                .push_message(id)
                .and_then(|message| serde_json::to_vec(&message).map_err(super::AppError::internal))
                .and_then(|body| {
                    transport
                        .post(&body)
                        .map_err(|e| super::AppError::Unavailable(e.to_string()))
                });
            match sent {
                Ok(()) => {
                    self.write(|conn| {
                        Ok(outbox::mark_delivered(
                            conn,
                            NotificationId(id),
                            wall_ms(Utc::now()),
                        )?)
                    })?;
                    report.delivered += 1;
                }
                Err(e) => {
                    let attempts =
                        self.read(|conn| Ok(outbox::find(conn, NotificationId(id))?.attempts))?;
                    let retry_at = Utc::now()
                        + chrono::Duration::from_std(policy.backoff(attempts)).unwrap_or_default();
                    tracing::info!(notification_id = id, attempts, error = %e, "push not delivered; will retry");
                    self.write(|conn| {
                        Ok(outbox::mark_failed(
                            conn,
                            id,
                            owner,
                            wall_ms(retry_at),
                            &e.to_string(),
                        )?)
                    })?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// The message for one outbox row, with the recipient's devices as they are now.
    pub fn push_message(&self, notification_id: i64) -> AppResult<PushMessage> {
        let (source, devices, category) = self.read(|conn| {
            let source = outbox::source(conn, NotificationId(notification_id))?;
            let devices = devices::of_user(conn, UserId(source.user_id))?;
            let category = CategoryCode::parse(&source.category)
                .ok()
                .and_then(|code| categories::find(conn, code).ok())
                .map_or_else(|| "诉求".to_owned(), |e| e.name_zh.into_string());
            Ok((source, devices, category))
        })?;
        Ok(PushMessage {
            id: source.notification_id,
            user_id: source.user_id,
            title: title_zh(&source.kind).to_owned(),
            body: format!("{category}：{}", excerpt(&source.description, 60)),
            kind: source.kind,
            issue_id: source.issue_id,
            created_at: from_millis(source.created_at)?,
            devices: devices
                .into_iter()
                .map(|d| PushDevice {
                    token: d.token,
                    platform: d.platform,
                })
                .collect(),
        })
    }
}

fn wall_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The first `chars` characters of `text`, with an ellipsis when cut.
fn excerpt(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    if text.chars().nth(chars).is_some() {
        out.push('…');
    }
    out
}

/// The notification's title on the phone's lock screen, by event kind.
pub fn title_zh(kind: &str) -> &'static str {
    match kind {
        "created" => "新诉求待分派",
        "triaged" => "诉求已分派",
        "rejected" => "诉求未受理",
        "withdrawn" => "诉求已撤回",
        "answered" => "诉求已答复",
        "declined" => "诉求被退回重派",
        "mediation_settled" => "调解成功",
        "mediation_failed" => "调解未成功",
        "deliberated" => "已议事协商",
        "rectified" => "整改已完成",
        "supervision_passed" => "监督验收通过",
        "supervision_failed" => "监督验收未通过",
        "confirmed" => "诉求已办结",
        "not_resolved" => "居民反馈未解决",
        "auto_confirmed" => "诉求已自动办结",
        "revisit_confirmed" => "回头看：问题未复发",
        "revisit_recurred" => "回头看：问题复发",
        "escalated" => "诉求超时已升级",
        "revisit_queued" => "有诉求待回头看",
        "backstopped" => "楼栋长超时未应答，诉求转网格员",
        _ => "诉求有新进展",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let p = PushPolicy {
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(10),
            ..PushPolicy::default()
        };
        for (attempts, full) in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (40, 10)] {
            let d = p.backoff(attempts);
            let full = Duration::from_secs(full);
            assert!(d >= full / 2 && d <= full, "{attempts}: {d:?}");
        }
    }

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("楼道堆放杂物", 4), "楼道堆放…");
        assert_eq!(excerpt("漏水", 4), "漏水");
    }
}
