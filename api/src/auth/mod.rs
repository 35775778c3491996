//! Authentication: the bearer-token extractor and the /auth endpoints.

pub mod extract;
pub mod handlers;

pub use extract::Caller;
