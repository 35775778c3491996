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
        Answered => "answered",
        Acknowledged => "acknowledged",
    }
    unknown(raw) => DomainError::invalid("closure", format!("unknown closure `{raw}`"))
}

impl Closure {
    /// Whether closing this way resolves the issue by itself: the resident confirmed it, or the
    /// deliberation meeting decided it. Silence (auto-confirmation) does not; only a later
    /// 回头看 revisit that confirms it makes such an issue resolved.
    pub fn is_resolution(self) -> bool {
        match self {
            Self::Confirmed | Self::Deliberation | Self::Answered | Self::Acknowledged => true,
            Self::AutoConfirmed => false,
        }
    }

    /// Whether a case closed this way may be looked at again (回头看): not a reply to a
    /// consultation, suggestion or praise, where nothing was fixed.
    pub fn is_revisitable(self) -> bool {
        match self {
            Self::Confirmed | Self::AutoConfirmed | Self::Deliberation => true,
            Self::Answered | Self::Acknowledged => false,
        }
    }
}
