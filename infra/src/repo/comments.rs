//! Comments on issues, public or internal (staff-only), with their author's name and role.

use diesel::prelude::*;
use linli_domain::ids::IssueId;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{comments, users},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct CommentRow {
    pub id: i64,
    pub issue_id: i64,
    pub author_id: i64,
    pub body: String,
    pub internal: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub issue_id: i64,
    pub author_id: i64,
    pub body: &'a str,
    pub internal: bool,
    pub created_at: i64,
}

/// A comment with who wrote it.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub comment: CommentRow,
    pub author_name: String,
    pub author_role: String,
}

pub fn insert(conn: &mut DbConn, new: &NewComment<'_>) -> RepoResult<CommentRow> {
    let id = diesel::insert_into(comments::table)
        .values(new)
        .returning(comments::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "comment"))?;
    // `RETURNING` of a whole row is not available through the multi-backend connection.
    comments::table
        .find(id)
        .select(CommentRow::as_select())
        .first(conn)
        .map_err(RepoError::from)
}

/// Comments of an issue in the order they were written, after the id `after` (keyset), at
/// most `limit`; internal ones only when `include_internal`.
pub fn list(
    conn: &mut DbConn,
    issue_id: IssueId,
    include_internal: bool,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<CommentView>> {
    let mut q = comments::table
        .inner_join(users::table)
        .filter(comments::issue_id.eq(issue_id.0))
        .select((CommentRow::as_select(), users::display_name, users::role))
        .order(comments::id)
        .limit(limit)
        .into_boxed();
    if !include_internal {
        q = q.filter(comments::internal.eq(false));
    }
    if let Some(a) = after {
        q = q.filter(comments::id.gt(a));
    }
    Ok(q.load::<(CommentRow, String, String)>(conn)?
        .into_iter()
        .map(|(comment, author_name, author_role)| CommentView {
            comment,
            author_name,
            author_role,
        })
        .collect())
}
