//! /patrols: patrol rounds (巡查小分队) and their problem list (问题清单). A round is started by
//! one of the team (grid workers, officials and mediators of the compound's community, staff of
//! its property company); each finding becomes a case — routed as usual, or closed at once when
//! fixed on the spot (立行立改).

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    category::CategoryCode,
    closure::Closure,
    handler::HandlerKind,
    ids::{BuildingId, CompoundId, PatrolId, UserId},
    issue::{IssueStatus, LocationText},
    patrol::PatrolStatus,
    values::IssueDescription,
};
use linli_infra::time::from_millis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    application::{
        Application,
        patrols::{FindingInput, FindingView, PatrolView, StartPatrol},
    },
    auth::Caller,
    error::{ApiResult, Problem},
    issues::http::{Addressed, instant, opt_note},
    responses::{Malformed, NotFound, Unauthenticated},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(start_patrol)
        .service(get_patrol)
        .service(add_finding)
        .service(finish_patrol);
}

fn time(ms: i64) -> DateTime<Utc> {
    from_millis(ms).unwrap_or_default()
}

/// Body of POST /patrols.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"compound_id": 1, "members": [12, 15], "started_at": "2026-09-03T09:00:00+08:00"}))]
pub struct StartPatrolRequest {
    /// The compound walked.
    #[schema(minimum = 1)]
    pub compound_id: i64,
    /// The others in the team (the caller is always a member): grid workers, officials and
    /// mediators of the compound's community, staff of its property company; at most 50.
    #[schema(max_items = 50)]
    pub members: Vec<i64>,
    /// When the round started (RFC 3339); not in the future.
    #[schema(format = DateTime)]
    pub started_at: String,
}

/// Body of POST /patrols/{id}/findings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "category": "fire_escape_blocked", "description": "3单元楼道堆放纸箱，堵塞消防通道",
    "building_id": 1, "location_text": "3单元二楼楼梯口", "fixed_on_the_spot": true,
    "note": "已会同物业当场清理"
}))]
pub struct AddFindingRequest {
    /// A category code, e.g. `fire_escape_blocked`.
    #[schema(value_type = CategoryCode)]
    pub category: String,
    /// What was found, 5 to 2000 characters.
    #[schema(min_length = 5, max_length = 2000)]
    pub description: String,
    /// The building, in the round's compound.
    #[schema(minimum = 1)]
    pub building_id: Option<i64>,
    /// Where exactly (e.g. 3单元二楼楼梯口).
    pub location_text: Option<String>,
    /// Fixed on the spot (立行立改): the case is closed at once (closure `fixed_on_patrol`)
    /// with `note` as its evidence, and nobody rates it; otherwise it is filed and routed as
    /// usual.
    pub fixed_on_the_spot: bool,
    /// What was done (required when fixed on the spot), or a remark; 1 to 2000 characters.
    pub note: Option<String>,
}

/// A member of a round.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PatrolMemberResponse {
    pub user_id: i64,
    pub display_name: String,
    pub role: Role,
}

/// One entry of the problem list: the finding and its case as it stands now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 3, "issue_id": 41, "category": "fire_escape_blocked",
    "description": "3单元楼道堆放纸箱，堵塞消防通道", "building_id": 1,
    "location_text": "3单元二楼楼梯口", "fixed_on_the_spot": true, "note": "已会同物业当场清理",
    "found_by": 12, "found_by_name": "王网格员", "found_at": "2026-09-03T01:20:00Z",
    "status": "closed", "closure": "fixed_on_patrol", "handler_kind": null,
    "resolution_due": "2026-09-03T05:20:00Z", "closed_at": "2026-09-03T01:20:00Z", "overdue": false
}))]
pub struct FindingResponse {
    pub id: i64,
    /// The case it filed (`GET /issues/{issue_id}`; photos: `POST /issues/{issue_id}/photos`).
    pub issue_id: i64,
    pub category: CategoryCode,
    pub description: String,
    pub building_id: Option<i64>,
    pub location_text: Option<String>,
    pub fixed_on_the_spot: bool,
    pub note: Option<String>,
    pub found_by: i64,
    pub found_by_name: Option<String>,
    pub found_at: DateTime<Utc>,
    /// The case's status now.
    pub status: IssueStatus,
    /// How it was closed (`fixed_on_patrol` for a fix on the spot).
    pub closure: Option<Closure>,
    /// Who handles it now (null until triaged, and for a fix on the spot).
    pub handler_kind: Option<HandlerKind>,
    pub resolution_due: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Past a deadline now.
    pub overdue: bool,
}

impl FindingResponse {
    fn of(v: &FindingView) -> Self {
        let (f, i) = (&v.finding, &v.issue);
        Self {
            id: f.id,
            issue_id: f.issue_id,
            category: i.category,
            description: i.description.clone(),
            building_id: i.place.building_id.map(|b| b.0),
            location_text: i.location_text.clone(),
            fixed_on_the_spot: f.fixed_on_the_spot,
            note: f.note.clone(),
            found_by: f.created_by,
            found_by_name: v.found_by.clone(),
            found_at: time(f.created_at),
            status: i.status,
            closure: i.closure,
            handler_kind: i.handler.as_ref().map(|h| h.kind()),
            resolution_due: i.deadlines.resolution_due,
            closed_at: i.closed_at,
            overdue: v.overdue,
        }
    }
}

/// The problem list in numbers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PatrolSummary {
    /// Findings recorded.
    pub found: usize,
    /// Of those, fixed on the spot (立行立改).
    pub fixed_on_the_spot: usize,
    /// Of those, filed as cases to follow.
    pub filed: usize,
    /// Filed cases still open.
    pub open: usize,
}

/// A patrol round with its team and its problem list (问题清单).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PatrolResponse {
    pub id: i64,
    pub compound_id: i64,
    pub compound_name: String,
    pub community_id: i64,
    pub status: PatrolStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_by: i64,
    pub members: Vec<PatrolMemberResponse>,
    pub summary: PatrolSummary,
    /// Every finding, in the order found, each with its case's current state.
    pub findings: Vec<FindingResponse>,
}

impl PatrolResponse {
    fn of(v: &PatrolView) -> Self {
        let p = &v.patrol;
        let fixed = v
            .findings
            .iter()
            .filter(|f| f.finding.fixed_on_the_spot)
            .count();
        Self {
            id: p.id,
            compound_id: p.compound_id,
            compound_name: v.compound_name.clone(),
            community_id: p.community_id,
            status: v.status,
            started_at: time(p.started_at),
            finished_at: p.finished_at.map(time),
            created_by: p.created_by,
            members: v
                .members
                .iter()
                .map(|m| PatrolMemberResponse {
                    user_id: m.user_id,
                    display_name: m.display_name.clone(),
                    role: Role::parse(&m.role).unwrap_or(Role::GridWorker),
                })
                .collect(),
            summary: PatrolSummary {
                found: v.findings.len(),
                fixed_on_the_spot: fixed,
                filed: v.findings.len() - fixed,
                open: v
                    .findings
                    .iter()
                    .filter(|f| !f.finding.fixed_on_the_spot && f.issue.status.is_open())
                    .count(),
            },
            findings: v.findings.iter().map(FindingResponse::of).collect(),
        }
    }
}

/// Start a patrol round (巡查) in a compound, with its team.
///
/// Grid workers, officials and mediators of the compound's community and staff of the company
/// managing it start rounds and walk in them; every member must be one of those too.
#[utoipa::path(
    tag = "patrols",
    request_body = StartPatrolRequest,
    responses(
        (status = 201, description = "The round, open", body = PatrolResponse,
            headers(("Location" = String, description = "/api/v1/patrols/{id}"))),
        (status = 403, description = "The caller may not patrol this compound (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown compound, a member who may not patrol it, too many members, a start in the future or not RFC 3339 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/patrols")]
pub async fn start_patrol(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StartPatrolRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let input = StartPatrol {
        compound_id: CompoundId(body.compound_id),
        members: body.members.into_iter().map(UserId).collect(),
        started_at: instant("started_at", &body.started_at)?,
    };
    let actor = caller.actor;
    let view = state
        .call(move |app| app.start_patrol(&actor, input))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/patrols/{}", view.patrol.id),
        ))
        .json(PatrolResponse::of(&view)))
}

/// A round with its problem list (问题清单): every finding with its case's current state.
///
/// Its members, the officials, mediators and grid workers of its community, staff of the
/// compound's company, dispatchers of its street, the district office and auditors read it.
#[utoipa::path(
    tag = "patrols",
    params(("id" = i64, Path, description = "The round's id")),
    responses(
        (status = 200, description = "The round", body = PatrolResponse),
        Unauthenticated, NotFound,
    )
)]
#[get("/patrols/{id}")]
pub async fn get_patrol(
    state: web::Data<AppState>,
    at: Addressed<PatrolId>,
) -> ApiResult<web::Json<PatrolResponse>> {
    at.answer(&state, Application::patrol, PatrolResponse::of)
        .await
}

/// Record a finding of an open round (members only).
///
/// Filed as a case with `source: patrol` and routed as usual; or, fixed on the spot
/// (立行立改), closed at once with closure `fixed_on_patrol` and `note` as its evidence —
/// counted as found-and-fixed in the summary report, never rated by its finder. Add photos to
/// the case afterwards with `POST /issues/{issue_id}/photos`.
#[utoipa::path(
    tag = "patrols",
    params(("id" = i64, Path, description = "The round's id")),
    request_body = AddFindingRequest,
    responses(
        (status = 201, description = "The finding with its case", body = FindingResponse,
            headers(("Location" = String, description = "/api/v1/issues/{issue_id}"))),
        (status = 403, description = "Not a member of the round (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round is finished (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad category or description, a building of another compound, a fix on the spot without a note (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound, Malformed,
    )
)]
#[post("/patrols/{id}/findings")]
pub async fn add_finding(
    state: web::Data<AppState>,
    at: Addressed<PatrolId>,
    body: web::Json<AddFindingRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let input = FindingInput {
        category: CategoryCode::parse(body.category.trim())?,
        description: IssueDescription::parse(&body.description)?,
        building_id: body.building_id.map(BuildingId),
        location_text: LocationText::parse_optional(body.location_text.as_deref())?,
        fixed_on_the_spot: body.fixed_on_the_spot,
        note: opt_note("note", body.note.as_deref())?,
    };
    let view = state
        .call(move |app| app.add_finding(&at.caller.actor, at.id, input))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/issues/{}", view.issue.id),
        ))
        .json(FindingResponse::of(&view)))
}

/// Finish a round: its problem list takes no more findings (its cases go on). Its members or
/// an official of its community.
#[utoipa::path(
    tag = "patrols",
    params(("id" = i64, Path, description = "The round's id")),
    responses(
        (status = 200, description = "The round, finished", body = PatrolResponse),
        (status = 403, description = "Neither a member nor an official of its community (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already finished (`conflict`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[post("/patrols/{id}/finish")]
pub async fn finish_patrol(
    state: web::Data<AppState>,
    at: Addressed<PatrolId>,
) -> ApiResult<web::Json<PatrolResponse>> {
    at.answer(&state, Application::finish_patrol, PatrolResponse::of)
        .await
}
