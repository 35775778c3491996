//! 延期 (extensions): POST /issues/{id}/extension-requests (the handler asks for a later
//! resolution deadline), POST /issues/{id}/extension-requests/{rid}/decision (a dispatcher of the
//! street approves or refuses), GET /issues/{id}/extension-requests.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{ExtensionRequestId, IssueId},
    issue::ExtensionStatus,
};
use linli_infra::{repo::extensions::ExtensionRequestRow, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    application::issues::extensions::{ExtensionDecisionInput, ExtensionInput},
    error::{ApiError, ApiResult, Problem},
    issues::http::{Addressed, etag, if_match, note, stepped},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, IssueNotFound, Malformed, StepErrors, Unauthenticated},
    state::AppState,
};

/// Body of POST /issues/{id}/extension-requests: the date asked for, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new_resolution_due": "2026-09-10T18:00:00+08:00", "reason": "更换水泵需厂家配件，预计到货需5天"}))]
pub struct RequestExtensionRequest {
    /// The resolution deadline asked for (RFC 3339): later than the current one and than now.
    #[schema(format = DateTime)]
    pub new_resolution_due: String,
    /// Why more time is needed, which the dispatcher reads.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}
impl TryFrom<RequestExtensionRequest> for ExtensionInput {
    type Error = ApiError;

    fn try_from(body: RequestExtensionRequest) -> ApiResult<Self> {
        let due = DateTime::parse_from_rfc3339(body.new_resolution_due.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError::validation("new_resolution_due", "must be an RFC 3339 time"))?;
        Ok(Self {
            new_resolution_due: due,
            reason: note("reason", &body.reason)?,
        })
    }
}

/// Body of POST /issues/{id}/extension-requests/{rid}/decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"approved": true, "note": "情况属实，同意延期"}))]
pub struct DecideExtensionRequest {
    /// true: the resolution deadline moves to the date asked for, and the resident is told it;
    /// false: the deadline stands.
    pub approved: bool,
    /// The decision, which the handler reads.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}
impl TryFrom<DecideExtensionRequest> for ExtensionDecisionInput {
    type Error = ApiError;

    fn try_from(body: DecideExtensionRequest) -> ApiResult<Self> {
        Ok(Self {
            approved: body.approved,
            note: note("note", &body.note)?,
        })
    }
}

/// An extension request (延期申请) and its decision.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 4, "issue_id": 12, "status": "approved",
    "new_resolution_due": "2026-09-10T10:00:00Z", "reason": "更换水泵需厂家配件，预计到货需5天",
    "requested_by": 9, "requested_at": "2026-09-04T02:00:00Z",
    "decided_by": 3, "decided_at": "2026-09-04T03:00:00Z", "decision_note": "情况属实，同意延期"
}))]
pub struct ExtensionRequestResponse {
    /// Request id (`{rid}`).
    pub id: i64,
    pub issue_id: i64,
    pub status: ExtensionStatus,
    /// The resolution deadline asked for, RFC 3339 UTC.
    pub new_resolution_due: DateTime<Utc>,
    pub reason: String,
    /// The handler's account that asked.
    pub requested_by: i64,
    pub requested_at: DateTime<Utc>,
    /// The dispatcher who decided; null while pending.
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

impl ExtensionRequestResponse {
    fn from_row(row: &ExtensionRequestRow) -> ApiResult<Self> {
        let time = |ms| from_millis(ms).map_err(|e| ApiError::Internal(e.to_string()));
        Ok(Self {
            id: row.id,
            issue_id: row.issue_id,
            status: row
                .status()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            new_resolution_due: time(row.new_resolution_due)?,
            reason: row.reason.clone(),
            requested_by: row.requested_by,
            requested_at: time(row.requested_at)?,
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(time).transpose()?,
            decision_note: row.decision_note.clone(),
        })
    }
}

/// One page of extension requests, oldest first (see [`Page`] for why an alias).
pub type ExtensionRequestPage = Page<ExtensionRequestResponse>;

/// Ask for a later resolution deadline (延期申请): the dispatchers of the street are told and
/// decide. The issue's current handler, while `triaged`, `in_deliberation` or `in_progress`,
/// one request pending at a time; the issue gets an `extension_requested` event.
#[utoipa::path(
    tag = "issues",
    params(crate::issues::http::Target),
    request_body = RequestExtensionRequest,
    responses(
        (status = 201, description = "Requested; pending the dispatcher's decision", body = ExtensionRequestResponse,
            headers(("ETag" = String, description = "The issue's new version"))),
        (status = 403, description = "Not the current handler", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `triaged`, `in_deliberation` or `in_progress`, or a request is already pending (`illegal_transition`); changed concurrently (`concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an RFC 3339 time, or not later than the current deadline and now; empty reason (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/extension-requests")]
pub async fn request_extension(
    req: HttpRequest,
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
    body: web::Json<RequestExtensionRequest>,
) -> ApiResult<HttpResponse> {
    let input = ExtensionInput::try_from(body.into_inner())?;
    let expected = if_match(&req)?;
    let (row, view) = state
        .call(move |app| app.request_extension(&at.caller.actor, at.id, expected, input))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(view.issue.version)))
        .json(ExtensionRequestResponse::from_row(&row)?))
}

/// Approve or refuse an extension request. Approved: the resolution deadline moves to the date
/// asked for (the escalation ladder starts again; it is no longer overdue before that date), the
/// resident is notified of the new date, `extension_count` (and the report's `extended`) counts
/// it. Refused: the deadline stands. Dispatchers of the issue's street.
#[utoipa::path(
    tag = "issues",
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("rid" = i64, Path, description = "Extension request id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    request_body = DecideExtensionRequest,
    responses(
        (status = 200, description = "Decided; the issue after it", body = crate::issues::dto::IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a dispatcher of the issue's street", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided (`already_decided`); the issue is no longer on the clock (`illegal_transition`); changed concurrently (`concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty note; approving a date no later than the current deadline (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/extension-requests/{rid}/decision")]
pub async fn decide_extension(
    req: HttpRequest,
    state: web::Data<AppState>,
    at: Addressed<(IssueId, ExtensionRequestId)>,
    body: web::Json<DecideExtensionRequest>,
) -> ApiResult<HttpResponse> {
    let input = ExtensionDecisionInput::try_from(body.into_inner())?;
    let expected = if_match(&req)?;
    let (id, rid) = at.id;
    let view = state
        .call(move |app| app.decide_extension(&at.caller.actor, id, rid, expected, input))
        .await?;
    Ok(stepped(&view))
}

/// The extension requests of an issue the caller may see, oldest first.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id"), PageQuery),
    responses(
        (status = 200, description = "One page of extension requests", body = ExtensionRequestPage),
        InvalidQuery,
        Unauthenticated,
        IssueNotFound,
        Malformed,
    )
)]
#[get("/issues/{id}/extension-requests")]
pub async fn list_extension_requests(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<ExtensionRequestPage>> {
    let page = query.parse()?;
    let rows = state
        .call(move |app| app.extension_requests(&at.caller.actor, at.id, page.after, page.fetch()))
        .await?;
    let items = rows
        .iter()
        .map(ExtensionRequestResponse::from_row)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(web::Json(Page::of(&page, items, |r| r.id, |r| r)))
}
