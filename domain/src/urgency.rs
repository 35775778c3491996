//! Urgency and the response / resolution deadlines it implies.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError, Timestamp,
    calendar::{DeadlineSpan, WorkCalendar},
    period::DistrictTz,
};

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

/// How long a handler has to respond and to resolve: one pair of spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineSpans {
    pub response: DeadlineSpan,
    pub resolution: DeadlineSpan,
}

/// A category's own spans replacing its urgency's (e.g. 电梯困人: response within 30 minutes);
/// `None` keeps the urgency's span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanOverrides {
    pub response: Option<DeadlineSpan>,
    pub resolution: Option<DeadlineSpan>,
}

impl SpanOverrides {
    /// Spans in clock minutes, as the catalogue stores them.
    pub fn minutes(response: Option<u32>, resolution: Option<u32>) -> Self {
        Self {
            response: response.map(DeadlineSpan::ClockMinutes),
            resolution: resolution.map(DeadlineSpan::ClockMinutes),
        }
    }

    /// The response span in clock minutes, if it has one.
    pub fn response_minutes(&self) -> Option<u32> {
        self.response.and_then(DeadlineSpan::clock_minutes)
    }

    /// The resolution span in clock minutes, if it has one.
    pub fn resolution_minutes(&self) -> Option<u32> {
        self.resolution.and_then(DeadlineSpan::clock_minutes)
    }
}

/// How long a handler has to respond and to resolve, per urgency. Configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePolicy {
    pub emergency: DeadlineSpans,
    pub urgent: DeadlineSpans,
    pub normal: DeadlineSpans,
}

impl Default for DeadlinePolicy {
    /// Emergency 2 h / 24 h and urgent 12 h / 72 h on the clock; normal 1 / 5 working days.
    fn default() -> Self {
        let clock = |response: u32, resolution: u32| DeadlineSpans {
            response: DeadlineSpan::ClockMinutes(response * 60),
            resolution: DeadlineSpan::ClockMinutes(resolution * 60),
        };
        Self {
            emergency: clock(2, 24),
            urgent: clock(12, 72),
            normal: DeadlineSpans {
                response: DeadlineSpan::WorkingDays(1),
                resolution: DeadlineSpan::WorkingDays(5),
            },
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
    /// The spans of `urgency`, a category's own overrides applied.
    pub fn spans(&self, urgency: Urgency, overrides: SpanOverrides) -> DeadlineSpans {
        let base = match urgency {
            Urgency::Emergency => self.emergency,
            Urgency::Urgent => self.urgent,
            Urgency::Normal => self.normal,
        };
        DeadlineSpans {
            response: overrides.response.unwrap_or(base.response),
            resolution: overrides.resolution.unwrap_or(base.resolution),
        }
    }
}

/// The deadlines of spans started at `start`: working days on `calendar` in the district's
/// zone, clock minutes as they come.
pub fn deadlines_from(
    spans: DeadlineSpans,
    start: Timestamp,
    calendar: &WorkCalendar,
    tz: DistrictTz,
) -> Deadlines {
    Deadlines {
        response_due: calendar.deadline(start, spans.response, tz),
        resolution_due: calendar.deadline(start, spans.resolution, tz),
    }
}

/// Everything deadlines are computed with: the policy, the working-day calendar and the
/// district's time zone.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineRules<'a> {
    pub policy: &'a DeadlinePolicy,
    pub calendar: &'a WorkCalendar,
    pub tz: DistrictTz,
}

impl DeadlineRules<'_> {
    /// The deadlines of a clock started at `start` for `urgency` (a category's own spans in
    /// `overrides` replacing the urgency's).
    pub fn deadlines(
        &self,
        urgency: Urgency,
        overrides: SpanOverrides,
        start: Timestamp,
    ) -> Deadlines {
        deadlines_from(
            self.policy.spans(urgency, overrides),
            start,
            self.calendar,
            self.tz,
        )
    }
}
