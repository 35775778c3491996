//! In-process rate limits per client address and per account (GCRA, `governor`), reported with
//! the IETF `RateLimit-Policy` / `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10).
//! Limits that must hold across API nodes (login failures, SMS codes) are counted in the
//! database instead; these protect each node cheaply.

use std::{
    hash::Hash,
    net::IpAddr,
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use actix_web::{
    Error, HttpResponse, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method,
        header::{HeaderMap, HeaderName, HeaderValue},
    },
    middleware::Next,
    web,
};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use crate::error::ApiError;

pub static RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
pub static RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// A named quota: `quota` requests per `window_secs` seconds, refilled evenly (GCRA), so a
/// client may burst up to `quota` and then goes at `quota / window` per second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub name: &'static str,
    pub quota: NonZeroU32,
    pub window_secs: NonZeroU32,
}

impl Policy {
    /// Parse `Q/W` (Q requests per W seconds), as in `LINLI_RATE_LIMIT_AUTH=20/60`.
    pub fn parse(name: &'static str, spec: &str) -> Result<Self, LimitsConfigError> {
        let bad = || LimitsConfigError(format!("{name}: expected QUOTA/SECONDS, got `{spec}`"));
        let (q, w) = spec.trim().split_once('/').ok_or_else(bad)?;
        Ok(Self {
            name,
            quota: q.trim().parse().map_err(|_| bad())?,
            window_secs: w.trim().parse().map_err(|_| bad())?,
        })
    }

    fn quota(&self) -> Quota {
        let period = Duration::from_secs(u64::from(self.window_secs.get()));
        // `period / quota` is never zero for whole seconds and a u32 quota, but fall back to
        // the coarsest sensible quota rather than panic.
        Quota::with_period(period / self.quota.get())
            .unwrap_or_else(|| Quota::per_second(self.quota))
            .allow_burst(self.quota)
    }

    /// `"name";q=60;w=60`
    fn policy_item(&self) -> String {
        format!("\"{}\";q={};w={}", self.name, self.quota, self.window_secs)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rate limit configuration: {0}")]
pub struct LimitsConfigError(String);

/// The `RateLimit-Policy` and `RateLimit` values for one or more policies that let a request
/// through; added to its response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    policies: Vec<String>,
    limits: Vec<String>,
}

impl RateLimitHeaders {
    fn one(policy: &Policy, remaining: u32, reset_secs: u64) -> Self {
        Self {
            policies: vec![policy.policy_item()],
            limits: vec![format!("\"{}\";r={remaining};t={reset_secs}", policy.name)],
        }
    }

    /// Several policies apply to one request: both fields become lists.
    pub fn merge(mut self, other: Self) -> Self {
        self.policies.extend(other.policies);
        self.limits.extend(other.limits);
        self
    }

    /// `RateLimit-Policy`, e.g. `"auth";q=20;w=60`.
    pub fn policy_value(&self) -> String {
        self.policies.join(", ")
    }

    /// `RateLimit`, e.g. `"auth";r=19;t=3`.
    pub fn limit_value(&self) -> String {
        self.limits.join(", ")
    }

    pub fn apply(&self, headers: &mut HeaderMap) {
        if self.policies.is_empty() {
            return;
        }
        for (name, value) in [
            (&RATELIMIT_POLICY, self.policy_value()),
            (&RATELIMIT, self.limit_value()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name.clone(), value);
            }
        }
    }
}

/// A request refused by a policy: 429 with `Retry-After` and the fields of every policy
/// checked so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: u64,
    pub headers: RateLimitHeaders,
}

impl Limited {
    pub fn into_response(self) -> HttpResponse {
        let retry_after = i64::try_from(self.retry_after).unwrap_or(i64::MAX);
        let mut res = ApiError::TooManyRequests { retry_after }.error_response();
        self.headers.apply(res.headers_mut());
        res
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// One policy applied per key (an address, an account).
pub struct KeyedLimit<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    policy: Policy,
    limiter: RateLimiter<K, DefaultKeyedStateStore<K>, C, StateInformationMiddleware>,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    pub fn new(policy: Policy) -> Self {
        Self::with_clock(policy, DefaultClock::default())
    }
}

impl<K: Hash + Eq + Clone, C: Clock> KeyedLimit<K, C> {
    pub fn with_clock(policy: Policy, clock: C) -> Self {
        let limiter = RateLimiter::<K, _, C, StateInformationMiddleware>::new(
            policy.quota(),
            DefaultKeyedStateStore::default(),
            clock,
        );
        Self { policy, limiter }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Count one request for `key`: the headers to add, or the refusal.
    pub fn check(&self, key: &K) -> Result<RateLimitHeaders, Limited> {
        let quota = self.policy.quota();
        match self.limiter.check_key(key) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                // Time until the quota is whole again: one replenish interval per used unit.
                let used = self.policy.quota.get().saturating_sub(remaining);
                let reset = quota.replenish_interval() * used;
                Ok(RateLimitHeaders::one(
                    &self.policy,
                    remaining,
                    ceil_secs(reset),
                ))
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                let retry_after = ceil_secs(wait).max(1);
                Err(Limited {
                    retry_after,
                    headers: RateLimitHeaders::one(&self.policy, 0, retry_after),
                })
            }
        }
    }

    /// Forget keys whose quota is whole again (they carry no information).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    pub fn tracked_keys(&self) -> usize {
        self.limiter.len()
    }
}

/// The key of a client address. IPv6 clients are counted per /64: one subscriber usually
/// holds a whole /64 and could otherwise rotate addresses freely.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Every in-process limit of one API node.
pub struct Limits {
    enabled: bool,
    /// Reverse proxies in front of the API that append to `X-Forwarded-For`; 0 means the
    /// peer address is the client (a client-supplied `X-Forwarded-For` is then ignored).
    trusted_proxy_hops: usize,
    pub auth_per_address: KeyedLimit<IpAddr>,
    pub writes_per_address: KeyedLimit<IpAddr>,
    pub writes_per_account: KeyedLimit<i64>,
    checks: AtomicU64,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("enabled", &self.enabled)
            .field("trusted_proxy_hops", &self.trusted_proxy_hops)
            .field("auth_per_address", &self.auth_per_address.policy)
            .field("writes_per_address", &self.writes_per_address.policy)
            .field("writes_per_account", &self.writes_per_account.policy)
            .finish()
    }
}

/// Forget idle keys after this many checks, so memory follows the active clients only.
const HOUSEKEEPING_EVERY: u64 = 4096;

impl Limits {
    pub const DEFAULT_AUTH: &str = "20/60";
    pub const DEFAULT_WRITES_PER_ADDRESS: &str = "120/60";
    pub const DEFAULT_WRITES_PER_ACCOUNT: &str = "60/60";

    /// Every variable the limits read (kept in `Config::rate_limits`):
    /// - `LINLI_RATE_LIMITS=off` turns every limit off (benchmarks);
    /// - `LINLI_RATE_LIMIT_AUTH` (default `20/60`): requests to `/api/v1/auth/*` per address;
    /// - `LINLI_RATE_LIMIT_WRITES` (default `120/60`): POST/PUT/PATCH/DELETE per address;
    /// - `LINLI_RATE_LIMIT_ACCOUNT_WRITES` (default `60/60`): writes per account;
    /// - `LINLI_TRUSTED_PROXY_HOPS` (default 0): proxies appending to `X-Forwarded-For`.
    pub const VARIABLES: [&str; 5] = [
        "LINLI_RATE_LIMITS",
        "LINLI_RATE_LIMIT_AUTH",
        "LINLI_RATE_LIMIT_WRITES",
        "LINLI_RATE_LIMIT_ACCOUNT_WRITES",
        "LINLI_TRUSTED_PROXY_HOPS",
    ];

    /// From the settings kept in the configuration (`Config::rate_limits`).
    pub fn from_settings(vars: &[(&'static str, String)]) -> Result<Self, LimitsConfigError> {
        Self::from_lookup(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// The limits the variables describe, read through `var`.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, LimitsConfigError> {
        let enabled = match var("LINLI_RATE_LIMITS").as_deref().map(str::trim) {
            None | Some("" | "on" | "true" | "1") => true,
            Some("off" | "false" | "0") => false,
            Some(other) => {
                return Err(LimitsConfigError(format!(
                    "LINLI_RATE_LIMITS must be `on` or `off`, not `{other}`"
                )));
            }
        };
        let policy = |name, variable: &str, default: &str| {
            Policy::parse(name, var(variable).as_deref().unwrap_or(default))
        };
        let trusted_proxy_hops = match var("LINLI_TRUSTED_PROXY_HOPS") {
            None => 0,
            Some(v) => v.trim().parse().map_err(|_| {
                LimitsConfigError(format!(
                    "LINLI_TRUSTED_PROXY_HOPS must be a number, not `{v}`"
                ))
            })?,
        };
        Ok(Self {
            enabled,
            trusted_proxy_hops,
            auth_per_address: KeyedLimit::new(policy(
                "auth",
                "LINLI_RATE_LIMIT_AUTH",
                Self::DEFAULT_AUTH,
            )?),
            writes_per_address: KeyedLimit::new(policy(
                "writes",
                "LINLI_RATE_LIMIT_WRITES",
                Self::DEFAULT_WRITES_PER_ADDRESS,
            )?),
            writes_per_account: KeyedLimit::new(policy(
                "account",
                "LINLI_RATE_LIMIT_ACCOUNT_WRITES",
                Self::DEFAULT_WRITES_PER_ACCOUNT,
            )?),
            checks: AtomicU64::new(0),
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The request's client address (see [`client_ip`]).
    pub fn client_address(&self, req: &ServiceRequest) -> Option<IpAddr> {
        client_ip(
            req.peer_addr().map(|a| a.ip()),
            req.headers(),
            self.trusted_proxy_hops,
        )
    }

    /// Count a request from `ip` against the policies its method and path fall under.
    /// `Ok` carries the headers to add (empty when no policy applies or limits are off).
    pub fn check_request(
        &self,
        method: &Method,
        path: &str,
        ip: IpAddr,
    ) -> Result<RateLimitHeaders, Limited> {
        let mut headers = RateLimitHeaders::default();
        if !self.enabled {
            return Ok(headers);
        }
        self.housekeeping();
        let key = address_key(ip);
        if path.starts_with("/api/v1/auth/") {
            headers = headers.merge(self.auth_per_address.check(&key)?);
        }
        if is_write(method) {
            match self.writes_per_address.check(&key) {
                Ok(h) => headers = headers.merge(h),
                Err(mut refused) => {
                    // The client also learns where it stands on the policies that passed.
                    refused.headers = headers.merge(refused.headers);
                    return Err(refused);
                }
            }
        }
        Ok(headers)
    }

    /// Count a write by an authenticated account (for the auth extractor to call).
    pub fn check_account_write(&self, user_id: i64) -> Result<RateLimitHeaders, Limited> {
        if !self.enabled {
            return Ok(RateLimitHeaders::default());
        }
        self.writes_per_account.check(&user_id)
    }

    fn housekeeping(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % HOUSEKEEPING_EVERY
            == HOUSEKEEPING_EVERY - 1
        {
            self.auth_per_address.forget_idle();
            self.writes_per_address.forget_idle();
            self.writes_per_account.forget_idle();
        }
    }
}

fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// The client's address: the peer, or — behind `trusted_proxy_hops` proxies — the entry of
/// `X-Forwarded-For` that the outermost trusted proxy appended. Entries further left are
/// whatever the client sent and are never trusted.
pub fn client_ip(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted_proxy_hops: usize,
) -> Option<IpAddr> {
    if trusted_proxy_hops == 0 {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    forwarded
        .len()
        .checked_sub(trusted_proxy_hops)
        .and_then(|i| forwarded.get(i).copied())
        .or(peer)
}

/// `LINLI_TRUSTED_PROXY_HOPS` from the configuration's rate-limit settings (0 when unset).
pub fn trusted_hops(settings: &[(&'static str, String)]) -> usize {
    settings
        .iter()
        .find(|(name, _)| *name == "LINLI_TRUSTED_PROXY_HOPS")
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Middleware: per-address limits on `/api/v1/auth/*` and on writes, with the `RateLimit`
/// fields on every limited route's response and a 429 problem with `Retry-After` beyond the
/// quota. Needs `web::Data<Limits>` in the app; without it, or with limits off, it passes.
pub async fn limit_by_address(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limits = req.app_data::<web::Data<Limits>>().cloned();
    let checked = match (
        &limits,
        limits.as_ref().and_then(|l| l.client_address(&req)),
    ) {
        (Some(limits), Some(ip)) => limits.check_request(req.method(), req.path(), ip),
        _ => Ok(RateLimitHeaders::default()),
    };
    match checked {
        Ok(headers) => {
            let mut res = next.call(req).await?;
            headers.apply(res.headers_mut());
            Ok(res.map_into_boxed_body())
        }
        Err(limited) => Ok(req.into_response(limited.into_response())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::{collections::HashMap, net::Ipv4Addr};

    use actix_web::{
        App, HttpResponse, http::StatusCode, middleware::from_fn, test as actix_test, web,
    };
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn policy(name: &'static str, spec: &str) -> Policy {
        Policy::parse(name, spec).unwrap()
    }

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn a_keyed_limit_counts_down_then_refuses_then_refills() {
        let clock = FakeRelativeClock::default();
        let limit = KeyedLimit::with_clock(policy("auth", "3/60"), clock.clone());
        let h = limit.check(&A).unwrap();
        assert_eq!(h.policy_value(), r#""auth";q=3;w=60"#);
        assert_eq!(h.limit_value(), r#""auth";r=2;t=20"#);
        assert_eq!(limit.check(&A).unwrap().limit_value(), r#""auth";r=1;t=40"#);
        assert_eq!(limit.check(&A).unwrap().limit_value(), r#""auth";r=0;t=60"#);
        let refused = limit.check(&A).unwrap_err();
        assert_eq!(refused.retry_after, 20, "one unit comes back every 20 s");
        assert_eq!(refused.headers.limit_value(), r#""auth";r=0;t=20"#);
        // Another key has its own quota.
        assert!(limit.check(&B).is_ok());

        clock.advance(Duration::from_secs(19));
        assert_eq!(limit.check(&A).unwrap_err().retry_after, 1);
        clock.advance(Duration::from_secs(1));
        assert_eq!(limit.check(&A).unwrap().limit_value(), r#""auth";r=0;t=60"#);

        clock.advance(Duration::from_secs(120));
        limit.forget_idle();
        assert_eq!(limit.tracked_keys(), 0, "whole quotas are forgotten");
    }

    fn limits(vars: &[(&str, &str)]) -> Limits {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Limits::from_lookup(|name| vars.get(name).cloned()).unwrap()
    }

    #[test]
    fn configuration_comes_from_the_environment() {
        let l = limits(&[]);
        assert!(l.enabled());
        assert_eq!(l.auth_per_address.policy(), &policy("auth", "20/60"));
        let l = limits(&[
            ("LINLI_RATE_LIMITS", "off"),
            ("LINLI_RATE_LIMIT_AUTH", " 5 / 10 "),
        ]);
        assert!(!l.enabled());
        assert_eq!(l.auth_per_address.policy(), &policy("auth", "5/10"));
        for bad in [
            ("LINLI_RATE_LIMITS", "maybe"),
            ("LINLI_RATE_LIMIT_AUTH", "20"),
            ("LINLI_RATE_LIMIT_WRITES", "0/60"),
            ("LINLI_RATE_LIMIT_ACCOUNT_WRITES", "10/0"),
            ("LINLI_TRUSTED_PROXY_HOPS", "-1"),
        ] {
            let lookup = |name: &str| (name == bad.0).then(|| bad.1.to_owned());
            assert!(Limits::from_lookup(lookup).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn requests_fall_under_the_policies_of_their_path_and_method() {
        let l = limits(&[
            ("LINLI_RATE_LIMIT_AUTH", "2/60"),
            ("LINLI_RATE_LIMIT_WRITES", "3/60"),
        ]);
        // Reads outside auth: no policy, no headers.
        let h = l.check_request(&Method::GET, "/api/v1/issues", A).unwrap();
        assert_eq!(h, RateLimitHeaders::default());
        // A login is an auth request and a write: both policies, both listed.
        let h = l
            .check_request(&Method::POST, "/api/v1/auth/login", A)
            .unwrap();
        assert_eq!(h.policy_value(), r#""auth";q=2;w=60, "writes";q=3;w=60"#);
        assert_eq!(h.limit_value(), r#""auth";r=1;t=30, "writes";r=2;t=20"#);
        l.check_request(&Method::GET, "/api/v1/auth/me", A).unwrap();
        let refused = l
            .check_request(&Method::POST, "/api/v1/auth/login", A)
            .unwrap_err();
        assert_eq!(refused.retry_after, 30);
        // Writes elsewhere still have their own quota left.
        l.check_request(&Method::DELETE, "/api/v1/issues/1", A)
            .unwrap();

        let off = limits(&[
            ("LINLI_RATE_LIMITS", "off"),
            ("LINLI_RATE_LIMIT_AUTH", "1/60"),
        ]);
        for _ in 0..10 {
            assert!(
                off.check_request(&Method::POST, "/api/v1/auth/login", A)
                    .is_ok()
            );
            assert!(off.check_account_write(7).is_ok());
        }
    }

    #[test]
    fn accounts_are_limited_separately() {
        let l = limits(&[("LINLI_RATE_LIMIT_ACCOUNT_WRITES", "1/60")]);
        l.check_account_write(1).unwrap();
        l.check_account_write(2).unwrap();
        assert_eq!(l.check_account_write(1).unwrap_err().retry_after, 60);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped), A);
    }

    async fn ok() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_web::test]
    async fn the_middleware_adds_the_fields_and_answers_429_with_retry_after() {
        let l = web::Data::new(limits(&[("LINLI_RATE_LIMIT_AUTH", "2/60")]));
        let app = actix_test::init_service(
            App::new()
                .app_data(l)
                .wrap(from_fn(limit_by_address))
                .route("/api/v1/auth/login", web::post().to(ok))
                .route("/api/v1/issues", web::get().to(ok)),
        )
        .await;
        let login = || {
            actix_test::TestRequest::post()
                .uri("/api/v1/auth/login")
                .peer_addr("10.0.0.1:5000".parse().unwrap())
                .to_request()
        };
        let res = actix_test::call_service(&app, login()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(
            h.get("ratelimit-policy").unwrap(),
            r#""auth";q=2;w=60, "writes";q=120;w=60"#
        );
        assert_eq!(
            h.get("ratelimit").unwrap(),
            r#""auth";r=1;t=30, "writes";r=119;t=1"#
        );
        actix_test::call_service(&app, login()).await;
        let res = actix_test::call_service(&app, login()).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers().get("retry-after").unwrap(), "30");
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/problem+json"
        );
        assert_eq!(
            res.headers().get("ratelimit").unwrap(),
            r#""auth";r=0;t=30"#
        );
        let body: serde_json::Value = actix_test::read_body_json(res).await;
        assert_eq!(body["code"], "too_many_requests");

        // Another address is not affected; a read outside auth carries no fields.
        let other = actix_test::TestRequest::post()
            .uri("/api/v1/auth/login")
            .peer_addr("10.0.0.2:5000".parse().unwrap())
            .to_request();
        assert_eq!(
            actix_test::call_service(&app, other).await.status(),
            StatusCode::OK
        );
        let read = actix_test::TestRequest::get()
            .uri("/api/v1/issues")
            .peer_addr("10.0.0.1:5000".parse().unwrap())
            .to_request();
        let res = actix_test::call_service(&app, read).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("ratelimit").is_none());
    }

    #[actix_web::test]
    async fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let direct = limits(&[]);
        let proxied = limits(&[("LINLI_TRUSTED_PROXY_HOPS", "1")]);
        let req = actix_test::TestRequest::get()
            .peer_addr("192.0.2.1:443".parse().unwrap())
            .insert_header(("x-forwarded-for", "6.6.6.6, 10.0.0.1"))
            .to_srv_request();
        // Direct: the client-supplied header is ignored.
        assert_eq!(
            direct.client_address(&req),
            Some("192.0.2.1".parse().unwrap())
        );
        // One proxy: the entry it appended (the rightmost), never the spoofable left one.
        assert_eq!(proxied.client_address(&req), Some(A));
        let no_header = actix_test::TestRequest::get()
            .peer_addr("192.0.2.1:443".parse().unwrap())
            .to_srv_request();
        assert_eq!(
            proxied.client_address(&no_header),
            Some("192.0.2.1".parse().unwrap())
        );
    }
}
