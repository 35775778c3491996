//! POST /issues/{id}/triage: triage (分流/派单) — level, handler and deadlines.

use actix_web::post;
use linli_domain::urgency::Urgency;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::triage::TriageInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{handler_choice, opt_level, opt_note, step_endpoint};

/// Body of POST /issues/{id}/triage: overrides of the routing suggestion (分流/派单).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "grid", "handler_id": 1, "reason": "楼道杂物由网格员劝导清理即可"}))]
pub struct TriageIssueRequest {
    /// grid, property, community, mediation or department; the suggestion's level otherwise.
    #[schema(value_type = Option<linli_domain::level::Level>)]
    pub level: Option<String>,
    /// Per level: the grid id, the property company id, or the community id (community and
    /// mediation). Not used for department (see `department`).
    #[schema(minimum = 1)]
    pub handler_id: Option<i64>,
    /// emergency, urgent or normal; deadlines are recomputed from the filing time when it changes.
    #[schema(value_type = Option<linli_domain::urgency::Urgency>)]
    pub urgency: Option<String>,
    /// Required when overriding the suggested level, handler or urgency.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
    /// The outside department's name, for level `department` (default 相关职能部门).
    #[schema(min_length = 1, max_length = 100)]
    pub department: Option<String>,
}
impl TryFrom<TriageIssueRequest> for TriageInput {
    type Error = ApiError;

    fn try_from(body: TriageIssueRequest) -> ApiResult<Self> {
        let urgency = body
            .urgency
            .as_deref()
            .map(|u| Urgency::parse(u.trim()))
            .transpose()?;
        Ok(Self {
            level: opt_level(body.level.as_deref())?,
            handler: handler_choice(body.handler_id, body.department.as_deref())?,
            urgency,
            reason: opt_note("reason", body.reason.as_deref())?,
        })
    }
}

step_endpoint! {
    /// Triage (分流/派单): choose the level, the handler and the deadlines.
    ///
    /// Without overrides the routing suggestion is taken; an override needs a `reason`. The triage
    /// event records the suggestion and the decision. Dispatchers of the issue's street.
    triage_issue: "/issues/{id}/triage", TriageIssueRequest => Application::triage;
    ok: "Triaged (community level → in_deliberation)",
    forbidden: "Not a dispatcher of the issue's street",
    conflict: "Not in `submitted` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Unknown level or urgency, unknown handler, a property company that does not manage the compound, override without reason (`validation_failed`)",
}
