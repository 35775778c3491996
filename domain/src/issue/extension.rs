//! 延期: where a handler's request for a later resolution deadline stands.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where an extension request (延期申请) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExtensionStatus {
    /// Waiting for the dispatcher's decision.
    Pending,
    /// Approved: the resolution deadline moved to the requested date.
    Approved,
    /// Refused: the deadline stands.
    Refused,
    /// Undecided when the case left its requester (改派, an upheld return, a backstop, a close):
    /// nothing left to decide.
    Lapsed,
}

named_variants! {
    ExtensionStatus {
        Pending => "pending",
        Approved => "approved",
        Refused => "refused",
        Lapsed => "lapsed",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown extension status `{raw}`"))
}

impl ExtensionStatus {
    /// The status a decision gives the request.
    pub fn decided(approved: bool) -> Self {
        if approved {
            Self::Approved
        } else {
            Self::Refused
        }
    }
}
