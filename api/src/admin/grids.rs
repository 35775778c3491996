//! /admin/grids: the grids (网格) of each community, the smallest unit of community management.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{CommunityId, GridId},
    values::OrgName,
};
use linli_infra::repo::org::GridRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::{AdminCaller, all, created, one, time},
    error::{ApiResult, Problem},
    responses::{AdminOnly, Malformed, NotFound},
    state::AppState,
};

/// Body of POST /admin/grids: a grid (网格) in a community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"community_id": 1, "name": "文源一网格"}))]
pub struct CreateGridRequest {
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Unique within the community.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A grid (网格): the smallest unit of community management.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "community_id": 1, "name": "文源一网格", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct GridResponse {
    /// Grid id.
    pub id: i64,
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Grid name, e.g. 文源一网格.
    pub name: String,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<GridRow> for GridResponse {
    fn from(r: GridRow) -> Self {
        Self {
            id: r.id,
            community_id: r.community_id,
            name: r.name,
            created_at: time(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GridFilter {
    /// Only the grids of this community.
    pub community_id: Option<i64>,
}

/// Create a grid (网格) in a community.
#[utoipa::path(
    tag = "admin",
    request_body = CreateGridRequest,
    responses(
        (status = 201, description = "Grid created", body = GridResponse),
        (status = 409, description = "The community already has a grid of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or unknown `community_id` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, Malformed,
    )
)]
#[post("/admin/grids")]
pub async fn create_grid(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateGridRequest>,
) -> ApiResult<HttpResponse> {
    let (community, name) = (CommunityId(body.community_id), OrgName::parse(&body.name)?);
    let row = state
        .call(move |app| app.create_grid(community, name))
        .await?;
    Ok(created("grids", row.id, GridResponse::from(row)))
}

/// List grids, optionally of one community.
#[utoipa::path(
    tag = "admin",
    params(GridFilter),
    responses((status = 200, description = "Grids, by id", body = [GridResponse]), AdminOnly)
)]
#[get("/admin/grids")]
pub async fn list_grids(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<GridFilter>,
) -> ApiResult<web::Json<Vec<GridResponse>>> {
    let community = filter.community_id.map(CommunityId);
    all(&state, move |app| app.list_grids(community)).await
}

/// One grid.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Grid id")),
    responses((status = 200, description = "The grid", body = GridResponse), AdminOnly, NotFound)
)]
#[get("/admin/grids/{id}")]
pub async fn get_grid(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<GridId>,
) -> ApiResult<web::Json<GridResponse>> {
    one(&state, move |app| app.grid(id.into_inner())).await
}
