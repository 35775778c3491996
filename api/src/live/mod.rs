//! Badges and live updates over HTTP: the unread count and mark-all-read, the event stream
//! (Server-Sent Events) with its tickets, push devices, and the push worker.

pub mod badges;
pub mod devices;
pub mod hub;
pub mod push;
pub mod stream;

use utoipa_actix_web::service_config::ServiceConfig;

pub use hub::LiveHub;

/// The routes of this part (inside the documented `/api/v1` scope).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(badges::count_unread_notifications)
        .service(badges::mark_all_notifications_read)
        .service(stream::create_stream_ticket)
        .service(stream::stream_events)
        .service(devices::register_device)
        .service(devices::remove_device);
}
