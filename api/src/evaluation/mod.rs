//! The district's evaluation cycle (星级物业评选) over HTTP: assessment schemes, rating runs,
//! the published 红黑榜 and appeals.

pub mod appeals;
pub mod ratings;
pub mod schemes;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(schemes::create_assessment_scheme)
        .service(schemes::list_assessment_schemes)
        .service(ratings::compute_rating)
        // Before `/ratings/{id}`, which would take `published` for an id.
        .service(ratings::published_rating)
        .service(ratings::get_rating)
        .service(ratings::publish_rating)
        .service(appeals::file_appeal)
        .service(appeals::list_appeals)
        .service(appeals::decide_appeal);
}
