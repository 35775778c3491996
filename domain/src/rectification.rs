//! Rectification orders (整改通知) of the district office to a company graded 较差: what an order
//! holds and how it moves — issued, then accepted with a plan or refused by the company, then
//! closed fulfilled or failed by the office. Pure functions.

use serde::{Deserialize, Serialize};

use crate::{DomainError, evaluation::Grade};

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderStatus {
    /// Sent; waiting for the company's answer.
    Issued,
    /// The company accepted, with a plan.
    Accepted,
    /// The company refused (拒绝整改): a replacement candidate.
    Refused,
    /// The office found it done.
    Fulfilled,
    /// The office found it not done: a replacement candidate.
    Failed,
}

named_variants! {
    OrderStatus {
        Issued => "issued",
        Accepted => "accepted",
        Refused => "refused",
        Fulfilled => "fulfilled",
        Failed => "failed",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown order status `{raw}`"))
}

impl OrderStatus {
    /// Settled: nothing more happens to it.
    pub fn is_settled(self) -> bool {
        matches!(self, Self::Refused | Self::Fulfilled | Self::Failed)
    }

    /// Refused or failed: the company is a replacement candidate (淘汰替换).
    pub fn counts_against(self) -> bool {
        matches!(self, Self::Refused | Self::Failed)
    }

    /// The company's answer: only to an issued order (`None` otherwise).
    pub fn answer(self, accept: bool) -> Option<Self> {
        match self {
            Self::Issued if accept => Some(Self::Accepted),
            Self::Issued => Some(Self::Refused),
            _ => None,
        }
    }

    /// The office's closing: an issued (never answered) or accepted order (`None` otherwise).
    pub fn close(self, fulfilled: bool) -> Option<Self> {
        match self {
            Self::Issued | Self::Accepted if fulfilled => Some(Self::Fulfilled),
            Self::Issued | Self::Accepted => Some(Self::Failed),
            _ => None,
        }
    }
}

/// Whether a company of this grade may be sent an order: 较差 only.
pub fn may_be_ordered(grade: Grade) -> bool {
    grade == Grade::Poor
}

/// Most items in one order.
pub const MAX_ITEMS: usize = 20;

/// The items of an order: 1–20, each 1–500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderItems(Vec<String>);

impl OrderItems {
    pub fn parse(raw: Vec<String>) -> Result<Self, DomainError> {
        let items: Vec<String> = raw.iter().map(|i| i.trim().to_owned()).collect();
        if items.is_empty()
            || items.len() > MAX_ITEMS
            || items
                .iter()
                .any(|i| !(1..=500).contains(&i.chars().count()))
        {
            return Err(DomainError::invalid(
                "items",
                format!("1 to {MAX_ITEMS} items of 1–500 characters"),
            ));
        }
        Ok(Self(items))
    }

    pub fn items(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_moves_issued_answered_closed() {
        use OrderStatus::*;
        assert_eq!(Issued.answer(true).unwrap(), Accepted);
        assert_eq!(Issued.answer(false).unwrap(), Refused);
        assert!(Accepted.answer(true).is_none());
        assert_eq!(Accepted.close(true).unwrap(), Fulfilled);
        assert_eq!(Issued.close(false).unwrap(), Failed);
        assert!(Refused.close(true).is_none());
        assert!(Fulfilled.close(false).is_none());
        assert!(Refused.counts_against() && Failed.counts_against());
        assert!(!Fulfilled.counts_against());
    }

    #[test]
    fn items_are_bounded() {
        assert!(OrderItems::parse(vec![]).is_err());
        assert!(OrderItems::parse(vec!["  ".into()]).is_err());
        assert!(OrderItems::parse(vec!["x".repeat(501)]).is_err());
        assert_eq!(
            OrderItems::parse(vec![" 清理楼道 ".into()])
                .unwrap()
                .items(),
            ["清理楼道"]
        );
    }
}
