//! Reading issues: the role-scoped list with filters and keyset pagination, one issue with its
//! `ETag`, and its timeline.

use crate::application::ProblemCode;
use actix_web::{HttpResponse, get, http::header, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    category::CategoryCode,
    handler::HandlerKind,
    ids::{IssueId, UserId},
    issue::{IssueKind, IssueStatus, Source, TicketNo},
    triage::Level,
};
use linli_infra::{
    repo::issues::{HandlerFilter, IssueListFilter},
    time::to_millis,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::{
        dto::{CallerContact, IssueEventResponse, IssueResponse, ReporterContact},
        http::{Addressed, etag},
    },
    pagination::{Page, PageParams},
    reports::{csv_download, file_date},
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
    #[param(value_type = Option<linli_domain::category::CategoryCode>)]
    pub category: Option<String>,
    /// complaint, help, consultation, suggestion or praise.
    #[param(value_type = Option<linli_domain::issue::IssueKind>)]
    pub kind: Option<String>,
    /// The external ticket number of a hotline case (12345 工单号), exactly.
    pub ticket_no: Option<String>,
    /// grid, property, community, mediation or department.
    #[param(value_type = Option<linli_domain::level::Level>)]
    pub level: Option<String>,
    /// Only issues of this compound (小区).
    #[param(minimum = 1)]
    pub compound_id: Option<i64>,
    /// How it came in: app, patrol, hotline or meeting.
    #[param(value_type = Option<linli_domain::issue::Source>)]
    pub source: Option<String>,
    /// Only the cases found on this patrol round (its problem list, 问题清单).
    #[param(minimum = 1)]
    pub patrol_id: Option<i64>,
    /// Only issues of buildings in this grid (网格).
    #[param(minimum = 1)]
    pub grid_id: Option<i64>,
    /// Only issues of this building (楼栋).
    #[param(minimum = 1)]
    pub building_id: Option<i64>,
    /// Only issues with this current handler: a kind (`grid`, `property_company`, `community`,
    /// `mediators`, `department`) or a kind and its unit's id (`grid:3`, `property_company:1`).
    #[param(
        pattern = r"^(grid|property_company|community|mediators|department)(:[0-9]+)?$",
        example = "property_company:1"
    )]
    pub handler: Option<String>,
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

/// One page of issues (see [`Page`] for why an alias).
pub type IssuePage = Page<IssueResponse>;

fn invalid_query(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request(ProblemCode::InvalidQuery, detail)
}

/// An optional filter value, trimmed and parsed (400 `invalid_query` when it does not parse).
fn parse_filter<T, E: ToString>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> ApiResult<Option<T>> {
    raw.map(|s| parse(s.trim()))
        .transpose()
        .map_err(|e| invalid_query(e.to_string()))
}

/// `kind` or `kind:id` (departments are named, so by kind only).
fn parse_handler(raw: &str) -> Result<HandlerFilter, String> {
    let (kind, id) = match raw.split_once(':') {
        Some((kind, id)) => (kind, Some(id)),
        None => (raw, None),
    };
    let kind = HandlerKind::parse(kind).map_err(|e| e.to_string())?;
    let id = id
        .map(|id| id.parse::<i64>().ok().filter(|n| *n > 0))
        .map(|id| id.ok_or("handler: the id after `:` must be a positive integer"))
        .transpose()?;
    if kind == HandlerKind::Department && id.is_some() {
        return Err("handler: departments are named, not numbered; use `department`".into());
    }
    Ok(HandlerFilter { kind, id })
}

fn parse_time(name: &str, raw: Option<&str>) -> ApiResult<Option<i64>> {
    parse_filter(raw, |t| {
        DateTime::parse_from_rfc3339(t)
            .map(|t| to_millis(t.with_timezone(&Utc)))
            .map_err(|_| format!("{name} must be an RFC 3339 time, e.g. 2026-09-01T00:00:00Z"))
    })
}

impl ListIssuesQuery {
    fn into_filter(
        self,
        page: &PageParams,
        caller: UserId,
        now: DateTime<Utc>,
    ) -> ApiResult<IssueListFilter> {
        Ok(IssueListFilter {
            status: parse_filter(self.status.as_deref(), IssueStatus::parse)?,
            category: parse_filter(self.category.as_deref(), CategoryCode::parse)?,
            kind: parse_filter(self.kind.as_deref(), IssueKind::parse)?,
            ticket_no: parse_filter(self.ticket_no.as_deref(), TicketNo::parse)?
                .map(TicketNo::into_string),
            level: parse_filter(self.level.as_deref(), Level::parse)?,
            compound_id: self.compound_id,
            mine_of: (self.mine == Some(true)).then_some(caller.0),
            source: parse_filter(self.source.as_deref(), Source::parse)?,
            patrol_id: self.patrol_id,
            grid_id: self.grid_id,
            building_id: self.building_id,
            handler: parse_filter(self.handler.as_deref(), parse_handler)?,
            overdue: self.overdue,
            created_from: parse_time("created_from", self.created_from.as_deref())?,
            created_to: parse_time("created_to", self.created_to.as_deref())?,
            open_public_only: false,
            before_id: page.after,
            limit: page.fetch(),
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
        (status = 200, description = "One page of issues", body = IssuePage),
        (status = 400, description = "A filter, the cursor or the limit is not valid (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
    )
)]
#[get("/issues")]
pub async fn list_issues(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListIssuesQuery>,
) -> ApiResult<web::Json<IssuePage>> {
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let filter = query.into_filter(&page, caller.user_id(), state.now())?;
    // A category the catalogue lacks is a bad filter, like any other unknown value.
    issue_page(&state, caller, &page, filter)
        .await
        .map_err(|e| match e {
            ApiError::Validation { field, message } if field == "category" => {
                invalid_query(message)
            }
            other => other,
        })
}

/// One page of the issues `caller` may see that pass `filter` (fetched with `page`).
pub(crate) async fn issue_page(
    state: &AppState,
    caller: Caller,
    page: &PageParams,
    filter: IssueListFilter,
) -> ApiResult<web::Json<IssuePage>> {
    let actor = caller.actor;
    let views = state
        .call(move |app| app.list_issues(&actor, filter))
        .await?;
    let item = |v| IssueResponse::from_view(&v);
    Ok(web::Json(Page::of(page, views, |v| v.issue.id.0, item)))
}

/// The same list as a CSV file: every issue the caller may see that passes the filters (at most
/// 5000; `cursor` and `limit` are not taken), newest first — the problem list (问题清单) a patrol
/// team or an official prints and follows.
///
/// Columns: `id`, `created_at`, `source`, `category` (code) and `category_name` (Chinese),
/// `description`, `compound`, `building`, `grid`, `location_text`, `status`, `level`,
/// `handler_kind`, `handler` (name), `urgency`, `response_due`, `resolution_due`, `overdue`,
/// `closed_at`, `closure`, `satisfaction`. Times RFC 3339 UTC; UTF-8 with BOM.
#[utoipa::path(
    tag = "issues",
    params(ListIssuesQuery),
    responses(
        (status = 200, description = "The issues as CSV", content(
            (String = "text/csv", example = json!("\u{FEFF}id,created_at,source,category,category_name,description,compound,building,grid,location_text,status,level,handler_kind,handler,urgency,response_due,resolution_due,overdue,closed_at,closure,satisfaction\n12,2026-09-01T02:00:00.000Z,patrol,stairwell_clutter,楼道杂物,3单元楼道堆放纸箱,西江俪园,1栋,东坪一网格,3单元,closed,,,,normal,2026-09-02T02:00:00.000Z,2026-09-08T02:00:00.000Z,false,2026-09-01T02:00:00.000Z,fixed_on_patrol,\n")),
        )),
        (status = 400, description = "A filter is not valid, or `cursor`/`limit` was given (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than 5000 issues match (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
    )
)]
#[get("/issues.csv")]
pub async fn export_issue_list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListIssuesQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    if query.cursor.is_some() || query.limit.is_some() {
        return Err(invalid_query(
            "the export holds every matching issue; it takes no cursor or limit",
        ));
    }
    let page = PageParams::parse(None, None)?;
    let filter = query.into_filter(&page, caller.user_id(), state.now())?;
    let actor = caller.actor;
    let records = state
        .call(move |app| app.export_issue_list(&actor, filter))
        .await?;
    let name = format!("linli-issues-{}.csv", file_date(state.now()));
    csv_download(&name, &records)
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
    at: Addressed<IssueId>,
) -> ApiResult<HttpResponse> {
    let detail = state
        .call(move |app| app.get_issue(&at.caller.actor, at.id))
        .await?;
    let mut body = IssueResponse::from_view(&detail.view);
    body.reporter = detail.reporter.map(ReporterContact::from);
    body.caller = detail.caller.map(CallerContact::from);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(detail.view.issue.version)))
        .json(body))
}

/// The issue's timeline, oldest first: who did what, from which status to which, when.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The events, in order", body = Vec<IssueEventResponse>,
            example = json!([{"id": 1, "seq": 1, "kind": "created", "actor_id": 7, "actor_role": "resident",
                "actor_name": "王阿姨", "from": null, "to": "submitted", "at": "2026-09-01T00:00:00Z", "note": null,
                "data": {"kind": "created"}}])),
        Unauthenticated,
        (status = 404, description = "No such issue, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/issues/{id}/events")]
pub async fn list_issue_events(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
) -> ApiResult<web::Json<Vec<IssueEventResponse>>> {
    let rows = state
        .call(move |app| app.issue_events(&at.caller.actor, at.id))
        .await?;
    Ok(web::Json(
        rows.iter()
            .map(IssueEventResponse::from_entry)
            .collect::<ApiResult<Vec<_>>>()?,
    ))
}
