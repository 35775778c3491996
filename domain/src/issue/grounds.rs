//! The grounds of a rejection (by the dispatcher) and of a return (退单, by the handler).

use serde::{Deserialize, Serialize};

use crate::{DomainError, ids::IssueId, values::Note};

/// Why a handler returns a case to the dispatcher (退单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReturnReason {
    /// 非本单位职责.
    NotOurDuty,
    /// 属地错误.
    WrongPlace,
    /// 权属不清.
    OwnershipUnclear,
    /// 信息不全.
    InsufficientInfo,
}

named_variants! {
    ReturnReason {
        NotOurDuty => "not_our_duty",
        WrongPlace => "wrong_place",
        OwnershipUnclear => "ownership_unclear",
        InsufficientInfo => "insufficient_info",
    }
    unknown(raw) => DomainError::invalid(
        "reason",
        "must be not_our_duty, wrong_place, ownership_unclear or insufficient_info",
    )
}

/// Why a dispatcher rejects an issue, as recorded in the `rejected` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RejectReason {
    Duplicate { duplicate_of: IssueId, note: String },
    OutOfScope { note: String },
    Invalid { note: String },
}

/// A dispatcher's rejection as commanded: the same grounds as [`RejectReason`], with the note
/// already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Duplicate { duplicate_of: IssueId, note: Note },
    OutOfScope { note: Note },
    Invalid { note: Note },
}

impl Rejection {
    /// What the `rejected` event records.
    pub fn reason(&self) -> RejectReason {
        match self {
            Self::Duplicate { duplicate_of, note } => RejectReason::Duplicate {
                duplicate_of: *duplicate_of,
                note: note.as_str().to_owned(),
            },
            Self::OutOfScope { note } => RejectReason::OutOfScope {
                note: note.as_str().to_owned(),
            },
            Self::Invalid { note } => RejectReason::Invalid {
                note: note.as_str().to_owned(),
            },
        }
    }
}
