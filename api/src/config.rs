//! Configuration from environment variables (each documented in the README).

use std::path::PathBuf;

use crate::photos::PhotoStoreKind;
use chrono::Duration;
pub use linli_domain::report::ReportWeights;
use linli_domain::{
    calendar::DeadlineSpan,
    issue::WorkflowConfig,
    labels::Lang,
    period::DistrictTz,
    triage::Level,
    urgency::{DeadlinePolicy, DeadlineSpans},
};
use linli_infra::repo::sms_codes::SmsCodePolicy;

#[derive(Debug, Clone)]
pub struct Config {
    /// `LINLI_DATABASE_URL`: a SQLite file path (default `./data/linli.db`) or `postgres://…`.
    pub database_url: String,
    /// `LINLI_BIND`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `LINLI_DATA_DIR`, default `./data`: SQLite file, generated JWT secret, photos.
    pub data_dir: PathBuf,
    /// `LINLI_JWT_SECRET` (≥ 32 bytes); generated into the data directory when unset on SQLite.
    pub jwt_secret: Option<String>,
    /// `LINLI_ACCESS_TOKEN_MINUTES`, default 15.
    pub access_ttl: Duration,
    /// `LINLI_REFRESH_TOKEN_DAYS`, default 30.
    pub refresh_ttl: Duration,
    /// `LINLI_DB_POOL_SIZE`, default 10.
    pub pool_size: u32,
    /// `LINLI_SCHEDULER_INTERVAL_SECS`, default 60; 0 disables the background task.
    pub scheduler_interval_secs: u64,
    /// `LINLI_LOGIN_MAX_FAILURES` (default 5) within `LINLI_LOGIN_WINDOW_MINUTES` (default 15).
    pub login_max_failures: i64,
    pub login_window: Duration,
    /// `LINLI_LOGIN_DELAY_SECS` (default 10): after the third failed password of a phone from
    /// one address, the next try waits this long, doubled with every further failure.
    pub login_delay: Duration,
    /// `LINLI_SMS_SENDER`: `file:PATH` (default `file:<data dir>/sms.jsonl`) or `http:URL`.
    pub sms_sender: Option<String>,
    /// `LINLI_SMS_SECRET`: the key shared with the SMS gateway (≥ 16 bytes, `http:` only).
    pub sms_secret: Option<String>,
    /// `LINLI_WORKERS`, default: the number of CPUs.
    pub workers: Option<usize>,
    /// `LINLI_PASSWORD_HASH_THREADS`: password hashes run at once, default 0 = one per core.
    pub password_hash_threads: usize,
    /// `LINLI_PASSWORD_HASH_QUEUE`, default 32: callers waiting to hash beyond which a login
    /// gets 503 with `Retry-After`.
    pub password_hash_queue: usize,
    /// `LINLI_BODY_TIMEOUT_SECS`, default 10: a request body must arrive within this time (plus
    /// one second per 16 KiB received, so slow but steady uploads pass); else 408.
    pub body_timeout: std::time::Duration,
    /// `LINLI_MAX_CONNECTIONS_PER_IP`, default 256 (residents behind one NAT share an address);
    /// 0 for no cap. Requests on connections beyond it get 429 and the connection is closed.
    pub max_connections_per_ip: usize,
    /// `LINLI_METRICS_BIND`: address of the Prometheus `/metrics` listener; off when unset.
    pub metrics_bind: Option<String>,
    /// `LINLI_FILING_QUOTA_PER_DAY`, default 20: issues one resident may file per day (the
    /// district's day); 0 for no quota. Counted in the database, so it holds across API nodes.
    pub filing_quota_per_day: u32,
    /// The rate-limit settings as given (`LINLI_RATE_LIMITS`, `LINLI_RATE_LIMIT_AUTH`,
    /// `LINLI_RATE_LIMIT_WRITES`, `LINLI_RATE_LIMIT_ACCOUNT_WRITES`, `LINLI_TRUSTED_PROXY_HOPS`);
    /// see `ratelimit::Limits`. Checked when the configuration is read.
    pub rate_limits: Vec<(&'static str, String)>,
    /// `LINLI_DOCS`: `on` (default) serves the docs UI (`/docs/`) and the spec
    /// (`/api-docs/openapi.json`); `off` hides both (a deployment that publishes neither).
    pub docs: bool,
    /// `LINLI_CORS_ORIGINS`: comma-separated origins (`https://app.example.cn`) whose browser
    /// pages may call the API; empty (default): no CORS.
    pub cors_origins: Vec<String>,
    /// `LINLI_SMS_CODE_TTL_SECS` (300), `LINLI_SMS_RESEND_SECS` (60), `LINLI_SMS_PER_DAY` (10),
    /// `LINLI_SMS_MAX_TRIES` (5): how verification codes are issued and checked.
    pub sms_policy: SmsCodePolicy,
    /// `LINLI_PHOTO_STORE`: `database` (the default on PostgreSQL: every API node serves every
    /// photo) or `files` (under the data directory; the default on SQLite).
    pub photo_store: PhotoStoreKind,
    /// `LINLI_DEFAULT_LANGUAGE`: `zh-CN` (default) or `en`, for requests whose
    /// `Accept-Language` names neither.
    pub default_language: Lang,
    /// `LINLI_PHOTO_URL_TTL_SECS`, default 3600: how long the signed photo URLs in responses
    /// work without a bearer token (at least 60 s).
    pub photo_url_ttl: Duration,
    pub workflow: WorkflowConfig,
    pub report_weights: ReportWeights,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

/// A variable's value, `None` when unset or blank.
pub(crate) fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A numeric variable, `default` when unset.
pub(crate) fn num<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError {
            name,
            message: format!("`{v}` is not a valid number"),
        }),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(var("LINLI_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = var("LINLI_DATABASE_URL")
            .unwrap_or_else(|| data_dir.join("linli.db").to_string_lossy().into_owned());
        let photo_store = photo_store(&database_url)?;
        let mut workflow = WorkflowConfig {
            deadlines: deadline_policy()?,
            time_zone: time_zone()?,
            auto_confirm_after: Duration::days(num("LINLI_AUTO_CONFIRM_DAYS", 7)?),
            revisit_after: Duration::days(num("LINLI_REVISIT_AFTER_DAYS", 14)?),
            revisit_sample_percent: num("LINLI_REVISIT_SAMPLE_PERCENT", 20u8)?.min(100),
            ..WorkflowConfig::default()
        };
        if let Some(levels) = var("LINLI_SUPERVISED_LEVELS") {
            workflow.supervised_levels = levels
                .split(',')
                .map(|l| Level::parse(l.trim()))
                .collect::<Result<_, _>>()
                .map_err(|e| ConfigError {
                    name: "LINLI_SUPERVISED_LEVELS",
                    message: e.to_string(),
                })?;
        }
        Ok(Self {
            database_url,
            bind: var("LINLI_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            jwt_secret: var("LINLI_JWT_SECRET"),
            access_ttl: Duration::minutes(num("LINLI_ACCESS_TOKEN_MINUTES", 15)?),
            refresh_ttl: Duration::days(num("LINLI_REFRESH_TOKEN_DAYS", 30)?),
            pool_size: num("LINLI_DB_POOL_SIZE", 10)?,
            scheduler_interval_secs: num("LINLI_SCHEDULER_INTERVAL_SECS", 60)?,
            login_max_failures: num("LINLI_LOGIN_MAX_FAILURES", 5)?,
            login_window: Duration::minutes(num("LINLI_LOGIN_WINDOW_MINUTES", 15)?),
            login_delay: Duration::seconds(num("LINLI_LOGIN_DELAY_SECS", 10)?),
            sms_sender: sms_sender()?,
            sms_secret: var("LINLI_SMS_SECRET"),
            workers: var("LINLI_WORKERS").and_then(|w| w.parse().ok()),
            password_hash_threads: num("LINLI_PASSWORD_HASH_THREADS", 0)?,
            password_hash_queue: num(
                "LINLI_PASSWORD_HASH_QUEUE",
                linli_infra::password::DEFAULT_QUEUE,
            )?,
            body_timeout: std::time::Duration::from_secs(num("LINLI_BODY_TIMEOUT_SECS", 10)?),
            max_connections_per_ip: num("LINLI_MAX_CONNECTIONS_PER_IP", 256)?,
            metrics_bind: var("LINLI_METRICS_BIND"),
            docs: switch("LINLI_DOCS", true)?,
            cors_origins: cors_origins()?,
            sms_policy: sms_policy()?,
            photo_store,
            default_language: default_language()?,
            photo_url_ttl: photo_url_ttl()?,
            rate_limits: rate_limit_vars()?,
            filing_quota_per_day: num("LINLI_FILING_QUOTA_PER_DAY", 20)?,
            workflow,
            report_weights: ReportWeights::default(),
        })
    }

    /// Defaults for tests: everything in memory but the database.
    pub fn for_tests(database_url: String, data_dir: PathBuf) -> Self {
        Self {
            database_url,
            bind: "127.0.0.1:0".into(),
            data_dir,
            jwt_secret: Some("test-secret-test-secret-test-secret-0123".into()),
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
            pool_size: 8,
            scheduler_interval_secs: 0,
            login_max_failures: 5,
            login_window: Duration::minutes(15),
            login_delay: Duration::seconds(10),
            // The file sender under the data directory: tests read the codes from it.
            sms_sender: None,
            sms_secret: None,
            workers: Some(2),
            password_hash_threads: 0,
            password_hash_queue: linli_infra::password::DEFAULT_QUEUE,
            body_timeout: std::time::Duration::from_secs(10),
            max_connections_per_ip: 256,
            metrics_bind: None,
            docs: true,
            cors_origins: Vec::new(),
            sms_policy: SmsCodePolicy::default(),
            photo_store: PhotoStoreKind::Files,
            default_language: Lang::Zh,
            photo_url_ttl: Duration::hours(1),
            // Tests make many requests from one address; the limits' own tests turn them on.
            rate_limits: vec![("LINLI_RATE_LIMITS", "off".into())],
            // Tests file freely; the quota's own test turns it on.
            filing_quota_per_day: 0,
            workflow: WorkflowConfig::default(),
            report_weights: ReportWeights::default(),
        }
    }
}

/// The deadline spans: emergency and urgent cases in clock hours
/// (`LINLI_{EMERGENCY,URGENT}_{RESPONSE,RESOLUTION}_HOURS`), normal ones in working days
/// (`LINLI_NORMAL_{RESPONSE,RESOLUTION}_WORKING_DAYS`, default 1 and 5).
fn deadline_policy() -> Result<DeadlinePolicy, ConfigError> {
    let p = DeadlinePolicy::default();
    let hours = |name: &'static str, d: DeadlineSpan| -> Result<DeadlineSpan, ConfigError> {
        let default = match d {
            DeadlineSpan::ClockMinutes(m) => m / 60,
            DeadlineSpan::WorkingDays(n) => n * 24,
        };
        let hours: u32 = num(name, default)?;
        hours
            .checked_mul(60)
            .map(DeadlineSpan::ClockMinutes)
            .ok_or_else(|| ConfigError {
                name,
                message: format!("{hours} hours is too long"),
            })
    };
    let days = |name: &'static str, d: DeadlineSpan| -> Result<DeadlineSpan, ConfigError> {
        let default = match d {
            DeadlineSpan::WorkingDays(n) => n,
            DeadlineSpan::ClockMinutes(m) => m.div_ceil(24 * 60),
        };
        Ok(DeadlineSpan::WorkingDays(num(name, default)?))
    };
    Ok(DeadlinePolicy {
        emergency: DeadlineSpans {
            response: hours("LINLI_EMERGENCY_RESPONSE_HOURS", p.emergency.response)?,
            resolution: hours("LINLI_EMERGENCY_RESOLUTION_HOURS", p.emergency.resolution)?,
        },
        urgent: DeadlineSpans {
            response: hours("LINLI_URGENT_RESPONSE_HOURS", p.urgent.response)?,
            resolution: hours("LINLI_URGENT_RESOLUTION_HOURS", p.urgent.resolution)?,
        },
        normal: DeadlineSpans {
            response: days("LINLI_NORMAL_RESPONSE_WORKING_DAYS", p.normal.response)?,
            resolution: days("LINLI_NORMAL_RESOLUTION_WORKING_DAYS", p.normal.resolution)?,
        },
    })
}

/// `LINLI_TIME_ZONE`: the district's IANA time zone, default `Asia/Shanghai`.
fn time_zone() -> Result<DistrictTz, ConfigError> {
    match var("LINLI_TIME_ZONE") {
        None => Ok(DistrictTz::default()),
        Some(raw) => DistrictTz::parse(&raw).map_err(|_| ConfigError {
            name: "LINLI_TIME_ZONE",
            message: format!("`{raw}` is not an IANA time zone name such as Asia/Shanghai"),
        }),
    }
}

/// `LINLI_PHOTO_URL_TTL_SECS`: at least a minute (a URL must outlive the response that carries
/// it), at most a week.
fn photo_url_ttl() -> Result<Duration, ConfigError> {
    const NAME: &str = "LINLI_PHOTO_URL_TTL_SECS";
    let secs: i64 = num(NAME, 3600)?;
    if !(60..=7 * 24 * 3600).contains(&secs) {
        return Err(ConfigError {
            name: NAME,
            message: format!("{secs} is not between 60 and 604800 seconds"),
        });
    }
    Ok(Duration::seconds(secs))
}

/// `LINLI_SMS_SENDER`, checked for its form (`file:PATH` or `http:URL`).
fn sms_sender() -> Result<Option<String>, ConfigError> {
    let spec = var("LINLI_SMS_SENDER");
    if let Some(spec) = &spec {
        linli_infra::sms::SenderSpec::parse(spec).map_err(|e| ConfigError {
            name: "LINLI_SMS_SENDER",
            message: e.to_string(),
        })?;
    }
    Ok(spec)
}

/// An on/off setting: `on`/`off` (also `true`/`false`, `1`/`0`); unset → `default`.
fn switch(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("on" | "true" | "1" | "yes") => Ok(true),
        Some("off" | "false" | "0" | "no") => Ok(false),
        Some(other) => Err(ConfigError {
            name,
            message: format!("must be on or off, not `{other}`"),
        }),
    }
}

/// The rate-limit variables that are set, checked by building the limits once.
fn sms_policy() -> Result<SmsCodePolicy, ConfigError> {
    let d = SmsCodePolicy::default();
    let policy = SmsCodePolicy {
        ttl_ms: num("LINLI_SMS_CODE_TTL_SECS", d.ttl_ms / 1000)? * 1000,
        resend_interval_ms: num("LINLI_SMS_RESEND_SECS", d.resend_interval_ms / 1000)? * 1000,
        daily_limit: num("LINLI_SMS_PER_DAY", d.daily_limit)?,
        max_attempts: num("LINLI_SMS_MAX_TRIES", d.max_attempts)?,
    };
    let positive = [
        ("LINLI_SMS_CODE_TTL_SECS", policy.ttl_ms),
        ("LINLI_SMS_PER_DAY", policy.daily_limit),
        ("LINLI_SMS_MAX_TRIES", i64::from(policy.max_attempts)),
    ];
    match positive.into_iter().find(|(_, v)| *v < 1) {
        Some((name, _)) => Err(ConfigError {
            name,
            message: "must be at least 1".into(),
        }),
        None if policy.resend_interval_ms < 0 => Err(ConfigError {
            name: "LINLI_SMS_RESEND_SECS",
            message: "must not be negative".into(),
        }),
        None => Ok(policy),
    }
}

fn photo_store(database_url: &str) -> Result<PhotoStoreKind, ConfigError> {
    let name = "LINLI_PHOTO_STORE";
    match var(name).as_deref().map(str::trim) {
        None if database_url.starts_with("postgres") => Ok(PhotoStoreKind::Database),
        None => Ok(PhotoStoreKind::Files),
        Some("database") => Ok(PhotoStoreKind::Database),
        Some("files") => Ok(PhotoStoreKind::Files),
        Some(other) => Err(ConfigError {
            name,
            message: format!("`{other}` is neither `database` nor `files`"),
        }),
    }
}

fn default_language() -> Result<Lang, ConfigError> {
    let name = "LINLI_DEFAULT_LANGUAGE";
    match var(name) {
        None => Ok(Lang::default()),
        Some(tag) => Lang::of_tag(&tag).ok_or(ConfigError {
            name,
            message: format!("`{tag}` is neither zh-CN nor en"),
        }),
    }
}

/// `LINLI_CORS_ORIGINS`: each a `scheme://host[:port]` origin; `*` is refused (the API takes
/// bearer tokens, and a wildcard would let any page use them).
fn cors_origins() -> Result<Vec<String>, ConfigError> {
    let name = "LINLI_CORS_ORIGINS";
    let raw = var(name).unwrap_or_default();
    let origins = raw.split(',').map(str::trim).filter(|o| !o.is_empty());
    origins
        .map(|origin| {
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains(['/', '*', ' ']) => {
                    Ok(origin.to_owned())
                }
                _ => Err(ConfigError {
                    name,
                    message: format!("`{origin}` is not an origin like https://app.example.cn"),
                }),
            }
        })
        .collect()
}

fn rate_limit_vars() -> Result<Vec<(&'static str, String)>, ConfigError> {
    let vars: Vec<(&'static str, String)> = crate::ratelimit::Limits::VARIABLES
        .into_iter()
        .filter_map(|name| var(name).map(|v| (name, v)))
        .collect();
    crate::ratelimit::Limits::from_settings(&vars).map_err(|e| ConfigError {
        name: "LINLI_RATE_LIMITS",
        message: e.to_string(),
    })?;
    Ok(vars)
}
