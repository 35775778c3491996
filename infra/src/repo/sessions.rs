//! Refresh-token families: every use rotates the token; presenting a used token again revokes
//! the whole family (a stolen token is detected the moment either party uses it twice).

use diesel::prelude::*;
use linli_domain::ids::{SessionId, UserId};

use diesel::sql_types::Bool;

use crate::{
    DbConn,
    db::MultiBackend,
    error::{RepoError, RepoResult},
    schema::refresh_tokens,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub family_id: String,
    pub token_hash: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    family_id: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> RepoResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "refresh token"))?;
    Ok(())
}

pub fn find_by_hash(conn: &mut DbConn, token_hash: &str) -> RepoResult<Option<RefreshTokenRow>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Mark the token used, only if nobody used it first. Returns false when another request won
/// the race (the conditional update is what makes two concurrent refreshes yield one winner).
pub fn mark_used(conn: &mut DbConn, session: SessionId, now: i64) -> RepoResult<bool> {
    let id = session.0;
    let n = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Which refresh tokens to revoke.
type Tokens = Box<dyn BoxableExpression<refresh_tokens::table, MultiBackend, SqlType = Bool>>;

/// Revoke the unrevoked tokens among `which` at `now`; returns how many changed.
fn revoke(conn: &mut DbConn, which: Tokens, now: i64) -> RepoResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(which)
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

pub fn revoke_family(conn: &mut DbConn, family_id: &str, now: i64) -> RepoResult<usize> {
    let family = refresh_tokens::family_id.eq(family_id.to_owned());
    revoke(conn, Box::new(family), now)
}

/// Revoke every refresh token of a user (password change: every device logs in again).
pub fn revoke_all_for_user(conn: &mut DbConn, user: UserId, now: i64) -> RepoResult<usize> {
    let user_id = user.0;
    revoke(conn, Box::new(refresh_tokens::user_id.eq(user_id)), now)
}

/// Whether `user` still has an unrevoked session in `family` (logout and password changes
/// revoke them; a rotation keeps the family alive).
pub fn family_live(conn: &mut DbConn, user: UserId, family: &str) -> RepoResult<bool> {
    let n: i64 = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user.0))
        .filter(refresh_tokens::family_id.eq(family))
        .filter(refresh_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
