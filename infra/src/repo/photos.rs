//! Photo records of issues: which stored blob (by content hash) belongs to which issue, who
//! uploaded it, its sniffed type and size. The bytes live behind the API's `PhotoStore`.

use diesel::prelude::*;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{issues, photos},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = photos)]
pub struct PhotoRow {
    pub id: i64,
    pub issue_id: i64,
    pub uploaded_by: i64,
    pub content_hash: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = photos)]
pub struct NewPhoto<'a> {
    pub issue_id: i64,
    pub uploaded_by: i64,
    pub content_hash: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub created_at: i64,
}

/// Take the issue row's write lock until the transaction ends, so that concurrent uploads to
/// one issue are counted one after the other (PostgreSQL; SQLite's `BEGIN IMMEDIATE` already
/// serialises writers). The update changes nothing.
pub fn lock_issue(conn: &mut DbConn, issue_id: i64) -> RepoResult<()> {
    let n = diesel::update(issues::table.filter(issues::id.eq(issue_id)))
        .set(issues::support_count.eq(issues::support_count))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}

pub fn insert(conn: &mut DbConn, new: &NewPhoto<'_>) -> RepoResult<PhotoRow> {
    let id = diesel::insert_into(photos::table)
        .values(new)
        .returning(photos::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "photo"))?;
    // `RETURNING` of a whole row is not available through the multi-backend connection.
    photos::table
        .find(id)
        .select(PhotoRow::as_select())
        .first(conn)
        .map_err(RepoError::from)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<PhotoRow> {
    photos::table
        .find(id)
        .select(PhotoRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

pub fn count_for_issue(conn: &mut DbConn, issue_id: i64) -> RepoResult<i64> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id))
        .count()
        .get_result(conn)?)
}

/// The photos of an issue, oldest first (an issue has at most a handful).
pub fn list_for_issue(conn: &mut DbConn, issue_id: i64) -> RepoResult<Vec<PhotoRow>> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id))
        .select(PhotoRow::as_select())
        .order(photos::id)
        .load(conn)?)
}
