//! Shared application state and the one way handlers touch the database: `state.run(...)`
//! takes a pooled connection and runs the closure on the blocking pool, never on the async
//! worker.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use linli_infra::{DbConn, DbPool, db, tokens::TokenSigner};

use crate::{
    clock::Clock,
    config::Config,
    error::{ApiError, ApiResult},
    photos::PhotoStore,
};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub signer: TokenSigner,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub photos: Arc<dyn PhotoStore>,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Run `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = db::get(&pool).map_err(|e| ApiError::Unavailable(e.to_string()))?;
            f(&mut conn)
        })
        .await?
    }

    /// Like [`run`](Self::run), inside one transaction: all or nothing.
    pub async fn tx<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| db::write_transaction(conn, f)).await
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::from(linli_infra::RepoError::from(e))
    }
}
