//! Comments on an issue: public ones for everyone who may see the issue, internal ones
//! between staff only. Auditors read, admins see no cases; neither writes.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::ids::IssueId;
use linli_infra::{repo::comments::CommentView, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::{ApiResult, Problem},
    issues::http::{Addressed, note},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, IssueNotFound, Malformed, Unauthenticated},
    state::AppState,
};

/// Body of POST /issues/{id}/comments: a comment on an issue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "车库的水已经漫到二号车位了，请尽快处理。", "internal": false}))]
pub struct AddCommentRequest {
    /// 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    /// Staff-only note, hidden from residents (default false). Residents cannot write one.
    #[serde(default)]
    pub internal: bool,
}

/// A comment on an issue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 5, "issue_id": 3, "author_id": 9, "author_name": "王阿姨", "author_role": "resident",
    "body": "车库的水已经漫到二号车位了，请尽快处理。", "internal": false,
    "created_at": "2026-09-01T08:00:00Z"
}))]
pub struct CommentResponse {
    /// Comment id.
    pub id: i64,
    /// The issue it is on.
    pub issue_id: i64,
    /// User id of the author.
    pub author_id: i64,
    /// The author's display name, e.g. 王阿姨: staff in full; a resident in full to staff and
    /// to themself, masked (`王**`) to other residents.
    pub author_name: String,
    /// The author's role (resident, property_staff, ...).
    pub author_role: String,
    /// The text, 1 to 2000 characters.
    pub body: String,
    /// Staff-only.
    pub internal: bool,
    /// When it was written, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl CommentResponse {
    fn from_view(v: &CommentView) -> Self {
        Self {
            id: v.comment.id,
            issue_id: v.comment.issue_id,
            author_id: v.comment.author_id,
            author_name: v.author_name.clone(),
            author_role: v.author_role.clone(),
            body: v.comment.body.clone(),
            internal: v.comment.internal,
            created_at: from_millis(v.comment.created_at).unwrap_or_default(),
        }
    }
}

/// One page of comments, oldest first (see [`Page`] for why an alias).
pub type CommentPage = Page<CommentResponse>;

/// Comment on an issue, publicly or (staff) internally.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    request_body = AddCommentRequest,
    responses(
        (status = 201, description = "Comment added", body = CommentResponse),
        Unauthenticated,
        (status = 403, description = "Auditors and admins cannot comment; residents cannot write internal comments", body = Problem, content_type = "application/problem+json"),
        IssueNotFound,
        (status = 422, description = "Empty or too long body (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[post("/issues/{id}/comments")]
pub async fn add_comment(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
    body: web::Json<AddCommentRequest>,
) -> ApiResult<HttpResponse> {
    let internal = body.internal;
    let text = note("body", &body.body)?;
    let view = state
        .call(move |app| app.add_comment(&at.caller.actor, at.id, text, internal))
        .await?;
    Ok(HttpResponse::Created().json(CommentResponse::from_view(&view)))
}

/// The comments of an issue the caller may see, oldest first; internal ones only for staff.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id"), PageQuery),
    responses(
        (status = 200, description = "One page of comments", body = CommentPage),
        InvalidQuery,
        Unauthenticated,
        IssueNotFound,
        Malformed,
    )
)]
#[get("/issues/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<CommentPage>> {
    let page = query.parse()?;
    let views = state
        .call(move |app| app.list_comments(&at.caller.actor, at.id, page.after, page.fetch()))
        .await?;
    Ok(web::Json(Page::of(
        &page,
        views,
        |v| v.comment.id,
        |v| CommentResponse::from_view(&v),
    )))
}
