//! The caller's notifications: list them, mark one read.

use linli_domain::{auth::Actor, ids::NotificationId};
use linli_infra::{
    repo::notifications::{self, NotificationView},
    time::to_millis,
};

use super::view::shown_actor_name;
use crate::application::{AppResult, Application};

/// The notification with its actor's name as `viewer` may see it.
fn shown(viewer: &Actor, mut view: NotificationView) -> AppResult<NotificationView> {
    view.actor_name = shown_actor_name(
        viewer,
        view.actor_id,
        view.actor_role.as_deref(),
        view.actor_name.take(),
    )?;
    Ok(view)
}

impl Application {
    /// `actor`'s notifications, newest first: at most `fetch` before the id `before`, with the
    /// names they refer to as `actor` may see them.
    pub fn list_notifications(
        &self,
        actor: &Actor,
        before: Option<i64>,
        fetch: i64,
        unread_only: bool,
    ) -> AppResult<Vec<NotificationView>> {
        self.read(|conn| {
            notifications::list(conn, actor.user_id, before, fetch, unread_only)?
                .into_iter()
                .map(|view| shown(actor, view))
                .collect()
        })
    }

    /// Mark one of `actor`'s notifications read (the first read time is kept); it with its
    /// names.
    pub fn mark_notification_read(
        &self,
        actor: &Actor,
        id: NotificationId,
    ) -> AppResult<NotificationView> {
        let now = to_millis(self.now());
        self.write(|conn| {
            notifications::mark_read(conn, actor.user_id, id, now)?;
            shown(actor, notifications::find_named(conn, actor.user_id, id)?)
        })
    }
}
