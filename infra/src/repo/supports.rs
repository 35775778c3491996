//! "Me too" (附议): one row per resident and issue; the count is kept on the issue.

use diesel::prelude::*;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{issues, supports},
};

pub fn exists(conn: &mut DbConn, issue_id: i64, user_id: i64) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        supports::table
            .filter(supports::issue_id.eq(issue_id))
            .filter(supports::user_id.eq(user_id)),
    ))
    .get_result(conn)?)
}

/// Record the support and bump the issue's count in one go (call inside a transaction).
/// The primary key makes a second support of the same user a `Conflict`, even when two
/// requests race; the count is incremented in SQL, never read-modify-written.
pub fn add(conn: &mut DbConn, issue_id: i64, user_id: i64, now: i64) -> RepoResult<i64> {
    diesel::insert_into(supports::table)
        .values((
            supports::issue_id.eq(issue_id),
            supports::user_id.eq(user_id),
            supports::created_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "support"))?;
    diesel::update(issues::table.filter(issues::id.eq(issue_id)))
        .set(issues::support_count.eq(issues::support_count + 1))
        .returning(issues::support_count)
        .get_result::<i32>(conn)
        .map(i64::from)
        .map_err(RepoError::from)
}
