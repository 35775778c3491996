//! POST /issues/{id}/reassign: 改派 — the dispatcher hands a case to another handler.

use actix_web::post;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::triage::TriageInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{handler_choice, note, opt_level, step_endpoint};

/// Body of POST /issues/{id}/reassign: the new handler (as at triage) and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "grid", "handler_id": 1, "reason": "物业响应迟缓，改由网格员处理"}))]
pub struct ReassignIssueRequest {
    /// The new handler's level; the suggestion's level otherwise.
    #[schema(value_type = Option<linli_domain::level::Level>)]
    pub level: Option<String>,
    /// Per level: the grid, property company or community id.
    #[schema(minimum = 1)]
    pub handler_id: Option<i64>,
    /// For level `department`: the outside department's name.
    #[schema(min_length = 1, max_length = 100)]
    pub department: Option<String>,
    /// Why; the old and the new handler read it.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}
impl TryFrom<ReassignIssueRequest> for TriageInput {
    type Error = ApiError;

    fn try_from(body: ReassignIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            level: opt_level(body.level.as_deref())?,
            handler: handler_choice(body.handler_id, body.department.as_deref())?,
            urgency: None,
            reason: Some(note("reason", &body.reason)?),
        })
    }
}

step_endpoint! {
    /// Reassign (改派) a triaged or in-progress case to another handler, who answers it anew
    /// (`triaged`; `in_deliberation` for the community). The old handler is notified and no longer
    /// sees the case, its comments included. Dispatchers of the issue's street.
    reassign_issue: "/issues/{id}/reassign", ReassignIssueRequest => Application::reassign;
    ok: "Reassigned (triaged, or in_deliberation for the community)",
    forbidden: "Not a dispatcher of the issue's street",
    conflict: "Not in `triaged` or `in_progress` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Empty reason; the same handler; unknown level or handler (`validation_failed`)",
}
