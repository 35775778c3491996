//! "Me too" (附议): a resident of the compound backs a public issue, once.

use actix_web::{post, web};
use linli_domain::auth::Role;
use linli_infra::{RepoError, repo::supports, time::to_millis};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{core, dto::IssueResponse},
    state::AppState,
};

/// Add the caller's "me too" to a public issue of their compound. The count is on the issue.
#[utoipa::path(
    tag = "issues",
    operation_id = "support_issue",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "Supported; the issue with its new `support_count`", body = IssueResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only residents add \"me too\"", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue visible to the caller (private issues of others, other compounds)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already supported (`already_supported`), the caller's own issue (`own_issue`), or the issue is no longer open (`issue_not_open`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/support")]
pub async fn support_issue(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> ApiResult<web::Json<IssueResponse>> {
    caller.require(&[Role::Resident])?;
    let issue_id = path.into_inner();
    let actor = caller.actor;
    let now = state.now();
    let (issue, count) = state
        .tx(move |conn| {
            // A resident sees their own issues and the public ones of their compound, so a
            // visible issue that is not their own is a public issue of their compound.
            let issue = core::load_visible(conn, &actor, issue_id)?;
            if issue.reporter == actor.user_id {
                return Err(ApiError::conflict(
                    "own_issue",
                    "you reported this issue; \"me too\" is for your neighbours",
                ));
            }
            if !issue.status.is_open() {
                return Err(ApiError::conflict(
                    "issue_not_open",
                    format!(
                        "the issue is {}; it can no longer be supported",
                        issue.status
                    ),
                ));
            }
            let already = || {
                ApiError::conflict(
                    "already_supported",
                    "you already added \"me too\" to this issue",
                )
            };
            if supports::exists(conn, issue_id, actor.user_id.0)? {
                return Err(already());
            }
            // The primary key still decides when two requests race past the check above.
            let count = supports::add(conn, issue_id, actor.user_id.0, to_millis(now)).map_err(
                |e| match e {
                    RepoError::Conflict(_) => already(),
                    other => other.into(),
                },
            )?;
            Ok((issue, count))
        })
        .await?;
    Ok(web::Json(IssueResponse::new(&issue, count, now)))
}
