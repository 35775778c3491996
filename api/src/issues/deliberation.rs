//! POST /issues/{id}/deliberation: the record of a meeting (议事/协商) that decides a matter.

use actix_web::post;
use linli_domain::triage::Level;
use linli_domain::values::{DisplayName, OrgName};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::deliberation::DeliberationInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{instant, note, relabel, step_endpoint};

/// Body of POST /issues/{id}/deliberation: the record of a meeting (议事).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_at": "2026-09-03T19:30:00+08:00",
    "venue": "东坪社区议事厅",
    "attendees": ["社区书记", "物业经理", "业委会主任", "一楼住户代表"],
    "decision": "同意加装电梯，费用按楼层分摊，由物业组织施工",
    "outcome": "assign_property",
    "resolution_due": "2026-12-31T00:00:00+08:00"
}))]
pub struct RecordDeliberationRequest {
    /// When the meeting was held (RFC 3339); not in the future.
    #[schema(format = DateTime)]
    pub held_at: String,
    /// Where it was held (e.g. 社区议事厅), 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub venue: String,
    /// Who took part (names or roles), at least one.
    #[schema(min_items = 1, max_items = 200)]
    pub attendees: Vec<String>,
    /// What was decided, in writing.
    #[schema(min_length = 1, max_length = 2000)]
    pub decision: String,
    /// `assign_property`, `assign_grid`, `assign_department` (→ triaged, to the default handler
    /// of that level) or `close` (→ closed with the written decision).
    #[schema(value_type = crate::issues::dto::DeliberationDecision)]
    pub outcome: String,
    /// The meeting's own deadline for the work it hands over (RFC 3339, after now; with an
    /// `assign_*` outcome only). Without it the handler gets its urgency's deadlines, counted
    /// from the recording of the meeting.
    #[serde(default)]
    #[schema(format = DateTime)]
    pub resolution_due: Option<String>,
}
impl TryFrom<RecordDeliberationRequest> for DeliberationInput {
    type Error = ApiError;

    fn try_from(body: RecordDeliberationRequest) -> ApiResult<Self> {
        let held_at = instant("held_at", &body.held_at)?;
        let resolution_due = body
            .resolution_due
            .as_deref()
            .map(|raw| instant("resolution_due", raw))
            .transpose()?;
        let venue = OrgName::parse(&body.venue).map_err(|e| relabel("venue", e))?;
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
            .map(|a| DisplayName::parse(a).map_err(|e| relabel("attendees", e)))
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
        Ok(Self {
            held_at,
            venue,
            attendees,
            decision,
            assign,
            resolution_due,
        })
    }
}

step_endpoint! {
    /// Record a deliberation (议事/协商) of an issue in deliberation. Officials of its community.
    record_deliberation: "/issues/{id}/deliberation", RecordDeliberationRequest => Application::record_deliberation;
    ok: "Assigned (triaged) or closed",
    forbidden: "Not an official of the issue's community",
    conflict: "Not `in_deliberation` (`illegal_transition`)",
    invalid: "Bad time (or in the future), empty fields, unknown outcome, no grid for `assign_grid`, a `resolution_due` not after now or with `close`",
}
