//! JSON shapes of issues and their timeline. Rows never go to JSON directly.

use chrono::{DateTime, Utc};
use linli_domain::{
    category::Category,
    issue::{Issue, IssueStatus},
    triage::Handler,
};
use linli_infra::repo::issues::IssueEventRow;
use serde::Serialize;
use utoipa::ToSchema;

/// Who handles an issue: a grid, a property company, the community's deliberation, the
/// community's mediators, or a named outside department.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"kind": "property_company", "id": 1, "name": null}))]
pub struct HandlerDto {
    /// `grid`, `property_company`, `community`, `mediators` or `department`.
    pub kind: String,
    /// The grid, company or community id (null for a department).
    pub id: Option<i64>,
    /// The department's name.
    pub name: Option<String>,
}

impl HandlerDto {
    pub fn from_domain(h: &Handler) -> Self {
        let (kind, id, name) = linli_infra::repo::issues::handler_columns(Some(h));
        Self {
            kind: kind.unwrap_or_default(),
            id,
            name,
        }
    }
}

/// The routing suggestion made when the issue was filed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "level": "property",
    "handler": {"kind": "property_company", "id": 1, "name": null},
    "urgency": "urgent",
    "response_due": "2026-09-01T20:00:00Z",
    "resolution_due": "2026-09-04T08:00:00Z"
}))]
pub struct SuggestionDto {
    /// null for category `other`: the dispatcher decides.
    pub level: Option<String>,
    /// The default handler of that level at the issue's place; null when there is no level.
    pub handler: Option<HandlerDto>,
    /// emergency, urgent or normal: the category's default unless the reporter chose one.
    pub urgency: String,
    /// Suggested response deadline, RFC 3339 UTC (default: filed + 2 h / 12 h / 24 h by urgency).
    pub response_due: DateTime<Utc>,
    /// Suggested resolution deadline, RFC 3339 UTC (default: filed + 24 h / 72 h / 7 days).
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

/// An issue (诉求) as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 3,
    "category": "water_leak",
    "category_name": "漏水",
    "source": "app",
    "status": "in_progress",
    "level": "property",
    "handler": {"kind": "property_company", "id": 1, "name": null},
    "urgency": "urgent",
    "suggestion": {
        "level": "property",
        "handler": {"kind": "property_company", "id": 1, "name": null},
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
    "community_id": 1,
    "compound_id": 1,
    "building_id": 1,
    "grid_id": 1,
    "property_company_id": 1,
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
    "escalation_step": 0,
    "revisit_queued": false,
    "revisited_at": null,
    "support_count": 2,
    "version": 3,
    "reporter": {"id": 7, "display_name": "王阿姨", "phone": "13800000001", "phone_masked": false}
}))]
pub struct IssueResponse {
    /// Issue id.
    pub id: i64,
    /// Category code, e.g. `water_leak`.
    pub category: String,
    /// Chinese name of the category, e.g. 漏水.
    pub category_name: String,
    /// `app`, `patrol`, `hotline` or `meeting`.
    pub source: String,
    /// submitted, triaged, in_deliberation, in_progress, awaiting_supervision,
    /// awaiting_confirmation, closed, rejected or withdrawn.
    pub status: String,
    /// grid, property, community, mediation or department; null before triage.
    pub level: Option<String>,
    /// Who handles it now; null before triage (and after a decline, until triaged again).
    pub handler: Option<HandlerDto>,
    /// emergency, urgent or normal.
    pub urgency: String,
    /// The routing suggestion made when the issue was filed.
    pub suggestion: SuggestionDto,
    /// Deadline for the first response, RFC 3339 UTC; triage recomputes it if urgency changes.
    pub response_due: DateTime<Utc>,
    /// Deadline for resolution, RFC 3339 UTC; renewed when the issue is reopened.
    pub resolution_due: DateTime<Utc>,
    /// Derived from the deadlines and the clock; not a state.
    pub overdue: bool,
    /// What the reporter wrote: 5 to 2000 characters.
    pub description: String,
    /// User id of whoever filed it (a resident, or staff for patrol/hotline/meeting issues).
    pub reporter_id: i64,
    /// Street (街道) of the compound.
    pub street_id: i64,
    /// Community (社区) of the compound.
    pub community_id: i64,
    /// Compound (小区) where the problem is.
    pub compound_id: i64,
    /// Building (楼栋), when given; null otherwise.
    pub building_id: Option<i64>,
    /// Grid (网格) of the building; null without a building.
    pub grid_id: Option<i64>,
    /// The company managing the compound when the issue was filed.
    pub property_company_id: i64,
    /// Unit and door, free text (e.g. `2单元 301`); null when not given.
    pub unit: Option<String>,
    /// Where exactly, free text (e.g. 地下车库B区); null when not given.
    pub location_text: Option<String>,
    /// WGS-84 latitude in degrees; null when not given.
    pub lat: Option<f64>,
    /// WGS-84 longitude in degrees; null when not given.
    pub lon: Option<f64>,
    /// Shown to the whole compound (公示).
    pub is_public: bool,
    /// When it was filed, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// When it entered its current `status`, RFC 3339 UTC.
    pub status_since: DateTime<Utc>,
    /// When it was triaged (分流); null before.
    pub triaged_at: Option<DateTime<Utc>>,
    /// First response (answer, mediation or deliberation record); null before.
    pub responded_at: Option<DateTime<Utc>>,
    /// Latest rectification (整改) submitted; null before.
    pub rectified_at: Option<DateTime<Utc>>,
    /// When the owners' committee (业委会) passed the rectification; null before.
    pub supervised_at: Option<DateTime<Utc>>,
    /// When it was (last) closed; null while open or after a reopening at revisit.
    pub closed_at: Option<DateTime<Utc>>,
    /// confirmed, auto_confirmed or deliberation.
    pub closure: Option<String>,
    /// The resident's rating, 1–5.
    pub satisfaction: Option<u8>,
    /// Times it was reopened (not resolved at confirmation, or recurred at revisit).
    pub reopen_count: u32,
    /// Times the owners' committee sent the rectification back.
    pub sent_back_count: u32,
    /// Overdue escalation: 0 none, 1 community officials told, 2 street dispatchers told.
    pub escalation_step: u8,
    /// In the 回头看 queue.
    pub revisit_queued: bool,
    /// When the 回头看 revisit was recorded; null before.
    pub revisited_at: Option<DateTime<Utc>>,
    /// Residents who added "me too" (附议).
    pub support_count: i64,
    /// Optimistic-concurrency version; also the `ETag`. Send it back in `If-Match`.
    pub version: i64,
    /// The reporter's contact, in `GET /issues/{id}` for staff and the reporter; never shown
    /// to other residents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<ReporterContact>,
}

fn closure_str(c: linli_domain::issue::Closure) -> &'static str {
    use linli_domain::issue::Closure::*;
    match c {
        Confirmed => "confirmed",
        AutoConfirmed => "auto_confirmed",
        Deliberation => "deliberation",
    }
}

impl IssueResponse {
    pub fn new(issue: &Issue, support_count: i64, now: DateTime<Utc>) -> Self {
        let info = issue.category.info();
        Self {
            id: issue.id.0,
            category: info.code.to_owned(),
            category_name: info.name_zh.to_owned(),
            source: issue.source.as_str().to_owned(),
            status: issue.status.as_str().to_owned(),
            level: issue.level.map(|l| l.as_str().to_owned()),
            handler: issue.handler.as_ref().map(HandlerDto::from_domain),
            urgency: issue.urgency.as_str().to_owned(),
            suggestion: SuggestionDto {
                level: issue.suggestion.level.map(|l| l.as_str().to_owned()),
                handler: issue
                    .suggestion
                    .handler
                    .as_ref()
                    .map(HandlerDto::from_domain),
                urgency: issue.suggestion.urgency.as_str().to_owned(),
                response_due: issue.suggestion.deadlines.response_due,
                resolution_due: issue.suggestion.deadlines.resolution_due,
            },
            response_due: issue.deadlines.response_due,
            resolution_due: issue.deadlines.resolution_due,
            overdue: issue.is_overdue(now),
            description: issue.description.clone(),
            reporter_id: issue.reporter.0,
            street_id: issue.place.street_id.0,
            community_id: issue.place.community_id.0,
            compound_id: issue.place.compound_id.0,
            building_id: issue.place.building_id.map(|b| b.0),
            grid_id: issue.place.grid_id.map(|g| g.0),
            property_company_id: issue.place.property_company_id.0,
            unit: issue.unit.clone(),
            location_text: issue.location_text.clone(),
            lat: issue.lat,
            lon: issue.lon,
            is_public: issue.is_public,
            created_at: issue.created_at,
            status_since: issue.status_since,
            triaged_at: issue.triaged_at,
            responded_at: issue.responded_at,
            rectified_at: issue.rectified_at,
            supervised_at: issue.supervised_at,
            closed_at: issue.closed_at,
            closure: issue.closure.map(|c| closure_str(c).to_owned()),
            satisfaction: issue.satisfaction.map(|s| s.value()),
            reopen_count: issue.reopen_count,
            sent_back_count: issue.sent_back_count,
            escalation_step: issue.escalation_step,
            revisit_queued: issue.revisit_queued,
            revisited_at: issue.revisited_at,
            support_count,
            version: issue.version,
            reporter: None,
        }
    }
}

/// One entry of an issue's timeline.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 9, "seq": 3, "kind": "answered", "actor_id": 12, "actor_role": "property_staff",
    "from": "triaged", "to": "in_progress", "at": "2026-09-01T09:15:00Z",
    "note": "已安排维修人员明天上午处理",
    "data": {"kind": "answered", "message": "已安排维修人员明天上午处理"}
}))]
pub struct IssueEventResponse {
    /// Event id.
    pub id: i64,
    /// Position in the timeline (1 = created); equals the issue version after the event.
    pub seq: i64,
    /// created, triaged, rejected, withdrawn, answered, declined, mediation_settled,
    /// mediation_failed, deliberated, rectified, supervision_passed, supervision_failed,
    /// confirmed, not_resolved, auto_confirmed, revisit_confirmed, revisit_recurred,
    /// escalated or revisit_queued.
    pub kind: String,
    /// null for the scheduler.
    pub actor_id: Option<i64>,
    /// The actor's role (resident, dispatcher, property_staff, ...); null for the scheduler.
    pub actor_role: Option<String>,
    /// Status before the event; null for `created`.
    pub from: Option<String>,
    /// Status after the event (same as `from` for escalated and revisit_queued).
    pub to: String,
    /// When it happened, RFC 3339 UTC.
    pub at: DateTime<Utc>,
    /// The message, reason or notes written with the event.
    pub note: Option<String>,
    /// The event's full data (suggestion and decision of a triage, deliberation record, ...).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl IssueEventResponse {
    pub fn from_row(row: &IssueEventRow) -> Self {
        let event = row.to_domain().ok();
        let mut data: serde_json::Value =
            serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null);
        // The created event carries a snapshot of the whole issue; the timeline needs no copy.
        if row.kind == "created"
            && let Some(obj) = data.as_object_mut()
        {
            obj.remove("issue");
        }
        Self {
            id: row.id,
            seq: row.seq,
            kind: row.kind.clone(),
            actor_id: row.actor_id,
            actor_role: row.actor_role.clone(),
            from: row.from_status.clone(),
            to: row.to_status.clone(),
            at: linli_infra::time::from_millis(row.at).unwrap_or_default(),
            note: event.and_then(|e| e.data.note()),
            data,
        }
    }
}

/// The category catalogue entry.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "water_leak", "name_zh": "漏水", "name_en": "Water leak",
    "default_level": "property", "default_urgency": "urgent"
}))]
pub struct CategoryResponse {
    /// Stable category code to send as `category`, e.g. `water_leak`.
    pub code: String,
    /// Chinese name, e.g. 漏水.
    pub name_zh: String,
    /// English name, e.g. `Water leak`.
    pub name_en: String,
    /// grid, property, community, mediation or department; null for `other`.
    pub default_level: Option<String>,
    /// emergency, urgent or normal.
    pub default_urgency: String,
}

impl CategoryResponse {
    pub fn from_domain(c: Category) -> Self {
        let i = c.info();
        Self {
            code: i.code.to_owned(),
            name_zh: i.name_zh.to_owned(),
            name_en: i.name_en.to_owned(),
            default_level: i.default_level.map(|l| l.as_str().to_owned()),
            default_urgency: i.default_urgency.as_str().to_owned(),
        }
    }
}

/// Statuses an issue can be in (for filters).
pub fn status_names() -> Vec<&'static str> {
    IssueStatus::ALL.iter().map(|s| s.as_str()).collect()
}
