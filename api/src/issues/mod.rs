//! Issue endpoints: intake, lists, the workflow transitions, comments, photos.

pub mod core;
pub mod dto;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}
