//! Linli's pure domain core: value types, the category catalogue, urgency and deadlines,
//! triage routing, the issue state machine and who may do what. No I/O, no framework.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod auth;
pub mod calendar;
pub mod category;
pub mod closure;
pub mod device;
pub mod error;
pub mod geo;
pub mod handler;
pub mod ids;
pub mod issue;
pub mod level;
pub mod period;
pub mod place;
pub mod report;
pub mod revisit;
pub mod triage;
pub mod urgency;
pub mod values;

pub use error::DomainError;

/// All time in the domain is UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
