//! Admin endpoints: the organisation tree (one file per resource) and staff accounts;
//! `create_admin` for the CLI.

use futures_util::future::LocalBoxFuture;

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::header, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{
    DbPool,
    time::{from_millis, to_millis},
};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    application::{AppError, AppResult, Application, accounts as accounts_app},
    auth::Caller,
    error::{ApiError, ApiResult},
    state::AppState,
};

#[macro_use]
mod routes;

pub mod accounts;
pub mod buildings;
pub mod communities;
pub mod compounds;
pub mod grids;
pub mod property_companies;
pub mod streets;

/// A caller holding role `admin`. As an extractor placed first, it answers 401 / 403 before
/// the body is even read, so non-admins learn nothing from validation errors.
#[derive(Debug, Clone, Copy)]
pub struct AdminCaller(pub Caller);

impl FromRequest for AdminCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            caller.require(&[Role::Admin])?;
            Ok(Self(caller))
        })
    }
}

/// A stored time as UTC (the database keeps milliseconds).
fn time(ms: i64) -> DateTime<Utc> {
    from_millis(ms).unwrap_or_default()
}

/// 201 with the created object and its `Location` (`/api/v1{collection}/{id}`, the collection
/// being e.g. `/admin/streets`).
fn created<T: Serialize>(collection: &str, id: i64, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1{collection}/{id}")))
        .json(body)
}

/// 200 with what a use case found, as its response.
async fn one<R, T>(
    state: &AppState,
    case: impl FnOnce(&Application) -> AppResult<R> + Send + 'static,
) -> ApiResult<web::Json<T>>
where
    R: Send + 'static,
    T: From<R>,
{
    Ok(web::Json(state.call(case).await?.into()))
}

/// 200 with the rows a use case listed, each as its response.
async fn all<R, T>(
    state: &AppState,
    case: impl FnOnce(&Application) -> AppResult<Vec<R>> + Send + 'static,
) -> ApiResult<web::Json<Vec<T>>>
where
    R: Send + 'static,
    T: From<R>,
{
    let rows = state.call(case).await?;
    Ok(web::Json(rows.into_iter().map(T::from).collect()))
}

/// Every admin route (all require role `admin`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(streets::create_street)
        .service(streets::list_streets)
        .service(streets::get_street)
        .service(communities::create_community)
        .service(communities::list_communities)
        .service(communities::get_community)
        .service(grids::create_grid)
        .service(grids::list_grids)
        .service(grids::get_grid)
        .service(property_companies::create_property_company)
        .service(property_companies::list_property_companies)
        .service(property_companies::get_property_company)
        .service(compounds::create_compound)
        .service(compounds::list_compounds)
        .service(compounds::get_compound)
        .service(compounds::change_property_company)
        .service(compounds::list_compound_property_companies)
        .service(buildings::create_building)
        .service(buildings::list_buildings)
        .service(buildings::get_building)
        .service(accounts::create_user)
        .service(accounts::list_users)
        .service(accounts::get_user)
        .service(accounts::disable_user)
        .service(accounts::enable_user)
        .service(accounts::change_user_role);
}

/// `linli admin create`: a new admin account. Returns its id.
pub fn create_admin(
    pool: &DbPool,
    phone: &str,
    password_plain: &str,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<i64, String> {
    let phone = PhoneNumber::parse(phone).map_err(|e| e.to_string())?;
    let pw = NewPassword::parse(password_plain).map_err(|e| e.to_string())?;
    let name = DisplayName::parse(display_name).map_err(|e| e.to_string())?;
    accounts_app::create_admin(pool, &phone, &pw, &name, to_millis(now))
        .map(|id| id.0)
        .map_err(|e| match e {
            AppError::Conflict { .. } => "an account with this phone already exists".to_owned(),
            other => other.to_string(),
        })
}
