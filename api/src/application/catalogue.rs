//! The category catalogue as data: reading it (the filing screen, labels, reports, intake's
//! routing) and the district office's edits (区物管办 adds and changes categories).

use linli_domain::{
    auth::{Actor, Role},
    category::{CategoryCode, CategoryEntry},
};
use linli_infra::{DbConn, RepoError, repo::categories};

use super::issues::forbidden;
use crate::application::{AppError, AppResult, Application, ProblemCode};

/// The whole catalogue as read in one query, for naming and ordering categories by code.
#[derive(Debug, Clone, Default)]
pub struct Catalogue(Vec<CategoryEntry>);

impl Catalogue {
    pub fn load(conn: &mut DbConn) -> AppResult<Self> {
        Ok(Self(categories::all(conn)?))
    }

    pub fn entries(&self) -> &[CategoryEntry] {
        &self.0
    }

    /// The catalogue position and entry of a stored code.
    pub fn get(&self, code: &str) -> Option<(usize, &CategoryEntry)> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, e)| e.code.as_str() == code)
    }

    /// The Chinese name of a stored code (the code itself if the catalogue lacks it).
    pub fn name_zh(&self, code: &str) -> String {
        self.get(code)
            .map_or_else(|| code.to_owned(), |(_, e)| e.name_zh.as_str().to_owned())
    }
}

/// The catalogue entry of `code`, retired or not; a validation error on `category` when the
/// catalogue has no such category.
pub fn known_entry(conn: &mut DbConn, code: CategoryCode) -> AppResult<CategoryEntry> {
    match categories::find(conn, code) {
        Ok(entry) => Ok(entry),
        Err(RepoError::NotFound) => Err(AppError::validation(
            "category",
            format!("unknown category `{code}`; see GET /categories"),
        )),
        Err(e) => Err(e.into()),
    }
}

fn require_district_office(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::DistrictOffice {
        Ok(())
    } else {
        Err(forbidden(
            "only the district office edits the category catalogue",
        ))
    }
}

impl Application {
    /// The categories that take new issues, in catalogue order.
    pub fn list_categories(&self) -> AppResult<Vec<CategoryEntry>> {
        let catalogue = self.read(Catalogue::load)?;
        Ok(catalogue.0.into_iter().filter(|e| e.active).collect())
    }

    /// Every category's code with its Chinese and English names (retired ones too), in
    /// catalogue order.
    pub fn category_names(&self) -> AppResult<Vec<(String, String, String)>> {
        let catalogue = self.read(Catalogue::load)?;
        Ok(catalogue
            .0
            .into_iter()
            .map(|e| {
                (
                    e.code.as_str().to_owned(),
                    e.name_zh.into_string(),
                    e.name_en.into_string(),
                )
            })
            .collect())
    }

    /// Add a category at the end of the catalogue (the district office only); `conflict` when
    /// the code is taken.
    pub fn create_category(&self, actor: &Actor, entry: CategoryEntry) -> AppResult<CategoryEntry> {
        require_district_office(actor)?;
        let now = self.now();
        self.write(|conn| {
            categories::insert(conn, &entry, now).map_err(|e| match e {
                RepoError::Conflict(_) => AppError::conflict(
                    ProblemCode::Conflict,
                    format!(
                        "the category `{}` already exists; change it with PUT",
                        entry.code
                    ),
                ),
                other => other.into(),
            })?;
            Ok(categories::find(conn, entry.code)?)
        })
    }

    /// Replace a category (the district office only): issues filed from now on are routed by
    /// the new entry; issues already filed keep the routing they had.
    pub fn update_category(&self, actor: &Actor, entry: CategoryEntry) -> AppResult<CategoryEntry> {
        require_district_office(actor)?;
        let now = self.now();
        self.write(|conn| {
            categories::update(conn, &entry, now)?;
            Ok(categories::find(conn, entry.code)?)
        })
    }
}
