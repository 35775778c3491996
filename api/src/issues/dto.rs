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
pub struct SuggestionDto {
    /// null for category `other`: the dispatcher decides.
    pub level: Option<String>,
    pub handler: Option<HandlerDto>,
    pub urgency: String,
    pub response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
}

/// Who reported an issue, as the caller may see them (only in `GET /issues/{id}`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "display_name": "王阿姨", "phone": "138****0001", "phone_masked": true}))]
pub struct ReporterContact {
    pub id: i64,
    pub display_name: String,
    /// In full for the reporter, the handling staff and the triaging dispatcher; masked
    /// (`138****0001`) for other staff.
    pub phone: String,
    pub phone_masked: bool,
}

/// An issue (诉求) as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueResponse {
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
    pub handler: Option<HandlerDto>,
    /// emergency, urgent or normal.
    pub urgency: String,
    pub suggestion: SuggestionDto,
    pub response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
    /// Derived from the deadlines and the clock; not a state.
    pub overdue: bool,
    pub description: String,
    pub reporter_id: i64,
    pub street_id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub building_id: Option<i64>,
    pub grid_id: Option<i64>,
    /// The company managing the compound when the issue was filed.
    pub property_company_id: i64,
    pub unit: Option<String>,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Shown to the whole compound (公示).
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub status_since: DateTime<Utc>,
    pub triaged_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub rectified_at: Option<DateTime<Utc>>,
    pub supervised_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// confirmed, auto_confirmed or deliberation.
    pub closure: Option<String>,
    /// The resident's rating, 1–5.
    pub satisfaction: Option<u8>,
    pub reopen_count: u32,
    /// Times the owners' committee sent the rectification back.
    pub sent_back_count: u32,
    pub escalation_step: u8,
    /// In the 回头看 queue.
    pub revisit_queued: bool,
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
pub struct IssueEventResponse {
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
    pub actor_role: Option<String>,
    pub from: Option<String>,
    pub to: String,
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
pub struct CategoryResponse {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// null for `other`.
    pub default_level: Option<String>,
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
