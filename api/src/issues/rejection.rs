//! POST /issues/{id}/reject: rejection before triage — a duplicate, out of scope, or invalid.

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::ids::IssueId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::issues::rejection::{RejectGround, RejectInput},
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, note, stepped},
    },
    state::AppState,
};

/// Body of POST /issues/{id}/reject: why the issue is rejected before triage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "与 #12 为同一问题", "duplicate_of": 12}))]
pub struct RejectIssueRequest {
    /// Why; shown to the resident.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The existing issue this one repeats.
    #[schema(minimum = 1)]
    pub duplicate_of: Option<i64>,
    /// `duplicate` (implied by `duplicate_of`), `out_of_scope` (default) or `invalid`.
    #[schema(value_type = Option<crate::issues::dto::RejectionKind>)]
    pub kind: Option<String>,
}
impl TryFrom<RejectIssueRequest> for RejectInput {
    type Error = ApiError;

    fn try_from(body: RejectIssueRequest) -> ApiResult<Self> {
        let note = note("reason", &body.reason)?;
        let ground = match (body.kind.as_deref().map(str::trim), body.duplicate_of) {
            (Some("duplicate"), None) => {
                return Err(ApiError::validation(
                    "duplicate_of",
                    "name the issue this one duplicates",
                ));
            }
            (Some("out_of_scope" | "invalid"), Some(_)) => {
                return Err(ApiError::validation(
                    "kind",
                    "duplicate_of is only for kind `duplicate`",
                ));
            }
            (None | Some("duplicate"), Some(dup)) => RejectGround::Duplicate(IssueId(dup)),
            (None | Some("out_of_scope"), None) => RejectGround::OutOfScope,
            (Some("invalid"), None) => RejectGround::Invalid,
            (Some(_), _) => {
                return Err(ApiError::validation(
                    "kind",
                    "must be duplicate, out_of_scope or invalid",
                ));
            }
        };
        Ok(Self { ground, note })
    }
}

/// Reject an issue before triage: a duplicate, out of scope, or invalid. Dispatchers.
#[utoipa::path(
    tag = "issues",
    operation_id = "reject_issue",
    request_body = RejectIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rejected", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a dispatcher of the issue's street", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `submitted` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing reason, unknown `duplicate_of`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/reject")]
pub async fn reject_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<RejectIssueRequest>,
) -> ApiResult<HttpResponse> {
    let input = RejectInput::try_from(body.into_inner())?;
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.reject(&actor, id, if_match, input))
        .await?;
    Ok(stepped(&view))
}
