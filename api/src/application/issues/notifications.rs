//! The caller's notifications: list them, mark one read.

use linli_domain::ids::{NotificationId, UserId};
use linli_infra::{
    repo::notifications::{self, NotificationRow},
    time::to_millis,
};

use crate::application::{AppResult, Application};

impl Application {
    /// `user`'s notifications, newest first: at most `fetch` before the id `before`.
    pub fn list_notifications(
        &self,
        user: UserId,
        before: Option<i64>,
        fetch: i64,
        unread_only: bool,
    ) -> AppResult<Vec<NotificationRow>> {
        self.read(|conn| Ok(notifications::list(conn, user, before, fetch, unread_only)?))
    }

    /// Mark one of `user`'s notifications read (the first read time is kept).
    pub fn mark_notification_read(
        &self,
        user: UserId,
        id: NotificationId,
    ) -> AppResult<NotificationRow> {
        let now = to_millis(self.now());
        self.write(|conn| Ok(notifications::mark_read(conn, user, id, now)?))
    }
}
