//! SMS verification codes (验证码): issued under per-phone send limits and checked with a
//! bounded number of tries, all counted in the database so the limits hold across API nodes.
//! Only a keyed hash of each code is stored.

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use linli_domain::values::PhoneNumber;
use rand::Rng;
use sha2::Sha256;

use crate::{DbConn, error::RepoResult, schema::sms_codes, sms::SmsPurpose};

type HmacSha256 = Hmac<Sha256>;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// How codes are issued and checked. Times in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsCodePolicy {
    /// How long a code stays valid.
    pub ttl_ms: i64,
    /// Least time between two codes to one phone (any purpose).
    pub resend_interval_ms: i64,
    /// Most codes to one phone within any 24 hours (any purpose).
    pub daily_limit: i64,
    /// Tries per code, the right one included; then the code is dead.
    pub max_attempts: i32,
}

impl Default for SmsCodePolicy {
    fn default() -> Self {
        Self {
            ttl_ms: 5 * MINUTE_MS,
            resend_interval_ms: MINUTE_MS,
            daily_limit: 10,
            max_attempts: 5,
        }
    }
}

/// Keys the stored code hashes with a pepper derived from the server secret: a copy of the
/// table alone does not give the codes away (six digits would fall to a plain hash at once).
#[derive(Clone)]
pub struct CodeHasher {
    pepper: [u8; 32],
}

impl std::fmt::Debug for CodeHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeHasher").finish_non_exhaustive()
    }
}

impl CodeHasher {
    pub fn new(server_secret: &[u8]) -> Self {
        let mut mac = keyed(server_secret);
        mac.update(b"linli/sms-code/v1");
        Self {
            pepper: mac.finalize().into_bytes().into(),
        }
    }

    /// The code is bound to its phone and purpose: a login code is no registration code.
    fn mac(&self, phone: &str, purpose: SmsPurpose, code: &str) -> HmacSha256 {
        let mut mac = keyed(&self.pepper);
        for part in [phone, purpose.as_str(), code] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    fn hash(&self, phone: &str, purpose: SmsPurpose, code: &str) -> String {
        hex::encode(self.mac(phone, purpose, code).finalize().into_bytes())
    }

    /// Constant-time comparison with a stored hash.
    fn matches(&self, phone: &str, purpose: SmsPurpose, code: &str, stored: &str) -> bool {
        hex::decode(stored)
            .is_ok_and(|tag| self.mac(phone, purpose, code).verify_slice(&tag).is_ok())
    }
}

fn keyed(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// A fresh code, to be handed to the SMS sender (and nowhere else: never log it).
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: i64,
}

impl std::fmt::Debug for IssuedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCode")
            .field("code", &"******")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The phone got a code too recently or too often; `retry_after` in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    pub retry_after: i64,
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeRejected {
    /// No live code for this phone and purpose (never sent, or already used).
    #[error("no code was sent for this purpose, or it was already used")]
    NoCode,
    #[error("the code has expired")]
    Expired,
    /// All tries are used up: the code is dead, a new one must be requested.
    #[error("too many wrong codes; request a new one")]
    Exhausted,
    #[error("wrong code ({tries_left} tries left)")]
    Wrong { tries_left: i32 },
}

/// Serialise the code requests of one phone until the end of the transaction, so two nodes
/// cannot both see "no code in the last minute". PostgreSQL: an advisory lock; SQLite: the
/// write transaction (`BEGIN IMMEDIATE`) already holds the database's write lock.
fn lock_phone(conn: &mut DbConn, phone: &str) -> RepoResult<()> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(format!("sms:{phone}"))
            .execute(conn)?;
    }
    Ok(())
}

fn retry_after_secs(until_ms: i64, now: i64) -> i64 {
    ((until_ms - now + 999) / 1000).max(1)
}

/// Issue a new 6-digit code for `phone` and `purpose`, unless the phone had one within
/// `resend_interval_ms` or `daily_limit` within the last 24 hours (any purpose). A new code
/// replaces the phone's earlier codes for the same purpose. Call inside
/// [`db::write_transaction`](crate::db::write_transaction).
pub fn issue(
    conn: &mut DbConn,
    hasher: &CodeHasher,
    policy: &SmsCodePolicy,
    phone: &PhoneNumber,
    purpose: SmsPurpose,
    now: i64,
) -> RepoResult<Result<IssuedCode, RateLimited>> {
    let phone = phone.as_str();
    lock_phone(conn, phone)?;
    let (sent, oldest, newest): (i64, Option<i64>, Option<i64>) = sms_codes::table
        .filter(sms_codes::phone.eq(phone))
        .filter(sms_codes::created_at.gt(now - DAY_MS))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(sms_codes::created_at),
            diesel::dsl::max(sms_codes::created_at),
        ))
        .first(conn)?;
    let mut free_at = None;
    if let Some(newest) = newest
        && now - newest < policy.resend_interval_ms
    {
        free_at = Some(newest + policy.resend_interval_ms);
    }
    // The count never passes the limit, so the window frees a place when its oldest leaves.
    if sent >= policy.daily_limit {
        let day_free = oldest.unwrap_or(now) + DAY_MS;
        free_at = Some(free_at.map_or(day_free, |t: i64| t.max(day_free)));
    }
    if let Some(free_at) = free_at {
        return Ok(Err(RateLimited {
            retry_after: retry_after_secs(free_at, now),
        }));
    }

    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let expires_at = now + policy.ttl_ms;
    diesel::insert_into(sms_codes::table)
        .values((
            sms_codes::phone.eq(phone),
            sms_codes::purpose.eq(purpose.as_str()),
            sms_codes::code_hash.eq(hasher.hash(phone, purpose, &code)),
            sms_codes::created_at.eq(now),
            sms_codes::expires_at.eq(expires_at),
            sms_codes::attempts.eq(0),
        ))
        .execute(conn)?;
    Ok(Ok(IssuedCode { code, expires_at }))
}

/// Check `code` against the latest code sent to `phone` for `purpose`; a match consumes it.
///
/// Every try is counted *before* the comparison (a conditional update), so parallel guesses
/// cannot exceed `max_attempts`. A rejected code is `Ok(Err(..))`, not a repository error:
/// the caller must commit the transaction so the spent try sticks.
pub fn verify(
    conn: &mut DbConn,
    hasher: &CodeHasher,
    policy: &SmsCodePolicy,
    phone: &PhoneNumber,
    purpose: SmsPurpose,
    code: &str,
    now: i64,
) -> RepoResult<Result<(), CodeRejected>> {
    let phone = phone.as_str();
    let latest: Option<(i64, String, i64, i32, Option<i64>)> = sms_codes::table
        .filter(sms_codes::phone.eq(phone))
        .filter(sms_codes::purpose.eq(purpose.as_str()))
        .order((sms_codes::created_at.desc(), sms_codes::id.desc()))
        .select((
            sms_codes::id,
            sms_codes::code_hash,
            sms_codes::expires_at,
            sms_codes::attempts,
            sms_codes::consumed_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, code_hash, expires_at, attempts, consumed_at)) = latest else {
        return Ok(Err(CodeRejected::NoCode));
    };
    if consumed_at.is_some() {
        return Ok(Err(CodeRejected::NoCode));
    }
    if now >= expires_at {
        return Ok(Err(CodeRejected::Expired));
    }
    let reserved = diesel::update(
        sms_codes::table
            .filter(sms_codes::id.eq(id))
            .filter(sms_codes::attempts.lt(policy.max_attempts))
            .filter(sms_codes::consumed_at.is_null()),
    )
    .set(sms_codes::attempts.eq(sms_codes::attempts + 1))
    .execute(conn)?;
    if reserved == 0 {
        return Ok(Err(if attempts >= policy.max_attempts {
            CodeRejected::Exhausted
        } else {
            // Another request used up the last try or the code in the meantime.
            CodeRejected::NoCode
        }));
    }
    if !hasher.matches(phone, purpose, code, &code_hash) {
        return Ok(Err(CodeRejected::Wrong {
            tries_left: (policy.max_attempts - attempts - 1).max(0),
        }));
    }
    let consumed = diesel::update(
        sms_codes::table
            .filter(sms_codes::id.eq(id))
            .filter(sms_codes::consumed_at.is_null()),
    )
    .set(sms_codes::consumed_at.eq(now))
    .execute(conn)?;
    Ok(if consumed == 1 {
        Ok(())
    } else {
        Err(CodeRejected::NoCode)
    })
}

/// Delete codes created before `older_than` (keep at least a day: the daily limit counts them).
pub fn prune(conn: &mut DbConn, older_than: i64) -> RepoResult<usize> {
    Ok(
        diesel::delete(sms_codes::table.filter(sms_codes::created_at.lt(older_than)))
            .execute(conn)?,
    )
}
