//! Shared application state of the HTTP layer: the [`Application`] (every use case), and the
//! one way handlers reach it: `state.call(...)` runs one unit of work on the blocking pool,
//! never on the async worker.

use std::ops::Deref;

use actix_web::web;
use chrono::{DateTime, Utc};
use linli_domain::auth::Actor;
use linli_infra::DbConn;

use crate::{
    application::{AppResult, Application},
    auth::Caller,
    error::{ApiError, ApiResult},
    pagination::{Page, PageParams},
};

#[derive(Clone)]
pub struct AppState {
    pub app: Application,
    /// The live feed's fan-out, one per process (shared by every worker).
    pub live: crate::live::LiveHub,
    /// This process's rate limits (shared by every worker); `None` when they are off.
    pub limits: Option<actix_web::web::Data<crate::ratelimit::Limits>>,
}

impl Deref for AppState {
    type Target = Application;

    fn deref(&self) -> &Application {
        &self.app
    }
}

impl AppState {
    pub fn new(app: Application) -> Self {
        let limits = match crate::ratelimit::Limits::from_settings(&app.config.rate_limits) {
            Ok(limits) if limits.enabled() => Some(actix_web::web::Data::new(limits)),
            Ok(_) => None,
            Err(e) => {
                // `Config::from_env` checked the settings; one built by hand may not be.
                tracing::error!(error = %e, "rate limits are off: invalid settings");
                None
            }
        };
        Self {
            app,
            live: crate::live::LiveHub::default(),
            limits,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.app.now()
    }

    /// Run one use case on the blocking thread pool.
    pub async fn call<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&Application) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let app = self.app.clone();
        Ok(actix_web::web::block(move || f(&app)).await??)
    }

    /// The one record `read` gives `caller` by the id in the path (a use case that checks the
    /// caller's scope itself), as JSON.
    pub async fn read_as<Id, T, F>(
        &self,
        caller: Caller,
        id: web::Path<Id>,
        read: F,
    ) -> ApiResult<web::Json<T>>
    where
        F: FnOnce(&Application, &Actor, Id) -> AppResult<T> + Send + 'static,
        Id: Send + 'static,
        T: Send + 'static,
    {
        let (actor, id) = (caller.actor, id.into_inner());
        Ok(web::Json(
            self.call(move |app| read(app, &actor, id)).await?,
        ))
    }

    /// One page of the list `list` gives `caller` by their scope, narrowed by `filter`: the
    /// rows after the cursor are the page's items, each keyed by `id_of`.
    pub async fn page_as<Q, T, F>(
        &self,
        caller: Caller,
        page: PageParams,
        filter: Q,
        id_of: fn(&T) -> i64,
        list: F,
    ) -> ApiResult<web::Json<Page<T>>>
    where
        F: FnOnce(&Application, &Actor, Q, Option<i64>, i64) -> AppResult<Vec<T>> + Send + 'static,
        Q: Send + 'static,
        T: Send + 'static,
    {
        let actor = caller.actor;
        let rows = self
            .call(move |app| list(app, &actor, filter, page.after, page.fetch()))
            .await?;
        Ok(web::Json(Page::of(&page, rows, id_of, |row| row)))
    }

    /// Run `f` with a read connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.app.pool.clone();
        actix_web::web::block(move || {
            let mut conn = db.read_conn()?;
            f(&mut conn)
        })
        .await?
    }

    /// One write transaction on the writer (all or nothing), on the blocking thread pool.
    pub async fn tx<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.app.pool.clone();
        actix_web::web::block(move || db.write(f)).await?
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::from(linli_infra::RepoError::from(e))
    }
}
