//! /admin/property-companies: the property-management companies (物业企业) of the district.
//! Which company manages which compound, and since when, is in `compounds.rs`.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{ids::PropertyCompanyId, values::OrgName};
use linli_infra::repo::org::PropertyCompanyRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    admin::{AdminCaller, all, created, one, time},
    error::{ApiResult, Problem},
    responses::{AdminOnly, Malformed, NotFound},
    state::AppState,
};

/// Body of POST /admin/property-companies: a property company (物业企业).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "西雅帝物业"}))]
pub struct CreatePropertyCompanyRequest {
    /// Unique in the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A property-management company (物业企业).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "西雅帝物业", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct PropertyCompanyResponse {
    /// Property company id.
    pub id: i64,
    /// Company name, e.g. 红管家物业.
    pub name: String,
    /// When it was registered, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<PropertyCompanyRow> for PropertyCompanyResponse {
    fn from(r: PropertyCompanyRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            created_at: time(r.created_at),
        }
    }
}

/// Register a property-management company (物业企业).
#[utoipa::path(
    tag = "admin",
    request_body = CreatePropertyCompanyRequest,
    responses(
        (status = 201, description = "Company registered", body = PropertyCompanyResponse),
        (status = 409, description = "A company with this name exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, Malformed,
    )
)]
#[post("/admin/property-companies")]
pub async fn create_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreatePropertyCompanyRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let row = state
        .call(move |app| app.create_property_company(name))
        .await?;
    let res = PropertyCompanyResponse::from(row);
    Ok(created("property-companies", res.id, res))
}

/// List the property companies.
#[utoipa::path(
    tag = "admin",
    responses((status = 200, description = "All companies, by id", body = [PropertyCompanyResponse]), AdminOnly)
)]
#[get("/admin/property-companies")]
pub async fn list_property_companies(
    _admin: AdminCaller,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<PropertyCompanyResponse>>> {
    all(&state, |app| app.list_property_companies()).await
}

/// One property company.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Property company id")),
    responses((status = 200, description = "The company", body = PropertyCompanyResponse), AdminOnly, NotFound)
)]
#[get("/admin/property-companies/{id}")]
pub async fn get_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<PropertyCompanyId>,
) -> ApiResult<web::Json<PropertyCompanyResponse>> {
    one(&state, move |app| app.property_company(id.into_inner())).await
}
