//! The caller's notifications (a row for every event that concerns them) and marking one read.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{ids::NotificationId, issue::EventKind};
use linli_infra::{repo::notifications::NotificationView, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    issues::http::Addressed,
    pagination::{Page, PageParams},
    responses::{InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// One notification: something happened to an issue that concerns the caller.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 12, "issue_id": 3, "compound_name": "金桂园", "event_id": 7, "kind": "triaged",
    "actor_id": 4, "actor_name": "王网格员", "created_at": "2026-09-01T08:00:00Z", "read_at": null
}))]
pub struct NotificationResponse {
    /// Notification id.
    pub id: i64,
    /// The issue it is about.
    pub issue_id: i64,
    /// The name of the issue's compound (小区).
    pub compound_name: String,
    /// The timeline event behind it (see GET /issues/{id}/events).
    pub event_id: Option<i64>,
    /// The kind of the event behind it.
    pub kind: EventKind,
    /// Who caused the event; null for the scheduler.
    pub actor_id: Option<i64>,
    /// Their display name: staff in full, a resident masked (`王**`) unless it is the caller;
    /// null for the scheduler.
    pub actor_name: Option<String>,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// null while unread.
    pub read_at: Option<DateTime<Utc>>,
}

impl NotificationResponse {
    pub fn from_view(view: &NotificationView) -> ApiResult<Self> {
        let row = &view.row;
        Ok(Self {
            id: row.id,
            issue_id: row.issue_id,
            compound_name: view.compound_name.clone(),
            event_id: row.event_id,
            kind: EventKind::parse(&row.kind)?,
            actor_id: view.actor_id,
            actor_name: view.actor_name.clone(),
            created_at: from_millis(row.created_at).unwrap_or_default(),
            read_at: row.read_at.and_then(|t| from_millis(t).ok()),
        })
    }
}

/// One page of notifications, newest first (see [`Page`] for why an alias).
pub type NotificationPage = Page<NotificationResponse>;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListNotificationsQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// true: only unread ones.
    pub unread: Option<bool>,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    tag = "notifications",
    params(ListNotificationsQuery),
    responses(
        (status = 200, description = "One page of notifications", body = NotificationPage),
        InvalidQuery,
        Unauthenticated,
        Malformed,
    )
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListNotificationsQuery>,
) -> ApiResult<web::Json<NotificationPage>> {
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let actor = caller.actor;
    let unread = query.unread.unwrap_or(false);
    let views = state
        .call(move |app| app.list_notifications(&actor, page.after, page.fetch(), unread))
        .await?;
    let (items, next_cursor) =
        page.split(views, |v| v.row.id, |v| NotificationResponse::from_view(&v));
    Ok(web::Json(NotificationPage {
        items: items.into_iter().collect::<ApiResult<_>>()?,
        next_cursor,
    }))
}

/// Mark one of the caller's notifications read (idempotent: the first read time is kept).
#[utoipa::path(
    tag = "notifications",
    params(("id" = i64, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The notification, read", body = NotificationResponse),
        Unauthenticated,
        (status = 404, description = "No such notification of the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notifications/{id}/read")]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    at: Addressed<NotificationId>,
) -> ApiResult<web::Json<NotificationResponse>> {
    let view = state
        .call(move |app| app.mark_notification_read(&at.caller.actor, at.id))
        .await?;
    Ok(web::Json(NotificationResponse::from_view(&view)?))
}
