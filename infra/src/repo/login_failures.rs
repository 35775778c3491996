//! Failed logins per phone, in the database so the limit holds across API processes. Only
//! parsed, normalised phone numbers reach here, and they are stored as a SHA-256 key: the table
//! holds no phone numbers, and a flood of junk cannot grow it (junk is refused before).

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::{DbConn, error::RepoResult, schema::login_failures};

/// Serialise the login attempts of one phone until the end of the transaction. PostgreSQL:
/// a transaction-scoped advisory lock on the phone; SQLite: nothing to do, the write
/// transaction (`BEGIN IMMEDIATE`) already holds the database's write lock.
pub fn lock_phone(conn: &mut DbConn, phone: &str) -> RepoResult<()> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key(phone))
            .execute(conn)?;
    }
    Ok(())
}

pub fn record(conn: &mut DbConn, phone: &str, now: i64) -> RepoResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::phone.eq(key(phone)),
            login_failures::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The failures of a key within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentFailures {
    pub count: i64,
    /// When the window frees a place (the oldest) and the last failure (the delay runs from it).
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
}

/// Failures since `since`, with the oldest and newest of them (to compute `Retry-After`).
pub fn recent(conn: &mut DbConn, phone: &str, since: i64) -> RepoResult<RecentFailures> {
    let (count, oldest, newest): (i64, Option<i64>, Option<i64>) = login_failures::table
        .filter(login_failures::phone.eq(key(phone)))
        .filter(login_failures::at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::at),
            diesel::dsl::max(login_failures::at),
        ))
        .first(conn)?;
    Ok(RecentFailures {
        count,
        oldest,
        newest,
    })
}

/// Forget a phone's failures after a successful login, and everyone's old ones.
pub fn clear(conn: &mut DbConn, phone: &str, older_than: i64) -> RepoResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::phone.eq(key(phone))))
        .execute(conn)?;
    prune(conn, older_than)?;
    Ok(())
}

/// Forget every failure older than `older_than` (the scheduler calls this each tick).
pub fn prune(conn: &mut DbConn, older_than: i64) -> RepoResult<usize> {
    Ok(
        diesel::delete(login_failures::table.filter(login_failures::at.lt(older_than)))
            .execute(conn)?,
    )
}

/// The stored key of a phone: its SHA-256, hex.
fn key(phone: &str) -> String {
    hex::encode(Sha256::digest(phone.as_bytes()))
}
