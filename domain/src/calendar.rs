//! The working-day calendar offices count deadlines in: public holidays, 调休 make-up working
//! days, and the deadline arithmetic on top of them in the district's time zone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::{DomainError, Timestamp, period::DistrictTz};

/// One year's exceptions to the Monday–Friday week, as the district office publishes them.
///
/// This is also the wire and storage shape (`PUT /calendar/{year}`); it only exists
/// validated: every date lies in `year`, no date is both off and worked, make-up working days
/// fall on a Saturday or Sunday (a weekday is a working day already). Holidays may fall on any
/// date, weekends included, so a holiday span can be listed day by day as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "YearCalendarData", into = "YearCalendarData")]
pub struct YearCalendar {
    year: i32,
    holidays: BTreeSet<NaiveDate>,
    make_up_working_days: BTreeSet<NaiveDate>,
}

/// The unvalidated form of [`YearCalendar`], e.g. a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendarData {
    pub year: i32,
    /// Dates off (放假), weekends within a holiday included or not, as you like.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays that are working days (调休上班).
    pub make_up_working_days: Vec<NaiveDate>,
}

impl YearCalendar {
    /// Validates the data; duplicates are merged.
    pub fn parse(data: YearCalendarData) -> Result<Self, DomainError> {
        if !(1970..=9999).contains(&data.year) {
            return Err(DomainError::invalid("year", "must be from 1970 to 9999"));
        }
        let in_year = |field: &'static str, dates: &[NaiveDate]| match dates
            .iter()
            .find(|d| d.year() != data.year)
        {
            Some(d) => Err(DomainError::invalid(
                field,
                format!("{d} is not in {}", data.year),
            )),
            None => Ok(dates.iter().copied().collect::<BTreeSet<_>>()),
        };
        let holidays = in_year("holidays", &data.holidays)?;
        let make_up_working_days = in_year("make_up_working_days", &data.make_up_working_days)?;
        if let Some(d) = make_up_working_days.iter().find(|d| !is_weekend(**d)) {
            return Err(DomainError::invalid(
                "make_up_working_days",
                format!(
                    "{d} is a weekday, already a working day; make-up days are Saturdays or Sundays"
                ),
            ));
        }
        if let Some(d) = holidays.intersection(&make_up_working_days).next() {
            return Err(DomainError::invalid(
                "make_up_working_days",
                format!("{d} is also listed as a holiday"),
            ));
        }
        Ok(Self {
            year: data.year,
            holidays,
            make_up_working_days,
        })
    }

    /// A year with no exceptions: plain Monday–Friday.
    pub fn plain(year: i32) -> Result<Self, DomainError> {
        Self::parse(YearCalendarData {
            year,
            holidays: Vec::new(),
            make_up_working_days: Vec::new(),
        })
    }

    /// The State Council's 2026 calendar: 国务院办公厅关于2026年部分节假日安排的通知,
    /// dated 4 November 2025 (published by Xinhua the same day).
    pub fn china_2026() -> Self {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day);
        let span = |m: u32, from: u32, to: u32| (from..=to).filter_map(move |day| d(m, day));
        let holidays = span(1, 1, 3) // 元旦
            .chain(span(2, 15, 23)) // 春节
            .chain(span(4, 4, 6)) // 清明节
            .chain(span(5, 1, 5)) // 劳动节
            .chain(span(6, 19, 21)) // 端午节
            .chain(span(9, 25, 27)) // 中秋节
            .chain(span(10, 1, 7)) // 国庆节
            .collect();
        let make_up_working_days = [
            (1, 4),   // Sunday, after 元旦
            (2, 14),  // Saturday, before 春节
            (2, 28),  // Saturday, after 春节
            (5, 9),   // Saturday, after 劳动节
            (9, 20),  // Sunday, before 国庆节
            (10, 10), // Saturday, after 国庆节
        ]
        .into_iter()
        .filter_map(|(m, day)| d(m, day))
        .collect();
        Self {
            year: 2026,
            holidays,
            make_up_working_days,
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    pub fn make_up_working_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.make_up_working_days.iter().copied()
    }

    /// For a date in this year.
    fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            false
        } else {
            self.make_up_working_days.contains(&date) || !is_weekend(date)
        }
    }
}

impl TryFrom<YearCalendarData> for YearCalendar {
    type Error = DomainError;
    fn try_from(data: YearCalendarData) -> Result<Self, Self::Error> {
        Self::parse(data)
    }
}

impl From<YearCalendar> for YearCalendarData {
    fn from(c: YearCalendar) -> Self {
        Self {
            year: c.year,
            holidays: c.holidays.into_iter().collect(),
            make_up_working_days: c.make_up_working_days.into_iter().collect(),
        }
    }
}

/// How long a deadline runs: working days for normal cases, clock time for emergency and
/// urgent ones (a trapped lift passenger does not wait for Monday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSpan {
    WorkingDays(u32),
    ClockMinutes(u32),
}

impl DeadlineSpan {
    /// The span in clock minutes, if it is counted on the clock.
    pub fn clock_minutes(self) -> Option<u32> {
        match self {
            Self::ClockMinutes(minutes) => Some(minutes),
            Self::WorkingDays(_) => None,
        }
    }
}

/// The working-day calendar of the district: the years it has data for; any other year is a
/// plain Monday–Friday week (no holidays known, so none assumed; the office adds the year's
/// notice when the State Council publishes it, usually in November of the year before).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl WorkCalendar {
    /// No data at all: every year is plain Monday–Friday.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in official calendars (2026).
    pub fn official() -> Self {
        Self::from_years([YearCalendar::china_2026()])
    }

    pub fn from_years(years: impl IntoIterator<Item = YearCalendar>) -> Self {
        let mut calendar = Self::new();
        for y in years {
            calendar.set_year(y);
        }
        calendar
    }

    /// Adds or replaces one year.
    pub fn set_year(&mut self, year: YearCalendar) {
        self.years.insert(year.year, year);
    }

    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) => year.is_working_day(date),
            None => !is_weekend(date),
        }
    }

    /// The deadline `n` working days after `start`, in the district's time zone.
    ///
    /// The rule, as offices read "N个工作日内": the day of filing does not count, whatever
    /// its hour, so counting starts with the local date after `start`'s (also when `start`
    /// falls on a holiday or weekend); the deadline is the end of the `n`-th working day, i.e.
    /// local midnight after it, as a UTC instant. A whole day is given rather than "same time
    /// n days later" so that the hour a resident happened to file does not shorten the
    /// handler's last day, and midnight rather than office closing time because handlers
    /// (property staff) work evenings. `n == 0` means "within the same day": the end of
    /// `start`'s local date.
    ///
    /// Saturates at chrono's largest instant for absurd `n`.
    pub fn add_working_days(&self, start: Timestamp, n: u32, tz: DistrictTz) -> Timestamp {
        let mut date = tz.local_date(start);
        let mut remaining = n;
        while remaining > 0 {
            // Past the last year with data every week has exactly five working days, so whole
            // weeks are skipped at once (keeping 1..=5 days for the walk).
            if remaining > 5 && self.years.range(date.year()..).next().is_none() {
                let weeks = (remaining - 1) / 5;
                let Some(next) = date.checked_add_days(Days::new(u64::from(weeks) * 7)) else {
                    return Timestamp::MAX_UTC;
                };
                date = next;
                remaining -= weeks * 5;
                continue;
            }
            let Some(next) = date.succ_opt() else {
                return Timestamp::MAX_UTC;
            };
            date = next;
            if self.is_working_day(date) {
                remaining -= 1;
            }
        }
        match date.succ_opt() {
            Some(after) => tz.start_of_day(after),
            None => Timestamp::MAX_UTC,
        }
    }

    /// The deadline for a span: working days by [`Self::add_working_days`], clock minutes
    /// by [`add_clock_minutes`].
    pub fn deadline(&self, start: Timestamp, span: DeadlineSpan, tz: DistrictTz) -> Timestamp {
        match span {
            DeadlineSpan::WorkingDays(n) => self.add_working_days(start, n, tz),
            DeadlineSpan::ClockMinutes(m) => add_clock_minutes(start, m),
        }
    }
}

/// Clock time for emergency and urgent cases: holidays and nights count.
pub fn add_clock_hours(start: Timestamp, hours: u32) -> Timestamp {
    start
        .checked_add_signed(Duration::hours(i64::from(hours)))
        .unwrap_or(Timestamp::MAX_UTC)
}

/// As [`add_clock_hours`], for spans such as the 30 minutes of a lift rescue.
pub fn add_clock_minutes(start: Timestamp, minutes: u32) -> Timestamp {
    start
        .checked_add_signed(Duration::minutes(i64::from(minutes)))
        .unwrap_or(Timestamp::MAX_UTC)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn utc(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn official() -> WorkCalendar {
        WorkCalendar::official()
    }

    const SHANGHAI: DistrictTz = DistrictTz::SHANGHAI;

    #[test]
    fn the_builtin_2026_calendar_is_valid_data() {
        let c = YearCalendar::china_2026();
        let data = YearCalendarData::from(c.clone());
        assert_eq!(data.holidays.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(data.make_up_working_days.len(), 6);
        assert_eq!(YearCalendar::parse(data).unwrap(), c);
    }

    #[test]
    fn working_days_in_2026() {
        let c = official();
        for (d, working) in [
            ("2026-01-01", false), // 元旦, Thursday
            ("2026-01-04", true),  // Sunday worked
            ("2026-01-05", true),
            ("2026-01-10", false), // ordinary Saturday
            ("2026-02-14", true),  // Saturday worked
            ("2026-02-16", false), // 春节, Monday
            ("2026-02-23", false),
            ("2026-02-24", true),
            ("2026-02-28", true),
            ("2026-04-06", false),
            ("2026-05-05", false),
            ("2026-05-09", true),
            ("2026-06-19", false),
            ("2026-09-20", true), // Sunday worked
            ("2026-09-25", false),
            ("2026-10-07", false),
            ("2026-10-08", true),
            ("2026-10-10", true), // Saturday worked
            ("2026-10-11", false),
        ] {
            assert_eq!(c.is_working_day(date(d)), working, "{d}");
        }
    }

    /// Each `(filed, n, due)`: filed at a Shanghai local time, `n` working days later it is due
    /// at the start of the local date `due` (00:00 +08:00), in calendar `c`.
    #[track_caller]
    fn assert_due(c: &WorkCalendar, cases: &[(&str, u32, &str)]) {
        for &(filed, n, due) in cases {
            let filed = utc(&format!("{}:00+08:00", filed.replace(' ', "T")));
            let due = utc(&format!("{due}T00:00:00+08:00"));
            assert_eq!(c.add_working_days(filed, n, SHANGHAI), due, "{filed} + {n}");
        }
    }

    #[test]
    fn a_case_filed_on_30_september_skips_the_national_day_holiday() {
        let c = official();
        assert_due(
            &c,
            &[
                // 1 working day: Thursday 8 October; due when it ends.
                ("2026-09-30 10:00", 1, "2026-10-09"),
                // 5: 8 Oct (Thu), 9 (Fri), 10 (Sat, worked), 12 (Mon), 13 (Tue).
                ("2026-09-30 10:00", 5, "2026-10-14"),
                // Filed late at night: still 30 September, same deadline.
                ("2026-09-30 23:59", 1, "2026-10-09"),
            ],
        );
        assert_eq!(
            c.add_working_days(utc("2026-09-30T10:00:00+08:00"), 5, SHANGHAI)
                .to_rfc3339(),
            "2026-10-13T16:00:00+00:00"
        );
    }

    #[test]
    fn a_case_filed_on_friday_18_september_counts_sunday_20th() {
        assert_due(
            &official(),
            &[
                ("2026-09-18 15:00", 1, "2026-09-21"),
                // 20, 21, 22, 23, 24 September; 25–27 are 中秋节.
                ("2026-09-18 15:00", 5, "2026-09-25"),
                ("2026-09-18 15:00", 6, "2026-09-29"),
            ],
        );
    }

    #[test]
    fn weekends_and_filing_on_a_day_off() {
        assert_due(
            &official(),
            &[
                // Friday 2026-03-06: Monday the 9th is the first working day after it.
                ("2026-03-06 09:00", 1, "2026-03-10"),
                ("2026-03-06 09:00", 5, "2026-03-14"),
                // Filed on Saturday: counting starts the next day, Sunday, which is off.
                ("2026-03-07 09:00", 1, "2026-03-10"),
                // Filed during 国庆节.
                ("2026-10-03 09:00", 1, "2026-10-09"),
                // Zero days: the end of the filing day.
                ("2026-03-06 09:00", 0, "2026-03-07"),
            ],
        );
    }

    #[test]
    fn years_without_data_are_plain_weeks() {
        assert_due(
            &official(),
            &[
                // 2027 has no data: 1 January 2027 (a Friday) counts as a working day.
                ("2026-12-31 10:00", 1, "2027-01-02"),
                // Thursday 31 Dec + 2: Fri 1 Jan, Mon 4 Jan.
                ("2026-12-31 10:00", 2, "2027-01-05"),
                // From 2025 into 2026: Wed 31 Dec 2025 + 1 skips 元旦 1–3 Jan to Sunday 4 January.
                ("2025-12-31 10:00", 1, "2026-01-05"),
            ],
        );
        // With no data at all 1 January 2026 is an ordinary Thursday.
        assert_due(
            &WorkCalendar::new(),
            &[("2025-12-31 10:00", 1, "2026-01-02")],
        );
    }

    #[test]
    fn skipping_whole_weeks_agrees_with_walking() {
        let plain = WorkCalendar::new();
        let walker =
            WorkCalendar::from_years((2026..=2035).map(|y| YearCalendar::plain(y).unwrap()));
        for day in 0..7 {
            let start = utc("2026-03-02T10:00:00+08:00") + Duration::days(day);
            for n in [6, 7, 11, 250, 1000] {
                assert_eq!(
                    plain.add_working_days(start, n, SHANGHAI),
                    walker.add_working_days(start, n, SHANGHAI),
                    "{start} + {n}"
                );
            }
        }
        assert_eq!(
            plain.add_working_days(utc("2026-03-02T00:00:00Z"), u32::MAX, SHANGHAI),
            Timestamp::MAX_UTC
        );
    }

    #[test]
    fn the_local_date_decides_not_the_utc_one() {
        let c = official();
        // 23:30 UTC on Wednesday 30 September is already Thursday 1 October (国庆节) in Shanghai.
        let at = utc("2026-09-30T23:30:00Z");
        assert_eq!(SHANGHAI.local_date(at), date("2026-10-01"));
        assert_eq!(
            c.add_working_days(at, 1, SHANGHAI),
            utc("2026-10-09T00:00:00+08:00")
        );
        // 15:59 UTC on 30 September is 23:59 in Shanghai, still 30 September.
        let at = utc("2026-09-30T15:59:00Z");
        assert_eq!(
            c.add_working_days(at, 1, SHANGHAI),
            utc("2026-10-09T00:00:00+08:00")
        );
        // 23:30 UTC on Friday 6 March is Saturday morning in Shanghai; the deadline is Tuesday.
        let at = utc("2026-03-06T23:30:00Z");
        assert_eq!(
            c.add_working_days(at, 1, SHANGHAI),
            utc("2026-03-10T00:00:00+08:00")
        );
        // In UTC the same instant is still Friday: Monday is the deadline day.
        let utc_tz = DistrictTz::parse("UTC").unwrap();
        assert_eq!(
            c.add_working_days(at, 1, utc_tz),
            utc("2026-03-10T00:00:00Z")
        );
    }

    #[test]
    fn clock_hours_ignore_the_calendar() {
        let c = official();
        let at = utc("2026-09-30T20:00:00+08:00");
        assert_eq!(add_clock_hours(at, 12), utc("2026-10-01T08:00:00+08:00"));
        assert_eq!(
            c.deadline(at, DeadlineSpan::ClockMinutes(30), SHANGHAI),
            utc("2026-09-30T20:30:00+08:00")
        );
        assert_eq!(
            c.deadline(at, DeadlineSpan::WorkingDays(1), SHANGHAI),
            utc("2026-10-09T00:00:00+08:00")
        );
        assert_eq!(add_clock_hours(Timestamp::MAX_UTC, 1), Timestamp::MAX_UTC);
    }

    #[test]
    fn a_year_can_be_replaced() {
        let mut c = official();
        // A district that adds a local holiday on Monday 9 March 2026.
        let mut data = YearCalendarData::from(YearCalendar::china_2026());
        data.holidays.push(date("2026-03-09"));
        c.set_year(YearCalendar::parse(data).unwrap());
        assert!(!c.is_working_day(date("2026-03-09")));
        assert!(!c.is_working_day(date("2026-10-01")));
        c.set_year(YearCalendar::plain(2026).unwrap());
        assert!(c.is_working_day(date("2026-10-01")));
        assert_eq!(c.years().count(), 1);
    }

    #[test]
    fn bad_year_data_is_refused() {
        let data = |holidays: &[&str], make_up: &[&str]| YearCalendarData {
            year: 2026,
            holidays: holidays.iter().map(|d| date(d)).collect(),
            make_up_working_days: make_up.iter().map(|d| date(d)).collect(),
        };
        let cases = [
            (data(&["2027-01-01"], &[]), "holidays"),
            (data(&[], &["2025-12-27"]), "make_up_working_days"),
            (data(&[], &["2026-10-09"]), "make_up_working_days"), // a Friday
            (
                data(&["2026-10-10"], &["2026-10-10"]),
                "make_up_working_days",
            ),
        ];
        for (bad, field) in cases {
            match YearCalendar::parse(bad.clone()) {
                Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        let mut far = data(&[], &[]);
        far.year = 10000;
        assert!(YearCalendar::parse(far).is_err());
        // Holidays may fall on weekends, and duplicates merge.
        let ok = YearCalendar::parse(data(&["2026-10-03", "2026-10-03"], &["2026-10-10"])).unwrap();
        assert_eq!(ok.holidays().count(), 1);
    }

    #[test]
    fn json_is_validated_on_the_way_in() {
        let json =
            r#"{"year":2026,"holidays":["2026-10-01"],"make_up_working_days":["2026-10-10"]}"#;
        let c: YearCalendar = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        let bad = r#"{"year":2026,"holidays":[],"make_up_working_days":["2026-10-09"]}"#;
        assert!(serde_json::from_str::<YearCalendar>(bad).is_err());
        let span: DeadlineSpan = serde_json::from_str(r#"{"working_days":5}"#).unwrap();
        assert_eq!(span, DeadlineSpan::WorkingDays(5));
    }
}
