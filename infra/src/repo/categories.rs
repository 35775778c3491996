//! The category catalogue (分类目录): read by intake, labels and reports, written by the district
//! office. A category is never deleted; issues keep its code.

use diesel::prelude::*;
use linli_domain::{
    Timestamp,
    category::{CategoryCode, CategoryEntry, CategoryName},
    issue::IssueKind,
    level::Level,
    urgency::{SpanOverrides, Urgency},
    values::Note,
};

use crate::{
    DbConn,
    codes::Code,
    error::{RepoError, RepoResult},
    schema::categories,
    time::to_millis,
};

/// A catalogue row as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = categories, treat_none_as_null = true)]
pub struct CategoryRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Comma-separated request types.
    pub kinds: String,
    pub default_level: Option<String>,
    pub default_urgency: String,
    pub photos_expected: bool,
    pub stop_notice: Option<String>,
    pub response_minutes: Option<i32>,
    pub resolution_minutes: Option<i32>,
    pub active: bool,
    pub position: i32,
    pub updated_at: i64,
}

fn corrupt(e: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(e.to_string())
}

pub(crate) fn minutes(m: Option<i32>) -> RepoResult<Option<u32>> {
    m.map(|m| u32::try_from(m).map_err(corrupt)).transpose()
}

pub(crate) fn minutes_column(m: Option<u32>) -> Option<i32> {
    m.map(|m| i32::try_from(m).unwrap_or(i32::MAX))
}

impl CategoryRow {
    pub fn to_domain(&self) -> RepoResult<CategoryEntry> {
        let kinds = self
            .kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(IssueKind::from_code)
            .collect::<RepoResult<Vec<_>>>()?;
        Ok(CategoryEntry {
            code: CategoryCode::parse(&self.code).map_err(corrupt)?,
            name_zh: CategoryName::parse("name_zh", &self.name_zh).map_err(corrupt)?,
            name_en: CategoryName::parse("name_en", &self.name_en).map_err(corrupt)?,
            kinds,
            default_level: self
                .default_level
                .as_deref()
                .map(Level::from_code)
                .transpose()?,
            default_urgency: Urgency::from_code(&self.default_urgency)?,
            photos_expected: self.photos_expected,
            stop_notice: self
                .stop_notice
                .as_deref()
                .map(Note::parse)
                .transpose()
                .map_err(corrupt)?,
            spans: SpanOverrides::minutes(
                minutes(self.response_minutes)?,
                minutes(self.resolution_minutes)?,
            ),
            active: self.active,
        })
    }

    /// The row of `entry` at `position`, changed at `now`.
    pub fn from_domain(entry: &CategoryEntry, position: i32, now: Timestamp) -> Self {
        Self {
            code: entry.code.as_str().to_owned(),
            name_zh: entry.name_zh.as_str().to_owned(),
            name_en: entry.name_en.as_str().to_owned(),
            kinds: entry
                .kinds
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>()
                .join(","),
            default_level: entry.default_level.map(|l| l.code().to_owned()),
            default_urgency: entry.default_urgency.code().to_owned(),
            photos_expected: entry.photos_expected,
            stop_notice: entry.stop_notice.as_ref().map(|n| n.as_str().to_owned()),
            response_minutes: minutes_column(entry.spans.response_minutes()),
            resolution_minutes: minutes_column(entry.spans.resolution_minutes()),
            active: entry.active,
            position,
            updated_at: to_millis(now),
        }
    }
}

/// The whole catalogue (retired categories too), in display order.
pub fn all(conn: &mut DbConn) -> RepoResult<Vec<CategoryEntry>> {
    categories::table
        .select(CategoryRow::as_select())
        .order((categories::position, categories::code))
        .load(conn)?
        .iter()
        .map(CategoryRow::to_domain)
        .collect()
}

/// One category, retired or not.
pub fn find(conn: &mut DbConn, code: CategoryCode) -> RepoResult<CategoryEntry> {
    find_row(conn, code)?.to_domain()
}

fn find_row(conn: &mut DbConn, code: CategoryCode) -> RepoResult<CategoryRow> {
    categories::table
        .find(code.as_str())
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Add a category at the end of the catalogue; `Conflict` when the code is taken.
pub fn insert(conn: &mut DbConn, entry: &CategoryEntry, now: Timestamp) -> RepoResult<()> {
    let last: Option<i32> = categories::table
        .select(diesel::dsl::max(categories::position))
        .first(conn)?;
    let row = CategoryRow::from_domain(entry, last.unwrap_or(0).saturating_add(10), now);
    diesel::insert_into(categories::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "category"))?;
    Ok(())
}

/// Replace a category, keeping its place in the catalogue; `NotFound` when there is none.
pub fn update(conn: &mut DbConn, entry: &CategoryEntry, now: Timestamp) -> RepoResult<()> {
    let position = find_row(conn, entry.code)?.position;
    let row = CategoryRow::from_domain(entry, position, now);
    diesel::update(categories::table.find(entry.code.as_str()))
        .set(&row)
        .execute(conn)?;
    Ok(())
}
