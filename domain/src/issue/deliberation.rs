//! The deliberation (议事) of a hard matter: what the meeting decided, and its minutes.

use serde::{Deserialize, Serialize};

use crate::{
    Timestamp,
    handler::Handler,
    ids::MeetingId,
    values::{DisplayName, Note, OrgName},
};

/// What the deliberation meeting decided to do with the matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeliberationOutcome {
    /// Hand it to a handler (property company, grid or department): → `triaged`. The
    /// handler's clock starts when the meeting is recorded; `resolution_due`, when the meeting
    /// set one, replaces the resolution deadline it would have.
    Assign {
        handler: Handler,
        #[serde(default)]
        resolution_due: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Decide it: → `closed` with the written decision.
    Close,
}

/// A deliberation (议事) record, as stored in the `deliberated` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deliberation {
    pub held_at: chrono::DateTime<chrono::Utc>,
    pub venue: String,
    pub attendees: Vec<String>,
    pub decision: String,
    pub outcome: DeliberationOutcome,
    /// The meeting that decided it, when it was decided at a meeting of several cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub meeting_id: Option<MeetingId>,
}

/// The minutes of a deliberation as commanded, every text already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliberationMinutes {
    pub held_at: Timestamp,
    pub venue: OrgName,
    /// At least one.
    pub attendees: Vec<DisplayName>,
    pub decision: Note,
    pub outcome: DeliberationOutcome,
    /// The meeting of several cases it was decided at (`None`: the per-case record).
    pub meeting_id: Option<MeetingId>,
}

impl DeliberationMinutes {
    /// What the `deliberated` event records.
    pub fn record(&self) -> Deliberation {
        Deliberation {
            held_at: self.held_at,
            venue: self.venue.as_str().to_owned(),
            attendees: self
                .attendees
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect(),
            decision: self.decision.as_str().to_owned(),
            outcome: self.outcome.clone(),
            meeting_id: self.meeting_id,
        }
    }
}
