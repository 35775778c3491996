//! The notice board (公告/公示): a notice, the compounds it is posted to and, for an outage,
//! the filing categories it covers.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::{
    DbConn,
    error::{RepoError, RepoResult, one_row},
    schema::{notice_categories, notice_compounds, notices},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notices)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub publisher_kind: String,
    pub publisher_id: Option<i64>,
    pub publisher_name: String,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notices)]
pub struct NewNotice<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub pinned: bool,
    pub publisher_kind: &'a str,
    pub publisher_id: Option<i64>,
    pub publisher_name: &'a str,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// A notice with the compounds it is posted to and the categories it covers, each in order.
#[derive(Debug, Clone)]
pub struct NoticeView {
    pub notice: NoticeRow,
    pub compound_ids: Vec<i64>,
    pub categories: Vec<String>,
}

/// Store a notice posted to `compound_ids`, covering `categories` (call inside a transaction).
pub fn create(
    conn: &mut DbConn,
    new: &NewNotice<'_>,
    compound_ids: &[i64],
    categories: &[&str],
) -> RepoResult<NoticeView> {
    let id = diesel::insert_into(notices::table)
        .values(new)
        .returning(notices::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "notice"))?;
    // One row at a time: batch inserts are not available across both backends.
    for compound in compound_ids {
        diesel::insert_into(notice_compounds::table)
            .values((
                notice_compounds::notice_id.eq(id),
                notice_compounds::compound_id.eq(*compound),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "compound"))?;
    }
    for category in categories {
        diesel::insert_into(notice_categories::table)
            .values((
                notice_categories::notice_id.eq(id),
                notice_categories::category.eq(*category),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "category"))?;
    }
    find(conn, id)
}

/// One notice with its compounds and categories, `NotFound` otherwise.
pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<NoticeView> {
    let row = notices::table
        .find(id)
        .select(NoticeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)?;
    with_places(conn, vec![row])?
        .pop()
        .ok_or(RepoError::NotFound)
}

/// `rows` with their compounds and categories, in two queries.
fn with_places(conn: &mut DbConn, rows: Vec<NoticeRow>) -> RepoResult<Vec<NoticeView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut compounds: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        for (notice, compound) in notice_compounds::table
            .filter(notice_compounds::notice_id.eq_any(&ids))
            .order((notice_compounds::notice_id, notice_compounds::compound_id))
            .load::<(i64, i64)>(conn)?
        {
            compounds.entry(notice).or_default().push(compound);
        }
        for (notice, category) in notice_categories::table
            .filter(notice_categories::notice_id.eq_any(&ids))
            .order((notice_categories::notice_id, notice_categories::category))
            .load::<(i64, String)>(conn)?
        {
            categories.entry(notice).or_default().push(category);
        }
    }
    Ok(rows
        .into_iter()
        .map(|notice| NoticeView {
            compound_ids: compounds.remove(&notice.id).unwrap_or_default(),
            categories: categories.remove(&notice.id).unwrap_or_default(),
            notice,
        })
        .collect())
}

/// The notices in force at `now` (not withdrawn, not expired) posted to any of `compounds`
/// (every compound when `None`): pinned first, then newest first, after the notice `after`
/// of the previous page.
pub fn list_in_force(
    conn: &mut DbConn,
    compounds: Option<&[i64]>,
    now: i64,
    after: Option<i64>,
    fetch: i64,
) -> RepoResult<Vec<NoticeView>> {
    let mut query = notices::table
        .select(NoticeRow::as_select())
        .filter(notices::withdrawn_at.is_null())
        .filter(
            notices::expires_at
                .is_null()
                .or(notices::expires_at.assume_not_null().gt(now)),
        )
        .order((notices::pinned.desc(), notices::id.desc()))
        .limit(fetch)
        .into_boxed();
    if let Some(compounds) = compounds {
        query = query.filter(
            notices::id.eq_any(
                notice_compounds::table
                    .filter(notice_compounds::compound_id.eq_any(compounds.to_vec()))
                    .select(notice_compounds::notice_id),
            ),
        );
    }
    if let Some(after) = after {
        // The cursor is the last notice of the previous page; where it stands in the order
        // depends on whether it is pinned.
        let pinned = notices::table
            .find(after)
            .select(notices::pinned)
            .first::<bool>(conn)
            .optional()?
            .unwrap_or(false);
        query = if pinned {
            query.filter(
                notices::pinned
                    .eq(false)
                    .or(notices::id.lt(after).and(notices::pinned.eq(true))),
            )
        } else {
            query.filter(notices::pinned.eq(false).and(notices::id.lt(after)))
        };
    }
    let rows = query.load(conn)?;
    with_places(conn, rows)
}

/// The outage notices in force at `now` posted to `compound`, with the categories each covers.
pub fn outages_in_force(conn: &mut DbConn, compound: i64, now: i64) -> RepoResult<Vec<NoticeView>> {
    let rows = notices::table
        .select(NoticeRow::as_select())
        .filter(notices::kind.eq("outage"))
        .filter(notices::withdrawn_at.is_null())
        .filter(notices::expires_at.assume_not_null().gt(now))
        .filter(
            notices::id.eq_any(
                notice_compounds::table
                    .filter(notice_compounds::compound_id.eq(compound))
                    .select(notice_compounds::notice_id),
            ),
        )
        .order(notices::expires_at.asc())
        .load(conn)?;
    with_places(conn, rows)
}

/// Withdraw notice `id` (once: a second withdrawal is `NotFound`).
pub fn withdraw(conn: &mut DbConn, id: i64, by: i64, now: i64) -> RepoResult<()> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::withdrawn_at.is_null()),
    )
    .set((notices::withdrawn_at.eq(now), notices::withdrawn_by.eq(by)))
    .execute(conn)?;
    one_row(n)
}
