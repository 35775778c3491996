//! Reading issues: the role-scoped list with filters and keyset pagination, one issue with its
//! `ETag`, and its timeline.

use crate::application::ProblemCode;
use actix_web::{HttpResponse, get, http::header, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    category::Category,
    ids::{IssueId, UserId},
    issue::IssueStatus,
    triage::Level,
};
use linli_infra::{repo::issues::IssueListFilter, time::to_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::{IssueEventResponse, IssueResponse, ReporterContact},
        http::etag,
    },
    pagination::{DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor},
    responses::Unauthenticated,
    state::AppState,
};

/// Filters and paging of GET /issues. Every filter narrows what the caller's role may see.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListIssuesQuery {
    /// submitted, triaged, in_deliberation, in_progress, awaiting_supervision,
    /// awaiting_confirmation, closed, rejected or withdrawn.
    #[param(value_type = Option<linli_domain::issue::IssueStatus>)]
    pub status: Option<String>,
    /// A category code, e.g. `water_leak`.
    #[param(value_type = Option<linli_domain::category::Category>)]
    pub category: Option<String>,
    /// grid, property, community, mediation or department.
    #[param(value_type = Option<linli_domain::level::Level>)]
    pub level: Option<String>,
    /// Only issues of this compound (小区).
    #[param(minimum = 1)]
    pub compound_id: Option<i64>,
    /// true: only the issues the caller reported (a resident's "my issues").
    pub mine: Option<bool>,
    /// true: open issues past a deadline; false: the others.
    pub overdue: Option<bool>,
    /// RFC 3339; issues created at or after.
    #[param(format = DateTime)]
    pub created_from: Option<String>,
    /// RFC 3339; issues created at or before.
    #[param(format = DateTime)]
    pub created_to: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
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
    ApiError::bad_request(ProblemCode::InvalidQuery, detail)
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
    params(ListIssuesQuery),
    responses(
        (status = 200, description = "One page of issues", body = IssueListResponse),
        (status = 400, description = "A filter, the cursor or the limit is not valid (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
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
    let actor = caller.actor;
    let mut views = state
        .call(move |app| app.list_issues(&actor, filter))
        .await?;
    let next_cursor = if views.len() > page {
        views.truncate(page);
        views.last().map(|v| encode_cursor(v.issue.id.0))
    } else {
        None
    };
    let items = views
        .iter()
        .map(|v| IssueResponse::new(&v.issue, v.support_count, v.at))
        .collect();
    Ok(web::Json(IssueListResponse { items, next_cursor }))
}

/// One issue, with its version as `ETag`.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The issue", body = IssueResponse,
            headers(("ETag" = String, description = "The issue's version, e.g. \"3\"; send it back in If-Match"))),
        Unauthenticated,
        (status = 404, description = "No such issue, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}")]
pub async fn get_issue(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let detail = state.call(move |app| app.get_issue(&actor, id)).await?;
    let view = &detail.view;
    let mut body = IssueResponse::new(&view.issue, view.support_count, view.at);
    body.reporter = detail.reporter.map(ReporterContact::from);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.issue.version)))
        .json(body))
}

/// The issue's timeline, oldest first: who did what, from which status to which, when.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The events, in order", body = Vec<IssueEventResponse>,
            example = json!([{"id": 1, "seq": 1, "kind": "created", "actor_id": 7, "actor_role": "resident",
                "from": null, "to": "submitted", "at": "2026-09-01T00:00:00Z", "note": null, "data": {"kind": "created"}}])),
        Unauthenticated,
        (status = 404, description = "No such issue, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}/events")]
pub async fn list_issue_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> ApiResult<web::Json<Vec<IssueEventResponse>>> {
    let id = IssueId(path.into_inner());
    let actor = caller.actor;
    let rows = state.call(move |app| app.issue_events(&actor, id)).await?;
    Ok(web::Json(
        rows.iter()
            .map(IssueEventResponse::from_row)
            .collect::<ApiResult<Vec<_>>>()?,
    ))
}
