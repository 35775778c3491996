//! /meetings: meetings that decide several cases (物业联席会议, 民情恳谈会, 民主议事会议). An
//! official of the community (or the district office) holds one with its attendees and agenda;
//! each decision is applied to its case as a deliberation; published decisions are shown to the
//! residents of the compounds concerned and posted on their notice board.

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, IssueId, MeetingId, UserId},
    issue::{IssueStatus, LocationText},
    meeting::{DecisionOutcome, MeetingKind, Votes},
    values::{
        DisplayName, IssueDescription, MeetingMinutesText, MeetingTitle, OrgName, RoleLabel,
        mask_name,
    },
};
use linli_infra::{
    repo::meetings::{AGENDA, MeetingRow},
    time::from_millis,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    application::{
        Application,
        meetings::{
            AttendeeInput, DecisionInput, HoldMeeting, MeetingCase, MeetingView, RaisedCase,
        },
    },
    auth::Caller,
    error::{ApiResult, Problem},
    issues::{
        dto::IssueResponse,
        http::{Addressed, instant, note, relabel},
    },
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(hold_meeting)
        .service(list_meetings)
        .service(get_meeting)
        .service(decide_case)
        .service(record_minutes)
        .service(raise_case)
        .service(publish_meeting);
}

fn time(ms: i64) -> DateTime<Utc> {
    from_millis(ms).unwrap_or_default()
}

/// Someone at the meeting.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeRequest {
    /// Their account, when they have one.
    #[schema(minimum = 1)]
    pub user_id: Option<i64>,
    /// 1 to 64 characters.
    pub name: String,
    /// What they attend as (社区书记, 物业经理, 业主代表), 1 to 64 characters.
    pub role_label: String,
}

/// Body of POST /meetings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "joint", "title": "东坪社区第三季度物业联席会议", "community_id": 1, "compound_id": 1,
    "held_at": "2026-09-20T19:30:00+08:00", "venue": "东坪社区议事厅",
    "attendees": [
        {"user_id": 7, "name": "陈书记", "role_label": "社区书记"},
        {"name": "李经理", "role_label": "物业项目经理"},
        {"name": "王大爷", "role_label": "业主代表"}
    ],
    "agenda_issue_ids": [31, 32, 35]
}))]
pub struct HoldMeetingRequest {
    #[schema(value_type = MeetingKind)]
    pub kind: String,
    /// 1 to 100 characters.
    pub title: String,
    /// The community holding it.
    #[schema(minimum = 1)]
    pub community_id: i64,
    /// The compound it is about, if one.
    #[schema(minimum = 1)]
    pub compound_id: Option<i64>,
    /// When it is held (RFC 3339); decisions are recorded once it has been.
    #[schema(format = DateTime)]
    pub held_at: String,
    /// 1 to 100 characters.
    pub venue: String,
    /// 1 to 200.
    #[schema(min_items = 1, max_items = 200)]
    pub attendees: Vec<AttendeeRequest>,
    /// Cases of the community in deliberation (`in_deliberation`), at most 50, each once.
    #[schema(max_items = 50)]
    pub agenda_issue_ids: Vec<i64>,
}

/// Votes on a decision (表决).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VotesBody {
    #[serde(rename = "for")]
    #[schema(minimum = 0)]
    pub in_favour: u32,
    #[schema(minimum = 0)]
    pub against: u32,
    #[schema(minimum = 0)]
    pub abstain: u32,
}

/// Body of POST /meetings/{id}/decisions: the decision on one agenda case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "issue_id": 31, "outcome": "assign_property", "text": "同意更换3栋电梯主板，物业负责实施",
    "resolution_due": "2026-10-10T18:00:00+08:00", "votes": {"for": 9, "against": 1, "abstain": 1}
}))]
pub struct DecideCaseRequest {
    #[schema(minimum = 1)]
    pub issue_id: i64,
    /// `assign_property`, `assign_grid`, `assign_department` (→ triaged, to the default
    /// handler of that level) or `close` (→ closed with the written decision).
    #[schema(value_type = DecisionOutcome)]
    pub outcome: String,
    /// What was decided, 1 to 2000 characters.
    pub text: String,
    /// The meeting's own deadline for an assigned case (RFC 3339, in the future); not with
    /// `close`.
    #[schema(format = DateTime)]
    pub resolution_due: Option<String>,
    pub votes: Option<VotesBody>,
}

/// Body of POST /meetings/{id}/minutes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "会议听取了物业公司三季度工作汇报，逐项议定了三件民生事项。"}))]
pub struct MinutesRequest {
    /// The minutes (会议纪要), 1 to 10000 characters.
    pub text: String,
}

/// Body of POST /meetings/{id}/issues: a case residents raised at the meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "category": "charging_pile", "description": "居民提出小区需要增设电动车充电桩",
    "compound_id": 1, "is_public": true
}))]
pub struct RaiseCaseRequest {
    #[schema(value_type = CategoryCode)]
    pub category: String,
    /// 5 to 2000 characters.
    pub description: String,
    /// A compound of the meeting's community; default the meeting's compound.
    #[schema(minimum = 1)]
    pub compound_id: Option<i64>,
    #[schema(minimum = 1)]
    pub building_id: Option<i64>,
    pub location_text: Option<String>,
    /// Shown to the compound's verified residents (公示); default false.
    pub is_public: Option<bool>,
}

/// Someone at the meeting, as the reader may see them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttendeeResponse {
    /// Null for residents reading it.
    pub user_id: Option<i64>,
    /// Masked (`王**`) for residents reading it.
    pub name: String,
    pub role_label: String,
}

/// One case of the meeting and what was decided.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeetingCaseResponse {
    pub issue_id: i64,
    /// On the agenda (`agenda`) or raised at the meeting (`raised`).
    pub raised_here: bool,
    pub category: CategoryCode,
    /// The case's text; null for residents reading it.
    pub description: Option<String>,
    /// The case's status now.
    pub status: IssueStatus,
    /// Null until decided (and for raised cases).
    pub outcome: Option<DecisionOutcome>,
    pub decision: Option<String>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub votes: Option<Votes>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A meeting: its record, attendees and cases with their decisions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeetingResponse {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub held_at: DateTime<Utc>,
    pub venue: String,
    pub minutes: Option<String>,
    /// Null until published.
    pub published_at: Option<DateTime<Utc>>,
    /// The notice the publication posted on the board.
    pub notice_id: Option<i64>,
    /// The compounds the published decisions are shown to.
    pub published_to: Vec<i64>,
    pub attendees: Vec<AttendeeResponse>,
    /// Agenda cases in order, then the cases raised there; residents read only the decided.
    pub cases: Vec<MeetingCaseResponse>,
}

/// A meeting in a list (its cases and attendees are one `GET /meetings/{id}` away).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeetingBrief {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub held_at: DateTime<Utc>,
    pub venue: String,
    /// Null until published.
    pub published_at: Option<DateTime<Utc>>,
    pub notice_id: Option<i64>,
}

impl MeetingBrief {
    fn of(m: MeetingRow) -> Self {
        Self {
            id: m.id,
            kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Other),
            title: m.title,
            community_id: m.community_id,
            compound_id: m.compound_id,
            held_at: time(m.held_at),
            venue: m.venue,
            published_at: m.published_at.map(time),
            notice_id: m.notice_id,
        }
    }
}

/// One page of meetings (see [`Page`] for why an alias).
pub type MeetingPage = Page<MeetingBrief>;

impl MeetingCaseResponse {
    fn of(c: &MeetingCase, for_resident: bool) -> Self {
        let case = &c.case;
        let votes = match (case.votes_for, case.votes_against, case.votes_abstain) {
            (Some(f), Some(a), Some(s)) => Some(Votes {
                in_favour: u32::try_from(f).unwrap_or_default(),
                against: u32::try_from(a).unwrap_or_default(),
                abstain: u32::try_from(s).unwrap_or_default(),
            }),
            _ => None,
        };
        Self {
            issue_id: case.issue_id,
            raised_here: case.role != AGENDA,
            category: c.issue.category,
            description: (!for_resident).then(|| c.issue.description.clone()),
            status: c.issue.status,
            outcome: case
                .outcome
                .as_deref()
                .and_then(|o| DecisionOutcome::parse(o).ok()),
            decision: case.decision.clone(),
            resolution_due: case.resolution_due.map(time),
            votes,
            decided_at: case.decided_at.map(time),
        }
    }
}

impl MeetingResponse {
    fn of(v: &MeetingView) -> Self {
        let m = &v.meeting;
        Self {
            id: m.id,
            kind: v.kind,
            title: m.title.clone(),
            community_id: m.community_id,
            compound_id: m.compound_id,
            held_at: time(m.held_at),
            venue: m.venue.clone(),
            minutes: m.minutes.clone(),
            published_at: m.published_at.map(time),
            notice_id: m.notice_id,
            published_to: v.published_to.clone(),
            attendees: v
                .attendees
                .iter()
                .map(|a| AttendeeResponse {
                    user_id: a.user_id.filter(|_| !v.for_resident),
                    name: if v.for_resident {
                        mask_name(&a.name)
                    } else {
                        a.name.clone()
                    },
                    role_label: a.role_label.clone(),
                })
                .collect(),
            cases: v
                .cases
                .iter()
                .map(|c| MeetingCaseResponse::of(c, v.for_resident))
                .collect(),
        }
    }
}

impl HoldMeetingRequest {
    fn parse(self) -> ApiResult<HoldMeeting> {
        let attendees = self
            .attendees
            .iter()
            .map(|a| {
                Ok(AttendeeInput {
                    user_id: a.user_id.map(UserId),
                    name: DisplayName::parse(&a.name).map_err(|e| relabel("attendees", e))?,
                    role_label: RoleLabel::parse(&a.role_label)
                        .map_err(|e| relabel("attendees", e))?,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(HoldMeeting {
            kind: MeetingKind::parse(self.kind.trim())?,
            title: MeetingTitle::parse(&self.title)?,
            community_id: CommunityId(self.community_id),
            compound_id: self.compound_id.map(CompoundId),
            held_at: instant("held_at", &self.held_at)?,
            venue: OrgName::parse(&self.venue).map_err(|e| relabel("venue", e))?,
            attendees,
            agenda: self.agenda_issue_ids.into_iter().map(IssueId).collect(),
        })
    }
}

impl DecideCaseRequest {
    fn parse(self) -> ApiResult<DecisionInput> {
        Ok(DecisionInput {
            issue_id: IssueId(self.issue_id),
            outcome: DecisionOutcome::parse(self.outcome.trim())?,
            text: note("text", &self.text)?,
            resolution_due: self
                .resolution_due
                .as_deref()
                .map(|t| instant("resolution_due", t))
                .transpose()?,
            votes: self.votes.map(|v| Votes {
                in_favour: v.in_favour,
                against: v.against,
                abstain: v.abstain,
            }),
        })
    }
}

/// Hold a meeting (record it with its attendees and agenda).
///
/// Officials of the community, or the district office (区物管办). The agenda takes the
/// community's cases in deliberation (`in_deliberation`).
#[utoipa::path(
    tag = "meetings",
    request_body = HoldMeetingRequest,
    responses(
        (status = 201, description = "The meeting", body = MeetingResponse,
            headers(("Location" = String, description = "/api/v1/meetings/{id}"))),
        (status = 403, description = "Not an official of the community nor the district office (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad kind, title, time, venue or attendee; an unknown community or compound, a compound of another community; an agenda case unknown, of another community, not in deliberation or repeated (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/meetings")]
pub async fn hold_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<HoldMeetingRequest>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner().parse()?;
    let actor = caller.actor;
    let view = state
        .call(move |app| app.hold_meeting(&actor, input))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/meetings/{}", view.meeting.id),
        ))
        .json(MeetingResponse::of(&view)))
}

/// The meetings the caller may read (see `GET /meetings/{id}`), newest first: a resident's
/// are the published meetings concerning their compound.
#[utoipa::path(
    tag = "meetings",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of meetings", body = MeetingPage),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/meetings")]
pub async fn list_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<MeetingPage>> {
    let page = query.parse()?;
    let actor = caller.actor;
    let rows = state
        .call(move |app| app.list_meetings(&actor, page.after.map(MeetingId), page.fetch()))
        .await?;
    Ok(web::Json(Page::of(&page, rows, |m| m.id, MeetingBrief::of)))
}

/// A meeting with its cases and decisions.
///
/// Before publication: the officials, mediators and grid workers of its community, dispatchers
/// of its street, the district office and auditors. Once published, also the residents and
/// owners' committees of the compounds concerned (names masked, only the decided cases,
/// without their texts) and the staff of the companies managing them.
#[utoipa::path(
    tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id")),
    responses(
        (status = 200, description = "The meeting", body = MeetingResponse),
        Unauthenticated, NotFound,
    )
)]
#[get("/meetings/{id}")]
pub async fn get_meeting(
    state: web::Data<AppState>,
    at: Addressed<MeetingId>,
) -> ApiResult<web::Json<MeetingResponse>> {
    at.answer(&state, Application::meeting, MeetingResponse::of)
        .await
}

/// `POST /meetings/{id}/<step>` with a body: `$case` parses it (a block that may answer with
/// `?`) and ends with the use case to run on the meeting; the answer is 200 with the meeting
/// after the step. The descriptions name what differs in the spec.
macro_rules! meeting_step {
    (
        $(#[$doc:meta])*
        $name:ident($path:tt, $body:ident: $request:ident) {
            200: $done:tt,
            403: $forbidden:tt,
            409: $conflict:tt,
            422: $invalid:tt $(,)?
        }
        $case:block
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "meetings",
            params(("id" = i64, Path, description = "The meeting's id")),
            request_body = $request,
            responses(
                (status = 200, description = $done, body = MeetingResponse),
                (status = 403, description = $forbidden, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $conflict, body = Problem, content_type = "application/problem+json"),
                (status = 422, description = $invalid, body = Problem, content_type = "application/problem+json"),
                Unauthenticated, NotFound, Malformed,
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            at: Addressed<MeetingId>,
            $body: web::Json<$request>,
        ) -> ApiResult<web::Json<MeetingResponse>> {
            at.answer(&state, $case, MeetingResponse::of).await
        }
    };
}

meeting_step! {
    /// Record the meeting's decision on one agenda case.
    ///
    /// Applied to the case as a deliberation (one transaction): `assign_*` → triaged to the
    /// default handler of that level, with `resolution_due` as its deadline when given; `close` →
    /// closed with the written decision. The case's `deliberated` event carries the meeting's
    /// id. Recorded by an official of the case's community (the district office holds meetings
    /// but never acts on cases).
    decide_case("/meetings/{id}/decisions", body: DecideCaseRequest) {
        200: "The meeting with the decision",
        403: "Not an official of the case's community (`forbidden`)",
        409: "The case is decided already (`conflict`) or no longer in deliberation (`illegal_transition`), or the meeting is published (`conflict`)",
        422: "Not on the agenda, a bad outcome or text, a deadline in the past or on `close`, a meeting not held yet, no grid for `assign_grid` (`validation_failed`)",
    }
    {
        let input = body.into_inner().parse()?;
        move |app, actor, id| app.decide_at_meeting(actor, id, input)
    }
}

meeting_step! {
    /// Record (or rewrite) the minutes (会议纪要) until the meeting is published.
    record_minutes("/meetings/{id}/minutes", body: MinutesRequest) {
        200: "The meeting with its minutes",
        403: "Not an official of its community nor the district office (`forbidden`)",
        409: "The meeting is published (`conflict`)",
        422: "Empty or too long (`validation_failed`)",
    }
    {
        let text = MeetingMinutesText::parse(&body.text)?;
        move |app, actor, id| app.record_minutes(actor, id, text)
    }
}

/// File a case residents raised at the meeting (民情恳谈会): `source: meeting`, routed as
/// usual, filed by the official holding it (the district office files no cases).
#[utoipa::path(
    tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id")),
    request_body = RaiseCaseRequest,
    responses(
        (status = 201, description = "The case, filed", body = IssueResponse,
            headers(("Location" = String, description = "/api/v1/issues/{id}"))),
        (status = 403, description = "Not an official of the meeting's community (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is published (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad category or description, no compound, a compound of another community, a building of another compound (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound, Malformed,
    )
)]
#[post("/meetings/{id}/issues")]
pub async fn raise_case(
    state: web::Data<AppState>,
    at: Addressed<MeetingId>,
    body: web::Json<RaiseCaseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let input = RaisedCase {
        category: CategoryCode::parse(body.category.trim())?,
        description: IssueDescription::parse(&body.description)?,
        compound_id: body.compound_id.map(CompoundId),
        building_id: body.building_id.map(BuildingId),
        location_text: LocationText::parse_optional(body.location_text.as_deref())?,
        is_public: body.is_public.unwrap_or(false),
    };
    let detail = state
        .call(move |app| {
            let actor = at.caller.actor;
            let id = app.raise_at_meeting(&actor, at.id, input)?;
            app.get_issue(&actor, id)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/issues/{}", detail.view.issue.id),
        ))
        .json(IssueResponse::from_view(&detail.view)))
}

/// Publish the decisions: from now the residents of the compounds concerned (the meeting's
/// compound and those of its decided cases) read them, and a `meeting` notice with every
/// decision is posted on their board in the holder's name.
#[utoipa::path(
    tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id")),
    responses(
        (status = 200, description = "The meeting, published", body = MeetingResponse),
        (status = 403, description = "Not an official of its community nor the district office (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing decided yet, or published already (`conflict`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[post("/meetings/{id}/publish")]
pub async fn publish_meeting(
    state: web::Data<AppState>,
    at: Addressed<MeetingId>,
) -> ApiResult<web::Json<MeetingResponse>> {
    at.answer(&state, Application::publish_meeting, MeetingResponse::of)
        .await
}
