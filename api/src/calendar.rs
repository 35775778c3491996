//! /calendar/{year}: the working-day calendar (节假日安排) deadlines count on — public holidays
//! and 调休 make-up working days — read by staff, maintained by the district office.

use actix_web::{get, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use linli_domain::{
    auth::Role,
    calendar::{YearCalendar, YearCalendarData},
};
use linli_infra::{repo::calendars::StoredCalendar, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    responses::{DistrictOfficeOnly, Malformed, Unauthenticated},
    state::AppState,
};

/// The years a calendar may be kept for (as `YearCalendar::parse` checks).
const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Body of PUT /calendar/{year}: the year's exceptions to the Monday–Friday week.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "holidays": ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
                 "2026-10-06", "2026-10-07"],
    "make_up_working_days": ["2026-09-20", "2026-10-10"]
}))]
pub struct PutCalendarRequest {
    /// Dates off (放假), all in the year; weekends inside a holiday may be listed or not.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays worked (调休上班), all in the year; none may be a holiday.
    pub make_up_working_days: Vec<NaiveDate>,
}

/// A year of the calendar as deadlines count on it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "year": 2026, "configured": true,
    "holidays": ["2026-10-01", "2026-10-02"], "make_up_working_days": ["2026-09-20"],
    "updated_by": null, "updated_at": "2025-11-04T00:00:00Z"
}))]
pub struct CalendarResponse {
    pub year: i32,
    /// Whether the district office set this year (the official 2026 calendar is built in).
    /// `false`: no holidays are known, every Monday–Friday is a working day.
    pub configured: bool,
    pub holidays: Vec<NaiveDate>,
    pub make_up_working_days: Vec<NaiveDate>,
    /// The district-office account that last set it; null for the built-in calendar.
    pub updated_by: Option<i64>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl CalendarResponse {
    fn of(year: i32, stored: Option<StoredCalendar>) -> Self {
        match stored {
            None => Self {
                year,
                configured: false,
                holidays: Vec::new(),
                make_up_working_days: Vec::new(),
                updated_by: None,
                updated_at: None,
            },
            Some(s) => {
                let data = YearCalendarData::from(s.calendar);
                Self {
                    year: data.year,
                    configured: true,
                    holidays: data.holidays,
                    make_up_working_days: data.make_up_working_days,
                    updated_by: s.updated_by.map(|u| u.0),
                    updated_at: from_millis(s.updated_at).ok(),
                }
            }
        }
    }
}

/// A year of the working-day calendar. Any staff account.
#[utoipa::path(
    tag = "calendar",
    params(("year" = i32, Path, description = "The year, e.g. 2026")),
    responses(
        (status = 200, description = "The year (`configured: false` when never set)", body = CalendarResponse),
        (status = 403, description = "A resident (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The year is not a number (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A year outside 1970–9999 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
    )
)]
#[get("/calendar/{year}")]
pub async fn get_calendar(
    caller: Caller,
    state: web::Data<AppState>,
    year: web::Path<i32>,
) -> ApiResult<web::Json<CalendarResponse>> {
    if !caller.role().is_staff() {
        return Err(ApiError::forbidden("the calendar is for staff"));
    }
    let year = year.into_inner();
    if !YEARS.contains(&year) {
        return Err(ApiError::validation("year", "must be from 1970 to 9999"));
    }
    let stored = state.call(move |app| app.work_calendar(year)).await?;
    Ok(web::Json(CalendarResponse::of(year, stored)))
}

/// Set a year's holidays and make-up working days (the State Council's notice, or a local
/// change), replacing what was there. Deadlines set from now on count on it; deadlines already
/// set stay. District office only.
#[utoipa::path(
    tag = "calendar",
    params(("year" = i32, Path, description = "The year, 1970–9999")),
    request_body = PutCalendarRequest,
    responses(
        (status = 200, description = "The year as stored", body = CalendarResponse),
        DistrictOfficeOnly,
        (status = 404, description = "The year is not a number (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date outside the year, a weekday as a make-up working day, a date both off and worked, a year out of range (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[put("/calendar/{year}")]
pub async fn put_calendar(
    caller: Caller,
    state: web::Data<AppState>,
    year: web::Path<i32>,
    body: web::Json<PutCalendarRequest>,
) -> ApiResult<web::Json<CalendarResponse>> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let calendar = YearCalendar::parse(YearCalendarData {
        year: year.into_inner(),
        holidays: body.holidays,
        make_up_working_days: body.make_up_working_days,
    })?;
    let author = caller.user_id();
    let year = calendar.year();
    let stored = state
        .call(move |app| app.put_work_calendar(author, calendar))
        .await?;
    Ok(web::Json(CalendarResponse::of(year, Some(stored))))
}
