//! Patrol rounds (巡查): the round, its members, and its findings — each the case it filed, so
//! the problem list (问题清单) is always the cases' current state.

use diesel::prelude::*;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    repo::issues::IssueRow,
    schema::{issues, patrol_findings, patrol_members, patrols, users},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrols)]
pub struct PatrolRow {
    pub id: i64,
    pub compound_id: i64,
    pub community_id: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = patrols)]
pub struct NewPatrol {
    pub compound_id: i64,
    pub community_id: i64,
    pub started_at: i64,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrol_findings)]
pub struct FindingRow {
    pub id: i64,
    pub patrol_id: i64,
    pub issue_id: i64,
    pub fixed_on_the_spot: bool,
    pub note: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = patrol_findings)]
pub struct NewFinding<'a> {
    pub patrol_id: i64,
    pub issue_id: i64,
    pub fixed_on_the_spot: bool,
    pub note: Option<&'a str>,
    pub created_by: i64,
    pub created_at: i64,
}

/// A member of a round with what the directory says of them.
#[derive(Debug, Clone, Queryable)]
pub struct MemberRow {
    pub user_id: i64,
    pub display_name: String,
    pub role: String,
}

/// Store a round and its members (the person who starts it among them; call inside a
/// transaction).
pub fn create(conn: &mut DbConn, new: &NewPatrol, members: &[i64]) -> RepoResult<PatrolRow> {
    let id = diesel::insert_into(patrols::table)
        .values(new)
        .returning(patrols::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "patrol"))?;
    // One row at a time: batch inserts are not available across both backends.
    for user in members {
        diesel::insert_into(patrol_members::table)
            .values((
                patrol_members::patrol_id.eq(id),
                patrol_members::user_id.eq(*user),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "member"))?;
    }
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<PatrolRow> {
    patrols::table
        .find(id)
        .select(PatrolRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// The members of a round with their names and roles, in the order of their ids.
pub fn members(conn: &mut DbConn, patrol_id: i64) -> RepoResult<Vec<MemberRow>> {
    Ok(patrol_members::table
        .inner_join(users::table)
        .filter(patrol_members::patrol_id.eq(patrol_id))
        .select((users::id, users::display_name, users::role))
        .order(users::id)
        .load(conn)?)
}

pub fn is_member(conn: &mut DbConn, patrol_id: i64, user_id: i64) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        patrol_members::table
            .filter(patrol_members::patrol_id.eq(patrol_id))
            .filter(patrol_members::user_id.eq(user_id)),
    ))
    .get_result(conn)?)
}

/// Mark the round finished at `at`; `false` when it already was.
pub fn finish(conn: &mut DbConn, id: i64, at: i64) -> RepoResult<bool> {
    let n = diesel::update(
        patrols::table
            .filter(patrols::id.eq(id))
            .filter(patrols::finished_at.is_null()),
    )
    .set(patrols::finished_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn add_finding(conn: &mut DbConn, new: &NewFinding<'_>) -> RepoResult<FindingRow> {
    let id = diesel::insert_into(patrol_findings::table)
        .values(new)
        .returning(patrol_findings::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "finding"))?;
    Ok(patrol_findings::table
        .find(id)
        .select(FindingRow::as_select())
        .first(conn)?)
}

/// The problem list: every finding of the round with its case as it stands now, in the order
/// they were found, in one query.
pub fn findings(conn: &mut DbConn, patrol_id: i64) -> RepoResult<Vec<(FindingRow, IssueRow)>> {
    Ok(patrol_findings::table
        .inner_join(issues::table)
        .filter(patrol_findings::patrol_id.eq(patrol_id))
        .select((FindingRow::as_select(), IssueRow::as_select()))
        .order(patrol_findings::id)
        .load(conn)?)
}

/// The round a case was found on, if any.
pub fn finding_of_issue(conn: &mut DbConn, issue_id: i64) -> RepoResult<Option<FindingRow>> {
    Ok(patrol_findings::table
        .filter(patrol_findings::issue_id.eq(issue_id))
        .select(FindingRow::as_select())
        .first(conn)
        .optional()?)
}
