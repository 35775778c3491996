//! /admin/streets: the streets (街道) of the district, the top of the organisation tree.

use actix_web::{get, post};
use chrono::{DateTime, Utc};
use linli_domain::{ids::StreetId, values::OrgName};
use linli_infra::repo::org::StreetRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::time;

/// Body of POST /admin/streets: a street (街道).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "东坪街道"}))]
pub struct CreateStreetRequest {
    /// 1 to 100 characters, unique in the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A street (街道).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "东坪街道", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct StreetResponse {
    /// Street id.
    pub id: i64,
    /// Street name, e.g. 东坪街道.
    pub name: String,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<StreetRow> for StreetResponse {
    fn from(r: StreetRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            created_at: time(r.created_at),
        }
    }
}

create_route! {
    /// Create a street (街道).
    create_street("/admin/streets", body: CreateStreetRequest) -> StreetResponse {
        201: "Street created",
        409: "A street with this name exists (`conflict`)",
        422: "Invalid name (`validation_failed`)",
    }
    {
        let name = OrgName::parse(&body.name)?;
        move |app| app.create_street(name)
    }
}

list_route! {
    /// List the streets.
    list_streets("/admin/streets") -> [StreetResponse] "All streets, by id",
    |app| app.list_streets()
}

get_route! {
    /// One street.
    get_street("/admin/streets/{id}", id: StreetId "Street id") -> StreetResponse "The street",
    street
}
