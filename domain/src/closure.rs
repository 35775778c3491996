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
}

impl Closure {
    pub const ALL: [Closure; 3] = [
        Closure::Confirmed,
        Closure::AutoConfirmed,
        Closure::Deliberation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::AutoConfirmed => "auto_confirmed",
            Self::Deliberation => "deliberation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("closure", format!("unknown closure `{raw}`")))
    }

    /// Whether closing this way resolves the issue by itself: the resident confirmed it, or the
    /// deliberation meeting decided it. Silence (auto-confirmation) does not; only a later
    /// 回头看 revisit that confirms it makes such an issue resolved.
    pub fn is_resolution(self) -> bool {
        match self {
            Self::Confirmed | Self::Deliberation => true,
            Self::AutoConfirmed => false,
        }
    }
}
