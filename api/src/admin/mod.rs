//! Admin endpoints: the organisation tree and staff accounts; `create_admin` for the CLI.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{DbPool, db, password, repo::users, time::to_millis};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}

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
        linli_infra::RepoError::Conflict(_) => "an account with this phone already exists".to_owned(),
        other => other.to_string(),
    })
}
