//! POST /issues/{id}/mediation: the outcome of a mediation (调解) of a dispute.

use actix_web::{HttpRequest, HttpResponse, post, web};
use linli_domain::ids::IssueId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::issues::mediation::MediationInput,
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{if_match, note, stepped},
    },
    state::AppState,
};

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
    operation_id = "record_mediation",
    request_body = RecordMediationRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Settled or failed", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a mediator of the handling community", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a mediation-level issue in `triaged`/`in_progress` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/mediation")]
pub async fn record_mediation(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<RecordMediationRequest>,
) -> ApiResult<HttpResponse> {
    let input = MediationInput::try_from(body.into_inner())?;
    let if_match = if_match(&req)?;
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let view = state
        .call(move |app| app.record_mediation(&actor, id, if_match, input))
        .await?;
    Ok(stepped(&view))
}
