//! The working-day calendar (节假日安排) the district office maintains: read by staff, replaced a
//! year at a time. Deadlines set after a change count on it (`issues::with_current_calendar`).

use linli_domain::{calendar::YearCalendar, ids::UserId};
use linli_infra::{
    repo::calendars::{self, StoredCalendar},
    time::to_millis,
};

use crate::application::{AppResult, Application};

impl Application {
    /// `year` as stored; `None` when the district office never set it (a plain Monday–Friday
    /// week is assumed).
    pub fn work_calendar(&self, year: i32) -> AppResult<Option<StoredCalendar>> {
        self.read(|conn| Ok(calendars::find(conn, year)?))
    }

    /// Replace the year of `calendar` with it, as `author` (the district office).
    pub fn put_work_calendar(
        &self,
        author: UserId,
        calendar: YearCalendar,
    ) -> AppResult<StoredCalendar> {
        let now = to_millis(self.now());
        self.write(|conn| Ok(calendars::put(conn, &calendar, author, now)?))
    }
}
