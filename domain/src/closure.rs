//! How a closed issue came to be closed, and which closures count as resolved.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// How a closed issue came to be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Closure {
    /// The resident confirmed it resolved and rated it.
    Confirmed,
    /// Nobody answered the confirmation request in time.
    AutoConfirmed,
    /// The deliberation meeting decided, with a written explanation.
    Deliberation,
    /// A duplicate, merged into its primary case (`merged_into`), whose outcome is its own.
    Merged,
    /// Found on a patrol and fixed on the spot (立行立改), with what was done: found-and-fixed,
    /// never rated by the person who found it.
    FixedOnPatrol,
    /// A consultation (咨询) was answered.
    Answered,
    /// A suggestion (建议) or praise (表扬) was acknowledged.
    Acknowledged,
}

named_variants! {
    Closure {
        Confirmed => "confirmed",
        AutoConfirmed => "auto_confirmed",
        Deliberation => "deliberation",
        Merged => "merged",
        FixedOnPatrol => "fixed_on_patrol",
        Answered => "answered",
        Acknowledged => "acknowledged",
    }
    unknown(raw) => DomainError::invalid("closure", format!("unknown closure `{raw}`"))
}

impl Closure {
    /// Whether closing this way resolves the issue: the resident confirmed it, the deliberation
    /// meeting decided it, a patrol fixed it on the spot, a consultation was answered or a
    /// suggestion or praise acknowledged, or nobody objected in time (auto-confirmation: resolved
    /// but unverified — it counts for 解决率, never for 满意率, and is always in the 回头看
    /// sample; a revisit that finds it recurred reopens it, and then it is not resolved).
    pub fn is_resolution(self) -> bool {
        match self {
            Self::Confirmed
            | Self::AutoConfirmed
            | Self::Deliberation
            | Self::FixedOnPatrol
            | Self::Answered
            | Self::Acknowledged => true,
            Self::Merged => false,
        }
    }

    /// Whether the case closed this way is judged on its own: every closure but `merged`, whose
    /// matter is judged on the primary case (a merged duplicate is never due, resolved or
    /// revisited).
    pub fn is_own_outcome(self) -> bool {
        self != Self::Merged
    }

    /// Found on a patrol and fixed on the spot (立行立改): counted apart as found-and-fixed.
    pub fn is_fixed_on_the_spot(self) -> bool {
        self == Self::FixedOnPatrol
    }

    /// Whether a case closed this way may be looked at again (回头看): not a merged duplicate, and
    /// not a reply to a consultation, suggestion or praise, where nothing was fixed.
    pub fn is_revisitable(self) -> bool {
        match self {
            Self::Confirmed | Self::AutoConfirmed | Self::Deliberation | Self::FixedOnPatrol => {
                true
            }
            Self::Merged | Self::Answered | Self::Acknowledged => false,
        }
    }
}
