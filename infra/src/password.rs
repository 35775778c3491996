//! Password hashing: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), PHC strings,
//! run under a process-wide limit. Both are CPU-heavy: call them off the async worker.
//!
//! Every hash or verification takes a 19 MiB buffer and a core for tens of milliseconds, so they
//! run in a bounded queue ([`Limiter`]): one per core by default, and beyond `queue` waiting
//! callers `hash` and `try_verify` refuse with [`RepoError::Overloaded`] (a 503 with
//! `Retry-After`).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::{RepoError, limiter::Limiter};

fn hasher() -> Argon2<'static> {
    // argon2 0.6's default is exactly argon2id v19, m=19456 KiB, t=2, p=1.
    Argon2::default()
}

/// Waiting callers beyond which hashing refuses, unless configured.
pub const DEFAULT_QUEUE: usize = 32;

static LIMITER: Limiter = Limiter::new("password hashing", 0, DEFAULT_QUEUE);

/// Set the limits (`parallel` 0 means one per core). Takes effect for the next callers.
pub fn configure(parallel: usize, max_waiting: usize) {
    LIMITER.configure(parallel, max_waiting);
}

/// Hashes running and callers waiting right now (for the metrics).
pub fn queue_stats() -> (usize, usize) {
    LIMITER.stats()
}

/// Hash `password` into a PHC string; `Overloaded` when the hashing queue is full.
pub fn hash(password: &str) -> Result<String, RepoError> {
    let _permit = LIMITER.acquire(true)?;
    // `hash_password` draws a fresh 16-byte salt from the OS.
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| RepoError::Corrupt(format!("password hashing failed: {e}")))
}

/// Verify `password` against a stored PHC string; a malformed hash verifies as false. Waits
/// for its turn however long the queue is: prefer [`try_verify`] on paths a flood can reach.
pub fn verify(password: &str, phc: &str) -> bool {
    match LIMITER.acquire(false) {
        Ok(_permit) => hasher().verify_password(password.as_bytes(), phc).is_ok(),
        Err(_) => false,
    }
}

/// Like [`verify`], but refuses with `Overloaded` instead of joining a full queue.
pub fn try_verify(password: &str, phc: &str) -> Result<bool, RepoError> {
    let _permit = LIMITER.acquire(true)?;
    Ok(hasher().verify_password(password.as_bytes(), phc).is_ok())
}

/// A fixed valid hash to verify against when the phone is unknown, so that a login for an
/// unknown phone takes as long as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        // Computed once, outside the limiter's bound: it must not fail under a flood.
        let _permit = LIMITER.acquire(false);
        hasher()
            .hash_password(b"linli-dummy-password-never-matches")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(try_verify("correct horse battery", &h).unwrap());
        assert!(!verify("x", "not a phc string"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
    }
}
