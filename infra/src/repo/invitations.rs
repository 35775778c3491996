//! Invitation codes (邀请码) property staff print for a building: registering with one makes a
//! verified resident at once. Only the SHA-256 of a code is stored, so the table alone does
//! not let anyone register.

use diesel::prelude::*;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::invitations,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: i64,
    pub code_hash: String,
    pub compound_id: i64,
    pub building_id: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: Option<i32>,
    pub uses: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub code_hash: &'a str,
    pub compound_id: i64,
    pub building_id: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: Option<i32>,
}

/// Letters and digits that cannot be mistaken for one another on paper (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters of a code: 31^10 ≈ 8·10^14, beyond guessing under the registration limits.
const CODE_LEN: usize = 10;

/// A fresh code, grouped for reading aloud (`K7MX3-QPA9W`).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..CODE_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &chars[..CODE_LEN / 2], &chars[CODE_LEN / 2..])
}

/// The stored key of a code as a person types it: case, spaces and dashes do not matter.
pub fn hash_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

pub fn create(conn: &mut DbConn, new: &NewInvitation<'_>) -> RepoResult<InvitationRow> {
    diesel::insert_into(invitations::table)
        .values(new)
        .returning(invitations::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "invitation"))?;
    Ok(invitations::table
        .filter(invitations::code_hash.eq(new.code_hash))
        .select(InvitationRow::as_select())
        .first(conn)?)
}

/// The invitation a code names, if any.
pub fn find_by_code(conn: &mut DbConn, code: &str) -> RepoResult<Option<InvitationRow>> {
    Ok(invitations::table
        .filter(invitations::code_hash.eq(hash_code(code)))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Count one use of invitation `id` if it is still valid at `now`; false when it ran out or
/// expired meanwhile (the conditional update decides races between registrations).
pub fn use_once(conn: &mut DbConn, id: i64, now: i64) -> RepoResult<bool> {
    let n = diesel::update(
        invitations::table
            .filter(invitations::id.eq(id))
            .filter(invitations::expires_at.gt(now))
            .filter(
                invitations::max_uses
                    .is_null()
                    .or(invitations::uses.lt(invitations::max_uses.assume_not_null())),
            ),
    )
    .set(invitations::uses.eq(invitations::uses + 1))
    .execute(conn)?;
    Ok(n == 1)
}
