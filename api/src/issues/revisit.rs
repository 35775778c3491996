//! POST /issues/{id}/revisit: what the follow-up look (街社"回头看") found.

use actix_web::post;
use linli_domain::issue::RevisitOutcome;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::revisit::RevisitInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

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

step_endpoint! {
    /// Record the follow-up look (街社"回头看") at a closed issue. Officials of its community.
    revisit_issue: "/issues/{id}/revisit", RevisitIssueRequest => Application::revisit;
    ok: "Confirmed (stays closed) or recurred (reopened)",
    forbidden: "Not an official of the issue's community",
    conflict: "Not `closed` (`illegal_transition`)",
    invalid: "Unknown outcome, empty notes",
}
