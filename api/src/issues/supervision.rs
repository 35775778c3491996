//! POST /issues/{id}/supervision: the owners' committee check (业委会督查).

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::supervision::SupervisionInput;
use crate::error::{ApiError, ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::{Step, Target, note};
use crate::responses::StepErrors;
use crate::state::AppState;

/// Body of POST /issues/{id}/supervision: the owners' committee check (督查).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"passed": false, "notes": "车库B区仍有渗水，请返工"}))]
pub struct SuperviseIssueRequest {
    /// true: pass (→ awaiting_confirmation); false: send back (→ in_progress).
    pub passed: bool,
    /// What the committee found (督查意见), 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
}
impl TryFrom<SuperviseIssueRequest> for SupervisionInput {
    type Error = ApiError;

    fn try_from(body: SuperviseIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            passed: body.passed,
            notes: note("notes", &body.notes)?,
        })
    }
}

/// Supervise the rectification (业委会督查). Members of the owners' committee of the compound.
#[utoipa::path(
    tag = "issues",
    request_body = SuperviseIssueRequest,
    params(Target),
    responses(
        (status = 200, description = "Passed or sent back", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not on the committee of the issue's compound", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `awaiting_supervision` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/supervision")]
pub async fn supervise_issue(
    state: web::Data<AppState>,
    step: Step<SuperviseIssueRequest>,
) -> ApiResult<HttpResponse> {
    step.take(&state, Application::supervise).await
}
