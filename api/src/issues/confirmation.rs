//! POST /issues/{id}/confirmation: the reporter's verdict and rating (评价).

use actix_web::post;
use linli_domain::{evaluation::DissatisfactionReason, values::Satisfaction};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::confirmation::ConfirmationInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{opt_note, step_endpoint};

/// Body of POST /issues/{id}/confirmation: the reporter's verdict and rating (评价).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"resolved": true, "satisfaction": 5, "comment": "修得很及时，谢谢"}))]
pub struct ConfirmIssueRequest {
    /// true: resolved (→ closed); false: not resolved (→ in_progress, reopened).
    pub resolved: bool,
    /// 1 to 5; required when resolved.
    #[schema(minimum = 1, maximum = 5)]
    pub satisfaction: Option<i64>,
    /// Optional words for the handler, at most 2000 characters; blank counts as absent.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
    /// With a rating of 1–2 or `resolved: false` only: why (one or more, each once); counted
    /// per company in the reports and ratings.
    #[serde(default)]
    pub reasons: Vec<DissatisfactionReason>,
}
impl TryFrom<ConfirmIssueRequest> for ConfirmationInput {
    type Error = ApiError;

    fn try_from(body: ConfirmIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            resolved: body.resolved,
            satisfaction: body.satisfaction.map(Satisfaction::parse).transpose()?,
            comment: opt_note("comment", body.comment.as_deref())?,
            reasons: body.reasons,
        })
    }
}

step_endpoint! {
    /// Confirm and rate (评价). The issue's reporter.
    confirm_issue: "/issues/{id}/confirmation", ConfirmIssueRequest => Application::confirm;
    ok: "Closed, or reopened",
    forbidden: "Not the issue's reporter",
    conflict: "Not in `awaiting_confirmation` (`illegal_transition`)",
    invalid: "Satisfaction outside 1–5, or missing when resolved; reasons with a rating of 3–5 or given twice",
}
