//! JSON shapes of issues and their timeline. Rows never go to JSON directly.

use chrono::{DateTime, Utc};
use linli_domain::issue::EventData;
use linli_domain::{
    auth::{IssueAction, Role},
    category::{CategoryCode, CategoryEntry},
    handler::HandlerKind,
    issue::{Closure, EventKind, IssueKind, IssueStatus, Source},
    level::Level,
    triage::Handler,
    urgency::Urgency,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::application::issues::{IssueView, query::TimelineEntry};
use crate::error::{ApiError, ApiResult};

/// Who handles an issue: a grid, a property company, the community's deliberation, the
/// community's mediators, a named outside department, or a building's leaders (楼栋长).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"kind": "property_company", "id": 1, "name": "湘潭红心物业"}))]
pub struct HandlerDto {
    /// Which kind of handler; `id` or `name` says which one.
    pub kind: HandlerKind,
    /// The grid, company, community or building id (null for a department).
    pub id: Option<i64>,
    /// Its display name: the grid's, the company's, the community's (for `community` and
    /// `mediators`), the department's or the building's (for `building_leaders`). null only if
    /// the unit no longer exists.
    pub name: Option<String>,
}

impl HandlerDto {
    /// The handler with the name the view looked up for it.
    pub fn from_domain(h: &Handler, name: Option<String>) -> Self {
        let id = match h {
            Handler::Grid { grid_id } => Some(grid_id.0),
            Handler::PropertyCompany {
                property_company_id,
            } => Some(property_company_id.0),
            Handler::Community { community_id } | Handler::Mediators { community_id } => {
                Some(community_id.0)
            }
            Handler::Department { .. } => None,
            Handler::BuildingLeaders { building_id } => Some(building_id.0),
        };
        Self {
            kind: h.kind(),
            id,
            name,
        }
    }
}

/// The routing suggestion made when the issue was filed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "level": "property",
    "handler": {"kind": "property_company", "id": 1, "name": "湘潭红心物业"},
    "urgency": "urgent",
    "response_due": "2026-09-01T20:00:00Z",
    "resolution_due": "2026-09-04T08:00:00Z"
}))]
pub struct SuggestionDto {
    /// null for category `other`: the dispatcher decides.
    pub level: Option<Level>,
    /// The default handler of that level at the issue's place; null when there is no level.
    pub handler: Option<HandlerDto>,
    /// The category's default unless the reporter chose one.
    pub urgency: Urgency,
    /// Response deadline counted from the filing, RFC 3339 UTC (default: 2 h / 12 h by the
    /// clock, or the end of the first working day after, by urgency); it judges the dispatcher's
    /// queue until triage.
    pub response_due: DateTime<Utc>,
    /// Resolution deadline counted from the filing, RFC 3339 UTC (default: 24 h / 72 h, or 5
    /// working days).
    pub resolution_due: DateTime<Utc>,
}

/// Who reported an issue, as the caller may see them (only in `GET /issues/{id}`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "display_name": "王阿姨", "phone": "138****0001", "phone_masked": true}))]
pub struct ReporterContact {
    /// The reporter's user id.
    pub id: i64,
    /// The reporter's display name, e.g. 王阿姨.
    pub display_name: String,
    /// In full for the reporter, the handling staff and the triaging dispatcher; masked
    /// (`138****0001`) for other staff.
    pub phone: String,
    /// true when `phone` is masked for the caller.
    pub phone_masked: bool,
}

impl From<crate::application::issues::query::ReporterContact> for ReporterContact {
    fn from(c: crate::application::issues::query::ReporterContact) -> Self {
        Self {
            id: c.id,
            display_name: c.display_name,
            phone: c.phone,
            phone_masked: c.phone_masked,
        }
    }
}

/// Who called the hotline about an issue (only in `GET /issues/{id}`, only for staff).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "刘先生", "phone": "13900001111", "masked": false}))]
pub struct CallerContact {
    /// The caller's name; masked (`刘**`) for staff who do not handle the case.
    pub name: String,
    /// The callback number: in full for whoever handles or triages the case (the callback is
    /// theirs), masked (`139****1111`) for other staff.
    pub phone: String,
    /// true when `name` and `phone` are masked for the caller.
    pub masked: bool,
}

impl From<crate::application::issues::query::CallerContact> for CallerContact {
    fn from(c: crate::application::issues::query::CallerContact) -> Self {
        Self {
            name: c.name,
            phone: c.phone,
            masked: c.masked,
        }
    }
}

/// An issue (诉求) as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 3,
    "category": "water_leak",
    "category_name": "漏水",
    "kind": "complaint",
    "source": "app",
    "ticket_no": null,
    "status": "in_progress",
    "level": "property",
    "handler": {"kind": "property_company", "id": 1, "name": "湘潭红心物业"},
    "urgency": "urgent",
    "suggestion": {
        "level": "property",
        "handler": {"kind": "property_company", "id": 1, "name": "湘潭红心物业"},
        "urgency": "urgent",
        "response_due": "2026-09-01T20:00:00Z",
        "resolution_due": "2026-09-04T08:00:00Z"
    },
    "response_due": "2026-09-01T20:00:00Z",
    "resolution_due": "2026-09-04T08:00:00Z",
    "overdue": false,
    "description": "地下车库B区顶板漏水，地面积水很深",
    "reporter_id": 7,
    "street_id": 1,
    "street_name": "书院路街道",
    "community_id": 1,
    "community_name": "东坪社区",
    "compound_id": 1,
    "compound_name": "金桂园",
    "building_id": 1,
    "building_name": "1栋",
    "grid_id": 1,
    "grid_name": "第一网格",
    "property_company_id": 1,
    "property_company_name": "湘潭红心物业",
    "unit": "2单元 301",
    "location_text": "地下车库B区",
    "lat": 27.8587,
    "lon": 112.9112,
    "is_public": true,
    "created_at": "2026-09-01T08:00:00Z",
    "status_since": "2026-09-01T09:15:00Z",
    "triaged_at": "2026-09-01T08:30:00Z",
    "responded_at": "2026-09-01T09:15:00Z",
    "rectified_at": null,
    "supervised_at": null,
    "closed_at": null,
    "closure": null,
    "satisfaction": null,
    "reopen_count": 0,
    "sent_back_count": 0,
    "return_count": 0,
    "urge_count": 1,
    "extension_count": 0,
    "pending_extension_due": null,
    "merged_into": null,
    "escalation_step": 0,
    "revisit_queued": false,
    "revisited_at": null,
    "support_count": 2,
    "version": 3,
    "allowed_actions": ["rectification", "comment"],
    "reporter": {"id": 7, "display_name": "王阿姨", "phone": "13800000001", "phone_masked": false}
}))]
pub struct IssueResponse {
    /// Issue id.
    pub id: i64,
    /// Category code, e.g. `water_leak` (see `GET /categories`).
    pub category: CategoryCode,
    /// Chinese name of the category, e.g. 漏水.
    pub category_name: String,
    /// The request type: complaint, help, consultation, suggestion or praise.
    pub kind: IssueKind,
    /// How it came in.
    pub source: Source,
    /// The external ticket number of a hotline case (12345 工单号); null otherwise.
    pub ticket_no: Option<String>,
    /// Where it stands in the workflow.
    pub status: IssueStatus,
    /// The handling level; null before triage.
    pub level: Option<Level>,
    /// Who handles it now; null before triage (and after a decline, until triaged again).
    pub handler: Option<HandlerDto>,
    /// How fast it must be handled.
    pub urgency: Urgency,
    /// The routing suggestion made when the issue was filed.
    pub suggestion: SuggestionDto,
    /// The current handler's response deadline, RFC 3339 UTC: its clock starts when the case
    /// is assigned to it (triage, 改派, an upheld return, a meeting's decision); normal cases
    /// count working days of the district's calendar. Before triage: the dispatcher's.
    pub response_due: DateTime<Utc>,
    /// The current handler's resolution deadline, RFC 3339 UTC (counted as `response_due`, or
    /// set by the meeting that handed the work over); renewed when the issue is reopened.
    pub resolution_due: DateTime<Utc>,
    /// Derived from the deadlines and the clock; not a state.
    pub overdue: bool,
    /// What the reporter wrote: 5 to 2000 characters.
    #[schema(min_length = 5, max_length = 2000)]
    pub description: String,
    /// User id of whoever filed it (a resident, or staff for patrol/hotline/meeting issues).
    pub reporter_id: i64,
    /// Street (街道) of the compound.
    pub street_id: i64,
    /// The street's name, e.g. 书院路街道.
    pub street_name: String,
    /// Community (社区) of the compound.
    pub community_id: i64,
    /// The community's name, e.g. 东坪社区.
    pub community_name: String,
    /// Compound (小区) where the problem is.
    pub compound_id: i64,
    /// The compound's name, e.g. 金桂园.
    pub compound_name: String,
    /// Building (楼栋), when given; null otherwise.
    pub building_id: Option<i64>,
    /// The building's name, e.g. 1栋; null without a building.
    pub building_name: Option<String>,
    /// Grid (网格) of the building; null without a building.
    pub grid_id: Option<i64>,
    /// The grid's name; null without a building.
    pub grid_name: Option<String>,
    /// The company managing the compound when the issue was filed.
    pub property_company_id: i64,
    /// That company's name.
    pub property_company_name: String,
    /// Unit and door, free text (e.g. `2单元 301`); null when not given.
    pub unit: Option<String>,
    /// Where exactly, free text (e.g. 地下车库B区); null when not given.
    pub location_text: Option<String>,
    /// WGS-84 latitude in degrees; null when not given.
    pub lat: Option<f64>,
    /// WGS-84 longitude in degrees; null when not given.
    pub lon: Option<f64>,
    /// The same point in GCJ-02, for drawing on a 高德 or 腾讯 map; null when not given.
    pub lat_gcj02: Option<f64>,
    /// The same point's GCJ-02 longitude; null when not given.
    pub lon_gcj02: Option<f64>,
    /// Shown to the whole compound (公示).
    pub is_public: bool,
    /// When it was filed, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// When it entered its current `status`, RFC 3339 UTC.
    pub status_since: DateTime<Utc>,
    /// When it was triaged (分流); null before.
    pub triaged_at: Option<DateTime<Utc>>,
    /// The current handler's response (answer, mediation or deliberation record); null before,
    /// and again when the case goes to another handler (its clock starts afresh).
    pub responded_at: Option<DateTime<Utc>>,
    /// Latest rectification (整改) submitted; null before.
    pub rectified_at: Option<DateTime<Utc>>,
    /// When the owners' committee (业委会) passed the rectification; null before.
    pub supervised_at: Option<DateTime<Utc>>,
    /// When it was (last) closed; null while open or after a reopening at revisit.
    pub closed_at: Option<DateTime<Utc>>,
    /// How it was closed; null while not closed.
    pub closure: Option<Closure>,
    /// The resident's rating, 1–5; null before confirmation.
    #[schema(minimum = 1, maximum = 5)]
    pub satisfaction: Option<u8>,
    /// Times it was reopened (not resolved at confirmation, or recurred at revisit).
    pub reopen_count: u32,
    /// Times the owners' committee sent the rectification back.
    pub sent_back_count: u32,
    /// Times its handlers returned it to the dispatcher (退单).
    pub return_count: u32,
    /// Times it was urged (督办).
    pub urge_count: u32,
    /// Extensions (延期) of its resolution deadline approved.
    pub extension_count: u32,
    /// The date an extension request pending a decision asks for; null when none is pending
    /// (see `GET /issues/{id}/extension-requests`).
    pub pending_extension_due: Option<DateTime<Utc>>,
    /// The primary case this duplicate was merged into (closure `merged`); null otherwise.
    pub merged_into: Option<i64>,
    /// Overdue escalation: 0 none, 1 community officials told, 2 street dispatchers told.
    #[schema(minimum = 0, maximum = 2)]
    pub escalation_step: u8,
    /// In the 回头看 queue.
    pub revisit_queued: bool,
    /// When the 回头看 revisit was recorded; null before.
    pub revisited_at: Option<DateTime<Utc>>,
    /// Residents who added "me too" (附议).
    pub support_count: i64,
    /// Optimistic-concurrency version; also the `ETag`. Send it back in `If-Match`.
    #[schema(minimum = 1)]
    pub version: i64,
    /// What the caller may do to the issue now, by the same checks that authorise each request:
    /// every action listed is permitted (only its body can still be refused, with 422; a
    /// mediation case is declined, not accepted, through `answer`), every other one is refused
    /// with 403, 404 or 409. Each names its endpoint, `POST /issues/{id}/<action>`
    /// (`comment`: `POST /issues/{id}/comments`).
    pub allowed_actions: Vec<IssueAction>,
    /// The reporter's contact, in `GET /issues/{id}` for staff and the reporter; null in lists
    /// and for other residents.
    pub reporter: Option<ReporterContact>,
    /// Who called the hotline, in `GET /issues/{id}` for staff; null in lists, for residents
    /// and for issues not taken on the hotline.
    pub caller: Option<CallerContact>,
}

impl IssueResponse {
    /// The issue as a client sees it at the view's time (`overdue` is derived), without the
    /// reporter's contact.
    pub fn from_view(view: &IssueView) -> Self {
        let issue = &view.issue;
        let names = &view.names;
        let gcj02 = issue.lat.zip(issue.lon).and_then(|(lat, lon)| {
            let point = linli_domain::geo::LatLng::parse(lat, lon).ok()?;
            Some(point.to_gcj02(linli_domain::geo::CoordSystem::Wgs84))
        });
        Self {
            id: issue.id.0,
            category: issue.category,
            category_name: names.category.clone(),
            kind: issue.kind,
            source: issue.source,
            ticket_no: issue.caller.as_ref().and_then(|c| c.ticket_no.clone()),
            status: issue.status,
            level: issue.level,
            handler: issue
                .handler
                .as_ref()
                .map(|h| HandlerDto::from_domain(h, names.handler.clone())),
            urgency: issue.urgency,
            suggestion: SuggestionDto {
                level: issue.suggestion.level,
                handler: issue
                    .suggestion
                    .handler
                    .as_ref()
                    .map(|h| HandlerDto::from_domain(h, names.suggested_handler.clone())),
                urgency: issue.suggestion.urgency,
                response_due: issue.suggestion.deadlines.response_due,
                resolution_due: issue.suggestion.deadlines.resolution_due,
            },
            response_due: issue.deadlines.response_due,
            resolution_due: issue.deadlines.resolution_due,
            overdue: issue.is_overdue(view.at),
            description: issue.description.clone(),
            reporter_id: issue.reporter.0,
            street_id: issue.place.street_id.0,
            street_name: names.street.clone(),
            community_id: issue.place.community_id.0,
            community_name: names.community.clone(),
            compound_id: issue.place.compound_id.0,
            compound_name: names.compound.clone(),
            building_id: issue.place.building_id.map(|b| b.0),
            building_name: names.building.clone(),
            grid_id: issue.place.grid_id.map(|g| g.0),
            grid_name: names.grid.clone(),
            property_company_id: issue.place.property_company_id.0,
            property_company_name: names.property_company.clone(),
            unit: issue.unit.clone(),
            location_text: issue.location_text.clone(),
            lat: issue.lat,
            lon: issue.lon,
            lat_gcj02: gcj02.map(|p| p.lat()),
            lon_gcj02: gcj02.map(|p| p.lng()),
            is_public: issue.is_public,
            created_at: issue.created_at,
            status_since: issue.status_since,
            triaged_at: issue.triaged_at,
            responded_at: issue.responded_at,
            rectified_at: issue.rectified_at,
            supervised_at: issue.supervised_at,
            closed_at: issue.closed_at,
            closure: issue.closure,
            satisfaction: issue.satisfaction.map(|s| s.value()),
            reopen_count: issue.reopen_count,
            sent_back_count: issue.sent_back_count,
            return_count: issue.return_count,
            urge_count: issue.urge_count,
            extension_count: issue.extension_count,
            pending_extension_due: issue.pending_extension,
            merged_into: issue.merged_into.map(|i| i.0),
            escalation_step: issue.escalation_step,
            revisit_queued: issue.revisit_queued,
            revisited_at: issue.revisited_at,
            support_count: view.support_count,
            version: issue.version,
            allowed_actions: view.allowed_actions.clone(),
            reporter: None,
            caller: None,
        }
    }
}

/// One entry of an issue's timeline.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 9, "seq": 3, "kind": "answered", "actor_id": 12, "actor_role": "property_staff",
    "actor_name": "李师傅",
    "from": "triaged", "to": "in_progress", "at": "2026-09-01T09:15:00Z",
    "note": "已安排维修人员明天上午处理",
    "data": {"kind": "answered", "message": "已安排维修人员明天上午处理"}
}))]
pub struct IssueEventResponse {
    /// Event id.
    pub id: i64,
    /// Position in the timeline (1 = created); equals the issue version after the event.
    #[schema(minimum = 1)]
    pub seq: i64,
    /// What happened; `data.kind` is the same.
    pub kind: EventKind,
    /// null for the scheduler.
    pub actor_id: Option<i64>,
    /// The actor's role; null for the scheduler.
    pub actor_role: Option<Role>,
    /// The actor's display name: staff (and building leaders, volunteers) in full, a resident
    /// masked (`王**`) for other residents, building leaders and volunteers; null for the
    /// scheduler.
    pub actor_name: Option<String>,
    /// Status before the event; null for `created`.
    pub from: Option<IssueStatus>,
    /// Status after the event (same as `from` for escalated, revisit_queued, backstopped, and a
    /// building leaders' decline the grid takes).
    pub to: IssueStatus,
    /// When it happened, RFC 3339 UTC.
    pub at: DateTime<Utc>,
    /// The message, reason or notes written with the event.
    pub note: Option<String>,
    /// The event's full data, by `kind` (suggestion and decision of a triage, deliberation
    /// record, ...). `created` carries no snapshot of the issue.
    #[schema(value_type = EventData)]
    pub data: serde_json::Value,
}

impl IssueEventResponse {
    pub fn from_entry(entry: &TimelineEntry) -> ApiResult<Self> {
        let row = &entry.event;
        let event = row.to_domain()?;
        let mut data = serde_json::to_value(&event.data).map_err(ApiError::internal)?;
        // The created event carries a snapshot of the whole issue; the timeline needs no copy.
        if let Some(obj) = data.as_object_mut() {
            obj.remove("issue");
        }
        let actor_role = row.actor_role.as_deref().map(Role::parse).transpose()?;
        Ok(Self {
            id: row.head.id,
            seq: row.head.seq,
            kind: event.data.event_kind(),
            actor_id: row.actor_id,
            actor_role,
            actor_name: entry.actor_name.clone(),
            from: event.from,
            to: event.to,
            at: event.at,
            note: event.data.note(),
            data,
        })
    }
}

/// The category catalogue entry.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "gas_leak", "name_zh": "燃气泄漏", "name_en": "Gas leak",
    "kinds": ["complaint", "help"], "default_level": "department", "default_urgency": "emergency",
    "photos_expected": false, "stop_notice": "燃气泄漏请立即拨打119并撤离，不要在此报修",
    "response_minutes": null, "resolution_minutes": null, "active": true
}))]
pub struct CategoryResponse {
    /// Stable category code to send as `category`, e.g. `water_leak`.
    pub code: CategoryCode,
    /// Chinese name, e.g. 漏水.
    pub name_zh: String,
    /// English name, e.g. `Water leak`.
    pub name_en: String,
    /// The request types that may be filed under it.
    pub kinds: Vec<IssueKind>,
    /// The level it is routed to by default; null for `other` (the dispatcher decides).
    pub default_level: Option<Level>,
    /// Its default urgency.
    pub default_urgency: Urgency,
    /// The filing screen should ask for photos.
    pub photos_expected: bool,
    /// To show before filing, e.g. 燃气泄漏请立即拨打119并撤离，不要在此报修; null: none.
    pub stop_notice: Option<String>,
    /// The category's own response span in minutes, replacing the urgency's (电梯困人: 30);
    /// null: the urgency's.
    pub response_minutes: Option<u32>,
    /// The category's own resolution span in minutes; null: the urgency's.
    pub resolution_minutes: Option<u32>,
    /// false: retired, takes no new issues (and is left out of `GET /categories`).
    pub active: bool,
}

impl CategoryResponse {
    pub fn from_domain(c: &CategoryEntry) -> Self {
        Self {
            code: c.code,
            name_zh: c.name_zh.as_str().to_owned(),
            name_en: c.name_en.as_str().to_owned(),
            kinds: c.kinds.clone(),
            default_level: c.default_level,
            default_urgency: c.default_urgency,
            photos_expected: c.photos_expected,
            stop_notice: c.stop_notice.as_ref().map(|n| n.as_str().to_owned()),
            response_minutes: c.spans.response_minutes(),
            resolution_minutes: c.spans.resolution_minutes(),
            active: c.active,
        }
    }
}

/// Statuses an issue can be in (for filters).
pub fn status_names() -> Vec<&'static str> {
    IssueStatus::ALL.iter().map(|s| s.as_str()).collect()
}

/// The grounds of a rejection (`kind` of POST /issues/{id}/reject).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// Repeats an existing issue (`duplicate_of` names it).
    Duplicate,
    /// Not a property-management matter (the default).
    OutOfScope,
    /// Not a real report (test, abuse, unreadable).
    Invalid,
}

/// What a deliberation meeting decided (`outcome` of POST /issues/{id}/deliberation).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliberationDecision {
    /// Hand it to the compound's property company (→ triaged).
    AssignProperty,
    /// Hand it to the building's grid (→ triaged).
    AssignGrid,
    /// Hand it to an outside department (→ triaged).
    AssignDepartment,
    /// Decide it here: → closed with the written decision.
    Close,
}
