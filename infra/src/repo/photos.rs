//! Photo records of issues: which stored blobs (by content hash: the original and its
//! thumbnail) belong to which issue, who uploaded it, its type and size. The bytes live behind
//! the API's `PhotoStore`.

use diesel::prelude::*;
use linli_domain::ids::{IssueId, PhotoId};

use crate::{
    DbConn,
    error::{RepoError, RepoResult, one_row},
    schema::{issues, photo_blobs, photos},
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
    /// `None` for photos stored before thumbnails existed (made on first request).
    pub thumbnail_hash: Option<String>,
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
    pub thumbnail_hash: Option<&'a str>,
}

/// Take the issue row's write lock until the transaction ends, so that concurrent uploads to
/// one issue are counted one after the other (PostgreSQL; SQLite's `BEGIN IMMEDIATE` already
/// serialises writers). The update changes nothing.
pub fn lock_issue(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<()> {
    let n = diesel::update(issues::table.filter(issues::id.eq(issue_id.0)))
        .set(issues::support_count.eq(issues::support_count))
        .execute(conn)?;
    one_row(n)
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

pub fn find(conn: &mut DbConn, id: PhotoId) -> RepoResult<PhotoRow> {
    photos::table
        .find(id.0)
        .select(PhotoRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Record the thumbnail made for a photo stored without one.
pub fn set_thumbnail(conn: &mut DbConn, id: PhotoId, thumbnail_hash: &str) -> RepoResult<()> {
    let n = diesel::update(photos::table.find(id.0))
        .set(photos::thumbnail_hash.eq(thumbnail_hash))
        .execute(conn)?;
    one_row(n)
}

pub fn count_for_issue(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<i64> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id.0))
        .count()
        .get_result(conn)?)
}

/// How many of `ids` are photos of the issue (to check that evidence belongs to it).
pub fn count_of_issue_among(
    conn: &mut DbConn,
    issue_id: IssueId,
    ids: &[PhotoId],
) -> RepoResult<i64> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id.0))
        .filter(photos::id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()))
        .count()
        .get_result(conn)?)
}

/// The photos of an issue, oldest first (an issue has at most a handful).
pub fn list_for_issue(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<Vec<PhotoRow>> {
    Ok(photos::table
        .filter(photos::issue_id.eq(issue_id.0))
        .select(PhotoRow::as_select())
        .order(photos::id)
        .load(conn)?)
}

/// Store a photo's bytes under their content hash, once: storing the same bytes again (a
/// parallel upload, a retry) changes nothing.
pub fn put_blob(conn: &mut DbConn, hash: &str, bytes: &[u8], now: i64) -> RepoResult<()> {
    let stored = diesel::insert_into(photo_blobs::table)
        .values((
            photo_blobs::hash.eq(hash),
            photo_blobs::bytes.eq(bytes),
            photo_blobs::created_at.eq(now),
        ))
        .execute(conn);
    match stored {
        Ok(_) => Ok(()),
        // The same content is there already (the key is its hash).
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The bytes stored under `hash`.
pub fn get_blob(conn: &mut DbConn, hash: &str) -> RepoResult<Vec<u8>> {
    photo_blobs::table
        .find(hash)
        .select(photo_blobs::bytes)
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}
