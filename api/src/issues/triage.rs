//! POST /issues/{id}/triage: triage (分流/派单) — level, handler and deadlines.

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::{ids::IssueId, triage::Level, urgency::Urgency, values::OrgName};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::issues::triage::{HandlerChoice, TriageInput},
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, opt_note, relabel, stepped},
    },
    state::AppState,
};

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
        let level = body
            .level
            .as_deref()
            .map(|l| Level::parse(l.trim()))
            .transpose()?;
        let urgency = body
            .urgency
            .as_deref()
            .map(|u| Urgency::parse(u.trim()))
            .transpose()?;
        let reason = opt_note("reason", body.reason.as_deref())?;
        let department = body
            .department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| OrgName::parse(d).map_err(|e| relabel("department", e)))
            .transpose()?;
        let handler = match (body.handler_id, department) {
            (Some(_), Some(_)) => {
                return Err(ApiError::validation(
                    "department",
                    "give either handler_id or department, not both",
                ));
            }
            (Some(id), None) => Some(HandlerChoice::Id(id)),
            (None, Some(name)) => Some(HandlerChoice::Department(name)),
            (None, None) => None,
        };
        Ok(Self {
            level,
            handler,
            urgency,
            reason,
        })
    }
}

/// Triage (分流/派单): choose the level, the handler and the deadlines.
///
/// Without overrides the routing suggestion is taken; an override needs a `reason`. The triage
/// event records the suggestion and the decision. Dispatchers of the issue's street.
#[utoipa::path(
    tag = "issues",
    operation_id = "triage_issue",
    request_body = TriageIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Triaged (community level → in_deliberation)", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a dispatcher of the issue's street", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `submitted` (`illegal_transition`) or changed concurrently (`concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown level or urgency, unknown handler, a property company that does not manage the compound, override without reason (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/triage")]
pub async fn triage_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<TriageIssueRequest>,
) -> ApiResult<HttpResponse> {
    let input = TriageInput::try_from(body.into_inner())?;
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.triage(&actor, id, if_match, input))
        .await?;
    Ok(stepped(&view))
}
