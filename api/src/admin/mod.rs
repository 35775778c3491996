//! Admin endpoints: the organisation tree and staff accounts; `create_admin` for the CLI.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{DbPool, db, password, repo::users, time::to_millis};
use utoipa_actix_web::service_config::ServiceConfig;

pub mod accounts;
pub mod org;

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};

use crate::{auth::Caller, error::ApiError};

/// A caller holding role `admin`. As an extractor placed first, it answers 401 / 403 before
/// the body is even read, so non-admins learn nothing from validation errors.
#[derive(Debug, Clone, Copy)]
pub struct AdminCaller(pub Caller);

impl FromRequest for AdminCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = match Caller::from_request(req, payload).into_inner() {
            Ok(c) => c,
            Err(e) => return ready(Err(e)),
        };
        ready(caller.require(&[Role::Admin]).map(|()| Self(caller)))
    }
}

/// Every admin route (all require role `admin`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(org::create_street)
        .service(org::list_streets)
        .service(org::get_street)
        .service(org::create_community)
        .service(org::list_communities)
        .service(org::get_community)
        .service(org::create_grid)
        .service(org::list_grids)
        .service(org::get_grid)
        .service(org::create_property_company)
        .service(org::list_property_companies)
        .service(org::get_property_company)
        .service(org::create_compound)
        .service(org::list_compounds)
        .service(org::get_compound)
        .service(org::change_property_company)
        .service(org::list_compound_property_companies)
        .service(org::create_building)
        .service(org::list_buildings)
        .service(org::get_building)
        .service(accounts::create_user)
        .service(accounts::list_users)
        .service(accounts::get_user)
        .service(accounts::disable_user)
        .service(accounts::enable_user);
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
    let hash = password::hash(pw.expose()).map_err(|e| e.to_string())?;
    let mut conn = db::get(pool).map_err(|e| e.to_string())?;
    users::create(
        &mut conn,
        &users::NewUser {
            phone: phone.as_str(),
            password_hash: &hash,
            display_name: name.as_str(),
            role: Role::Admin.as_str(),
            scope_id: None,
            compound_id: None,
            building_id: None,
            unit: None,
            created_at: to_millis(now),
        },
    )
    .map(|u| u.id)
    .map_err(|e| match e {
        linli_infra::RepoError::Conflict(_) => {
            "an account with this phone already exists".to_owned()
        }
        other => other.to_string(),
    })
}
