//! Access tokens (short-lived HS256 JWT with pinned algorithm, `iss`, `aud`, `exp`, `jti`) and
//! opaque refresh tokens (random, stored only as a SHA-256 hash).

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const ISSUER: &str = "linli";
pub const AUDIENCE: &str = "linli-api";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub role: String,
    pub scope_id: Option<i64>,
    /// What `scope_id` names where the role alone does not tell (`grid` for a 片长); absent
    /// for the role's usual kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_kind: Option<String>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    /// The session (refresh-token family) the token belongs to: when it is revoked (logout,
    /// password change), the access token stops working too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the signing secret must be at least 32 bytes")]
    WeakSecret,
    #[error("invalid token")]
    Invalid,
    #[error("token expired")]
    Expired,
}

/// Signs and verifies access tokens with one secret.
#[derive(Clone)]
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl: Duration,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("access_ttl", &self.access_ttl)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    pub fn new(secret: &[u8], access_ttl: Duration) -> Result<Self, TokenError> {
        if secret.len() < 32 {
            return Err(TokenError::WeakSecret);
        }
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_ttl,
        })
    }

    pub fn issue(
        &self,
        user_id: i64,
        role: &str,
        scope_id: Option<i64>,
        scope_kind: Option<&str>,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<String, TokenError> {
        let claims = Claims {
            sid: Some(session.to_owned()),
            sub: user_id.to_string(),
            role: role.to_owned(),
            scope_id,
            scope_kind: scope_kind.map(str::to_owned),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: (now + self.access_ttl).timestamp(),
            jti: random_token(16),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Invalid)
    }

    /// Verify signature (HS256 only: `alg: none` and every other algorithm are refused),
    /// issuer, audience and expiry against `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked below against the injected clock, not the wall clock.
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        if data.claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(data.claims)
    }
}

/// `bytes` random bytes, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// A new opaque refresh token (256 bits).
pub fn new_refresh_token() -> String {
    random_token(32)
}

/// What is stored of a refresh token: its SHA-256, hex.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn signer() -> TokenSigner {
        TokenSigner::new(&[7u8; 32], Duration::minutes(15)).unwrap()
    }

    #[test]
    fn round_trip_and_expiry() {
        let now = Utc::now();
        let t = signer()
            .issue(42, "resident", Some(3), None, "family", now)
            .unwrap();
        let c = signer().verify(&t, now).unwrap();
        assert_eq!(
            (c.sub.as_str(), c.role.as_str(), c.scope_id),
            ("42", "resident", Some(3))
        );
        assert_eq!(c.exp - c.iat, 15 * 60);
        assert_eq!(
            signer().verify(&t, now + Duration::minutes(16)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn refuses_weak_secret_wrong_key_and_alg_none() {
        assert_eq!(
            TokenSigner::new(b"short", Duration::minutes(1)).err(),
            Some(TokenError::WeakSecret)
        );
        let now = Utc::now();
        let t = signer()
            .issue(1, "admin", None, None, "family", now)
            .unwrap();
        let other = TokenSigner::new(&[8u8; 32], Duration::minutes(15)).unwrap();
        assert_eq!(other.verify(&t, now), Err(TokenError::Invalid));
        // Same claims, alg none, no signature.
        let payload = t.split('.').nth(1).unwrap();
        let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"alg":"none","typ":"JWT"}"#);
        let forged = format!("{none_header}.{payload}.");
        assert_eq!(signer().verify(&forged, now), Err(TokenError::Invalid));
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), a);
    }
}
