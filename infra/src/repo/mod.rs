//! Repository functions, one module per aggregate; each takes `&mut DbConn`.

pub mod assessment_schemes;
pub mod assessments;
pub mod categories;
pub mod comments;
pub mod devices;
pub mod due;
pub mod idempotency;
pub mod invitations;
pub mod issues;
pub mod live;
pub mod login_failures;
pub mod notices;
pub mod notifications;
pub mod org;
pub mod outbox;
pub mod photos;
pub mod predicates;
pub mod quotas;
pub mod ratings;
pub mod reports;
pub mod sessions;
pub mod sms_codes;
pub mod supports;
pub mod users;
