//! Work that is due: candidates for the scheduler (escalation, auto-confirmation, revisit
//! queueing) and the 回头看 queue. The SQL only narrows the candidates with indexed columns;
//! the domain (`Issue::escalation_due`, `auto_confirm_due`, `revisit_due`) has the last word.

use diesel::{dsl::sql, prelude::*, sql_types::Bool};

use linli_domain::ids::CommunityId;

use crate::{DbConn, error::RepoResult, repo::issues::IssueRow, schema::issues};

/// A candidate issue and the version it was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub version: i64,
}

fn candidates(rows: Vec<(i64, i64)>) -> Vec<Candidate> {
    rows.into_iter()
        .map(|(id, version)| Candidate { id, version })
        .collect()
}

/// Issues on the clock (open, not awaiting confirmation) past a deadline whose next escalation step
/// may be due: step 1 once a deadline passed, step 2 once it passed `second_after_ms` ago.
/// Keyset by id after `after_id`, at most `limit`.
pub fn escalation_candidates(
    conn: &mut DbConn,
    now_ms: i64,
    second_after_ms: i64,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    let second_cutoff = now_ms.saturating_sub(second_after_ms);
    let step_1 = issues::escalation_step.eq(0).and(
        issues::responded_at
            .is_null()
            .and(issues::response_due.lt(now_ms))
            .or(issues::resolution_due.lt(now_ms)),
    );
    let step_2 = issues::escalation_step.eq(1).and(
        issues::responded_at
            .is_null()
            .and(issues::response_due.le(second_cutoff))
            .or(issues::resolution_due.le(second_cutoff)),
    );
    let rows = issues::table
        .filter(issues::status.ne("closed"))
        .filter(issues::status.ne("rejected"))
        .filter(issues::status.ne("withdrawn"))
        .filter(issues::status.ne("awaiting_confirmation"))
        .filter(step_1.or(step_2))
        .filter(issues::id.gt(after_id))
        .select((issues::id, issues::version))
        .order(issues::id)
        .limit(limit)
        .load(conn)?;
    Ok(candidates(rows))
}

/// Issues in `awaiting_confirmation` since `cutoff_ms` or earlier.
pub fn auto_confirm_candidates(
    conn: &mut DbConn,
    cutoff_ms: i64,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    let rows = issues::table
        .filter(issues::status.eq("awaiting_confirmation"))
        .filter(issues::status_since.le(cutoff_ms))
        .filter(issues::id.gt(after_id))
        .select((issues::id, issues::version))
        .order(issues::id)
        .limit(limit)
        .load(conn)?;
    Ok(candidates(rows))
}

/// Closed issues, closed at `cutoff_ms` or earlier, not queued nor revisited, that are rated 3
/// or less, emergencies, or in the deterministic sample. The sample mirrors the domain's
/// `(id × 2654435761) mod 100 < percent`, computed as `((id mod 100) × 61) mod 100` (61 is the
/// factor mod 100), so it cannot overflow; unsampled issues are never selected again.
pub fn revisit_candidates(
    conn: &mut DbConn,
    cutoff_ms: i64,
    sample_percent: u8,
    after_id: i64,
    limit: i64,
) -> RepoResult<Vec<Candidate>> {
    let sampled = sql::<Bool>("((id % 100) * 61) % 100 < ")
        .bind::<diesel::sql_types::Integer, _>(i32::from(sample_percent));
    let rows = issues::table
        .filter(issues::status.eq("closed"))
        .filter(issues::revisit_queued.eq(false))
        .filter(issues::revisited_at.is_null())
        .filter(issues::closed_at.le(cutoff_ms))
        .filter(
            issues::satisfaction
                .le(3)
                .or(issues::urgency.eq("emergency"))
                .or(sampled),
        )
        .filter(issues::id.gt(after_id))
        .select((issues::id, issues::version))
        .order(issues::id)
        .limit(limit)
        .load(conn)?;
    Ok(candidates(rows))
}

/// The 回头看 queue of a community: closed issues queued for a revisit and not yet revisited,
/// oldest id first, keyset after `after_id`.
pub fn queued_revisits(
    conn: &mut DbConn,
    community_id: CommunityId,
    after_id: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<IssueRow>> {
    let mut q = issues::table
        .filter(issues::community_id.eq(community_id.0))
        .filter(issues::status.eq("closed"))
        .filter(issues::revisit_queued.eq(true))
        .filter(issues::revisited_at.is_null())
        .select(IssueRow::as_select())
        .order(issues::id)
        .limit(limit)
        .into_boxed();
    if let Some(a) = after_id {
        q = q.filter(issues::id.gt(a));
    }
    Ok(q.load(conn)?)
}
