//! Linli's pure domain core: value types, the category catalogue, urgency and deadlines,
//! triage routing, the issue state machine and who may do what. No I/O, no framework.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

/// A closed set of values with stable snake_case names (stored, sent, and in the spec): `ALL`
/// in declaration order, `as_str`, and `parse`, its inverse, which answers `$unknown` for any
/// other name.
macro_rules! named_variants {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? } unknown($raw:ident) => $unknown:expr) => {
        impl $ty {
            pub const ALL: [Self; [$($name),+].len()] = [$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name),+
                }
            }

            pub fn parse($raw: &str) -> Result<Self, $crate::DomainError> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == $raw)
                    .ok_or_else(|| $unknown)
            }
        }
    };
}

pub mod auth;
pub mod calendar;
pub mod category;
pub mod closure;
pub mod device;
pub mod error;
pub mod evaluation;
pub mod geo;
pub mod handler;
pub mod ids;
pub mod issue;
pub mod labels;
pub mod level;
pub mod meeting;
pub mod notice;
pub mod patrol;
pub mod period;
pub mod place;
pub mod rectification;
pub mod report;
pub mod revisit;
pub mod scope;
pub mod source;
pub mod survey;
pub mod triage;
pub mod urgency;
pub mod values;

pub use error::DomainError;

/// All time in the domain is UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
