//! The application layer: every use case — file an issue, run a command on an issue, the
//! scheduler tick, seeding the demo, assembling a report — as one unit of work.
//!
//! It depends on `linli_domain` and `linli_infra` only and imports no actix: the HTTP handlers,
//! the scheduler, the demo seeder, the test helpers and the load benchmark all call it, so a
//! rule changes in one place. It is the only caller of the repositories' write functions.
//! (`tests/architecture.rs` in this crate keeps it that way.)

pub mod error;
pub mod live;
pub mod push;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use linli_infra::{DbConn, DbPool, db, tokens::TokenSigner};

pub use error::{AppError, AppResult};

use crate::{clock::Clock, config::Config, photos::PhotoStore};

/// What every use case needs: the pool, the configuration, the clock, the photo store and the
/// token signer. Cheap to clone.
#[derive(Clone)]
pub struct Application {
    pub pool: DbPool,
    pub signer: TokenSigner,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub photos: Arc<dyn PhotoStore>,
}

impl Application {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Run `f` with a pooled connection (reads). Blocking: call it off the async worker.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        let mut conn = db::get(&self.pool).map_err(|e| AppError::Unavailable(e.to_string()))?;
        f(&mut conn)
    }

    /// Run `f` in one write transaction: all or nothing. Blocking: call it off the async worker.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        self.read(|conn| db::write_transaction(conn, f))
    }
}
