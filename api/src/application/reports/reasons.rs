//! The reasons residents gave when they rated 1–2 or said "not resolved", counted per company.

use std::collections::HashMap;

use linli_domain::evaluation::{DissatisfactionReason, ReasonCounts};
use linli_infra::{
    DbConn, RepoError,
    repo::reports::{self, ReportScope, Window},
};

use crate::application::AppResult;

/// The reason counts per company for the cases created in `window` within `scope`.
pub fn company_reasons(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
) -> AppResult<HashMap<i64, ReasonCounts>> {
    let mut counts: HashMap<i64, ReasonCounts> = HashMap::new();
    for row in reports::company_reasons(conn, scope, window)? {
        let reason = DissatisfactionReason::parse(&row.reason)
            .map_err(|e| RepoError::Corrupt(format!("dissatisfaction reason: {e}")))?;
        counts
            .entry(row.property_company_id)
            .or_default()
            .add(reason, row.n);
    }
    Ok(counts)
}
