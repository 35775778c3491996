//! Small closed sets of the workflow: what a 回头看 revisit found, and whom an escalation step
//! goes to.

use serde::{Deserialize, Serialize};

/// What the 回头看 revisit found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RevisitOutcome {
    Confirmed,
    Recurred,
}

/// Whom an escalation step goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EscalationTarget {
    /// Step 1: the officials of the community.
    CommunityOfficial,
    /// Step 2: the dispatchers of the street.
    StreetDispatcher,
}
