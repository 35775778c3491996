//! The notification badge: how many are unread, and marking them all read.

use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{auth::Caller, error::ApiResult, responses::Unauthenticated, state::AppState};

/// The caller's unread notifications.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"unread": 3}))]
pub struct UnreadCountResponse {
    /// How many of the caller's notifications are unread.
    pub unread: i64,
}

/// How many of the caller's notifications are unread (the app's badge).
#[utoipa::path(
    tag = "notifications",
    responses(
        (status = 200, description = "The unread count", body = UnreadCountResponse),
        Unauthenticated,
    )
)]
#[get("/notifications/unread-count")]
pub async fn count_unread_notifications(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<UnreadCountResponse>> {
    let user = caller.user_id();
    let unread = state.call(move |app| app.unread_count(user)).await?;
    Ok(web::Json(UnreadCountResponse { unread }))
}

/// Mark all of the caller's notifications read (idempotent; read times already set are kept).
#[utoipa::path(
    tag = "notifications",
    responses(
        (status = 204, description = "All the caller's notifications are read"),
        Unauthenticated,
    )
)]
#[post("/notifications/read-all")]
pub async fn mark_all_notifications_read(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let user = caller.user_id();
    state
        .call(move |app| app.mark_all_notifications_read(user))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
