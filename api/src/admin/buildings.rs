//! /admin/buildings: the buildings (楼栋) of each compound, each placed in one grid of the
//! compound's own community.

use actix_web::{get, post};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{BuildingId, CompoundId, GridId},
    values::OrgName,
};
use linli_infra::repo::org::BuildingRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::admin::time;

/// Body of POST /admin/buildings: a building (楼栋) of a compound, in one grid.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"compound_id": 1, "name": "3栋", "grid_id": 1}))]
pub struct CreateBuildingRequest {
    /// The compound (小区) it stands in.
    pub compound_id: i64,
    /// Unique within the compound.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The grid it belongs to: a grid of the compound's own community.
    pub grid_id: i64,
}

/// A building (楼栋), in one compound and one grid.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "compound_id": 1, "name": "3栋", "grid_id": 1, "created_at": "2026-09-01T00:00:00Z"}))]
pub struct BuildingResponse {
    /// Building id.
    pub id: i64,
    /// The compound (小区) it stands in.
    pub compound_id: i64,
    /// Building name, e.g. 3栋.
    pub name: String,
    /// The grid (网格) it belongs to.
    pub grid_id: i64,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<BuildingRow> for BuildingResponse {
    fn from(r: BuildingRow) -> Self {
        Self {
            id: r.id,
            compound_id: r.compound_id,
            name: r.name,
            grid_id: r.grid_id,
            created_at: time(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BuildingQuery {
    /// Only the buildings of this compound.
    pub compound_id: Option<i64>,
    /// Only the buildings of this grid.
    pub grid_id: Option<i64>,
}

create_route! {
    /// Create a building (楼栋) in a compound, placed in a grid of the same community.
    create_building("/admin/buildings", body: CreateBuildingRequest) -> BuildingResponse {
        201: "Building created",
        409: "The compound already has a building of this name (`conflict`)",
        422: "Invalid name, unknown `compound_id` or `grid_id`, or a grid of another community (`validation_failed`)",
    }
    {
        let name = OrgName::parse(&body.name)?;
        let (compound, grid) = (CompoundId(body.compound_id), GridId(body.grid_id));
        move |app| app.create_building(compound, name, grid)
    }
}

list_route! {
    /// List buildings, optionally of one compound or one grid.
    list_buildings("/admin/buildings", query: BuildingQuery) -> [BuildingResponse] "Buildings, by id",
    move |app| app.list_buildings(query.compound_id.map(CompoundId), query.grid_id.map(GridId))
}

get_route! {
    /// One building.
    get_building("/admin/buildings/{id}", id: BuildingId "Building id") -> BuildingResponse "The building",
    building
}
