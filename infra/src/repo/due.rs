//! Work that is due: candidates for the scheduler (escalation, the grid's backstop of building
//! leaders, auto-confirmation, revisit queueing) and the 回头看 queue. The conditions mirror the domain exactly
//! (`repo::predicates`); the scheduler still asks the domain (`Issue::escalation_due`,
//! `auto_confirm_due`, `revisit_due`) before it acts on a candidate.

use diesel::prelude::*;
use linli_domain::issue::IssueStatus;

use linli_domain::ids::{CommunityId, StreetId};

use crate::{
    DbConn,
    codes::Code,
    error::RepoResult,
    repo::{issues::IssueRow, predicates},
    schema::issues,
};

/// A candidate issue and the version it was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub version: i64,
}

/// The issues meeting `due`, keyset by id after `after_id`, at most `limit`.
fn candidates(
    conn: &mut DbConn,
    due: predicates::Condition,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    let rows: Vec<(i64, i64)> = issues::table
        .filter(due)
        .filter(issues::id.gt(after_id))
        .select((issues::id, issues::version))
        .order(issues::id)
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, version)| Candidate { id, version })
        .collect())
}

/// Issues whose next escalation step is due at `now_ms` (`Issue::escalation_due`): step 1 once
/// overdue, step 2 once the missed deadline is `second_after_ms` old. Keyset by id after
/// `after_id`, at most `limit`.
pub fn escalation_candidates(
    conn: &mut DbConn,
    now_ms: i64,
    second_after_ms: i64,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    let second_cutoff = now_ms.saturating_sub(second_after_ms);
    candidates(
        conn,
        predicates::escalation_due(now_ms, second_cutoff),
        after_id,
        limit,
    )
}

/// Residents-level issues whose building leaders let the response deadline pass, for the grid
/// to take over (`Issue::backstop_due`). Keyset by id after `after_id`, at most `limit`.
pub fn backstop_candidates(
    conn: &mut DbConn,
    now_ms: i64,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    candidates(conn, predicates::backstop_due(now_ms), after_id, limit)
}

/// Issues in `awaiting_confirmation` since `cutoff_ms` or earlier (`Issue::auto_confirm_due`).
pub fn auto_confirm_candidates(
    conn: &mut DbConn,
    cutoff_ms: i64,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    candidates(
        conn,
        predicates::auto_confirm_due(cutoff_ms),
        after_id,
        limit,
    )
}

/// Closed issues, closed at `cutoff_ms` or earlier, not queued nor revisited, that the domain
/// selects for a revisit (`Issue::revisit_due`, see `predicates::revisit_due`): poorly rated,
/// emergencies, or in the deterministic `sample_percent` sample. Unsampled issues are never
/// selected again.
pub fn revisit_candidates(
    conn: &mut DbConn,
    cutoff_ms: i64,
    sample_percent: u8,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    candidates(
        conn,
        predicates::revisit_due(cutoff_ms, sample_percent),
        after_id,
        limit,
    )
}

/// Whose 回头看 queue: a community's (its officials) or a street's (its officials).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisitArea {
    Community(CommunityId),
    Street(StreetId),
}

/// The 回头看 queue of an area: closed issues queued for a revisit and not yet revisited,
/// oldest id first, keyset after `after_id`.
pub fn queued_revisits(
    conn: &mut DbConn,
    area: RevisitArea,
    after_id: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<IssueRow>> {
    let mut q = issues::table.into_boxed();
    q = match area {
        RevisitArea::Community(c) => q.filter(issues::community_id.eq(c.0)),
        RevisitArea::Street(s) => q.filter(issues::street_id.eq(s.0)),
    };
    let mut q = q
        .filter(issues::status.eq(IssueStatus::Closed.code()))
        .filter(issues::revisit_queued.eq(true))
        .filter(issues::revisited_at.is_null())
        .select(IssueRow::as_select())
        .order(issues::id)
        .limit(limit);
    if let Some(a) = after_id {
        q = q.filter(issues::id.gt(a));
    }
    Ok(q.load(conn)?)
}
