//! The application layer: every use case — file an issue, run a command on an issue, the
//! scheduler tick, seeding the demo, assembling a report — as one unit of work.
//!
//! It depends on `linli_domain` and `linli_infra` only and imports no actix: the HTTP handlers,
//! the scheduler, the demo seeder, the test helpers and the load benchmark all call it, so a
//! rule changes in one place. It is the only caller of the repositories' write functions.
//! (`tests/architecture.rs` in this crate keeps it that way.)

pub mod accounts;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod demo;
pub mod directory;
pub mod error;
pub mod evaluation;
pub mod issues;
pub mod live;
pub mod meetings;
pub mod notices;
pub mod org;
pub mod patrols;
pub mod push;
pub mod reports;
pub mod residents;
pub mod scheduler;
pub mod sessions;
pub mod sms;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use linli_infra::{Database, DbConn, signing::UrlSigner, tokens::TokenSigner};

pub use error::{AppError, AppResult, ProblemCode};

use crate::{clock::Clock, config::Config, photos::PhotoStore};

/// What every use case needs: the database, the configuration, the clock, the photo store and
/// its URL signer, the token signer and the SMS sender. Cheap to clone.
#[derive(Clone)]
pub struct Application {
    /// Read connections, and the single writer that `write` goes through (on SQLite). It
    /// derefs to the reader pool: never write through `db::get(&app.pool)`.
    pub pool: Database,
    pub signer: TokenSigner,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub photos: Arc<dyn PhotoStore>,
    /// Signs and checks the short-lived photo URLs that work without a bearer token.
    pub photo_urls: UrlSigner,
    /// Recent session checks (instant revocation), shared by every worker of the process.
    pub sessions: Arc<sessions::SessionCache>,
    /// Names of organisation units already read (they never change), for issue responses.
    pub org_names: Arc<org::OrgNameCache>,
    /// SMS verification codes: the sender and how codes are stored and limited.
    pub sms: sms::SmsCodes,
}

impl Application {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Run `f` with a read connection. Blocking: call it off the async worker.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        let mut conn = self.pool.read_conn()?;
        f(&mut conn)
    }

    /// Run `f` in one write transaction on the writer: all or nothing. On SQLite every write
    /// of the process queues here for the one write connection. Blocking: call it off the
    /// async worker.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        self.pool.write(f)
    }
}
