//! Reports for auditors, officials and dispatchers: the summary of the three rates, the
//! property companies' star ratings, the raw issue export, and the daily work assessments
//! that feed the ratings. Each report is computed by the database in a few grouped queries.

pub mod assessments;
pub mod export;
pub mod ratings;
pub mod reasons;
pub mod summary;

use chrono::{DateTime, Utc};
use linli_infra::{repo::reports::Window, time::to_millis};

use crate::application::Application;

/// A report's rows and the time they were computed at ("overdue" and "due" are judged then).
#[derive(Debug, Clone)]
pub struct Report<R> {
    pub rows: Vec<R>,
    pub generated_at: DateTime<Utc>,
}

impl Application {
    /// The window of creation times `[from, to)`, judged now; and that now.
    pub(crate) fn report_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (Window, DateTime<Utc>) {
        let now = self.now();
        let window = Window {
            from: to_millis(from),
            to: to_millis(to),
            now: to_millis(now),
        };
        (window, now)
    }
}
