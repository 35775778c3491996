//! POST /issues/{id}/mediation: the outcome of a mediation (调解) of a dispute.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::mediation::MediationInput;
use crate::error::{ApiError, ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::{Step, Target, note};
use crate::responses::StepErrors;
use crate::state::AppState;

/// Body of POST /issues/{id}/mediation: the outcome of a mediation (调解).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"settled": true, "notes": "双方同意错峰晾晒，互相道歉"}))]
pub struct RecordMediationRequest {
    /// true: settled (→ awaiting_confirmation); false: failed (→ in_deliberation).
    pub settled: bool,
    /// What was agreed or why it failed, 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
}
impl TryFrom<RecordMediationRequest> for MediationInput {
    type Error = ApiError;

    fn try_from(body: RecordMediationRequest) -> ApiResult<Self> {
        Ok(Self {
            settled: body.settled,
            notes: note("notes", &body.notes)?,
        })
    }
}

/// Record a mediation (调解) of a dispute. Mediators (和事佬) of the handling community.
#[utoipa::path(
    tag = "issues",
    request_body = RecordMediationRequest,
    params(Target),
    responses(
        (status = 200, description = "Settled or failed", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a mediator of the handling community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a mediation-level issue in `triaged`/`in_progress` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/mediation")]
pub async fn record_mediation(
    state: web::Data<AppState>,
    step: Step<RecordMediationRequest>,
) -> ApiResult<HttpResponse> {
    step.take(&state, Application::record_mediation).await
}
