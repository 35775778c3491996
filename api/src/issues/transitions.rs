//! The workflow transitions over HTTP: triage, reject, withdraw, answer, rectification,
//! supervision, confirmation, revisit, deliberation, mediation. Each parses its body into a
//! domain `Command` and goes through `core::execute` in one transaction.

use actix_web::{HttpRequest, HttpResponse, http::header, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use linli_domain::{
    DomainError,
    auth::{self, Actor},
    ids::{CommunityId, GridId, IssueId, PhotoId, PropertyCompanyId},
    issue::{
        Command, CommandKind, Deliberation, DeliberationOutcome, Issue, RejectReason,
        RevisitOutcome,
    },
    triage::{self, Handler, Level, TriageOverrides},
    urgency::Urgency,
    values::{DisplayName, Note, OrgName, Satisfaction},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{issues, org},
    schema,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{core, dto::IssueResponse},
    state::AppState,
};

// ---- Parsing helpers shared by the issue handlers ----------------------------------------------

/// Re-label a domain validation error with the request's field name.
fn relabel(field: &'static str, e: DomainError) -> ApiError {
    match e {
        DomainError::Invalid { message, .. } => ApiError::validation(field, message),
        other => other.into(),
    }
}

/// A required person-written text (1 to 2000 characters, trimmed).
pub(crate) fn note(field: &'static str, raw: &str) -> ApiResult<String> {
    Note::parse(raw)
        .map(Note::into_string)
        .map_err(|e| relabel(field, e))
}

/// An optional person-written text; blank counts as absent.
pub(crate) fn opt_note(field: &'static str, raw: Option<&str>) -> ApiResult<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => note(field, s).map(Some),
    }
}

/// Optional short free text of at most `max` characters; blank counts as absent.
pub(crate) fn opt_text(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> ApiResult<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        )),
        Some(s) if s.chars().any(char::is_control) => Err(ApiError::validation(
            field,
            "must not contain control characters",
        )),
        Some(s) => Ok(Some(s.to_owned())),
    }
}

fn exists_or_422<T>(found: Result<T, RepoError>, field: &'static str, what: &str) -> ApiResult<T> {
    match found {
        Ok(v) => Ok(v),
        Err(RepoError::NotFound) => Err(ApiError::validation(field, format!("no such {what}"))),
        Err(e) => Err(e.into()),
    }
}

// ---- The shared path ---------------------------------------------------------------------------

/// Run one command on issue `id` for the caller: `If-Match`, visibility, role and scope (checked
/// before `make` looks anything up), the state machine, the write and the notifications in one
/// transaction. 200 with the issue and its new `ETag`.
async fn transition<F>(
    state: web::Data<AppState>,
    caller: Caller,
    req: &HttpRequest,
    id: i64,
    kind: CommandKind,
    make: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce(&Issue, &mut DbConn) -> ApiResult<Command> + Send + 'static,
{
    let if_match = core::if_match(req)?;
    let now = state.now();
    let actor: Actor = caller.actor;
    let config = state.config.clone();
    let (issue, support) = state
        .tx(move |conn| {
            let applied = core::execute(
                conn,
                &config.workflow,
                Some(&actor),
                id,
                if_match,
                now,
                |issue, conn| {
                    auth::authorize(&actor, kind, issue)?;
                    make(issue, conn)
                },
            )?;
            let support = core::support_count(conn, id)?;
            Ok((applied.issue, support))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, core::etag(issue.version)))
        .json(IssueResponse::new(&issue, support, now)))
}

// ---- Triage ------------------------------------------------------------------------------------

/// Body of POST /issues/{id}/triage: overrides of the routing suggestion (分流/派单).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "grid", "handler_id": 1, "reason": "楼道杂物由网格员劝导清理即可"}))]
pub struct TriageIssueRequest {
    /// grid, property, community, mediation or department; the suggestion's level otherwise.
    pub level: Option<String>,
    /// Per level: the grid id, the property company id, or the community id (community and
    /// mediation). Not used for department (see `department`).
    pub handler_id: Option<i64>,
    /// emergency, urgent or normal; deadlines are recomputed from the filing time when it changes.
    pub urgency: Option<String>,
    /// Required when overriding the suggested level, handler or urgency.
    pub reason: Option<String>,
    /// The outside department's name, for level `department` (default 相关职能部门).
    pub department: Option<String>,
}

fn triage_command(
    body: TriageIssueRequest,
    issue: &Issue,
    conn: &mut DbConn,
    config: &linli_domain::issue::WorkflowConfig,
) -> ApiResult<Command> {
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
    let chosen = level.or(issue.suggestion.level);
    let handler = match (body.handler_id, department) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "department",
                "give either handler_id or department, not both",
            ));
        }
        (Some(hid), None) => {
            let chosen = chosen.ok_or_else(|| {
                ApiError::validation("level", "choose a level to say what handler_id names")
            })?;
            Some(match chosen {
                Level::Grid => {
                    let grid = exists_or_422(org::find_grid(conn, hid), "handler_id", "grid")?;
                    // Grid and community work stays in the issue's own community: its
                    // officials are the ones who deliberate and revisit it.
                    if grid.community_id != issue.place.community_id.0 {
                        return Err(ApiError::validation(
                            "handler_id",
                            "the grid belongs to another community",
                        ));
                    }
                    Handler::Grid {
                        grid_id: GridId(hid),
                    }
                }
                Level::Property => {
                    exists_or_422(
                        org::find_property_company(conn, hid),
                        "handler_id",
                        "property company",
                    )?;
                    Handler::PropertyCompany {
                        property_company_id: PropertyCompanyId(hid),
                    }
                }
                Level::Community | Level::Mediation => {
                    exists_or_422(org::find_community(conn, hid), "handler_id", "community")?;
                    if hid != issue.place.community_id.0 {
                        return Err(ApiError::validation(
                            "handler_id",
                            "deliberation and mediation are held by the issue's own community",
                        ));
                    }
                    if chosen == Level::Community {
                        Handler::Community {
                            community_id: CommunityId(hid),
                        }
                    } else {
                        Handler::Mediators {
                            community_id: CommunityId(hid),
                        }
                    }
                }
                Level::Department => {
                    return Err(ApiError::validation(
                        "handler_id",
                        "a department is named with `department`, not handler_id",
                    ));
                }
            })
        }
        (None, Some(name)) => {
            if chosen != Some(Level::Department) {
                return Err(ApiError::validation(
                    "department",
                    "a department name is only for level `department`",
                ));
            }
            Some(Handler::Department {
                name: name.into_string(),
            })
        }
        (None, None) => None,
    };
    let overrides = TriageOverrides {
        level,
        handler,
        urgency,
        reason,
    };
    let decision = triage::decide(
        &issue.suggestion,
        overrides,
        &issue.place,
        issue.created_at,
        &config.deadlines,
    )?;
    Ok(Command::Triage(decision))
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
        (status = 422, description = "Unknown level or urgency, unknown handler, override without reason", body = Problem, content_type = "application/problem+json"),
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
    let body = body.into_inner();
    let config = state.config.clone();
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Triage,
        move |issue, conn| triage_command(body, issue, conn, &config.workflow),
    )
    .await
}

// ---- Reject, withdraw --------------------------------------------------------------------------

/// Body of POST /issues/{id}/reject: why the issue is rejected before triage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "与 #12 为同一问题", "duplicate_of": 12}))]
pub struct RejectIssueRequest {
    /// Why; shown to the resident.
    pub reason: String,
    /// The existing issue this one repeats.
    pub duplicate_of: Option<i64>,
    /// `duplicate` (implied by `duplicate_of`), `out_of_scope` (default) or `invalid`.
    pub kind: Option<String>,
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
    let body = body.into_inner();
    let reason = note("reason", &body.reason)?;
    let kind = body.kind.as_deref().map(str::trim);
    let duplicate_of = body.duplicate_of;
    match (kind, duplicate_of) {
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
        (None | Some("duplicate" | "out_of_scope" | "invalid"), _) => {}
        (Some(_), _) => {
            return Err(ApiError::validation(
                "kind",
                "must be duplicate, out_of_scope or invalid",
            ));
        }
    }
    let invalid = kind == Some("invalid");
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Reject,
        move |_, conn| {
            let reason = match duplicate_of {
                Some(dup) => {
                    exists_or_422(issues::find_row(conn, dup), "duplicate_of", "issue")?;
                    RejectReason::Duplicate {
                        duplicate_of: IssueId(dup),
                        note: reason,
                    }
                }
                None if invalid => RejectReason::Invalid { note: reason },
                None => RejectReason::OutOfScope { note: reason },
            };
            Ok(Command::Reject(reason))
        },
    )
    .await
}

/// Withdraw one's own issue before it is triaged.
#[utoipa::path(
    tag = "issues",
    operation_id = "withdraw_issue",
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the issue's reporter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already triaged (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/withdraw")]
pub async fn withdraw_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Withdraw,
        |_, _| Ok(Command::Withdraw),
    )
    .await
}

// ---- Answer, rectification, supervision, confirmation ------------------------------------------

/// Body of POST /issues/{id}/answer: the handler's reply (解答), accepting or declining.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "已安排维修人员明天上午处理", "accept": true}))]
pub struct AnswerIssueRequest {
    /// The reply the resident reads (部门解答).
    pub message: String,
    /// true: take it on (→ in_progress); false: decline, back to the dispatcher with `reason`.
    pub accept: bool,
    /// Required when declining.
    pub reason: Option<String>,
}

/// Answer the resident (部门解答): accept the issue, or decline it back to the dispatcher.
/// The current handler (for a department, a dispatcher relays the answer).
#[utoipa::path(
    tag = "issues",
    operation_id = "answer_issue",
    request_body = AnswerIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accepted (in_progress) or declined (submitted)", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the current handler", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `triaged` (`illegal_transition`) or changed concurrently (`concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty message; declining without a reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/answer")]
pub async fn answer_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<AnswerIssueRequest>,
) -> ApiResult<HttpResponse> {
    let message = note("message", &body.message)?;
    let reason = opt_note("reason", body.reason.as_deref())?;
    let accept = body.accept;
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Answer,
        move |_, _| {
            Ok(Command::Answer {
                message,
                accept,
                reason,
            })
        },
    )
    .await
}

/// Most photos one rectification may cite.
pub const MAX_RECTIFICATION_PHOTOS: usize = 9;

/// Body of POST /issues/{id}/rectification: the fix (整改) and its evidence.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notes": "已更换车库顶板防水层，积水已清理", "photo_ids": [3, 4]}))]
pub struct SubmitRectificationRequest {
    /// What was done.
    pub notes: String,
    /// Evidence: photos uploaded to this issue (POST /issues/{id}/photos), at most 9.
    #[serde(default)]
    pub photo_ids: Vec<i64>,
}

/// Submit the rectification (物业整改) with evidence. The current handler. Supervised levels
/// (default: property) go to the owners' committee, the others to the resident.
#[utoipa::path(
    tag = "issues",
    operation_id = "submit_rectification",
    request_body = SubmitRectificationRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "awaiting_supervision or awaiting_confirmation", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the current handler", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `in_progress` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes; a photo that is not this issue's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/rectification")]
pub async fn submit_rectification(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<SubmitRectificationRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let notes = note("notes", &body.notes)?;
    let mut photo_ids = body.photo_ids;
    photo_ids.sort_unstable();
    photo_ids.dedup();
    if photo_ids.len() > MAX_RECTIFICATION_PHOTOS {
        return Err(ApiError::validation(
            "photo_ids",
            format!("at most {MAX_RECTIFICATION_PHOTOS} photos"),
        ));
    }
    let id = path.into_inner();
    transition(
        state,
        caller,
        &req,
        id,
        CommandKind::SubmitRectification,
        move |_, conn| {
            if !photo_ids.is_empty() {
                let found: i64 = schema::photos::table
                    .filter(schema::photos::issue_id.eq(id))
                    .filter(schema::photos::id.eq_any(photo_ids.clone()))
                    .count()
                    .get_result(conn)?;
                if usize::try_from(found).ok() != Some(photo_ids.len()) {
                    return Err(ApiError::validation(
                        "photo_ids",
                        "every photo must have been uploaded to this issue",
                    ));
                }
            }
            Ok(Command::SubmitRectification {
                notes,
                photo_ids: photo_ids.into_iter().map(PhotoId).collect(),
            })
        },
    )
    .await
}

/// Body of POST /issues/{id}/supervision: the owners' committee check (督查).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"passed": false, "notes": "车库B区仍有渗水，请返工"}))]
pub struct SuperviseIssueRequest {
    /// true: pass (→ awaiting_confirmation); false: send back (→ in_progress).
    pub passed: bool,
    /// What the committee found (督查意见), 1 to 2000 characters.
    pub notes: String,
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
    let notes = note("notes", &body.notes)?;
    let passed = body.passed;
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Supervise,
        move |_, _| Ok(Command::Supervise { passed, notes }),
    )
    .await
}

/// Body of POST /issues/{id}/confirmation: the reporter's verdict and rating (评价).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"resolved": true, "satisfaction": 5, "comment": "修得很及时，谢谢"}))]
pub struct ConfirmIssueRequest {
    /// true: resolved (→ closed); false: not resolved (→ in_progress, reopened).
    pub resolved: bool,
    /// 1 to 5; required when resolved.
    pub satisfaction: Option<i64>,
    /// Optional words for the handler, at most 2000 characters; blank counts as absent.
    pub comment: Option<String>,
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
    let satisfaction = body.satisfaction.map(Satisfaction::parse).transpose()?;
    let comment = opt_note("comment", body.comment.as_deref())?;
    let resolved = body.resolved;
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Confirm,
        move |_, _| {
            Ok(Command::Confirm {
                resolved,
                satisfaction,
                comment,
            })
        },
    )
    .await
}

// ---- Revisit, deliberation, mediation ----------------------------------------------------------

/// Body of POST /issues/{id}/revisit: what the follow-up look (回头看) found.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "recurred", "notes": "回访发现车库又开始渗水"}))]
pub struct RevisitIssueRequest {
    /// `confirmed` (still fixed) or `recurred` (→ in_progress, reopened).
    pub outcome: String,
    /// What the revisit found, 1 to 2000 characters.
    pub notes: String,
}

/// Record the follow-up look (街社"回头看") at a closed issue. Officials of its community.
#[utoipa::path(
    tag = "issues",
    operation_id = "revisit_issue",
    request_body = RevisitIssueRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Confirmed (stays closed) or recurred (reopened)", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the issue's community", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not `closed` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown outcome, empty notes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/revisit")]
pub async fn revisit_issue(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<RevisitIssueRequest>,
) -> ApiResult<HttpResponse> {
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
    let notes = note("notes", &body.notes)?;
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::Revisit,
        move |_, _| Ok(Command::Revisit { outcome, notes }),
    )
    .await
}

/// Body of POST /issues/{id}/deliberation: the record of a meeting (议事).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_at": "2026-09-03T19:30:00+08:00",
    "venue": "东坪社区议事厅",
    "attendees": ["社区书记", "物业经理", "业委会主任", "一楼住户代表"],
    "decision": "同意加装电梯，费用按楼层分摊，由物业组织施工",
    "outcome": "assign_property"
}))]
pub struct RecordDeliberationRequest {
    /// When the meeting was held (RFC 3339); not in the future.
    pub held_at: String,
    /// Where it was held (e.g. 社区议事厅), 1 to 100 characters.
    pub venue: String,
    /// Who took part (names or roles), at least one.
    pub attendees: Vec<String>,
    /// What was decided, in writing.
    pub decision: String,
    /// `assign_property`, `assign_grid`, `assign_department` (→ triaged, to the default handler
    /// of that level) or `close` (→ closed with the written decision).
    pub outcome: String,
}

/// Record a deliberation (议事/协商) of an issue in deliberation. Officials of its community.
#[utoipa::path(
    tag = "issues",
    operation_id = "record_deliberation",
    request_body = RecordDeliberationRequest,
    params(
        ("id" = i64, Path, description = "Issue id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 if the issue changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Assigned (triaged) or closed", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed body or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the issue's community", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not `in_deliberation` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is stale (`stale_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad time (or in the future), empty fields, unknown outcome, no grid for `assign_grid`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/deliberation")]
pub async fn record_deliberation(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<RecordDeliberationRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let held_at = DateTime::parse_from_rfc3339(body.held_at.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::validation("held_at", "must be an RFC 3339 time"))?;
    let venue = OrgName::parse(&body.venue)
        .map_err(|e| relabel("venue", e))?
        .into_string();
    if body.attendees.is_empty() {
        return Err(ApiError::validation(
            "attendees",
            "name at least one attendee",
        ));
    }
    if body.attendees.len() > 200 {
        return Err(ApiError::validation("attendees", "at most 200 attendees"));
    }
    let attendees = body
        .attendees
        .iter()
        .map(|a| {
            DisplayName::parse(a)
                .map(DisplayName::into_string)
                .map_err(|e| relabel("attendees", e))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let decision = note("decision", &body.decision)?;
    let assign = match body.outcome.trim() {
        "assign_property" => Some(Level::Property),
        "assign_grid" => Some(Level::Grid),
        "assign_department" => Some(Level::Department),
        "close" => None,
        _ => {
            return Err(ApiError::validation(
                "outcome",
                "must be assign_property, assign_grid, assign_department or close",
            ));
        }
    };
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::RecordDeliberation,
        move |issue, _| {
            let outcome = match assign {
                None => DeliberationOutcome::Close,
                Some(level) => DeliberationOutcome::Assign {
                    handler: Handler::default_for(level, &issue.place).ok_or_else(|| {
                        ApiError::validation(
                            "outcome",
                            "the issue has no building and so no grid; assign it elsewhere",
                        )
                    })?,
                },
            };
            Ok(Command::RecordDeliberation(Deliberation {
                held_at,
                venue,
                attendees,
                decision,
                outcome,
            }))
        },
    )
    .await
}

/// Body of POST /issues/{id}/mediation: the outcome of a mediation (调解).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"settled": true, "notes": "双方同意错峰晾晒，互相道歉"}))]
pub struct RecordMediationRequest {
    /// true: settled (→ awaiting_confirmation); false: failed (→ in_deliberation).
    pub settled: bool,
    /// What was agreed or why it failed, 1 to 2000 characters.
    pub notes: String,
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
    let notes = note("notes", &body.notes)?;
    let settled = body.settled;
    transition(
        state,
        caller,
        &req,
        path.into_inner(),
        CommandKind::RecordMediation,
        move |_, _| Ok(Command::RecordMediation { settled, notes }),
    )
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_optional_notes_are_absent() {
        assert_eq!(opt_note("reason", Some("   ")).ok(), Some(None));
        assert!(note("notes", "").is_err());
        assert_eq!(
            opt_text("unit", Some(" 2单元 "), 64)
                .ok()
                .flatten()
                .as_deref(),
            Some("2单元")
        );
    }
}
