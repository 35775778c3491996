//! The 回头看 queue: closed issues of the caller's community that the scheduler queued for a
//! follow-up visit and nobody has revisited yet.

use actix_web::{get, web};
use linli_domain::auth::{Role, Scope};
use linli_infra::repo::due;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::dto::IssueResponse,
    pagination::PageParams,
    state::AppState,
};

/// One page of the revisit queue, oldest issue first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisitQueuePage {
    pub items: Vec<IssueResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDueRevisitsQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
}

/// The caller's community's revisit queue (community officials only). Record a revisit with
/// POST /issues/{id}/revisit.
#[utoipa::path(
    tag = "issues",
    operation_id = "list_due_revisits",
    security(("bearer" = [])),
    params(ListDueRevisitsQuery),
    responses(
        (status = 200, description = "One page of queued issues", body = RevisitQueuePage),
        (status = 400, description = "Invalid cursor or limit (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a community official", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/revisits/due")]
pub async fn list_due_revisits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListDueRevisitsQuery>,
) -> ApiResult<web::Json<RevisitQueuePage>> {
    caller.require(&[Role::CommunityOfficial])?;
    let Scope::Community(community) = caller.scope() else {
        return Err(ApiError::forbidden("the account has no community"));
    };
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let now = state.now();
    let (rows, next_cursor) = state
        .run(move |conn| {
            let mut rows = due::queued_revisits(conn, community.0, page.after, page.limit + 1)?;
            let next = page.finish(&mut rows, |r| r.id);
            let issues = rows
                .iter()
                .map(|r| Ok((r.to_domain()?, i64::from(r.support_count))))
                .collect::<Result<Vec<_>, linli_infra::RepoError>>()?;
            Ok((issues, next))
        })
        .await?;
    let items = rows
        .iter()
        .map(|(issue, supports)| IssueResponse::new(issue, *supports, now))
        .collect();
    Ok(web::Json(RevisitQueuePage { items, next_cursor }))
}
