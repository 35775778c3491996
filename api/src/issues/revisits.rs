//! The 回头看 queue: closed issues of the caller's community (or street) that the scheduler
//! queued for a follow-up visit and nobody has revisited yet.

use actix_web::{get, web};
use linli_domain::auth::{Role, Scope};
use linli_infra::repo::due::RevisitArea;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{dto::IssueResponse, query::IssuePage},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// The caller's revisit queue: a community official's community, a street official's street.
/// Record a revisit with POST /issues/{id}/revisit.
#[utoipa::path(
    tag = "issues",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of queued issues", body = IssuePage),
        InvalidQuery,
        Unauthenticated,
        (status = 403, description = "Not a community or street official", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[get("/revisits/due")]
pub async fn list_due_revisits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<IssuePage>> {
    caller.require(&[Role::CommunityOfficial, Role::StreetOfficial])?;
    let area = match caller.scope() {
        Scope::Community(c) => RevisitArea::Community(c),
        Scope::Street(s) => RevisitArea::Street(s),
        _ => {
            return Err(ApiError::forbidden(
                "the account has no community or street",
            ));
        }
    };
    let page = query.parse()?;
    let actor = caller.actor;
    let views = state
        .call(move |app| app.due_revisits(&actor, area, page.after, page.fetch()))
        .await?;
    Ok(web::Json(Page::of(
        &page,
        views,
        |v| v.issue.id.0,
        |v| IssueResponse::from_view(&v),
    )))
}
