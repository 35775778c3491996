//! Stored responses of POST /issues per (user, Idempotency-Key).
//!
//! A key is first *reserved* (a placeholder row) inside the transaction that creates the issue,
//! then *completed* with the response before that transaction commits. The primary key
//! (user_id, idem_key) makes a concurrent second reservation fail (PostgreSQL blocks it until
//! the first commits), so two requests with one key can never both create an issue.

use diesel::prelude::*;
use linli_domain::ids::UserId;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::idempotency_keys,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub user_id: i64,
    pub idem_key: String,
    pub request_hash: String,
    pub response_status: i32,
    pub response_body: String,
    pub created_at: i64,
}

/// The stored entry of `user_id` for `key`, if any.
pub fn find(conn: &mut DbConn, user_id: UserId, key: &str) -> RepoResult<Option<IdempotencyRow>> {
    Ok(idempotency_keys::table
        .find((user_id.0, key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()?)
}

/// Claim `key` for `user_id` with the request's hash and an empty response (status 0). Fails
/// with `Conflict` when the key is already taken (possibly by a request still in flight).
pub fn reserve(
    conn: &mut DbConn,
    user_id: UserId,
    key: &str,
    request_hash: &str,
    now: i64,
) -> RepoResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id.0),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::response_status.eq(0),
            idempotency_keys::response_body.eq(""),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "idempotency key"))?;
    Ok(())
}

/// Store the response of a reserved key.
pub fn complete(
    conn: &mut DbConn,
    user_id: UserId,
    key: &str,
    status: i32,
    body: &str,
) -> RepoResult<()> {
    let n = diesel::update(idempotency_keys::table.find((user_id.0, key)))
        .set((
            idempotency_keys::response_status.eq(status),
            idempotency_keys::response_body.eq(body),
        ))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}

/// Forget keys created before `cutoff` (epoch ms); returns how many.
pub fn purge_older_than(conn: &mut DbConn, cutoff: i64) -> RepoResult<usize> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff)))
            .execute(conn)?,
    )
}
