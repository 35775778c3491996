//! Triage routing (分流): from a category, an urgency and where the issue is, the suggested level,
//! handler and deadlines. The dispatcher may override any of them, with a reason.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError, Timestamp,
    category::CategoryRouting,
    place::Place,
    urgency::{DeadlineRules, Deadlines, Urgency},
    values::Note,
};
// Handler and Level live in modules of their own, so the catalogue, triage and the issue do not
// import one another; re-exported here, where they used to be.
pub use crate::{
    handler::{DEFAULT_DEPARTMENT, Handler},
    level::Level,
};

/// What routing proposes. `level`/`handler` are `None` for category `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub level: Option<Level>,
    pub handler: Option<Handler>,
    pub urgency: Urgency,
    pub deadlines: Deadlines,
}

/// The suggestion for a new issue: the category's default level and urgency (an explicit urgency
/// wins), the default handler of that level at `place`, deadlines counted from `created_at` —
/// the category's own spans, where it has them, replacing the urgency's windows (they judge the
/// dispatcher's queue; a handler's own clock starts when it is assigned).
pub fn suggest(
    category: &CategoryRouting,
    urgency: Option<Urgency>,
    place: &Place,
    created_at: Timestamp,
    rules: DeadlineRules<'_>,
) -> Suggestion {
    let level = category.default_level;
    let urgency = urgency.unwrap_or(category.default_urgency);
    let suggestion = Suggestion {
        level,
        handler: level.and_then(|level| Handler::default_for(level, place)),
        urgency,
        deadlines: rules.deadlines(urgency, category.spans, created_at),
    };
    if suggestion.level == Some(Level::Residents) && suggestion.handler.is_none() {
        // No building: nobody's building leaders to ask.
        suggestion.without_building_leaders(place)
    } else {
        suggestion
    }
}

impl Suggestion {
    /// 小事不出网格: a residents-level suggestion where there are no building leaders to hand it
    /// to (no building given, or no leader account for the building) goes to the grid of the
    /// building instead; any other suggestion stays as it is.
    pub fn without_building_leaders(self, place: &Place) -> Self {
        if self.level != Some(Level::Residents) {
            return self;
        }
        Self {
            level: Some(Level::Grid),
            handler: Handler::default_for(Level::Grid, place),
            ..self
        }
    }
}

/// The dispatcher's overrides (all optional) with the reason for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageOverrides {
    pub level: Option<Level>,
    pub handler: Option<Handler>,
    pub urgency: Option<Urgency>,
    pub reason: Option<Note>,
}

/// Whom the dispatcher chose, before the handler's clock starts: the state machine
/// stamps the deadlines when it assigns the case ([`TriageChoice::assigned`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageChoice {
    pub level: Level,
    pub handler: Handler,
    pub urgency: Urgency,
    pub overridden: bool,
    pub reason: Option<String>,
}

impl TriageChoice {
    /// The decision as recorded, with the deadlines of the assignment's clock.
    pub fn assigned(self, deadlines: Deadlines) -> TriageDecision {
        TriageDecision {
            level: self.level,
            handler: self.handler,
            urgency: self.urgency,
            deadlines,
            overridden: self.overridden,
            reason: self.reason,
        }
    }
}

/// What the dispatcher decided, as recorded in the `triaged` (`reassigned`, `return_upheld`)
/// event next to the suggestion: `deadlines` are the new handler's, counted from the moment
/// it was assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageDecision {
    pub level: Level,
    pub handler: Handler,
    pub urgency: Urgency,
    pub deadlines: Deadlines,
    pub overridden: bool,
    pub reason: Option<String>,
}

/// Combine the suggestion with the overrides. Rules:
/// - level: override, else suggestion; none at all → `Invalid { field: "level" }` ("level_required");
/// - handler: override (must match the level, else `Invalid { field: "handler_id" }`), else the
///   suggestion's handler if its level is the chosen level, else `Handler::default_for(level, place)`;
///   none → `Invalid { field: "handler_id" }`;
/// - urgency: override, else suggestion (the deadlines follow when the case is assigned);
/// - any override that differs from the suggestion requires a reason
///   (`Invalid { field: "reason" }`); `overridden` says whether anything differs.
///
/// Filling a gap the suggestion left (a level for `other`, a handler for a grid-level issue whose
/// building has no grid) is not an override: there was nothing to differ from.
pub fn decide(
    suggestion: &Suggestion,
    overrides: TriageOverrides,
    place: &Place,
) -> Result<TriageChoice, DomainError> {
    let level = overrides.level.or(suggestion.level).ok_or_else(|| {
        DomainError::invalid(
            "level",
            "level_required: this category has no default level; choose one",
        )
    })?;

    let handler = match overrides.handler {
        Some(handler) if handler.level() != level => {
            return Err(DomainError::invalid(
                "handler_id",
                format!(
                    "a {} handler cannot take a {}-level issue",
                    handler.level().as_str(),
                    level.as_str()
                ),
            ));
        }
        Some(handler) => handler,
        None => suggestion
            .handler
            .clone()
            .filter(|h| h.level() == level)
            .or_else(|| Handler::default_for(level, place))
            .ok_or_else(|| {
                DomainError::invalid(
                    "handler_id",
                    format!("no default {} handler here; choose one", level.as_str()),
                )
            })?,
    };

    let urgency = overrides.urgency.unwrap_or(suggestion.urgency);

    // Only a value that replaces a suggested one counts as an override.
    let overridden = suggestion.level.is_some_and(|l| l != level)
        || suggestion.handler.as_ref().is_some_and(|h| *h != handler)
        || urgency != suggestion.urgency;

    let reason = overrides.reason.map(Note::into_string);
    if overridden && reason.is_none() {
        return Err(DomainError::invalid(
            "reason",
            "a reason is required when overriding the suggested level, handler or urgency",
        ));
    }

    Ok(TriageChoice {
        level,
        handler,
        urgency,
        overridden,
        reason,
    })
}
