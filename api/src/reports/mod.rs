//! Reports for auditors, officials and dispatchers: the three rates, property-company star
//! ratings and the red/black list, CSV exports; daily work assessments.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}
