//! POST /issues/{id}/withdraw: the reporter withdraws an issue before it is triaged.

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::ids::IssueId;

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, stepped},
    },
    state::AppState,
};

/// Withdraw one's own issue before it is triaged.
#[utoipa::path(
    tag = "issues",
    operation_id = "withdraw_issue",
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the issue's reporter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already triaged (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/withdraw")]
pub async fn withdraw_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.withdraw(&actor, id, if_match))
        .await?;
    Ok(stepped(&view))
}
