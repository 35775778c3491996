//! Password hashing: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), PHC strings.
//! Both functions are CPU-heavy: call them inside `web::block`, never on the async worker.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::RepoError;

fn hasher() -> Argon2<'static> {
    // argon2 0.6's default is exactly argon2id v19, m=19456 KiB, t=2, p=1.
    Argon2::default()
}

pub fn hash(password: &str) -> Result<String, RepoError> {
    // `hash_password` draws a fresh 16-byte salt from the OS.
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| RepoError::Corrupt(format!("password hashing failed: {e}")))
}

/// Verify `password` against a stored PHC string; a malformed hash verifies as false.
pub fn verify(password: &str, phc: &str) -> bool {
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

/// A fixed valid hash to verify against when the phone is unknown, so that a login for an
/// unknown phone takes as long as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("linli-dummy-password-never-matches").unwrap_or_default())
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
        assert!(!verify("x", "not a phc string"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
    }
}
