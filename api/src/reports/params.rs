//! Parsed report parameters: the time window, the quarter (`2026Q3`), the grouping, who may see
//! which issues, and whether the client asked for CSV.

use actix_web::{HttpRequest, http::header};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{Role, Scope},
    period::{self, DistrictTz, Quarter, TimeRange},
};
use linli_infra::repo::reports::{GroupBy, ReportScope};

use crate::{auth::Caller, error::ApiError};

/// An instant given as RFC 3339 (`2026-07-01T08:00:00+08:00`) or a date (`2026-07-01`, local
/// midnight in the district's zone `tz`). Years outside 1970–9999 are refused, so that every
/// bound a report echoes is valid RFC 3339.
pub fn parse_instant(
    field: &'static str,
    raw: &str,
    tz: DistrictTz,
) -> Result<DateTime<Utc>, ApiError> {
    Ok(period::parse_instant(field, raw, tz)?)
}

/// The half-open window `[from, to)` of creation times a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl From<TimeRange> for Range {
    fn from(r: TimeRange) -> Self {
        Self {
            from: r.from(),
            to: r.to(),
        }
    }
}

impl Range {
    /// Both bounds are required and `from` must be before `to`; dates are cut in `tz`.
    pub fn parse(from: Option<&str>, to: Option<&str>, tz: DistrictTz) -> Result<Self, ApiError> {
        Ok(TimeRange::parse(from, to, tz)?.into())
    }
}

/// A calendar quarter, `2026Q3`: issues created in `[2026-07-01, 2026-10-01)` district time.
/// From 1970Q1 to 9999Q3 (9999Q4 would end in year 10000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period(Quarter);

impl Period {
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        Ok(Self(Quarter::parse(raw)?))
    }

    /// The canonical spelling, `2026Q3`.
    pub fn as_string(self) -> String {
        self.0.as_string()
    }

    /// The quarter's window, cut at local midnight in `tz`.
    pub fn range(self, tz: DistrictTz) -> Range {
        TimeRange::of_quarter(self.0, tz).into()
    }
}

pub fn parse_group_by(raw: Option<&str>) -> Result<GroupBy, ApiError> {
    match raw.map(str::trim) {
        None | Some("community") => Ok(GroupBy::Community),
        Some("compound") => Ok(GroupBy::Compound),
        Some("property_company") => Ok(GroupBy::PropertyCompany),
        Some("category") => Ok(GroupBy::Category),
        Some("level") => Ok(GroupBy::Level),
        Some("kind") => Ok(GroupBy::Kind),
        Some(_) => Err(ApiError::validation(
            "group_by",
            "must be community, compound, property_company, category, level or kind",
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
        GroupBy::Kind => "kind",
    }
}

/// Which issues the caller's reports cover: auditors all; community officials their
/// community; dispatchers their street (all when district-wide), street officials their
/// street. Everyone else: 403.
pub fn report_scope(caller: &Caller) -> Result<ReportScope, ApiError> {
    match (caller.role(), caller.scope()) {
        (Role::Auditor, _) => Ok(ReportScope::District),
        (Role::CommunityOfficial, Scope::Community(c)) => Ok(ReportScope::Community(c.0)),
        (Role::Dispatcher | Role::StreetOfficial, Scope::Street(s)) => Ok(ReportScope::Street(s.0)),
        (Role::Dispatcher, Scope::District) => Ok(ReportScope::District),
        _ => Err(ApiError::forbidden(
            "reports are for auditors, community and street officials and dispatchers",
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

    const SHANGHAI: DistrictTz = DistrictTz::SHANGHAI;

    fn parse_instant(field: &'static str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
        super::parse_instant(field, raw, SHANGHAI)
    }

    #[test]
    fn instants_are_rfc3339_or_dates() {
        // A date is local midnight in the district (Asia/Shanghai, UTC+8).
        let t = parse_instant("from", "2026-07-01").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-06-30T16:00:00+00:00");
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
            "-0001-01-01",
            "10000-01-01",
            "1969-12-31",
        ] {
            assert!(parse_instant("from", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_need_from_before_to() {
        assert!(Range::parse(Some("2026-07-01"), Some("2026-10-01"), SHANGHAI).is_ok());
        assert!(Range::parse(Some("2026-07-01"), Some("2026-07-01"), SHANGHAI).is_err());
        assert!(Range::parse(Some("2026-10-01"), Some("2026-07-01"), SHANGHAI).is_err());
        assert!(Range::parse(None, Some("2026-07-01"), SHANGHAI).is_err());
        assert!(Range::parse(Some("2026-07-01"), None, SHANGHAI).is_err());
    }

    #[test]
    fn quarters() {
        let r = Period::parse("2026Q3").unwrap().range(SHANGHAI);
        assert_eq!(r.from.to_rfc3339(), "2026-06-30T16:00:00+00:00");
        assert_eq!(r.to.to_rfc3339(), "2026-09-30T16:00:00+00:00");
        let r = Period::parse("2026Q4").unwrap().range(SHANGHAI);
        assert_eq!(r.to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        let r = Period::parse("9999Q3").unwrap().range(SHANGHAI);
        assert_eq!(r.to.to_rfc3339(), "9999-09-30T16:00:00+00:00");
        assert_eq!(Period::parse("2026q1").unwrap().as_string(), "2026Q1");
        for bad in [
            "", "2026", "2026Q0", "2026Q5", "26Q3", "2026Q33", "2026-Q3", "+026Q3", "Q3", "9999Q4",
            "1969Q4",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
