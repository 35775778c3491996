//! The 回头看 queue: closed issues of the caller's community that the scheduler queued for a
//! follow-up visit and nobody has revisited yet.

use actix_web::{get, web};
use linli_domain::auth::{Role, Scope};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{dto::IssueResponse, query::IssuePage},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// The caller's community's revisit queue (community officials only). Record a revisit with
/// POST /issues/{id}/revisit.
#[utoipa::path(
    tag = "issues",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of queued issues", body = IssuePage),
        InvalidQuery,
        Unauthenticated,
        (status = 403, description = "Not a community official", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[get("/revisits/due")]
pub async fn list_due_revisits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<IssuePage>> {
    caller.require(&[Role::CommunityOfficial])?;
    let Scope::Community(community) = caller.scope() else {
        return Err(ApiError::forbidden("the account has no community"));
    };
    let page = query.parse()?;
    let actor = caller.actor;
    let views = state
        .call(move |app| app.due_revisits(&actor, community, page.after, page.fetch()))
        .await?;
    Ok(web::Json(Page::of(
        &page,
        views,
        |v| v.issue.id.0,
        |v| IssueResponse::from_view(&v),
    )))
}
