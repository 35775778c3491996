//! Instant revocation: an access token works only while its account is enabled and its session
//! (refresh-token family) is live. The answer is cached per process for [`CHECK_TTL`], so the
//! hot path costs no database round trip; revocations made through this process clear the
//! cache at once, and other processes see them within [`CHECK_TTL`].

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use linli_domain::ids::UserId;
use linli_infra::{
    RepoError,
    repo::{sessions, users},
};

use crate::application::{AppResult, Application};

/// How long a session check is trusted: the bound on staleness across API processes.
pub const CHECK_TTL: Duration = Duration::from_secs(2);
/// Entries kept at most; beyond it the cache starts afresh (it only saves round trips).
const MAX_ENTRIES: usize = 100_000;

/// Recent session checks of this process, by account and session.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<(i64, String), (bool, Instant)>>,
}

impl SessionCache {
    /// A fresh answer for this account and session, if there is one.
    pub fn get(&self, user: UserId, session: &str) -> Option<bool> {
        let entries = self.entries.lock().ok()?;
        let (live, at) = entries.get(&(user.0, session.to_owned()))?;
        (at.elapsed() < CHECK_TTL).then_some(*live)
    }

    pub fn put(&self, user: UserId, session: &str, live: bool) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert((user.0, session.to_owned()), (live, Instant::now()));
        }
    }

    /// Forget every answer (after a revocation through this process).
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl Application {
    /// Whether `user` is enabled and `session` (when the token names one) is not revoked.
    /// Reads the database; callers go through [`SessionCache`] first.
    pub fn session_live(&self, user: UserId, session: Option<&str>) -> AppResult<bool> {
        self.read(|conn| {
            let account = match users::find(conn, user) {
                Ok(account) => account,
                Err(RepoError::NotFound) => return Ok(false),
                Err(e) => return Err(e.into()),
            };
            if account.disabled_at.is_some() {
                return Ok(false);
            }
            match session {
                Some(family) => Ok(sessions::family_live(conn, user, family)?),
                None => Ok(true),
            }
        })
    }
}
