//! `linli serve --demo`: the seeding itself is a use case of the application layer
//! (`application::demo`); this keeps its old path for callers.

pub use crate::application::demo::{DemoAccount, seed_if_empty};
