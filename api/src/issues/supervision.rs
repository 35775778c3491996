//! POST /issues/{id}/supervision: the owners' committee check (业委会督查).

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::ids::IssueId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::issues::supervision::SupervisionInput,
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, note, stepped},
    },
    state::AppState,
};

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
    operation_id = "supervise_issue",
    request_body = SuperviseIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Passed or sent back", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the committee of the issue's compound", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `awaiting_supervision` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/supervision")]
pub async fn supervise_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<SuperviseIssueRequest>,
) -> ApiResult<HttpResponse> {
    let input = SupervisionInput::try_from(body.into_inner())?;
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.supervise(&actor, id, if_match, input))
        .await?;
    Ok(stepped(&view))
}
