//! Rating runs (星级物业评定) of a quarter: drafts, published revisions and the ones amendments
//! superseded, and the companies' appeals (异议) against them. The scheme used and the results
//! are stored as JSON documents, frozen.

use diesel::prelude::*;
use linli_domain::evaluation::{AppealStatus, RunStatus};

use crate::{
    DbConn,
    error::{RepoError, RepoResult, one_row},
    schema::{rating_appeals, rating_runs},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rating_runs)]
pub struct RatingRunRow {
    pub id: i64,
    pub period: String,
    pub scheme_id: i64,
    /// The scheme's JSON, as it was when the run was computed.
    pub scheme: String,
    /// The companies' results, JSON.
    pub results: String,
    pub status: String,
    pub revision: Option<i32>,
    pub amends_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

impl RatingRunRow {
    pub fn status(&self) -> RepoResult<RunStatus> {
        RunStatus::parse(&self.status)
            .map_err(|_| RepoError::Corrupt(format!("rating run {}: bad status", self.id)))
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rating_runs)]
pub struct NewRatingRun<'a> {
    pub period: &'a str,
    pub scheme_id: i64,
    pub scheme: &'a str,
    pub results: &'a str,
    pub status: &'a str,
    pub revision: Option<i32>,
    pub amends_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

pub fn insert(conn: &mut DbConn, new: &NewRatingRun<'_>) -> RepoResult<RatingRunRow> {
    let id: i64 = diesel::insert_into(rating_runs::table)
        .values(new)
        .returning(rating_runs::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "rating revision"))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<RatingRunRow> {
    rating_runs::table
        .find(id)
        .select(RatingRunRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Move run `id` from `from` to `to`, setting `revision` and `published_at` when given;
/// `NotFound` when it is not in `from` (any more).
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    from: RunStatus,
    to: RunStatus,
    published: Option<(i32, i64)>,
) -> RepoResult<()> {
    let target = rating_runs::table
        .filter(rating_runs::id.eq(id))
        .filter(rating_runs::status.eq(from.as_str()));
    let n = match published {
        Some((revision, at)) => diesel::update(target)
            .set((
                rating_runs::status.eq(to.as_str()),
                rating_runs::revision.eq(Some(revision)),
                rating_runs::published_at.eq(Some(at)),
            ))
            .execute(conn),
        None => diesel::update(target)
            .set(rating_runs::status.eq(to.as_str()))
            .execute(conn),
    }
    .map_err(|e| RepoError::from_write(e, "rating revision"))?;
    one_row(n)
}

/// The published revisions of a period (current and superseded), first revision first.
pub fn revisions(conn: &mut DbConn, period: &str) -> RepoResult<Vec<RatingRunRow>> {
    Ok(rating_runs::table
        .filter(rating_runs::period.eq(period))
        .filter(rating_runs::revision.is_not_null())
        .order(rating_runs::revision)
        .select(RatingRunRow::as_select())
        .load(conn)?)
}

// ---- Appeals (异议) ----------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rating_appeals)]
pub struct AppealRow {
    pub id: i64,
    pub run_id: i64,
    pub property_company_id: i64,
    pub reason: String,
    pub filed_by: i64,
    pub filed_at: i64,
    pub status: String,
    pub decision_note: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub revision_id: Option<i64>,
}

impl AppealRow {
    pub fn status(&self) -> RepoResult<AppealStatus> {
        AppealStatus::parse(&self.status)
            .map_err(|_| RepoError::Corrupt(format!("appeal {}: bad status", self.id)))
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rating_appeals)]
pub struct NewAppeal<'a> {
    pub run_id: i64,
    pub property_company_id: i64,
    pub reason: &'a str,
    pub filed_by: i64,
    pub filed_at: i64,
    pub status: &'a str,
}

/// The district office's decision on a pending appeal.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = rating_appeals)]
pub struct AppealDecision<'a> {
    pub status: &'a str,
    pub decision_note: Option<&'a str>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub revision_id: Option<i64>,
}

pub fn insert_appeal(conn: &mut DbConn, new: &NewAppeal<'_>) -> RepoResult<AppealRow> {
    let id: i64 = diesel::insert_into(rating_appeals::table)
        .values(new)
        .returning(rating_appeals::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "appeal"))?;
    find_appeal(conn, id)
}

pub fn find_appeal(conn: &mut DbConn, id: i64) -> RepoResult<AppealRow> {
    rating_appeals::table
        .find(id)
        .select(AppealRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// The appeals against run `run_id`, optionally of one company, by id.
pub fn appeals(conn: &mut DbConn, run_id: i64, company: Option<i64>) -> RepoResult<Vec<AppealRow>> {
    let mut query = rating_appeals::table
        .filter(rating_appeals::run_id.eq(run_id))
        .order(rating_appeals::id)
        .select(AppealRow::as_select())
        .into_boxed();
    if let Some(c) = company {
        query = query.filter(rating_appeals::property_company_id.eq(c));
    }
    Ok(query.load(conn)?)
}

/// Record the decision on appeal `id` if it is still pending; `NotFound` otherwise.
pub fn decide_appeal(conn: &mut DbConn, id: i64, decision: &AppealDecision<'_>) -> RepoResult<()> {
    let n = diesel::update(
        rating_appeals::table
            .filter(rating_appeals::id.eq(id))
            .filter(rating_appeals::status.eq(AppealStatus::Pending.as_str())),
    )
    .set(decision)
    .execute(conn)
    .map_err(|e| RepoError::from_write(e, "appeal"))?;
    one_row(n)
}
