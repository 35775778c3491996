//! The push gateway client: POSTs one JSON message to the district's webhook, signed with
//! HMAC-SHA256 of the exact body bytes (`X-Linli-Signature: sha256=<hex>`), so the gateway can
//! check that it came from Linli and was not altered.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Linli-Signature";

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is the signature of `body` under `secret` (constant-time comparison).
pub fn verify_signature(secret: &[u8], body: &[u8], header: &str) -> bool {
    let Some(hex_sig) = header.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// Why a delivery failed (kept as the row's `last_error`; the row is retried).
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the gateway answered {0}")]
    Status(u16),
    #[error("the gateway could not be reached: {0}")]
    Transport(String),
}

/// Where messages go. A trait so that the delivery use case can be exercised without HTTP.
pub trait PushTransport: Send + Sync {
    /// Deliver one signed message; `Ok` only when the gateway acknowledged it (2xx).
    fn post(&self, body: &[u8]) -> Result<(), PushError>;
}

/// The district's webhook over HTTP(S). Blocking: call it on the blocking pool.
pub struct WebhookGateway {
    agent: ureq::Agent,
    url: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for WebhookGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookGateway")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl WebhookGateway {
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // A 4xx/5xx is an answer to record, not a transport error.
            .http_status_as_error(false)
            .build()
            .new_agent();
        Self {
            agent,
            url: url.into(),
            secret: secret.into(),
        }
    }
}

impl PushTransport for WebhookGateway {
    fn post(&self, body: &[u8]) -> Result<(), PushError> {
        let response = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(&self.secret, body))
            .send(body)
            .map_err(|e| PushError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(PushError::Status(status))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_hmac_and_verifies() {
        // RFC 4231 test case 2.
        let sig = signature(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            sig,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify_signature(
            b"Jefe",
            b"what do ya want for nothing?",
            &sig
        ));
        assert!(!verify_signature(
            b"Jefe",
            b"what do ya want for nothing!",
            &sig
        ));
        assert!(!verify_signature(
            b"other",
            b"what do ya want for nothing?",
            &sig
        ));
        assert!(!verify_signature(b"Jefe", b"x", "md5=00"));
    }
}
