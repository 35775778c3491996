//! Keyset pagination shared by every list: `cursor` (opaque: the last id of the previous page)
//! and `limit` (1–100) in, `{items, next_cursor}` out.

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// A validated `cursor` + `limit` pair. The cursor is opaque to clients: the last id of the
/// previous page, hex-encoded with a prefix. The
/// cursor id is exclusive: the next page starts after (or, in a newest-first list, before) it.
#[derive(Debug, Clone, Copy)]
pub struct PageParams {
    /// The last id of the previous page.
    pub after: Option<i64>,
    pub limit: i64,
}

impl PageParams {
    pub fn parse(cursor: Option<&str>, limit: Option<i64>) -> ApiResult<Self> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!("limit must be from 1 to {MAX_LIMIT}"),
            ));
        }
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(Self { after, limit })
    }

    /// Trim the one extra row fetched to learn whether another page exists; returns the
    /// cursor of the next page.
    pub fn finish<T>(&self, rows: &mut Vec<T>, id_of: impl Fn(&T) -> i64) -> Option<String> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        if more {
            rows.last().map(|r| encode_cursor(id_of(r)))
        } else {
            None
        }
    }
}

pub fn encode_cursor(last_id: i64) -> String {
    hex::encode(format!("i:{last_id}"))
}

pub fn decode_cursor(raw: &str) -> ApiResult<i64> {
    hex::decode(raw.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("i:").and_then(|n| n.parse::<i64>().ok()))
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request("invalid_query", "cursor is not one this server gave out")
        })
}
