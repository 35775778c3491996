//! /admin/communities: the communities (社区) of each street.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::{CommunityId, StreetId},
    values::OrgName,
};
use linli_infra::repo::org::CommunityRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::{AdminCaller, all, created, one, time},
    error::{ApiResult, Problem},
    responses::{AdminOnly, Malformed, NotFound},
    state::AppState,
};

/// Body of POST /admin/communities: a community (社区) in a street.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"street_id": 1, "name": "文源社区"}))]
pub struct CreateCommunityRequest {
    /// The street (街道) it belongs to.
    pub street_id: i64,
    /// Unique within the street.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A community (社区).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "street_id": 1, "name": "文源社区", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct CommunityResponse {
    /// Community id.
    pub id: i64,
    /// The street (街道) it belongs to.
    pub street_id: i64,
    /// Community name, e.g. 文源社区.
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

/// Create a community (社区) in a street.
#[utoipa::path(
    tag = "admin",
    request_body = CreateCommunityRequest,
    responses(
        (status = 201, description = "Community created", body = CommunityResponse),
        (status = 409, description = "The street already has a community of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or unknown `street_id` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, Malformed,
    )
)]
#[post("/admin/communities")]
pub async fn create_community(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateCommunityRequest>,
) -> ApiResult<HttpResponse> {
    let (street, name) = (StreetId(body.street_id), OrgName::parse(&body.name)?);
    let row = state
        .call(move |app| app.create_community(street, name))
        .await?;
    Ok(created("communities", row.id, CommunityResponse::from(row)))
}

/// List communities, optionally of one street.
#[utoipa::path(
    tag = "admin",
    params(CommunityFilter),
    responses((status = 200, description = "Communities, by id", body = [CommunityResponse]), AdminOnly)
)]
#[get("/admin/communities")]
pub async fn list_communities(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<CommunityFilter>,
) -> ApiResult<web::Json<Vec<CommunityResponse>>> {
    let street = filter.street_id.map(StreetId);
    all(&state, move |app| app.list_communities(street)).await
}

/// One community.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "The community", body = CommunityResponse), AdminOnly, NotFound)
)]
#[get("/admin/communities/{id}")]
pub async fn get_community(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<CommunityId>,
) -> ApiResult<web::Json<CommunityResponse>> {
    one(&state, move |app| app.community(id.into_inner())).await
}
