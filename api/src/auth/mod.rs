//! Authentication: the bearer-token extractor, the /auth and /me endpoints and their bodies.

pub mod dto;
pub mod extract;
pub mod handlers;

pub use extract::Caller;
