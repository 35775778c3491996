//! POST /issues/{id}/answer: the handler's answer (部门解答), accepting or declining.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::answer::AnswerInput;
use crate::error::{ApiError, ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::{Step, Target, note, opt_note};
use crate::responses::StepErrors;
use crate::state::AppState;

/// Body of POST /issues/{id}/answer: the handler's reply (解答), accepting or declining.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "已安排维修人员明天上午处理", "accept": true}))]
pub struct AnswerIssueRequest {
    /// The reply the resident reads (部门解答).
    #[schema(min_length = 1, max_length = 2000)]
    pub message: String,
    /// true: take it on (→ in_progress); false: decline, back to the dispatcher with `reason`.
    pub accept: bool,
    /// Required when declining.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}
impl TryFrom<AnswerIssueRequest> for AnswerInput {
    type Error = ApiError;

    fn try_from(body: AnswerIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            message: note("message", &body.message)?,
            accept: body.accept,
            reason: opt_note("reason", body.reason.as_deref())?,
        })
    }
}

/// Answer the resident (部门解答): accept the issue, or decline it back to the dispatcher.
/// The current handler (for a department, a dispatcher relays the answer).
#[utoipa::path(
    tag = "issues",
    request_body = AnswerIssueRequest,
    params(Target),
    responses(
        (status = 200, description = "Accepted (in_progress) or declined (submitted)", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not the current handler", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `triaged` (`illegal_transition`) or changed concurrently (`concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty message; declining without a reason", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/answer")]
pub async fn answer_issue(
    state: web::Data<AppState>,
    step: Step<AnswerIssueRequest>,
) -> ApiResult<HttpResponse> {
    step.take(&state, Application::answer).await
}
