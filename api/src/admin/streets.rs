//! /admin/streets: the streets (街道) of the district, the top of the organisation tree.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{ids::StreetId, values::OrgName};
use linli_infra::repo::org::StreetRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    admin::{AdminCaller, all, created, one, time},
    error::{ApiResult, Problem},
    responses::{AdminOnly, Malformed, NotFound},
    state::AppState,
};

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

/// Create a street (街道).
#[utoipa::path(
    tag = "admin",
    request_body = CreateStreetRequest,
    responses(
        (status = 201, description = "Street created", body = StreetResponse),
        (status = 409, description = "A street with this name exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, Malformed,
    )
)]
#[post("/admin/streets")]
pub async fn create_street(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateStreetRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let row = state.call(move |app| app.create_street(name)).await?;
    Ok(created("streets", row.id, StreetResponse::from(row)))
}

/// List the streets.
#[utoipa::path(
    tag = "admin",
    responses((status = 200, description = "All streets, by id", body = [StreetResponse]), AdminOnly)
)]
#[get("/admin/streets")]
pub async fn list_streets(
    _admin: AdminCaller,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<StreetResponse>>> {
    all(&state, |app| app.list_streets()).await
}

/// One street.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Street id")),
    responses((status = 200, description = "The street", body = StreetResponse), AdminOnly, NotFound)
)]
#[get("/admin/streets/{id}")]
pub async fn get_street(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<StreetId>,
) -> ApiResult<web::Json<StreetResponse>> {
    one(&state, move |app| app.street(id.into_inner())).await
}
