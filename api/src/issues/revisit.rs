//! POST /issues/{id}/revisit: what the follow-up look (街社"回头看") found.

use actix_web::{HttpResponse, post, web};
use linli_domain::issue::RevisitOutcome;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::revisit::RevisitInput;
use crate::error::{ApiError, ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::{Step, Target, note};
use crate::responses::StepErrors;
use crate::state::AppState;

/// Body of POST /issues/{id}/revisit: what the follow-up look (回头看) found.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "recurred", "notes": "回访发现车库又开始渗水"}))]
pub struct RevisitIssueRequest {
    /// `confirmed` (still fixed) or `recurred` (→ in_progress, reopened).
    #[schema(value_type = linli_domain::issue::RevisitOutcome)]
    pub outcome: String,
    /// What the revisit found, 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
}
impl TryFrom<RevisitIssueRequest> for RevisitInput {
    type Error = ApiError;

    fn try_from(body: RevisitIssueRequest) -> ApiResult<Self> {
        let outcome = match body.outcome.trim() {
            "confirmed" => RevisitOutcome::Confirmed,
            "recurred" => RevisitOutcome::Recurred,
            _ => {
                return Err(ApiError::validation(
                    "outcome",
                    "must be confirmed or recurred",
                ));
            }
        };
        Ok(Self {
            outcome,
            notes: note("notes", &body.notes)?,
        })
    }
}

/// Record the follow-up look (街社"回头看") at a closed issue. Officials of its community.
#[utoipa::path(
    tag = "issues",
    request_body = RevisitIssueRequest,
    params(Target),
    responses(
        (status = 200, description = "Confirmed (stays closed) or recurred (reopened)", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not an official of the issue's community", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not `closed` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown outcome, empty notes", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/revisit")]
pub async fn revisit_issue(
    state: web::Data<AppState>,
    step: Step<RevisitIssueRequest>,
) -> ApiResult<HttpResponse> {
    step.take(&state, Application::revisit).await
}
