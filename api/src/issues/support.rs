//! "Me too" (附议): a resident of the compound backs a public issue, once.

use actix_web::{post, web};
use linli_domain::{auth::Role, ids::IssueId};

use crate::{
    error::{ApiResult, Problem},
    issues::{dto::IssueResponse, http::Addressed},
    responses::Unauthenticated,
    state::AppState,
};

/// Add the caller's "me too" to a public issue of their compound. The count is on the issue.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "Supported; the issue with its new `support_count`", body = IssueResponse),
        Unauthenticated,
        (status = 403, description = "Only residents add \"me too\" (`forbidden`), once the compound verified them (`verification_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue visible to the caller (private issues of others, other compounds)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already supported (`already_supported`), the caller's own issue (`own_issue`), or the issue is no longer open (`issue_not_open`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/support")]
pub async fn support_issue(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
) -> ApiResult<web::Json<IssueResponse>> {
    at.caller.require(&[Role::Resident])?;
    let view = state
        .call(move |app| app.support_issue(&at.caller.actor, at.id))
        .await?;
    Ok(web::Json(IssueResponse::from_view(&view)))
}
