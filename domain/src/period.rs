//! The district's time zone and the periods cut in it: quarters, months, day ranges and the
//! `from`/`to` filters of reports. Every cut is at local midnight, stored as a UTC instant.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{DomainError, Timestamp};

/// `str::parse` is each type's own `parse`.
macro_rules! from_str_by_parse {
    ($($ty:ident),+) => {$(
        impl FromStr for $ty {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    )+};
}

from_str_by_parse!(DistrictTz, Quarter, Month);

/// Years a period may name. The upper bound keeps every bound a valid RFC 3339 date
/// (four-digit year) in any time zone; the lower one matches the Unix epoch.
const MIN_YEAR: i32 = 1970;
const MAX_YEAR: i32 = 9999;

/// The district's time zone (`LINLI_TIME_ZONE`), `Asia/Shanghai` unless configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DistrictTz(chrono_tz::Tz);

impl Default for DistrictTz {
    fn default() -> Self {
        Self::SHANGHAI
    }
}

impl DistrictTz {
    pub const SHANGHAI: Self = Self(chrono_tz::Asia::Shanghai);

    /// An IANA zone name such as `Asia/Shanghai`.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        raw.trim().parse::<chrono_tz::Tz>().map(Self).map_err(|_| {
            DomainError::invalid(
                "time_zone",
                "must be an IANA time zone name such as Asia/Shanghai",
            )
        })
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The local calendar date of an instant.
    pub fn local_date(self, at: Timestamp) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The instant the local `date` begins. Where a zone skips midnight (a DST change at
    /// 00:00, as some zones had), the day begins at its first existing local time.
    pub fn start_of_day(self, date: NaiveDate) -> Timestamp {
        let midnight = date.and_time(NaiveTime::MIN);
        if let Some(t) = self.0.from_local_datetime(&midnight).earliest() {
            return t.with_timezone(&Utc);
        }
        // Gaps are at most a few hours; 15-minute steps find the end of every real one.
        (1..=96)
            .filter_map(|quarter_hours| {
                let local = midnight + chrono::Duration::minutes(15 * quarter_hours);
                self.0.from_local_datetime(&local).earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .next()
            // Unreachable with the tz database; UTC midnight keeps the function total.
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    }

    /// The half-open instants `[start, end)` of the local dates `from..to` (`to` exclusive).
    pub fn dates_bounds(self, from: NaiveDate, to_exclusive: NaiveDate) -> (Timestamp, Timestamp) {
        (self.start_of_day(from), self.start_of_day(to_exclusive))
    }

    /// The half-open instants of one local day.
    pub fn day_bounds(self, date: NaiveDate) -> (Timestamp, Timestamp) {
        let next = date
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        self.dates_bounds(date, next)
    }
}

impl fmt::Display for DistrictTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A calendar quarter, written `2026Q3`: the local dates `[2026-07-01, 2026-10-01)`.
///
/// Replaces `api/src/reports/params.rs::Period` (which cuts in UTC): `parse`, `as_string` and
/// `Display` behave the same (also accepting `2026q3`); `bounds(tz)` gives the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    year: i32,
    quarter: u8,
}

impl Quarter {
    /// `YYYYQn`, n in 1..=4, year in 1970..=9999 except `9999Q4` (it would end in year 10000).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let invalid = || {
            DomainError::invalid(
                "period",
                "must be a quarter written YYYYQn with n from 1 to 4, e.g. 2026Q3",
            )
        };
        let (year, quarter) = raw.trim().split_once(['Q', 'q']).ok_or_else(invalid)?;
        let year = four_digit_year(year).ok_or_else(invalid)?;
        let quarter = match quarter.as_bytes() {
            [d @ b'1'..=b'4'] => d - b'0',
            _ => return Err(invalid()),
        };
        Self::new(year, quarter).ok_or_else(invalid)
    }

    /// `None` outside the supported range.
    pub fn new(year: i32, quarter: u8) -> Option<Self> {
        let q = Self { year, quarter };
        ((1..=4).contains(&quarter) && in_range(year, q.first_month() + 2)).then_some(q)
    }

    /// The quarter a local date falls in (`None` beyond the supported range).
    pub fn of_date(date: NaiveDate) -> Option<Self> {
        let quarter = u8::try_from((date.month() - 1) / 3 + 1).ok()?;
        Self::new(date.year(), quarter)
    }

    /// The quarter an instant falls in, in the district's time zone.
    pub fn containing(at: Timestamp, tz: DistrictTz) -> Option<Self> {
        Self::of_date(tz.local_date(at))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn quarter(self) -> u8 {
        self.quarter
    }

    fn first_month(self) -> u32 {
        u32::from(self.quarter - 1) * 3 + 1
    }

    /// The first local date and the first date after the quarter.
    pub fn dates(self) -> (NaiveDate, NaiveDate) {
        month_dates(self.year, self.first_month(), 3)
    }

    /// The half-open window `[start, end)`, cut at local midnight.
    pub fn bounds(self, tz: DistrictTz) -> (Timestamp, Timestamp) {
        let (from, to) = self.dates();
        tz.dates_bounds(from, to)
    }

    /// The canonical spelling, `2026Q3`.
    pub fn as_string(self) -> String {
        self.to_string()
    }

    /// The previous quarter (`None` before 1970Q1).
    pub fn previous(self) -> Option<Self> {
        if self.quarter == 1 {
            Self::new(self.year - 1, 4)
        } else {
            Self::new(self.year, self.quarter - 1)
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}Q{}", self.year, self.quarter)
    }
}

/// A calendar month, written `2026-07` (monthly assessments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    /// `YYYY-MM`, from 1970-01 to 9999-09 (the last month whose quarter is valid: 9999Q4
    /// would end in year 10000).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let invalid =
            || DomainError::invalid("month", "must be a month written YYYY-MM, e.g. 2026-07");
        let (year, month) = raw.trim().split_once('-').ok_or_else(invalid)?;
        let year = four_digit_year(year).ok_or_else(invalid)?;
        let month = match month.as_bytes() {
            [a @ b'0'..=b'1', b @ b'0'..=b'9'] => (a - b'0') * 10 + (b - b'0'),
            _ => return Err(invalid()),
        };
        Self::new(year, month).ok_or_else(invalid)
    }

    /// `None` outside the supported range.
    pub fn new(year: i32, month: u8) -> Option<Self> {
        // Ends where its quarter ends, so that every month has a valid quarter.
        let quarter_last_month = u32::from(month.div_ceil(3) * 3);
        ((1..=12).contains(&month) && in_range(year, quarter_last_month))
            .then_some(Self { year, month })
    }

    pub fn of_date(date: NaiveDate) -> Option<Self> {
        Self::new(date.year(), u8::try_from(date.month()).ok()?)
    }

    /// The month an instant falls in, in the district's time zone.
    pub fn containing(at: Timestamp, tz: DistrictTz) -> Option<Self> {
        Self::of_date(tz.local_date(at))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn quarter(self) -> Quarter {
        // A valid month is always in a valid quarter (see `new`).
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }

    /// The first local date and the first date after the month.
    pub fn dates(self) -> (NaiveDate, NaiveDate) {
        month_dates(self.year, u32::from(self.month), 1)
    }

    /// The half-open window `[start, end)`, cut at local midnight.
    pub fn bounds(self, tz: DistrictTz) -> (Timestamp, Timestamp) {
        let (from, to) = self.dates();
        tz.dates_bounds(from, to)
    }

    pub fn as_string(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
string_serde!(DistrictTz);
string_serde!(Quarter);
string_serde!(Month);

/// An instant from a query parameter: RFC 3339 (`2026-07-01T08:00:00+08:00`) or a date
/// (`2026-07-01`), which means local midnight at the start of that date in the district.
///
/// Replaces `api/src/reports/params.rs::parse_instant`, which read a date as UTC midnight.
pub fn parse_instant(
    field: &'static str,
    raw: &str,
    tz: DistrictTz,
) -> Result<Timestamp, DomainError> {
    let raw = raw.trim();
    let invalid = || {
        DomainError::invalid(
            field,
            "must be an RFC 3339 date-time (2026-07-01T00:00:00+08:00) or a date (2026-07-01)",
        )
    };
    // An unescaped `+` of an offset arrives as a space in a query string.
    let instant = DateTime::parse_from_rfc3339(raw)
        .or_else(|_| DateTime::parse_from_rfc3339(&raw.replace(' ', "+")))
        .map(|t| t.with_timezone(&Utc));
    if let Ok(t) = instant {
        // Keeps the value printable as RFC 3339 (four-digit year) when echoed back.
        return if (0..=MAX_YEAR).contains(&t.year()) {
            Ok(t)
        } else {
            Err(invalid())
        };
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| invalid())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(invalid());
    }
    Ok(tz.start_of_day(date))
}

/// The half-open window `[from, to)` of a report or a list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    from: Timestamp,
    to: Timestamp,
}

impl TimeRange {
    /// Both bounds are required (see [`parse_instant`]) and `from` must be before `to`.
    /// `to=2026-10-01` is exclusive: the window ends when 1 October begins, local time.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        tz: DistrictTz,
    ) -> Result<Self, DomainError> {
        let from = parse_instant("from", required("from", from)?, tz)?;
        let to = parse_instant("to", required("to", to)?, tz)?;
        Self::new(from, to)
    }

    pub fn new(from: Timestamp, to: Timestamp) -> Result<Self, DomainError> {
        if from < to {
            Ok(Self { from, to })
        } else {
            Err(DomainError::invalid("to", "must be after `from`"))
        }
    }

    pub fn of_quarter(q: Quarter, tz: DistrictTz) -> Self {
        let (from, to) = q.bounds(tz);
        Self { from, to }
    }

    pub fn of_month(m: Month, tz: DistrictTz) -> Self {
        let (from, to) = m.bounds(tz);
        Self { from, to }
    }

    pub fn from(self) -> Timestamp {
        self.from
    }

    pub fn to(self) -> Timestamp {
        self.to
    }

    pub fn contains(self, at: Timestamp) -> bool {
        self.from <= at && at < self.to
    }
}

fn required<'a>(field: &'static str, raw: Option<&'a str>) -> Result<&'a str, DomainError> {
    raw.filter(|s| !s.trim().is_empty())
        .ok_or_else(|| DomainError::invalid(field, "is required"))
}

fn four_digit_year(raw: &str) -> Option<i32> {
    (raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
}

/// Whether a period ending with `last_month` of `year` has both bounds within 1970..=9999.
/// Only a period ending in December 9999 is cut off: its end is 10000-01-01.
fn in_range(year: i32, last_month: u32) -> bool {
    (MIN_YEAR..MAX_YEAR).contains(&year) || (year == MAX_YEAR && last_month < 12)
}

/// First date of `month` and the first date `months` later. Callers pass in-range periods,
/// whose dates chrono always represents.
fn month_dates(year: i32, month: u32, months: u32) -> (NaiveDate, NaiveDate) {
    let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX);
    let end_index = month - 1 + months;
    let end = first(
        year + i32::try_from(end_index / 12).unwrap_or(0),
        end_index % 12 + 1,
    );
    (first(year, month), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_district_defaults_to_shanghai() {
        assert_eq!(DistrictTz::default().name(), "Asia/Shanghai");
        assert_eq!(
            DistrictTz::parse(" Asia/Urumqi ").unwrap().name(),
            "Asia/Urumqi"
        );
        for bad in ["", "Beijing", "UTC+8", "Asia/Peking"] {
            assert!(DistrictTz::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_instant_early_on_1_july_in_beijing_is_in_q3() {
        let tz = DistrictTz::default();
        let at = utc("2026-07-01T07:30:00+08:00");
        assert_eq!(at, utc("2026-06-30T23:30:00Z"));
        let q = Quarter::containing(at, tz).unwrap();
        assert_eq!(q.to_string(), "2026Q3");
        let (start, end) = q.bounds(tz);
        assert_eq!(start, utc("2026-06-30T16:00:00Z"));
        assert_eq!(end, utc("2026-09-30T16:00:00Z"));
        assert!(TimeRange::of_quarter(q, tz).contains(at));
        // In UTC the same instant is still in Q2: the zone matters.
        let utc_tz = DistrictTz::parse("UTC").unwrap();
        assert_eq!(
            Quarter::containing(at, utc_tz).unwrap().to_string(),
            "2026Q2"
        );
    }

    #[test]
    fn quarters_parse_like_the_api_did() {
        assert_eq!(Quarter::parse("2026q1").unwrap().as_string(), "2026Q1");
        assert_eq!(Quarter::parse(" 1970Q1 ").unwrap().to_string(), "1970Q1");
        assert_eq!(Quarter::parse("9999Q3").unwrap().to_string(), "9999Q3");
        for bad in [
            "",
            "2026",
            "2026Q0",
            "2026Q5",
            "26Q3",
            "2026Q33",
            "2026-Q3",
            "+026Q3",
            "Q3",
            "1969Q4",
            "9999Q4",
            "0000Q1",
            "2026Q",
            "２０２６Q3",
        ] {
            assert!(Quarter::parse(bad).is_err(), "{bad}");
        }
        let (from, to) = Quarter::parse("2026Q4").unwrap().dates();
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("2026-10-01".into(), "2027-01-01".into())
        );
        let (_, end) = Quarter::parse("9999Q3")
            .unwrap()
            .bounds(DistrictTz::parse("America/New_York").unwrap());
        assert!(end.to_rfc3339().starts_with("9999-10-01T0"), "{end}");
        assert_eq!(
            Quarter::parse("2026Q1")
                .unwrap()
                .previous()
                .unwrap()
                .to_string(),
            "2025Q4"
        );
        assert_eq!(Quarter::parse("1970Q1").unwrap().previous(), None);
    }

    #[test]
    fn quarters_round_trip_through_json() {
        let q: Quarter = serde_json::from_str("\"2026Q3\"").unwrap();
        assert_eq!(serde_json::to_string(&q).unwrap(), "\"2026Q3\"");
        assert!(serde_json::from_str::<Quarter>("\"9999Q4\"").is_err());
    }

    #[test]
    fn months() {
        let tz = DistrictTz::default();
        let m = Month::parse("2026-07").unwrap();
        assert_eq!(m.to_string(), "2026-07");
        assert_eq!(m.quarter().to_string(), "2026Q3");
        let (start, end) = m.bounds(tz);
        assert_eq!(start, utc("2026-06-30T16:00:00Z"));
        assert_eq!(end, utc("2026-07-31T16:00:00Z"));
        let (_, end) = Month::parse("2026-12").unwrap().bounds(tz);
        assert_eq!(end, utc("2026-12-31T16:00:00Z"));
        assert_eq!(
            Month::containing(utc("2026-07-31T16:30:00Z"), tz)
                .unwrap()
                .to_string(),
            "2026-08"
        );
        assert!(Month::parse("9999-09").is_ok());
        for bad in [
            "", "2026", "2026-7", "2026-00", "2026-13", "2026-007", "26-07", "9999-10", "9999-12",
            "1969-12", "2026/07", "2026-1a",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_filters_start_at_local_midnight() {
        let tz = DistrictTz::default();
        assert_eq!(
            parse_instant("from", "2026-07-01", tz).unwrap(),
            utc("2026-06-30T16:00:00Z")
        );
        assert_eq!(
            parse_instant("from", "2026-07-01T08:00:00+08:00", tz).unwrap(),
            utc("2026-07-01T00:00:00Z")
        );
        assert_eq!(
            parse_instant("from", "2026-07-01T08:00:00 08:00", tz).unwrap(),
            utc("2026-07-01T00:00:00Z")
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-07-01T25:00:00Z",
            "1751328000",
            "1969-12-31",
            "9999-12-31T23:00:00-05:00",
        ] {
            assert!(parse_instant("from", bad, tz).is_err(), "{bad}");
        }
        let r = TimeRange::parse(Some("2026-07-01"), Some("2026-10-01"), tz).unwrap();
        assert_eq!(
            r,
            TimeRange::of_quarter(Quarter::parse("2026Q3").unwrap(), tz)
        );
        assert!(TimeRange::parse(Some("2026-07-01"), Some("2026-07-01"), tz).is_err());
        assert!(TimeRange::parse(Some("2026-10-01"), Some("2026-07-01"), tz).is_err());
        assert!(TimeRange::parse(None, Some("2026-07-01"), tz).is_err());
        assert!(TimeRange::parse(Some("2026-07-01"), Some(" "), tz).is_err());
    }

    #[test]
    fn a_day_is_24_hours_in_shanghai_and_may_not_be_elsewhere() {
        let date = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let (start, end) = DistrictTz::default().day_bounds(date);
        assert_eq!(end - start, chrono::Duration::hours(24));
        // Santiago springs forward at midnight: 6 Sep 2026 begins at 01:00 local (-03:00).
        let santiago = DistrictTz::parse("America/Santiago").unwrap();
        let (start, end) = santiago.day_bounds(NaiveDate::from_ymd_opt(2026, 9, 6).unwrap());
        assert_eq!(start, utc("2026-09-06T04:00:00Z"));
        assert_eq!(end - start, chrono::Duration::hours(23));
    }
}
