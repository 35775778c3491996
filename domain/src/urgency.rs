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

/// A category's own response / resolution spans, replacing the urgency's windows where given
/// (电梯困人: respond within 30 minutes). Applied on top of the policy's deadlines, and only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeadlineSpans {
    pub response_minutes: Option<u32>,
    pub resolution_minutes: Option<u32>,
}

impl DeadlineSpans {
    /// `deadlines` (counted from `from` by the policy) with the spans given here replacing theirs.
    pub fn apply(self, deadlines: Deadlines, from: Timestamp) -> Deadlines {
        let span = |minutes: u32| from + Duration::minutes(i64::from(minutes));
        Deadlines {
            response_due: self.response_minutes.map_or(deadlines.response_due, span),
            resolution_due: self
                .resolution_minutes
                .map_or(deadlines.resolution_due, span),
        }
    }
}
