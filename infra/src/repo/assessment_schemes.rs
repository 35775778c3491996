//! The district office's assessment schemes (考核评价办法), one version per POST and year.

use diesel::prelude::*;
use linli_domain::evaluation::{AssessmentScheme, SchemeSpec};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::assessment_schemes,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessment_schemes)]
pub struct SchemeRow {
    pub id: i64,
    pub year: i32,
    pub version: i32,
    pub spec: String,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assessment_schemes)]
struct NewSchemeRow<'a> {
    year: i32,
    version: i32,
    spec: &'a str,
    created_by: i64,
    created_at: i64,
}

/// A stored scheme, its JSON read back into the domain's (re-validated) value.
#[derive(Debug, Clone)]
pub struct StoredScheme {
    pub id: i64,
    pub year: i32,
    pub version: i32,
    pub scheme: AssessmentScheme,
    pub created_by: i64,
    pub created_at: i64,
}

impl TryFrom<SchemeRow> for StoredScheme {
    type Error = RepoError;

    fn try_from(row: SchemeRow) -> RepoResult<Self> {
        let spec: SchemeSpec = serde_json::from_str(&row.spec)
            .map_err(|e| RepoError::Corrupt(format!("assessment scheme {}: {e}", row.id)))?;
        let scheme = AssessmentScheme::parse(spec)
            .map_err(|e| RepoError::Corrupt(format!("assessment scheme {}: {e}", row.id)))?;
        Ok(Self {
            id: row.id,
            year: row.year,
            version: row.version,
            scheme,
            created_by: row.created_by,
            created_at: row.created_at,
        })
    }
}

/// Add the next version of `year`'s scheme.
pub fn insert(
    conn: &mut DbConn,
    year: i32,
    scheme: &AssessmentScheme,
    created_by: i64,
    created_at: i64,
) -> RepoResult<StoredScheme> {
    let latest: Option<i32> = assessment_schemes::table
        .filter(assessment_schemes::year.eq(year))
        .select(diesel::dsl::max(assessment_schemes::version))
        .first(conn)?;
    let spec = serde_json::to_string(scheme.spec())
        .map_err(|e| RepoError::Corrupt(format!("assessment scheme: {e}")))?;
    let id: i64 = diesel::insert_into(assessment_schemes::table)
        .values(&NewSchemeRow {
            year,
            version: latest.unwrap_or(0) + 1,
            spec: &spec,
            created_by,
            created_at,
        })
        .returning(assessment_schemes::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "assessment scheme version"))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<StoredScheme> {
    assessment_schemes::table
        .find(id)
        .select(SchemeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)?
        .try_into()
}

/// The latest version of `year`'s scheme, if the office set one.
pub fn latest(conn: &mut DbConn, year: i32) -> RepoResult<Option<StoredScheme>> {
    assessment_schemes::table
        .filter(assessment_schemes::year.eq(year))
        .order(assessment_schemes::version.desc())
        .select(SchemeRow::as_select())
        .first(conn)
        .optional()?
        .map(TryInto::try_into)
        .transpose()
}

/// Every version, optionally of one year: newest year first, latest version first.
pub fn list(conn: &mut DbConn, year: Option<i32>) -> RepoResult<Vec<StoredScheme>> {
    let mut query = assessment_schemes::table
        .select(SchemeRow::as_select())
        .order((
            assessment_schemes::year.desc(),
            assessment_schemes::version.desc(),
        ))
        .into_boxed();
    if let Some(y) = year {
        query = query.filter(assessment_schemes::year.eq(y));
    }
    query
        .load(conn)?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}
