//! GET /issues/similar: "is this already reported?" — before a resident files, the app shows the
//! open public cases of the same compound and category, so they can add "me too" (附议)
//! instead of filing a second report.

use actix_web::{get, web};
use linli_domain::{category::CategoryCode, ids::CompoundId};
use linli_infra::repo::issues::IssueListFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    issues::query::{IssuePage, issue_page},
    pagination::PageParams,
    responses::Unauthenticated,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarIssuesQuery {
    /// The compound (小区) about to be reported on.
    #[param(value_type = i64, minimum = 1)]
    pub compound_id: CompoundId,
    /// The category about to be chosen, e.g. `water_leak`.
    #[param(value_type = linli_domain::category::CategoryCode)]
    pub category: String,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The open public (公示) issues of a compound in a category, newest first, each with its
/// `support_count`: what a resident may support instead of filing again.
///
/// Only what the caller may see anyway: a resident gets their own compound's public cases
/// (none before they are verified), staff those of their scope.
#[utoipa::path(
    tag = "issues",
    params(SimilarIssuesQuery),
    responses(
        (status = 200, description = "One page of open public issues like the one about to be filed", body = IssuePage),
        (status = 400, description = "A parameter is missing or invalid (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category (`validation_failed`, field `category`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
    )
)]
#[get("/issues/similar")]
pub async fn list_similar_issues(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SimilarIssuesQuery>,
) -> ApiResult<web::Json<IssuePage>> {
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let filter = IssueListFilter {
        category: Some(CategoryCode::parse(query.category.trim())?),
        compound_id: Some(query.compound_id.0),
        open_public_only: true,
        before_id: page.after,
        limit: page.fetch(),
        ..IssueListFilter::default()
    };
    issue_page(&state, caller, &page, filter).await
}
