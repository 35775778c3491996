//! Assessment schemes (考核评价办法): the district office sets one per year; each change is a
//! new version, and a rating run copies the version it used.

use linli_domain::{evaluation::AssessmentScheme, ids::UserId};
use linli_infra::{
    repo::assessment_schemes::{self, StoredScheme},
    time::to_millis,
};

use crate::application::{AppResult, Application};

impl Application {
    /// Add the next version of `year`'s scheme, set by `author` (the district office).
    pub fn create_assessment_scheme(
        &self,
        author: UserId,
        year: i32,
        scheme: AssessmentScheme,
    ) -> AppResult<StoredScheme> {
        let now = to_millis(self.now());
        self.write(|conn| {
            Ok(assessment_schemes::insert(
                conn, year, &scheme, author.0, now,
            )?)
        })
    }

    /// Every version, optionally of one year; newest first.
    pub fn list_assessment_schemes(&self, year: Option<i32>) -> AppResult<Vec<StoredScheme>> {
        self.read(|conn| Ok(assessment_schemes::list(conn, year)?))
    }
}
