//! POST /issues/{id}/confirmation: the reporter's verdict and rating (评价).

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::{ids::IssueId, values::Satisfaction};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::issues::confirmation::ConfirmationInput,
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, opt_note, stepped},
    },
    state::AppState,
};

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
}
impl TryFrom<ConfirmIssueRequest> for ConfirmationInput {
    type Error = ApiError;

    fn try_from(body: ConfirmIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            resolved: body.resolved,
            satisfaction: body.satisfaction.map(Satisfaction::parse).transpose()?,
            comment: opt_note("comment", body.comment.as_deref())?,
        })
    }
}

/// Confirm and rate (评价). The issue's reporter.
#[utoipa::path(
    tag = "issues",
    operation_id = "confirm_issue",
    request_body = ConfirmIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Closed, or reopened", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the issue's reporter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `awaiting_confirmation` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Satisfaction outside 1–5, or missing when resolved", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/confirmation")]
pub async fn confirm_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<ConfirmIssueRequest>,
) -> ApiResult<HttpResponse> {
    let input = ConfirmationInput::try_from(body.into_inner())?;
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.confirm(&actor, id, if_match, input))
        .await?;
    Ok(stepped(&view))
}
