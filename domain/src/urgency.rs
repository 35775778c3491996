//! Urgency and the response / resolution deadlines it implies.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{DomainError, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Urgency {
    /// Safety hazards fixed on the spot (立行立改).
    Emergency,
    Urgent,
    Normal,
}

named_variants! {
    Urgency {
        Emergency => "emergency",
        Urgent => "urgent",
        Normal => "normal",
    }
    unknown(raw) => DomainError::invalid("urgency", "must be emergency, urgent or normal")
}

/// How long a handler has to respond and to resolve, per urgency. Configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePolicy {
    pub emergency: (Duration, Duration),
    pub urgent: (Duration, Duration),
    pub normal: (Duration, Duration),
}

impl Default for DeadlinePolicy {
    /// emergency 2 h / 24 h, urgent 12 h / 72 h, normal 24 h / 7 days.
    fn default() -> Self {
        Self {
            emergency: (Duration::hours(2), Duration::hours(24)),
            urgent: (Duration::hours(12), Duration::hours(72)),
            normal: (Duration::hours(24), Duration::days(7)),
        }
    }
}

/// Response and resolution deadlines of one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    pub response_due: chrono::DateTime<chrono::Utc>,
    pub resolution_due: chrono::DateTime<chrono::Utc>,
}

impl DeadlinePolicy {
    pub fn windows(&self, urgency: Urgency) -> (Duration, Duration) {
        match urgency {
            Urgency::Emergency => self.emergency,
            Urgency::Urgent => self.urgent,
            Urgency::Normal => self.normal,
        }
    }

    /// Deadlines counted from `from` (the creation).
    pub fn deadlines(&self, urgency: Urgency, from: Timestamp) -> Deadlines {
        let (respond, resolve) = self.windows(urgency);
        Deadlines {
            response_due: from + respond,
            resolution_due: from + resolve,
        }
    }
}
