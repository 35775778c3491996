//! POST /issues/{id}/withdraw: the reporter withdraws an issue before it is triaged.

use actix_web::{HttpResponse, post, web};

use crate::application::Application;
use crate::error::{ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::Target;
use crate::responses::StepErrors;
use crate::state::AppState;

/// Withdraw one's own issue before it is triaged.
#[utoipa::path(
    tag = "issues",
    params(Target),
    responses(
        (status = 200, description = "Withdrawn", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not the issue's reporter", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already triaged (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/withdraw")]
pub async fn withdraw_issue(state: web::Data<AppState>, target: Target) -> ApiResult<HttpResponse> {
    target.take(&state, Application::withdraw).await
}
