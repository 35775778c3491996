//! Followers of a primary case: when a duplicate is merged into it, the duplicate's reporter and
//! the residents who backed it follow the primary — they are told of its changes, find it among
//! their own issues (`mine=true`), may read it, and count in its "me too"s.

use std::collections::HashSet;

use diesel::prelude::*;
use linli_domain::{
    ids::{IssueId, UserId},
    issue::Issue,
};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{issue_followers, issues, supports},
};

/// Make the people of `duplicate` (its reporter and supporters, never the primary's own reporter)
/// follow `primary` and back it, each once; the primary's "me too" count grows by the people who
/// did not back it yet. Returns the new count. Call in the transaction that merges.
pub fn follow_merged(
    conn: &mut DbConn,
    primary: &Issue,
    duplicate: &Issue,
    now: i64,
) -> RepoResult<i64> {
    let mut people: Vec<i64> = supports::table
        .filter(supports::issue_id.eq(duplicate.id.0))
        .select(supports::user_id)
        .load(conn)?;
    people.push(duplicate.reporter.0);
    people.sort_unstable();
    people.dedup();
    people.retain(|u| *u != primary.reporter.0);
    let backing: HashSet<i64> = supports::table
        .filter(supports::issue_id.eq(primary.id.0))
        .filter(supports::user_id.eq_any(&people))
        .select(supports::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let following: HashSet<i64> = issue_followers::table
        .filter(issue_followers::issue_id.eq(primary.id.0))
        .filter(issue_followers::user_id.eq_any(&people))
        .select(issue_followers::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let mut added = 0;
    // One statement per person: the multi-backend connection cannot batch-insert on SQLite.
    for user in &people {
        if !following.contains(user) {
            diesel::insert_into(issue_followers::table)
                .values((
                    issue_followers::issue_id.eq(primary.id.0),
                    issue_followers::user_id.eq(*user),
                    issue_followers::merged_from.eq(duplicate.id.0),
                    issue_followers::created_at.eq(now),
                ))
                .execute(conn)
                .map_err(|e| RepoError::from_write(e, "follower"))?;
        }
        if !backing.contains(user) {
            diesel::insert_into(supports::table)
                .values((
                    supports::issue_id.eq(primary.id.0),
                    supports::user_id.eq(*user),
                    supports::created_at.eq(now),
                ))
                .execute(conn)
                .map_err(|e| RepoError::from_write(e, "support"))?;
            added += 1;
        }
    }
    diesel::update(issues::table.filter(issues::id.eq(primary.id.0)))
        .set(issues::support_count.eq(issues::support_count + added))
        .returning(issues::support_count)
        .get_result::<i32>(conn)
        .map(i64::from)
        .map_err(RepoError::from)
}

/// The accounts following the issue.
pub fn of_issue(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<Vec<i64>> {
    Ok(issue_followers::table
        .filter(issue_followers::issue_id.eq(issue_id.0))
        .select(issue_followers::user_id)
        .load(conn)?)
}

/// Whether the user follows the issue.
pub fn follows(conn: &mut DbConn, issue_id: IssueId, user_id: UserId) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        issue_followers::table
            .filter(issue_followers::issue_id.eq(issue_id.0))
            .filter(issue_followers::user_id.eq(user_id.0)),
    ))
    .get_result(conn)?)
}

/// Whether some duplicate was merged into the issue (then it cannot itself be merged: no chains).
pub fn has_duplicates(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        issues::table.filter(issues::merged_into.eq(issue_id.0)),
    ))
    .get_result(conn)?)
}
