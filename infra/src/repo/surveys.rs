//! Satisfaction surveys (社会满意度调查): the surveys, their compounds (with the company managing
//! each when the survey was set), who has answered, and the anonymous answer sheets, kept
//! apart so that no answer leads back to a resident.

use diesel::{dsl::count_star, prelude::*};
use linli_domain::auth::{Role, Verification};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{survey_compounds, survey_respondents, survey_responses, surveys, users},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: i64,
    pub title: String,
    pub period: String,
    /// The questions' JSON, validated by the domain when the survey was set.
    pub questions: String,
    pub opens_at: i64,
    pub closes_at: i64,
    /// The community that set it; null for the district office.
    pub community_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = surveys)]
pub struct NewSurvey<'a> {
    pub title: &'a str,
    pub period: &'a str,
    pub questions: &'a str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub community_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = survey_compounds)]
pub struct SurveyCompound {
    pub survey_id: i64,
    pub compound_id: i64,
    pub property_company_id: i64,
}

/// One anonymous answer sheet.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_responses)]
pub struct ResponseRow {
    pub id: i64,
    pub survey_id: i64,
    pub compound_id: i64,
    pub property_company_id: i64,
    pub answers: String,
}

/// Store a survey over `compounds` (compound, its company now).
pub fn insert(
    conn: &mut DbConn,
    new: &NewSurvey<'_>,
    compounds: &[(i64, i64)],
) -> RepoResult<SurveyRow> {
    let id: i64 = diesel::insert_into(surveys::table)
        .values(new)
        .returning(surveys::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "survey"))?;
    // One row at a time: batch inserts are not available across both backends.
    for (compound, company) in compounds {
        diesel::insert_into(survey_compounds::table)
            .values((
                survey_compounds::survey_id.eq(id),
                survey_compounds::compound_id.eq(*compound),
                survey_compounds::property_company_id.eq(*company),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "survey compound"))?;
    }
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<SurveyRow> {
    surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// The compounds of the surveys `ids`, by survey and compound.
pub fn compounds_of(conn: &mut DbConn, ids: &[i64]) -> RepoResult<Vec<SurveyCompound>> {
    Ok(survey_compounds::table
        .filter(survey_compounds::survey_id.eq_any(ids))
        .order((survey_compounds::survey_id, survey_compounds::compound_id))
        .select(SurveyCompound::as_select())
        .load(conn)?)
}

/// Which surveys a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct SurveyFilter {
    /// Open at this instant: `opens_at <= t < closes_at`.
    pub open_at: Option<i64>,
    /// Covering this compound.
    pub compound: Option<i64>,
    /// Covering a compound of this company.
    pub company: Option<i64>,
}

/// Surveys newest first, keyset before `before`, at most `limit`; `compounds` narrows to the
/// surveys covering any of them (a community's compounds).
pub fn list(
    conn: &mut DbConn,
    filter: SurveyFilter,
    compounds: Option<&[i64]>,
    before: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<SurveyRow>> {
    let mut q = surveys::table
        .select(SurveyRow::as_select())
        .order(surveys::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(surveys::id.lt(b));
    }
    if let Some(t) = filter.open_at {
        q = q
            .filter(surveys::opens_at.le(t))
            .filter(surveys::closes_at.gt(t));
    }
    if let Some(c) = filter.compound {
        q = q.filter(
            surveys::id.eq_any(
                survey_compounds::table
                    .filter(survey_compounds::compound_id.eq(c))
                    .select(survey_compounds::survey_id),
            ),
        );
    }
    if let Some(p) = filter.company {
        q = q.filter(
            surveys::id.eq_any(
                survey_compounds::table
                    .filter(survey_compounds::property_company_id.eq(p))
                    .select(survey_compounds::survey_id),
            ),
        );
    }
    if let Some(ids) = compounds {
        q = q.filter(
            surveys::id.eq_any(
                survey_compounds::table
                    .filter(survey_compounds::compound_id.eq_any(ids.to_vec()))
                    .select(survey_compounds::survey_id),
            ),
        );
    }
    Ok(q.load(conn)?)
}

/// Record that `user` answered `survey`: `Conflict` when they already have.
pub fn record_respondent(conn: &mut DbConn, survey: i64, user: i64) -> RepoResult<()> {
    diesel::insert_into(survey_respondents::table)
        .values((
            survey_respondents::survey_id.eq(survey),
            survey_respondents::user_id.eq(user),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "answer to this survey"))?;
    Ok(())
}

/// Whether `user` has answered `survey`.
pub fn has_answered(conn: &mut DbConn, survey: i64, user: i64) -> RepoResult<bool> {
    let n: i64 = survey_respondents::table
        .filter(survey_respondents::survey_id.eq(survey))
        .filter(survey_respondents::user_id.eq(user))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// Which of the surveys `ids` `user` has answered.
pub fn answered_among(
    conn: &mut DbConn,
    user: i64,
    ids: &[i64],
) -> RepoResult<std::collections::HashSet<i64>> {
    Ok(survey_respondents::table
        .filter(survey_respondents::user_id.eq(user))
        .filter(survey_respondents::survey_id.eq_any(ids))
        .select(survey_respondents::survey_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// Store an answer sheet (no one's id).
pub fn insert_response(
    conn: &mut DbConn,
    survey: i64,
    compound: i64,
    company: i64,
    answers: &str,
) -> RepoResult<i64> {
    diesel::insert_into(survey_responses::table)
        .values((
            survey_responses::survey_id.eq(survey),
            survey_responses::compound_id.eq(compound),
            survey_responses::property_company_id.eq(company),
            survey_responses::answers.eq(answers),
        ))
        .returning(survey_responses::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "survey response"))
}

/// The answer sheets of the surveys `ids`.
pub fn responses(conn: &mut DbConn, ids: &[i64]) -> RepoResult<Vec<ResponseRow>> {
    Ok(survey_responses::table
        .filter(survey_responses::survey_id.eq_any(ids))
        .order(survey_responses::id)
        .select(ResponseRow::as_select())
        .load(conn)?)
}

/// The surveys of a period (a quarter), by id.
pub fn of_period(conn: &mut DbConn, period: &str) -> RepoResult<Vec<SurveyRow>> {
    Ok(surveys::table
        .filter(surveys::period.eq(period))
        .order(surveys::id)
        .select(SurveyRow::as_select())
        .load(conn)?)
}

/// Verified, enabled residents per compound among `compounds` (a survey's invitations).
pub fn verified_residents(conn: &mut DbConn, compounds: &[i64]) -> RepoResult<Vec<(i64, i64)>> {
    let rows: Vec<(Option<i64>, i64)> = users::table
        .filter(users::role.eq(Role::Resident.as_str()))
        .filter(users::verification.eq(Verification::Verified.as_str()))
        .filter(users::disabled_at.is_null())
        .filter(users::compound_id.eq_any(compounds))
        .group_by(users::compound_id)
        .select((users::compound_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, n)| c.map(|c| (c, n)))
        .collect())
}
