//! `linli serve --demo`: a demo district seeded into an empty database.

use crate::state::AppState;

/// One printed demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub phone: String,
    pub password: String,
    pub role: String,
    pub name: String,
}

/// Seed the demo district if the database is empty; `None` when it already holds data.
pub fn seed_if_empty(state: &AppState) -> Result<Option<Vec<DemoAccount>>, String> {
    let _ = state;
    Err("the demo district is not available in this build".into())
}
