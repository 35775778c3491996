//! Reading issues: the role-scoped list with filters and keyset pagination, one issue with its
//! `ETag`, and its timeline.

use actix_web::{HttpResponse, get, http::header, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{self, Actor, Role},
    category::Category,
    ids::UserId,
    issue::{CommandKind, Issue, IssueStatus},
    triage::Level,
    values::mask_phone,
};
use linli_infra::{
    DbConn,
    repo::issues::{self, IssueListFilter, Visibility},
    time::to_millis,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        core,
        dto::{IssueEventResponse, IssueResponse, ReporterContact},
    },
    pagination::{DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor},
    state::AppState,
};

/// Filters and paging of GET /issues. Every filter narrows what the caller's role may see.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListIssuesQuery {
    /// submitted, triaged, in_deliberation, in_progress, awaiting_supervision,
    /// awaiting_confirmation, closed, rejected or withdrawn.
    pub status: Option<String>,
    /// A category code, e.g. `water_leak`.
    pub category: Option<String>,
    /// grid, property, community, mediation or department.
    pub level: Option<String>,
    /// Only issues of this compound (小区).
    pub compound_id: Option<i64>,
    /// true: only the issues the caller reported (a resident's "my issues").
    pub mine: Option<bool>,
    /// true: open issues past a deadline; false: the others.
    pub overdue: Option<bool>,
    /// RFC 3339; issues created at or after.
    pub created_from: Option<String>,
    /// RFC 3339; issues created at or before.
    pub created_to: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
}

/// One page of issues, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "id": 3, "category": "water_leak", "category_name": "漏水", "source": "app",
        "status": "in_progress", "level": "property",
        "handler": {"kind": "property_company", "id": 1, "name": null}, "urgency": "urgent",
        "suggestion": {
            "level": "property", "handler": {"kind": "property_company", "id": 1, "name": null},
            "urgency": "urgent", "response_due": "2026-09-01T20:00:00Z",
            "resolution_due": "2026-09-04T08:00:00Z"
        },
        "response_due": "2026-09-01T20:00:00Z", "resolution_due": "2026-09-04T08:00:00Z",
        "overdue": false, "description": "地下车库B区顶板漏水，地面积水很深",
        "reporter_id": 7, "street_id": 1, "community_id": 1, "compound_id": 1,
        "building_id": 1, "grid_id": 1, "property_company_id": 1, "unit": "2单元 301",
        "location_text": "地下车库B区", "lat": 27.8587, "lon": 112.9112, "is_public": true,
        "created_at": "2026-09-01T08:00:00Z", "status_since": "2026-09-01T09:15:00Z",
        "triaged_at": "2026-09-01T08:30:00Z", "responded_at": "2026-09-01T09:15:00Z",
        "rectified_at": null, "supervised_at": null, "closed_at": null, "closure": null,
        "satisfaction": null, "reopen_count": 0, "sent_back_count": 0, "escalation_step": 0,
        "revisit_queued": false, "revisited_at": null, "support_count": 2, "version": 3
    }],
    "next_cursor": "693a33"
}))]
pub struct IssueListResponse {
    /// The issues of this page, newest first (without `reporter`).
    pub items: Vec<IssueResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

fn invalid_query(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_query", detail)
}

fn parse_time(name: &str, raw: &str) -> ApiResult<i64> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| to_millis(t.with_timezone(&Utc)))
        .map_err(|_| {
            invalid_query(format!(
                "{name} must be an RFC 3339 time, e.g. 2026-09-01T00:00:00Z"
            ))
        })
}

impl ListIssuesQuery {
    fn into_filter(self, caller: UserId, now: DateTime<Utc>) -> ApiResult<IssueListFilter> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(invalid_query(format!(
                "limit must be from 1 to {MAX_LIMIT}"
            )));
        }
        let status = self
            .status
            .as_deref()
            .map(|s| IssueStatus::parse(s.trim()))
            .transpose()
            .map_err(|e| invalid_query(e.to_string()))?;
        let category = self
            .category
            .as_deref()
            .map(|s| Category::parse(s.trim()))
            .transpose()
            .map_err(|e| invalid_query(e.to_string()))?;
        let level = self
            .level
            .as_deref()
            .map(|s| Level::parse(s.trim()))
            .transpose()
            .map_err(|e| invalid_query(e.to_string()))?;
        let created_from = self
            .created_from
            .as_deref()
            .map(|t| parse_time("created_from", t))
            .transpose()?;
        let created_to = self
            .created_to
            .as_deref()
            .map(|t| parse_time("created_to", t))
            .transpose()?;
        let before_id = self.cursor.as_deref().map(decode_cursor).transpose()?;
        Ok(IssueListFilter {
            status,
            category,
            level,
            compound_id: self.compound_id,
            reporter_id: (self.mine == Some(true)).then_some(caller.0),
            overdue: self.overdue,
            created_from,
            created_to,
            before_id,
            limit,
            now: to_millis(now),
        })
    }
}

/// List the issues the caller may see, newest first.
///
/// Scoped by role: a resident sees own issues and the public (公示) issues of the home
/// compound; a grid worker those of the grid; a dispatcher those of the street; property staff
/// those assigned to the company; a committee member those of the compound; an official those
/// of the community; a mediator those given to the community's mediators; an auditor all; an
/// admin none. Keyset pagination: pass `next_cursor` back as `cursor`.
#[utoipa::path(
    tag = "issues",
    operation_id = "list_issues",
    params(ListIssuesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of issues", body = IssueListResponse),
        (status = 400, description = "A filter, the cursor or the limit is not valid (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues")]
pub async fn list_issues(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListIssuesQuery>,
) -> ApiResult<web::Json<IssueListResponse>> {
    let now = state.now();
    let mut filter = query.into_inner().into_filter(caller.user_id(), now)?;
    let page = usize::try_from(filter.limit).unwrap_or(0);
    // One row more than the page tells whether there is a next page.
    filter.limit += 1;
    let visibility = Visibility::of(&caller.actor);
    let mut rows = state
        .run(move |conn| Ok(issues::list_visible(conn, visibility, &filter)?))
        .await?;
    let next_cursor = if rows.len() > page {
        rows.truncate(page);
        rows.last().map(|r| encode_cursor(r.id))
    } else {
        None
    };
    let items = rows
        .iter()
        .map(|row| {
            let issue = row.to_domain()?;
            Ok(IssueResponse::new(
                &issue,
                i64::from(row.support_count),
                now,
            ))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(web::Json(IssueListResponse { items, next_cursor }))
}

/// The reporter's contact for `actor`: in full for the reporter and for whoever handles or
/// triages the issue, masked for other staff, nothing for other residents.
fn reporter_contact(
    conn: &mut DbConn,
    actor: &Actor,
    issue: &Issue,
) -> ApiResult<Option<ReporterContact>> {
    let is_reporter = actor.user_id == issue.reporter;
    if actor.role == Role::Resident && !is_reporter {
        return Ok(None);
    }
    let user = linli_infra::repo::users::find(conn, issue.reporter.0)?;
    let handles = [CommandKind::Answer, CommandKind::Triage]
        .into_iter()
        .any(|kind| auth::authorize(actor, kind, issue).is_ok());
    let full = is_reporter || handles;
    Ok(Some(ReporterContact {
        id: user.id,
        display_name: user.display_name,
        phone: if full {
            user.phone
        } else {
            mask_phone(&user.phone)
        },
        phone_masked: !full,
    }))
}

/// One issue, with its version as `ETag`.
#[utoipa::path(
    tag = "issues",
    operation_id = "get_issue",
    params(("id" = i64, Path, description = "Issue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The issue", body = IssueResponse,
            headers(("ETag" = String, description = "The issue's version, e.g. \"3\"; send it back in If-Match"))),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}")]
pub async fn get_issue(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = state.now();
    let actor = caller.actor;
    let (issue, support, reporter) = state
        .run(move |conn| {
            let (issue, support) = core::load_visible_with_support(conn, &actor, id)?;
            let reporter = reporter_contact(conn, &actor, &issue)?;
            Ok((issue, support, reporter))
        })
        .await?;
    let mut body = IssueResponse::new(&issue, support, now);
    body.reporter = reporter;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, core::etag(issue.version)))
        .json(body))
}

/// The issue's timeline, oldest first: who did what, from which status to which, when.
#[utoipa::path(
    tag = "issues",
    operation_id = "list_issue_events",
    params(("id" = i64, Path, description = "Issue id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The events, in order", body = Vec<IssueEventResponse>,
            example = json!([{"id": 1, "seq": 1, "kind": "created", "actor_id": 7, "actor_role": "resident",
                "from": null, "to": "submitted", "at": "2026-09-01T00:00:00Z", "note": null, "data": {"kind": "created"}}])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such issue, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}/events")]
pub async fn list_issue_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Vec<IssueEventResponse>>> {
    let id = path.into_inner();
    let actor = caller.actor;
    let rows = state
        .run(move |conn| {
            core::load_visible(conn, &actor, id)?;
            Ok(issues::events(conn, id)?)
        })
        .await?;
    Ok(web::Json(
        rows.iter().map(IssueEventResponse::from_row).collect(),
    ))
}
