//! POST /issues/{id}/answer: the handler's answer (部门解答), accepting or declining.

use actix_web::post;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::answer::AnswerInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, opt_note, step_endpoint};

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

step_endpoint! {
    /// Answer the resident (部门解答): accept the issue, or decline it back to the dispatcher.
    /// The current handler (for a department, a dispatcher relays the answer).
    answer_issue: "/issues/{id}/answer", AnswerIssueRequest => Application::answer;
    ok: "Accepted (in_progress) or declined (submitted)",
    forbidden: "Not the current handler",
    conflict: "Not in `triaged` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Empty message; declining without a reason",
}
