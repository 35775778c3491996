//! "Me too" (附议): one row per resident and issue; the count is kept on the issue.

use diesel::prelude::*;
use linli_domain::ids::{IssueId, UserId};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{issues, supports},
};

pub fn exists(conn: &mut DbConn, issue_id: IssueId, user_id: UserId) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        supports::table
            .filter(supports::issue_id.eq(issue_id.0))
            .filter(supports::user_id.eq(user_id.0)),
    ))
    .get_result(conn)?)
}

/// Record the support and bump the issue's count in one go (call inside a transaction).
/// The primary key makes a second support of the same user a `Conflict`, even when two
/// requests race; the count is incremented in SQL, never read-modify-written.
pub fn add(conn: &mut DbConn, issue_id: IssueId, user_id: UserId, now: i64) -> RepoResult<i64> {
    diesel::insert_into(supports::table)
        .values((
            supports::issue_id.eq(issue_id.0),
            supports::user_id.eq(user_id.0),
            supports::created_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "support"))?;
    diesel::update(issues::table.filter(issues::id.eq(issue_id.0)))
        .set(issues::support_count.eq(issues::support_count + 1))
        .returning(issues::support_count)
        .get_result::<i32>(conn)
        .map(i64::from)
        .map_err(RepoError::from)
}

/// Which of `issue_ids` the user has backed, in one query.
pub fn backed_among(
    conn: &mut DbConn,
    user_id: UserId,
    issue_ids: &[i64],
) -> RepoResult<std::collections::HashSet<i64>> {
    if issue_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(supports::table
        .filter(supports::user_id.eq(user_id.0))
        .filter(supports::issue_id.eq_any(issue_ids))
        .select(supports::issue_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}
