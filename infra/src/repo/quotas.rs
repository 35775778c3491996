//! Counts behind per-account quotas, read in the same transaction as the write they limit, so
//! a quota holds across every API process on one database.

use diesel::prelude::*;
use linli_domain::ids::UserId;

use crate::{DbConn, error::RepoResult, schema::issues};

/// Issues `reporter` filed at or after `since` (UTC milliseconds).
pub fn issues_filed_since(conn: &mut DbConn, reporter: UserId, since: i64) -> RepoResult<i64> {
    Ok(issues::table
        .filter(issues::reporter_id.eq(reporter.0))
        .filter(issues::created_at.ge(since))
        .count()
        .get_result(conn)?)
}
