//! The district's evaluation cycle (星级物业评选) over HTTP: assessment schemes, rating runs,
//! the published 红黑榜, appeals, satisfaction surveys and rectification orders.

pub mod appeals;
pub mod orders;
pub mod ratings;
pub mod schemes;
pub mod surveys;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(schemes::create_assessment_scheme)
        .service(schemes::list_assessment_schemes)
        .service(ratings::compute_rating)
        // Before `/ratings/{id}`, which would take `published` for an id.
        .service(ratings::published_rating)
        .service(ratings::get_rating)
        .service(orders::replacement_candidates)
        .service(orders::recommended_companies)
        .service(ratings::publish_rating)
        .service(appeals::file_appeal)
        .service(appeals::list_appeals)
        .service(appeals::decide_appeal)
        .service(surveys::create_survey)
        .service(surveys::list_surveys)
        .service(surveys::get_survey)
        .service(surveys::answer_survey)
        .service(surveys::survey_results)
        .service(orders::issue_rectification_order)
        .service(orders::list_rectification_orders)
        .service(orders::get_rectification_order)
        .service(orders::answer_rectification_order)
        .service(orders::close_rectification_order);
}
