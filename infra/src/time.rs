//! Times are stored as Unix epoch milliseconds (BIGINT) on both databases, so that report
//! arithmetic (durations, medians) is the same SQL on SQLite and PostgreSQL.

use chrono::{DateTime, TimeZone, Utc};

use crate::RepoError;

pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> Result<DateTime<Utc>, RepoError> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| RepoError::Corrupt(format!("timestamp out of range: {ms}")))
}

pub fn opt_from_millis(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, RepoError> {
    ms.map(from_millis).transpose()
}
