//! /admin/grids: the grids (网格) of each community, the smallest unit of community management.

use actix_web::{get, post};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{CommunityId, GridId},
    values::OrgName,
};
use linli_infra::repo::org::GridRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::admin::time;

/// Body of POST /admin/grids: a grid (网格) in a community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"community_id": 1, "name": "东坪一网格"}))]
pub struct CreateGridRequest {
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Unique within the community.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A grid (网格): the smallest unit of community management.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "community_id": 1, "name": "东坪一网格", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct GridResponse {
    /// Grid id.
    pub id: i64,
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Grid name, e.g. 东坪一网格.
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

create_route! {
    /// Create a grid (网格) in a community.
    create_grid("/admin/grids", body: CreateGridRequest) -> GridResponse {
        201: "Grid created",
        409: "The community already has a grid of this name (`conflict`)",
        422: "Invalid name or unknown `community_id` (`validation_failed`)",
    }
    {
        let (community, name) = (CommunityId(body.community_id), OrgName::parse(&body.name)?);
        move |app| app.create_grid(community, name)
    }
}

list_route! {
    /// List grids, optionally of one community.
    list_grids("/admin/grids", filter: GridFilter) -> [GridResponse] "Grids, by id",
    move |app| app.list_grids(filter.community_id.map(CommunityId))
}

get_route! {
    /// One grid.
    get_grid("/admin/grids/{id}", id: GridId "Grid id") -> GridResponse "The grid",
    grid
}
