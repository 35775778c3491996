//! Seeding the demo (`linli serve --demo`) into an empty database: the organisation of 岳塘区
//! modelled on the seed reports, one or more accounts per role, and two quarters of case history
//! in every state of the workflow (with the 小事居民治 cases of a building with a building
//! leader), written through the same use cases as everything else.

mod collective;
mod dispatch;
mod district;
mod evaluation;
mod history;
mod notices;
mod residents;
mod texts;

use chrono::{DateTime, Duration, Utc};
use linli_domain::values::NewPassword;
use linli_infra::{db, password, repo::org, tokens::random_token};

use crate::application::{AppError, Application};

/// One printed demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub phone: String,
    pub password: String,
    pub role: String,
    pub name: String,
}

/// Why seeding failed (the transaction is rolled back).
#[derive(Debug)]
struct SeedError(String);

impl From<String> for SeedError {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for SeedError {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<AppError> for SeedError {
    fn from(e: AppError) -> Self {
        Self(e.to_string())
    }
}

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        Self(e.to_string())
    }
}

type SeedResult<T> = Result<T, SeedError>;

fn fail(e: impl std::fmt::Display) -> SeedError {
    SeedError(e.to_string())
}

/// Seed the demo district if the database is empty; `None` when it already holds data.
///
/// Everything is written in one transaction, and only after checking inside it that there is
/// no organisation and no account yet: a database with data is never touched. All demo
/// accounts share one password, random per seeding (one argon2 hash serves them all, which
/// keeps seeding fast); it is returned with each account so it can be printed. Blocking: call
/// it at start-up or on the blocking pool.
pub fn seed_if_empty(app: &Application) -> Result<Option<Vec<DemoAccount>>, String> {
    let failed = |e: SeedError| format!("demo seeding failed: {}", e.0);
    let password = format!("Linli-{}", random_token(9));
    NewPassword::parse(&password).map_err(|e| e.to_string())?;
    let hash = password::hash(&password).map_err(|e| e.to_string())?;
    let now = whole_seconds(app.now());
    let config = app.config.workflow.clone();
    let mut conn = db::get(&app.pool).map_err(|e| e.to_string())?;
    db::write_transaction(&mut conn, |conn| -> SeedResult<_> {
        if !org::is_empty(conn).map_err(fail)? {
            return Ok(None);
        }
        // The organisation exists a little before the first case.
        let org_at = now - Duration::days(history::SPAN_DAYS + 14);
        let district = district::seed(conn, org_at, now, &password, &hash)?;
        let issues = history::seed(conn, &district, &config, now)?
            + residents::seed(conn, &district, &config, now)?;
        dispatch::seed(conn, &district, &config, now)?;
        let notices = notices::seed(conn, &district, now)?;
        evaluation::seed(conn, &district, now, config.time_zone)?;
        let (findings, meetings) = collective::seed(conn, &district, &config, now)?;
        tracing::info!(
            accounts = district.accounts.len(),
            issues,
            notices,
            findings,
            meetings,
            "demo district seeded"
        );
        Ok(Some(district.accounts))
    })
    .map_err(failed)
}

/// Times in the history are whole seconds, as a person would read them.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}
