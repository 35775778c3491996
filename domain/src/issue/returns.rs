//! The grounds of a return (退单), as the handler gives them.

use serde::{Deserialize, Serialize};

use crate::DomainError;

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
