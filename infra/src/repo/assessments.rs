//! Daily work assessments (日常工作考核) of property companies by community officials and the
//! district office: per compound and quarter, or per month itemised by the scheme's checklist.

use diesel::prelude::*;
use linli_domain::ids::AssessmentId;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{assessment_photos, assessments, compounds, property_companies},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: i64,
    pub property_company_id: i64,
    pub compound_id: i64,
    pub period: String,
    pub score: i32,
    pub notes: String,
    pub assessor_id: i64,
    pub created_at: i64,
    /// The month assessed (`YYYY-MM`); null for a quarterly assessment.
    pub month: Option<String>,
    /// The scores per checklist item (JSON); null for a single overall score.
    pub items: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assessments)]
pub struct NewAssessment<'a> {
    pub property_company_id: i64,
    pub compound_id: i64,
    pub period: &'a str,
    pub score: i32,
    pub notes: &'a str,
    pub assessor_id: i64,
    pub created_at: i64,
    pub month: Option<&'a str>,
    pub items: Option<&'a str>,
}

/// An assessment with the names of its company and compound, and its evidence photos' ids.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub row: AssessmentRow,
    pub property_company_name: String,
    pub compound_name: String,
    pub community_id: i64,
    pub photo_ids: Vec<i64>,
}

/// An evidence photo of an assessment (the bytes are in the photo store).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessment_photos)]
pub struct AssessmentPhotoRow {
    pub id: i64,
    pub assessment_id: i64,
    pub uploaded_by: i64,
    pub content_hash: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assessment_photos)]
pub struct NewAssessmentPhoto<'a> {
    pub assessment_id: i64,
    pub uploaded_by: i64,
    pub content_hash: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub created_at: i64,
}

pub fn insert_photo(conn: &mut DbConn, new: &NewAssessmentPhoto<'_>) -> RepoResult<i64> {
    diesel::insert_into(assessment_photos::table)
        .values(new)
        .returning(assessment_photos::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "assessment photo"))
}

/// Evidence photo `id` of assessment `assessment`, `NotFound` otherwise.
pub fn find_photo(conn: &mut DbConn, assessment: i64, id: i64) -> RepoResult<AssessmentPhotoRow> {
    assessment_photos::table
        .filter(assessment_photos::id.eq(id))
        .filter(assessment_photos::assessment_id.eq(assessment))
        .select(AssessmentPhotoRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// (assessment, photo) ids of the assessments `ids`, by photo id.
pub fn photo_ids(conn: &mut DbConn, ids: &[i64]) -> RepoResult<Vec<(i64, i64)>> {
    Ok(assessment_photos::table
        .filter(assessment_photos::assessment_id.eq_any(ids))
        .order(assessment_photos::id)
        .select((assessment_photos::assessment_id, assessment_photos::id))
        .load(conn)?)
}

pub fn insert(conn: &mut DbConn, new: &NewAssessment<'_>) -> RepoResult<AssessmentRow> {
    let id: i64 = diesel::insert_into(assessments::table)
        .values(new)
        .returning(assessments::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "assessment"))?;
    find(conn, AssessmentId(id))
}

pub fn find(conn: &mut DbConn, id: AssessmentId) -> RepoResult<AssessmentRow> {
    assessments::table
        .find(id.0)
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Assessments, optionally of one period and of the compounds of one community, by id, with
/// names (one JOIN query).
pub fn list(
    conn: &mut DbConn,
    period: Option<&str>,
    community_id: Option<i64>,
) -> RepoResult<Vec<AssessmentView>> {
    let mut query = assessments::table
        .inner_join(compounds::table)
        .inner_join(property_companies::table)
        .select((
            AssessmentRow::as_select(),
            property_companies::name,
            compounds::name,
            compounds::community_id,
        ))
        .order(assessments::id)
        .into_boxed();
    if let Some(p) = period {
        query = query.filter(assessments::period.eq(p.to_owned()));
    }
    if let Some(c) = community_id {
        query = query.filter(compounds::community_id.eq(c));
    }
    let rows: Vec<(AssessmentRow, String, String, i64)> = query.load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let photos = photo_ids(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(
            |(row, property_company_name, compound_name, community_id)| AssessmentView {
                photo_ids: photos
                    .iter()
                    .filter(|(a, _)| *a == row.id)
                    .map(|(_, p)| *p)
                    .collect(),
                row,
                property_company_name,
                compound_name,
                community_id,
            },
        )
        .collect())
}
