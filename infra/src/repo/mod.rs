//! Repository functions, one module per aggregate; each takes `&mut DbConn`.

pub mod idempotency;
pub mod issues;
pub mod login_failures;
pub mod notifications;
pub mod org;
pub mod sessions;
pub mod users;
