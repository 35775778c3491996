//! Instant revocation: an access token works only while its account is enabled and its session
//! (refresh-token family) is live. The answer (with the resident's verification, which the
//! token does not carry) is cached per process for [`CHECK_TTL`], so the hot path costs no
//! database round trip; revocations and verifications made through this process clear the
//! cache at once, and other processes see them within [`CHECK_TTL`] (documented as at most 5 s).

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

/// What a session check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Logged out, password changed, role changed, account disabled or gone.
    Revoked,
    /// The token works; `verified` is the resident's verification (true for staff).
    Live { verified: bool },
}

/// Recent session checks of this process, by account and session.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<(i64, String), (SessionState, Instant)>>,
}

impl SessionCache {
    /// A fresh answer for this account and session, if there is one.
    pub fn get(&self, user: UserId, session: &str) -> Option<SessionState> {
        let entries = self.entries.lock().ok()?;
        let (live, at) = entries.get(&(user.0, session.to_owned()))?;
        (at.elapsed() < CHECK_TTL).then_some(*live)
    }

    pub fn put(&self, user: UserId, session: &str, live: SessionState) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert((user.0, session.to_owned()), (live, Instant::now()));
        }
    }

    /// Forget every answer (after a revocation or a verification through this process).
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl Application {
    /// Whether `user` is enabled and `session` (when the token names one) is not revoked, and
    /// whether a resident is verified. Reads the database; callers go through [`SessionCache`]
    /// first.
    pub fn session_state(&self, user: UserId, session: Option<&str>) -> AppResult<SessionState> {
        self.read(|conn| {
            let account = match users::find(conn, user) {
                Ok(account) => account,
                Err(RepoError::NotFound) => return Ok(SessionState::Revoked),
                Err(e) => return Err(e.into()),
            };
            let live = account.disabled_at.is_none()
                && match session {
                    Some(family) => sessions::family_live(conn, user, family)?,
                    None => true,
                };
            Ok(if live {
                SessionState::Live {
                    verified: is_verified(&account),
                }
            } else {
                SessionState::Revoked
            })
        })
    }
}

/// Residents count as verified only when the compound verified them; staff always do.
pub fn is_verified(account: &users::UserRow) -> bool {
    account
        .verification
        .as_deref()
        .is_none_or(|v| v == "verified")
}
