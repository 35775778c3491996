//! Workflow settings: deadlines and the calendar they count on, supervision, auto-confirmation,
//! revisits and escalation.

use chrono::Duration;

use crate::{
    DomainError, Timestamp,
    calendar::WorkCalendar,
    level::Level,
    period::DistrictTz,
    urgency::{DeadlinePolicy, DeadlineRules, Deadlines, SpanOverrides, Urgency},
};

/// Workflow settings, with the defaults of the issue texts.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowConfig {
    pub deadlines: DeadlinePolicy,
    /// The working-day calendar deadlines count on. The district office maintains it in the
    /// database: the application loads it (`with_calendar`) before every command that sets a
    /// deadline; the default is the built-in official calendar.
    pub calendar: WorkCalendar,
    /// The district's time zone (`LINLI_TIME_ZONE`), where working days begin and end.
    pub time_zone: DistrictTz,
    /// Levels whose rectification goes to the owners' committee (default: property only).
    pub supervised_levels: Vec<Level>,
    /// `awaiting_confirmation` for this long → auto-confirmed (default 7 days).
    pub auto_confirm_after: Duration,
    /// Closed this long ago → considered for the 回头看 queue (default 14 days).
    pub revisit_after: Duration,
    /// Share of the ordinary closed issues sampled for revisit, 0–100 (default 20).
    pub revisit_sample_percent: u8,
    /// Still overdue this long after step 1 → step 2, the street's dispatcher (default 24 h).
    pub second_escalation_after: Duration,
}

impl Default for WorkflowConfig {
    fn default() -> Self {
        Self {
            deadlines: DeadlinePolicy::default(),
            calendar: WorkCalendar::official(),
            time_zone: DistrictTz::default(),
            supervised_levels: vec![Level::Property],
            auto_confirm_after: Duration::days(7),
            revisit_after: Duration::days(14),
            revisit_sample_percent: 20,
            second_escalation_after: Duration::hours(24),
        }
    }
}

impl WorkflowConfig {
    /// The same settings counting on `calendar` (the district office's current one).
    pub fn with_calendar(&self, calendar: WorkCalendar) -> Self {
        Self {
            calendar,
            ..self.clone()
        }
    }

    /// What deadlines are computed with.
    pub fn rules(&self) -> DeadlineRules<'_> {
        DeadlineRules {
            policy: &self.deadlines,
            calendar: &self.calendar,
            tz: self.time_zone,
        }
    }

    /// The clock of a handler assigned at `start` (fair clocks: the time a case waited for its
    /// handler is not the handler's): its urgency's spans (its category's own where it has them) from `start`, or, for the resolution,
    /// `own_resolution_due` when whoever hands the work over set one (a meeting's decision).
    /// An own deadline must lie after `start`; the response is due by then at the latest.
    pub fn assignment_deadlines(
        &self,
        urgency: Urgency,
        overrides: SpanOverrides,
        start: Timestamp,
        own_resolution_due: Option<Timestamp>,
    ) -> Result<Deadlines, DomainError> {
        let computed = self.rules().deadlines(urgency, overrides, start);
        match own_resolution_due {
            None => Ok(computed),
            Some(due) if due <= start => Err(DomainError::invalid(
                "resolution_due",
                "the deadline must lie after the work is handed over",
            )),
            Some(due) => Ok(Deadlines {
                response_due: computed.response_due.min(due),
                resolution_due: due,
            }),
        }
    }
}
