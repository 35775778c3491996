//! GET /directory/…: what a new resident picks from when signing up in the app, with no token
//! and no admin: their community by a fragment of its name, then its compounds, then the
//! buildings of their compound. Names and ids only.

use actix_web::{get, web};
use linli_domain::ids::{CommunityId, CompoundId};
use linli_infra::repo::org::DirectoryRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::{AppResult, Application, ProblemCode},
    error::{ApiError, ApiResult},
    pagination::{Page, PageParams},
    responses::NotFound,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Only names containing this fragment (e.g. `东坪`); pinyin is not matched.
    #[param(max_length = 50)]
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// One place to pick: its id and name (for a community, also its street's name).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "东坪社区", "street_name": "岳塘街道"}))]
pub struct DirectoryEntry {
    pub id: i64,
    pub name: String,
    /// The street (街道) of a community, to tell apart communities of the same name; absent
    /// for compounds and buildings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
}

pub type DirectoryPage = Page<DirectoryEntry>;

/// Run a directory lookup for one page.
async fn page(
    state: &AppState,
    query: DirectoryQuery,
    lookup: impl FnOnce(&Application, Option<&str>, Option<i64>, i64) -> AppResult<Vec<DirectoryRow>>
    + Send
    + 'static,
) -> ApiResult<web::Json<DirectoryPage>> {
    let params = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 50) {
        return Err(ApiError::bad_request(
            ProblemCode::InvalidQuery,
            "q is at most 50 characters",
        ));
    }
    let q = query.q;
    let rows = state
        .call(move |app| lookup(app, q.as_deref(), params.after, params.fetch()))
        .await?;
    Ok(web::Json(Page::of(
        &params,
        rows,
        |r| r.id,
        |r| DirectoryEntry {
            id: r.id,
            name: r.name,
            street_name: r.parent_name,
        },
    )))
}

/// Communities (社区), by id, optionally those whose name contains `q`.
///
/// Public: a resident signing up finds their community here.
#[utoipa::path(
    tag = "directory",
    params(DirectoryQuery),
    responses((status = 200, description = "One page of communities", body = DirectoryPage))
)]
#[get("/directory/communities")]
pub async fn list_directory_communities(
    state: web::Data<AppState>,
    query: web::Query<DirectoryQuery>,
) -> ApiResult<web::Json<DirectoryPage>> {
    page(&state, query.into_inner(), |app, q, after, fetch| {
        app.directory_communities(q, after, fetch)
    })
    .await
}

/// The compounds (小区) of a community, by id, optionally those whose name contains `q`.
#[utoipa::path(
    tag = "directory",
    params(("id" = i64, Path, description = "Community id"), DirectoryQuery),
    responses((status = 200, description = "One page of the community's compounds", body = DirectoryPage), NotFound)
)]
#[get("/directory/communities/{id}/compounds")]
pub async fn list_directory_compounds(
    state: web::Data<AppState>,
    id: web::Path<CommunityId>,
    query: web::Query<DirectoryQuery>,
) -> ApiResult<web::Json<DirectoryPage>> {
    let community = id.into_inner();
    page(&state, query.into_inner(), move |app, q, after, fetch| {
        app.directory_compounds(community, q, after, fetch)
    })
    .await
}

/// The buildings (楼栋) of a compound, by id, optionally those whose name contains `q`.
#[utoipa::path(
    tag = "directory",
    params(("id" = i64, Path, description = "Compound id"), DirectoryQuery),
    responses((status = 200, description = "One page of the compound's buildings", body = DirectoryPage), NotFound)
)]
#[get("/directory/compounds/{id}/buildings")]
pub async fn list_directory_buildings(
    state: web::Data<AppState>,
    id: web::Path<CompoundId>,
    query: web::Query<DirectoryQuery>,
) -> ApiResult<web::Json<DirectoryPage>> {
    let compound = id.into_inner();
    page(&state, query.into_inner(), move |app, q, after, fetch| {
        app.directory_buildings(compound, q, after, fetch)
    })
    .await
}
