//! Parsed report parameters: the time window, the quarter (`2026Q3`), the grouping, who may see
//! which issues, and whether the client asked for CSV.

use actix_web::{HttpRequest, http::header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use linli_domain::auth::{Role, Scope};
use linli_infra::repo::reports::{GroupBy, ReportScope};

use crate::{auth::Caller, error::ApiError};

/// An instant given as RFC 3339 (`2026-07-01T08:00:00+08:00`) or a date (`2026-07-01`, UTC
/// midnight).
pub fn parse_instant(field: &'static str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    let raw = raw.trim();
    let invalid = || {
        ApiError::validation(
            field,
            "must be an RFC 3339 date-time (2026-07-01T00:00:00Z) or a date (2026-07-01)",
        )
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    // An unescaped `+` of an offset arrives as a space in a query string.
    if let Ok(t) = DateTime::parse_from_rfc3339(&raw.replace(' ', "+")) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| invalid())?;
    let midnight = date.and_hms_opt(0, 0, 0).ok_or_else(invalid)?;
    Ok(Utc.from_utc_datetime(&midnight))
}

/// The half-open window `[from, to)` of creation times a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Range {
    /// Both bounds are required and `from` must be before `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ApiError> {
        let from = from
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::validation("from", "is required"))?;
        let to = to
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ApiError::validation("to", "is required"))?;
        let from = parse_instant("from", from)?;
        let to = parse_instant("to", to)?;
        if from >= to {
            return Err(ApiError::validation("to", "must be after `from`"));
        }
        Ok(Self { from, to })
    }
}

/// A calendar quarter, `2026Q3`: issues created in `[2026-07-01, 2026-10-01)` UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    year: i32,
    quarter: u32,
}

impl Period {
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let invalid = || {
            ApiError::validation(
                "period",
                "must be a quarter written YYYYQn with n from 1 to 4, e.g. 2026Q3",
            )
        };
        let raw = raw.trim();
        let (year, quarter) = raw.split_once(['Q', 'q']).ok_or_else(invalid)?;
        if year.len() != 4
            || quarter.len() != 1
            || !year.bytes().all(|b| b.is_ascii_digit())
            || !quarter.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let quarter: u32 = quarter.parse().map_err(|_| invalid())?;
        if !(1..=4).contains(&quarter) || year < 1970 {
            return Err(invalid());
        }
        Ok(Self { year, quarter })
    }

    /// The canonical spelling, `2026Q3`.
    pub fn as_string(self) -> String {
        format!("{}Q{}", self.year, self.quarter)
    }

    pub fn range(self) -> Result<Range, ApiError> {
        let start = |year: i32, month: u32| {
            NaiveDate::from_ymd_opt(year, month, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| Utc.from_utc_datetime(&d))
                .ok_or_else(|| ApiError::validation("period", "is out of range"))
        };
        let from = start(self.year, (self.quarter - 1) * 3 + 1)?;
        let to = if self.quarter == 4 {
            start(self.year + 1, 1)?
        } else {
            start(self.year, self.quarter * 3 + 1)?
        };
        Ok(Range { from, to })
    }
}

pub fn parse_group_by(raw: Option<&str>) -> Result<GroupBy, ApiError> {
    match raw.map(str::trim) {
        None | Some("community") => Ok(GroupBy::Community),
        Some("compound") => Ok(GroupBy::Compound),
        Some("property_company") => Ok(GroupBy::PropertyCompany),
        Some("category") => Ok(GroupBy::Category),
        Some("level") => Ok(GroupBy::Level),
        Some(_) => Err(ApiError::validation(
            "group_by",
            "must be community, compound, property_company, category or level",
        )),
    }
}

pub fn group_by_str(g: GroupBy) -> &'static str {
    match g {
        GroupBy::Community => "community",
        GroupBy::Compound => "compound",
        GroupBy::PropertyCompany => "property_company",
        GroupBy::Category => "category",
        GroupBy::Level => "level",
    }
}

/// Which issues the caller's reports cover: auditors all; community officials their
/// community; dispatchers their street (all when district-wide). Everyone else: 403.
pub fn report_scope(caller: &Caller) -> Result<ReportScope, ApiError> {
    match (caller.role(), caller.scope()) {
        (Role::Auditor, _) => Ok(ReportScope::District),
        (Role::CommunityOfficial, Scope::Community(c)) => Ok(ReportScope::Community(c.0)),
        (Role::Dispatcher, Scope::Street(s)) => Ok(ReportScope::Street(s.0)),
        (Role::Dispatcher, Scope::District) => Ok(ReportScope::District),
        _ => Err(ApiError::forbidden(
            "reports are for auditors, community officials and dispatchers",
        )),
    }
}

/// Whether the client asked for CSV (`Accept: text/csv`).
pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            range
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn instants_are_rfc3339_or_dates() {
        let t = parse_instant("from", "2026-07-01").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-07-01T00:00:00+00:00");
        let t = parse_instant("from", "2026-07-01T08:00:00+08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-07-01T00:00:00+00:00");
        let t = parse_instant("from", "2026-07-01T08:00:00 08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-07-01T00:00:00+00:00");
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-07-01T25:00:00Z",
            "1751328000",
        ] {
            assert!(parse_instant("from", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_need_from_before_to() {
        assert!(Range::parse(Some("2026-07-01"), Some("2026-10-01")).is_ok());
        assert!(Range::parse(Some("2026-07-01"), Some("2026-07-01")).is_err());
        assert!(Range::parse(Some("2026-10-01"), Some("2026-07-01")).is_err());
        assert!(Range::parse(None, Some("2026-07-01")).is_err());
        assert!(Range::parse(Some("2026-07-01"), None).is_err());
    }

    #[test]
    fn quarters() {
        let r = Period::parse("2026Q3").unwrap().range().unwrap();
        assert_eq!(r.from.to_rfc3339(), "2026-07-01T00:00:00+00:00");
        assert_eq!(r.to.to_rfc3339(), "2026-10-01T00:00:00+00:00");
        let r = Period::parse("2026Q4").unwrap().range().unwrap();
        assert_eq!(r.to.to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert_eq!(Period::parse("2026q1").unwrap().as_string(), "2026Q1");
        for bad in [
            "", "2026", "2026Q0", "2026Q5", "26Q3", "2026Q33", "2026-Q3", "+026Q3", "Q3",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
