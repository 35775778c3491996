//! The working-day calendar (节假日安排): one validated year per row, as the district office
//! set it (the 2026 row is seeded by the migration).

use diesel::prelude::*;
use linli_domain::{
    calendar::{WorkCalendar, YearCalendar, YearCalendarData},
    ids::UserId,
};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::work_calendars,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = work_calendars)]
struct CalendarRow {
    year: i32,
    data: String,
    updated_by: Option<i64>,
    updated_at: i64,
}

/// A stored year, read back into the domain's (re-validated) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCalendar {
    pub calendar: YearCalendar,
    /// `None` for the seeded official calendar.
    pub updated_by: Option<UserId>,
    pub updated_at: i64,
}

impl TryFrom<CalendarRow> for StoredCalendar {
    type Error = RepoError;

    fn try_from(row: CalendarRow) -> RepoResult<Self> {
        let corrupt = |e: String| RepoError::Corrupt(format!("work calendar {}: {e}", row.year));
        let data: YearCalendarData =
            serde_json::from_str(&row.data).map_err(|e| corrupt(e.to_string()))?;
        let calendar = YearCalendar::parse(data).map_err(|e| corrupt(e.to_string()))?;
        if calendar.year() != row.year {
            return Err(corrupt(format!("the data is for {}", calendar.year())));
        }
        Ok(Self {
            calendar,
            updated_by: row.updated_by.map(UserId),
            updated_at: row.updated_at,
        })
    }
}

/// The district's calendar: every stored year (a handful of small rows, one indexed scan).
/// Read in the transaction of each command that sets a deadline, so that every API node counts
/// on the calendar the district office last saved.
pub fn load(conn: &mut DbConn) -> RepoResult<WorkCalendar> {
    let rows: Vec<CalendarRow> = work_calendars::table
        .select(CalendarRow::as_select())
        .order(work_calendars::year)
        .load(conn)?;
    let years = rows
        .into_iter()
        .map(|row| StoredCalendar::try_from(row).map(|s| s.calendar))
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(WorkCalendar::from_years(years))
}

/// One year, if stored.
pub fn find(conn: &mut DbConn, year: i32) -> RepoResult<Option<StoredCalendar>> {
    work_calendars::table
        .find(year)
        .select(CalendarRow::as_select())
        .first(conn)
        .optional()?
        .map(StoredCalendar::try_from)
        .transpose()
}

/// Store `calendar` for its year, replacing what was there.
pub fn put(
    conn: &mut DbConn,
    calendar: &YearCalendar,
    by: UserId,
    at_ms: i64,
) -> RepoResult<StoredCalendar> {
    let data = serde_json::to_string(calendar)
        .map_err(|e| RepoError::Corrupt(format!("work calendar {}: {e}", calendar.year())))?;
    let updated = diesel::update(work_calendars::table.find(calendar.year()))
        .set((
            work_calendars::data.eq(&data),
            work_calendars::updated_by.eq(Some(by.0)),
            work_calendars::updated_at.eq(at_ms),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(work_calendars::table)
            .values((
                work_calendars::year.eq(calendar.year()),
                work_calendars::data.eq(&data),
                work_calendars::updated_by.eq(Some(by.0)),
                work_calendars::updated_at.eq(at_ms),
            ))
            .execute(conn)?;
    }
    Ok(StoredCalendar {
        calendar: calendar.clone(),
        updated_by: Some(by),
        updated_at: at_ms,
    })
}
