//! Short-lived signed photo URLs: an HMAC-SHA256 over (photo id, size, expiry), so an
//! `<img src>` or an image cache can load a photo without a bearer token, for a while only.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Separates this key from every other use of the server secret (JWTs, SMS peppers): a
/// signature made for one purpose can never be replayed as another.
const KEY_CONTEXT: &[u8] = b"linli/photo-url/v1";

/// Which rendition of a photo a URL grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhotoSize {
    Original,
    Thumb,
}

impl PhotoSize {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Thumb => "thumb",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "original" => Some(Self::Original),
            "thumb" => Some(Self::Thumb),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the signed URL has expired")]
    Expired,
    #[error("the signature does not match")]
    BadSignature,
}

/// Signs and checks photo URLs with a key derived from the server secret.
#[derive(Clone)]
pub struct UrlSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlSigner").finish_non_exhaustive()
    }
}

impl UrlSigner {
    /// Derive the URL key as HMAC(server secret, context).
    pub fn new(server_secret: &[u8]) -> Self {
        let mut mac = mac_with(server_secret);
        mac.update(KEY_CONTEXT);
        Self {
            key: mac.finalize().into_bytes().into(),
        }
    }

    /// The URL-safe signature (unpadded base64url of the 32-byte tag, 43 characters).
    pub fn sign(&self, photo_id: i64, size: PhotoSize, expires_at: i64) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(photo_id, size, expires_at).finalize().into_bytes())
    }

    /// Accept a signature made by [`sign`](Self::sign) for exactly these values while
    /// `now < expires_at` (Unix seconds). The tag comparison is constant-time.
    pub fn verify(
        &self,
        photo_id: i64,
        size: PhotoSize,
        expires_at: i64,
        signature: &str,
        now: i64,
    ) -> Result<(), SignError> {
        let tag = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| SignError::BadSignature)?;
        self.mac(photo_id, size, expires_at)
            .verify_slice(&tag)
            .map_err(|_| SignError::BadSignature)?;
        // Checked after the signature, so an attacker learns nothing from a forged expiry.
        if now >= expires_at {
            return Err(SignError::Expired);
        }
        Ok(())
    }

    fn mac(&self, photo_id: i64, size: PhotoSize, expires_at: i64) -> HmacSha256 {
        let mut mac = mac_with(&self.key);
        // Fixed-width fields and a closed set of sizes: no two inputs share an encoding.
        mac.update(&photo_id.to_be_bytes());
        mac.update(&[match size {
            PhotoSize::Original => b'o',
            PhotoSize::Thumb => b't',
        }]);
        mac.update(&expires_at.to_be_bytes());
        mac
    }
}

fn mac_with(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; this cannot fail.
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;

    fn signer() -> UrlSigner {
        UrlSigner::new(b"test-secret-test-secret-test-secret-0123")
    }

    #[test]
    fn a_fresh_signature_verifies_and_is_url_safe() {
        let s = signer();
        let sig = s.sign(42, PhotoSize::Thumb, NOW + 3600);
        assert_eq!(sig.len(), 43);
        assert!(
            sig.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(
            s.verify(42, PhotoSize::Thumb, NOW + 3600, &sig, NOW),
            Ok(())
        );
    }

    #[test]
    fn expired_urls_are_refused() {
        let s = signer();
        let sig = s.sign(42, PhotoSize::Original, NOW);
        assert_eq!(
            s.verify(42, PhotoSize::Original, NOW, &sig, NOW),
            Err(SignError::Expired)
        );
        assert_eq!(
            s.verify(42, PhotoSize::Original, NOW, &sig, NOW + 1),
            Err(SignError::Expired)
        );
        assert_eq!(
            s.verify(42, PhotoSize::Original, NOW, &sig, NOW - 1),
            Ok(())
        );
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let s = signer();
        let exp = NOW + 60;
        let sig = s.sign(42, PhotoSize::Thumb, exp);
        let bad = Err(SignError::BadSignature);
        assert_eq!(s.verify(43, PhotoSize::Thumb, exp, &sig, NOW), bad, "id");
        assert_eq!(
            s.verify(42, PhotoSize::Original, exp, &sig, NOW),
            bad,
            "size"
        );
        assert_eq!(
            s.verify(42, PhotoSize::Thumb, exp + 1, &sig, NOW),
            bad,
            "expiry"
        );
        // Tampered signatures: one character changed, truncated, not base64, empty.
        let mut chars: Vec<char> = sig.chars().collect();
        chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
        let flipped: String = chars.into_iter().collect();
        for tampered in [flipped.as_str(), &sig[..40], "not base64!", ""] {
            assert_eq!(
                s.verify(42, PhotoSize::Thumb, exp, tampered, NOW),
                bad,
                "{tampered}"
            );
        }
        // Another server secret.
        let other = UrlSigner::new(b"another-secret-another-secret-another-0");
        assert_eq!(other.verify(42, PhotoSize::Thumb, exp, &sig, NOW), bad);
    }

    #[test]
    fn sizes_round_trip() {
        for size in [PhotoSize::Original, PhotoSize::Thumb] {
            assert_eq!(PhotoSize::parse(size.as_str()), Some(size));
        }
        assert_eq!(PhotoSize::parse("large"), None);
    }
}
