//! Issue endpoints: intake, lists, the workflow transitions, comments, photos.

pub mod categories;
pub mod comments;
pub mod core;
pub mod dto;
pub mod intake;
pub mod notifications;
pub mod photos;
pub mod query;
pub mod revisits;
pub mod support;
pub mod transitions;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(categories::list_categories)
        .service(intake::create_issue)
        .service(query::list_issues)
        .service(query::get_issue)
        .service(query::list_issue_events)
        .service(transitions::triage_issue)
        .service(transitions::reject_issue)
        .service(transitions::withdraw_issue)
        .service(transitions::answer_issue)
        .service(transitions::submit_rectification)
        .service(transitions::supervise_issue)
        .service(transitions::confirm_issue)
        .service(transitions::revisit_issue)
        .service(transitions::record_deliberation)
        .service(transitions::record_mediation)
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
