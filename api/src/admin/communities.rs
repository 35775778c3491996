//! /admin/communities: the communities (社区) of each street.

use actix_web::{get, post};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{CommunityId, StreetId},
    values::OrgName,
};
use linli_infra::repo::org::CommunityRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::admin::time;

/// Body of POST /admin/communities: a community (社区) in a street.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"street_id": 1, "name": "东坪社区"}))]
pub struct CreateCommunityRequest {
    /// The street (街道) it belongs to.
    pub street_id: i64,
    /// Unique within the street.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A community (社区).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "street_id": 1, "name": "东坪社区", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct CommunityResponse {
    /// Community id.
    pub id: i64,
    /// The street (街道) it belongs to.
    pub street_id: i64,
    /// Community name, e.g. 东坪社区.
    pub name: String,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<CommunityRow> for CommunityResponse {
    fn from(r: CommunityRow) -> Self {
        Self {
            id: r.id,
            street_id: r.street_id,
            name: r.name,
            created_at: time(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CommunityFilter {
    /// Only the communities of this street.
    pub street_id: Option<i64>,
}

create_route! {
    /// Create a community (社区) in a street.
    create_community("/admin/communities", body: CreateCommunityRequest) -> CommunityResponse {
        201: "Community created",
        409: "The street already has a community of this name (`conflict`)",
        422: "Invalid name or unknown `street_id` (`validation_failed`)",
    }
    {
        let (street, name) = (StreetId(body.street_id), OrgName::parse(&body.name)?);
        move |app| app.create_community(street, name)
    }
}

list_route! {
    /// List communities, optionally of one street.
    list_communities("/admin/communities", filter: CommunityFilter) -> [CommunityResponse] "Communities, by id",
    move |app| app.list_communities(filter.street_id.map(StreetId))
}

get_route! {
    /// One community.
    get_community("/admin/communities/{id}", id: CommunityId "Community id") -> CommunityResponse "The community",
    community
}
