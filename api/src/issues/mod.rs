//! Issue endpoints: intake, lists, one handler file per workflow step, comments, photos.

pub mod answer;
pub mod categories;
pub mod comments;
pub mod confirmation;
pub mod deliberation;
pub mod dto;
pub mod extensions;
pub mod http;
pub mod intake;
pub mod mediation;
pub mod merge;
pub mod notifications;
pub mod photos;
pub mod query;
pub mod reassignment;
pub mod rectification;
pub mod rejection;
pub mod returns;
pub mod revisit;
pub mod revisits;
pub mod similar;
pub mod supervision;
pub mod support;
pub mod triage;
pub mod urge;
pub mod withdrawal;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(categories::list_categories)
        .service(categories::create_category)
        .service(categories::update_category)
        .service(intake::create_issue)
        .service(query::list_issues)
        .service(query::export_issue_list)
        // Before `/issues/{id}`, which would take `similar` for an id.
        .service(similar::list_similar_issues)
        .service(query::get_issue)
        .service(query::list_issue_events)
        .service(triage::triage_issue)
        .service(rejection::reject_issue)
        .service(withdrawal::withdraw_issue)
        .service(answer::answer_issue)
        .service(rectification::submit_rectification)
        .service(supervision::supervise_issue)
        .service(confirmation::confirm_issue)
        .service(revisit::revisit_issue)
        .service(deliberation::record_deliberation)
        .service(mediation::record_mediation)
        .service(returns::return_issue)
        .service(returns::decide_return)
        .service(reassignment::reassign_issue)
        .service(urge::urge_issue)
        .service(extensions::request_extension)
        .service(extensions::decide_extension)
        .service(extensions::list_extension_requests)
        .service(merge::merge_issue)
        .service(photos::upload_issue_photo)
        .service(photos::list_issue_photos)
        .service(photos::get_photo)
        .service(comments::add_comment)
        .service(comments::list_comments)
        .service(support::support_issue)
        .service(revisits::list_due_revisits)
        .service(notifications::list_notifications)
        .service(notifications::mark_notification_read);
}
