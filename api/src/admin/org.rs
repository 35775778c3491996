//! /admin: the organisation tree — streets, communities, grids, property companies, compounds
//! (with the history of their managing company) and buildings. Admin only.

use actix_web::{HttpResponse, get, http::header, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use linli_domain::values::OrgName;
use linli_infra::{
    DbConn, RepoError,
    repo::org,
    time::{from_millis, to_millis},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::AdminCaller,
    error::{ApiError, ApiResult, Problem},
    state::AppState,
};

fn time(ms: i64) -> DateTime<Utc> {
    from_millis(ms).unwrap_or_default()
}

/// 201 with the created object and its `Location`.
fn created<T: Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// A parent id that must name an existing row: unknown → 422 on that field.
fn must_exist<T>(found: Result<T, RepoError>, field: &'static str, what: &str) -> ApiResult<T> {
    found.map_err(|e| match e {
        RepoError::NotFound => ApiError::validation(field, format!("no such {what}")),
        other => other.into(),
    })
}

/// Duplicate names are 409 `conflict`; other repository errors map as usual.
fn name_conflict(e: RepoError, what: &str) -> ApiError {
    match e {
        RepoError::Conflict(_) => {
            ApiError::conflict("conflict", format!("{what} with this name already exists"))
        }
        other => other.into(),
    }
}

// ---------------------------------------------------------------- streets

/// Body of POST /admin/streets: a street (街道).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "东坪街道"}))]
pub struct CreateStreetRequest {
    /// 1 to 100 characters, unique in the district.
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

impl From<org::StreetRow> for StreetResponse {
    fn from(r: org::StreetRow) -> Self {
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
    operation_id = "create_street",
    security(("bearer" = [])),
    request_body = CreateStreetRequest,
    responses(
        (status = 201, description = "Street created", body = StreetResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A street with this name exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/streets")]
pub async fn create_street(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateStreetRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            org::create_street(conn, name.as_str(), now).map_err(|e| name_conflict(e, "a street"))
        })
        .await?;
    let res = StreetResponse::from(row);
    Ok(created(format!("/api/v1/admin/streets/{}", res.id), &res))
}

/// List the streets.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_streets",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All streets, by id", body = [StreetResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/streets")]
pub async fn list_streets(
    _admin: AdminCaller,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<StreetResponse>>> {
    let rows = state.run(|conn| Ok(org::list_streets(conn)?)).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One street.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_street",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Street id")),
    responses(
        (status = 200, description = "The street", body = StreetResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such street", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/streets/{id}")]
pub async fn get_street(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<StreetResponse>> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(org::find_street(conn, id)?))
        .await?;
    Ok(web::Json(row.into()))
}

// ---------------------------------------------------------------- communities

/// Body of POST /admin/communities: a community (社区) in a street.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"street_id": 1, "name": "文源社区"}))]
pub struct CreateCommunityRequest {
    /// The street (街道) it belongs to.
    pub street_id: i64,
    /// Unique within the street.
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

impl From<org::CommunityRow> for CommunityResponse {
    fn from(r: org::CommunityRow) -> Self {
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
    operation_id = "create_community",
    security(("bearer" = [])),
    request_body = CreateCommunityRequest,
    responses(
        (status = 201, description = "Community created", body = CommunityResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The street already has a community of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or unknown `street_id` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/communities")]
pub async fn create_community(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateCommunityRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let street_id = body.street_id;
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            must_exist(org::find_street(conn, street_id), "street_id", "street")?;
            org::create_community(conn, street_id, name.as_str(), now)
                .map_err(|e| name_conflict(e, "a community"))
        })
        .await?;
    let res = CommunityResponse::from(row);
    Ok(created(
        format!("/api/v1/admin/communities/{}", res.id),
        &res,
    ))
}

/// List communities, optionally of one street.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_communities",
    security(("bearer" = [])),
    params(CommunityFilter),
    responses(
        (status = 200, description = "Communities, by id", body = [CommunityResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/communities")]
pub async fn list_communities(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<CommunityFilter>,
) -> ApiResult<web::Json<Vec<CommunityResponse>>> {
    let street_id = filter.street_id;
    let rows = state
        .run(move |conn| Ok(org::list_communities_in(conn, street_id)?))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One community.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_community",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses(
        (status = 200, description = "The community", body = CommunityResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such community", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/communities/{id}")]
pub async fn get_community(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<CommunityResponse>> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(org::find_community(conn, id)?))
        .await?;
    Ok(web::Json(row.into()))
}

// ---------------------------------------------------------------- grids

/// Body of POST /admin/grids: a grid (网格) in a community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"community_id": 1, "name": "文源一网格"}))]
pub struct CreateGridRequest {
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Unique within the community.
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

impl From<org::GridRow> for GridResponse {
    fn from(r: org::GridRow) -> Self {
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
    operation_id = "create_grid",
    security(("bearer" = [])),
    request_body = CreateGridRequest,
    responses(
        (status = 201, description = "Grid created", body = GridResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community already has a grid of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or unknown `community_id` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/grids")]
pub async fn create_grid(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateGridRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let community_id = body.community_id;
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            must_exist(
                org::find_community(conn, community_id),
                "community_id",
                "community",
            )?;
            org::create_grid(conn, community_id, name.as_str(), now)
                .map_err(|e| name_conflict(e, "a grid"))
        })
        .await?;
    let res = GridResponse::from(row);
    Ok(created(format!("/api/v1/admin/grids/{}", res.id), &res))
}

/// List grids, optionally of one community.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_grids",
    security(("bearer" = [])),
    params(GridFilter),
    responses(
        (status = 200, description = "Grids, by id", body = [GridResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/grids")]
pub async fn list_grids(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<GridFilter>,
) -> ApiResult<web::Json<Vec<GridResponse>>> {
    let community_id = filter.community_id;
    let rows = state
        .run(move |conn| Ok(org::list_grids_in(conn, community_id)?))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One grid.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_grid",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Grid id")),
    responses(
        (status = 200, description = "The grid", body = GridResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such grid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/grids/{id}")]
pub async fn get_grid(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<GridResponse>> {
    let id = id.into_inner();
    let row = state.run(move |conn| Ok(org::find_grid(conn, id)?)).await?;
    Ok(web::Json(row.into()))
}

// ---------------------------------------------------------------- property companies

/// Body of POST /admin/property-companies: a property company (物业企业).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "西雅帝物业"}))]
pub struct CreatePropertyCompanyRequest {
    /// Unique in the district.
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

impl From<org::PropertyCompanyRow> for PropertyCompanyResponse {
    fn from(r: org::PropertyCompanyRow) -> Self {
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
    operation_id = "create_property_company",
    security(("bearer" = [])),
    request_body = CreatePropertyCompanyRequest,
    responses(
        (status = 201, description = "Company registered", body = PropertyCompanyResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A company with this name exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/property-companies")]
pub async fn create_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreatePropertyCompanyRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            org::create_property_company(conn, name.as_str(), now)
                .map_err(|e| name_conflict(e, "a property company"))
        })
        .await?;
    let res = PropertyCompanyResponse::from(row);
    Ok(created(
        format!("/api/v1/admin/property-companies/{}", res.id),
        &res,
    ))
}

/// List the property companies.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_property_companies",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All companies, by id", body = [PropertyCompanyResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/property-companies")]
pub async fn list_property_companies(
    _admin: AdminCaller,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<PropertyCompanyResponse>>> {
    let rows = state
        .run(|conn| Ok(org::list_property_companies(conn)?))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One property company.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_property_company",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Property company id")),
    responses(
        (status = 200, description = "The company", body = PropertyCompanyResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/property-companies/{id}")]
pub async fn get_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<PropertyCompanyResponse>> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(org::find_property_company(conn, id)?))
        .await?;
    Ok(web::Json(row.into()))
}

// ---------------------------------------------------------------- compounds

/// Body of POST /admin/compounds: a compound (小区) and its managing company.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"community_id": 1, "name": "文和园", "property_company_id": 1}))]
pub struct CreateCompoundRequest {
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Unique within the community.
    pub name: String,
    /// The company managing it from now on (the first entry of its history).
    pub property_company_id: i64,
}

/// A compound (小区) with its owners' committee (业委会) and current managing company.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "community_id": 1, "name": "文和园", "property_company_id": 1, "committee_name": "文和园业主委员会", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct CompoundResponse {
    /// Compound id.
    pub id: i64,
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Compound name, e.g. 西江俪园.
    pub name: String,
    /// The company managing it now; see `/property-companies` for the history.
    pub property_company_id: i64,
    /// Its owners' committee (业委会).
    pub committee_name: String,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<org::CompoundRow> for CompoundResponse {
    fn from(r: org::CompoundRow) -> Self {
        Self {
            id: r.id,
            community_id: r.community_id,
            name: r.name,
            property_company_id: r.property_company_id,
            committee_name: r.committee_name,
            created_at: time(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CompoundFilter {
    /// Only the compounds of this community.
    pub community_id: Option<i64>,
    /// Only the compounds this company manages now.
    pub property_company_id: Option<i64>,
}

/// Create a compound (小区) in a community, managed by a property company. Its owners'
/// committee is created with it.
#[utoipa::path(
    tag = "admin",
    operation_id = "create_compound",
    security(("bearer" = [])),
    request_body = CreateCompoundRequest,
    responses(
        (status = 201, description = "Compound created", body = CompoundResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The community already has a compound of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, unknown `community_id` or `property_company_id` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/compounds")]
pub async fn create_compound(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateCompoundRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let CreateCompoundRequest {
        community_id,
        property_company_id,
        ..
    } = body.into_inner();
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            must_exist(
                org::find_community(conn, community_id),
                "community_id",
                "community",
            )?;
            must_exist(
                org::find_property_company(conn, property_company_id),
                "property_company_id",
                "property company",
            )?;
            org::create_compound(conn, community_id, name.as_str(), property_company_id, now)
                .map_err(|e| name_conflict(e, "a compound"))
        })
        .await?;
    let res = CompoundResponse::from(row);
    Ok(created(format!("/api/v1/admin/compounds/{}", res.id), &res))
}

/// List compounds, optionally of one community or one company.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_compounds",
    security(("bearer" = [])),
    params(CompoundFilter),
    responses(
        (status = 200, description = "Compounds, by id", body = [CompoundResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/compounds")]
pub async fn list_compounds(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<CompoundFilter>,
) -> ApiResult<web::Json<Vec<CompoundResponse>>> {
    let CompoundFilter {
        community_id,
        property_company_id,
    } = filter.into_inner();
    let rows = state
        .run(move |conn| {
            Ok(org::list_compounds_in(
                conn,
                community_id,
                property_company_id,
            )?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One compound.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_compound",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Compound id")),
    responses(
        (status = 200, description = "The compound", body = CompoundResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such compound", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/compounds/{id}")]
pub async fn get_compound(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<CompoundResponse>> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(org::find_compound(conn, id)?))
        .await?;
    Ok(web::Json(row.into()))
}

/// Body of PUT /admin/compounds/{id}/property-company: who takes over, and from when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"property_company_id": 2, "since": "2026-10-01"}))]
pub struct ChangePropertyCompanyRequest {
    /// The company taking over.
    pub property_company_id: i64,
    /// When it takes over: a date (`YYYY-MM-DD`, 00:00 UTC) or an RFC 3339 timestamp. After the
    /// start of the current assignment, and not in the future.
    pub since: String,
}

/// One entry of a compound's management history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"property_company_id": 1, "since": "2026-01-01T00:00:00Z", "until": "2026-10-01T00:00:00Z"}))]
pub struct CompanyAssignmentResponse {
    /// The company that managed (or manages) the compound.
    pub property_company_id: i64,
    /// Start of its management (inclusive), RFC 3339 UTC.
    pub since: DateTime<Utc>,
    /// `null` for the current company.
    pub until: Option<DateTime<Utc>>,
}

impl From<org::CompoundCompanyRow> for CompanyAssignmentResponse {
    fn from(r: org::CompoundCompanyRow) -> Self {
        Self {
            property_company_id: r.property_company_id,
            since: time(r.since),
            until: r.until.map(time),
        }
    }
}

fn parse_since(raw: &str) -> ApiResult<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            ApiError::validation(
                "since",
                "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp",
            )
        })
}

/// Hand a compound over to another property company from `since`.
///
/// The current assignment is closed at `since` and kept in the history (reports attribute each
/// issue to the company that managed the compound when it was filed).
#[utoipa::path(
    tag = "admin",
    operation_id = "change_property_company",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Compound id")),
    request_body = ChangePropertyCompanyRequest,
    responses(
        (status = 200, description = "The compound, now managed by the new company", body = CompoundResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such compound", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The compound is already managed by that company (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown company, or `since` not after the current assignment's start or in the future (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/compounds/{id}/property-company")]
pub async fn change_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<ChangePropertyCompanyRequest>,
) -> ApiResult<web::Json<CompoundResponse>> {
    let compound_id = id.into_inner();
    let since = parse_since(&body.since)?;
    let company_id = body.property_company_id;
    let now = state.now();
    if since > now {
        return Err(ApiError::validation(
            "since",
            "must not be in the future: record the handover when it happens",
        ));
    }
    let (since, now) = (to_millis(since), to_millis(now));
    let row = state
        .tx(move |conn| change_company(conn, compound_id, company_id, since, now))
        .await?;
    Ok(web::Json(row.into()))
}

fn change_company(
    conn: &mut DbConn,
    compound_id: i64,
    company_id: i64,
    since: i64,
    now: i64,
) -> ApiResult<org::CompoundRow> {
    let compound = org::find_compound(conn, compound_id)?;
    must_exist(
        org::find_property_company(conn, company_id),
        "property_company_id",
        "property company",
    )?;
    if compound.property_company_id == company_id {
        return Err(ApiError::conflict(
            "conflict",
            "the compound is already managed by this company",
        ));
    }
    let current_since = org::company_history(conn, compound_id)?
        .iter()
        .filter(|a| a.until.is_none())
        .map(|a| a.since)
        .max();
    if current_since.is_some_and(|s| since <= s) {
        return Err(ApiError::validation(
            "since",
            "must be after the start of the current company's assignment",
        ));
    }
    Ok(org::change_property_company(
        conn,
        compound_id,
        company_id,
        since,
        now,
    )?)
}

/// The compound's management history (which company, from when, until when), oldest first.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_compound_property_companies",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Compound id")),
    responses(
        (status = 200, description = "Assignments, oldest first; the last has `until: null`", body = [CompanyAssignmentResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such compound", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/compounds/{id}/property-companies")]
pub async fn list_compound_property_companies(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<CompanyAssignmentResponse>>> {
    let id = id.into_inner();
    let rows = state
        .run(move |conn| {
            org::find_compound(conn, id)?;
            Ok(org::company_history(conn, id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

// ---------------------------------------------------------------- buildings

/// Body of POST /admin/buildings: a building (楼栋) of a compound, in one grid.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"compound_id": 1, "name": "3栋", "grid_id": 1}))]
pub struct CreateBuildingRequest {
    /// The compound (小区) it stands in.
    pub compound_id: i64,
    /// Unique within the compound.
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

impl From<org::BuildingRow> for BuildingResponse {
    fn from(r: org::BuildingRow) -> Self {
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
pub struct BuildingFilter {
    /// Only the buildings of this compound.
    pub compound_id: Option<i64>,
    /// Only the buildings of this grid.
    pub grid_id: Option<i64>,
}

/// Create a building (楼栋) in a compound, placed in a grid of the same community.
#[utoipa::path(
    tag = "admin",
    operation_id = "create_building",
    security(("bearer" = [])),
    request_body = CreateBuildingRequest,
    responses(
        (status = 201, description = "Building created", body = BuildingResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The compound already has a building of this name (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, unknown `compound_id` or `grid_id`, or a grid of another community (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/buildings")]
pub async fn create_building(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateBuildingRequest>,
) -> ApiResult<HttpResponse> {
    let name = OrgName::parse(&body.name)?;
    let CreateBuildingRequest {
        compound_id,
        grid_id,
        ..
    } = body.into_inner();
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            let compound = must_exist(
                org::find_compound(conn, compound_id),
                "compound_id",
                "compound",
            )?;
            let grid = must_exist(org::find_grid(conn, grid_id), "grid_id", "grid")?;
            if grid.community_id != compound.community_id {
                return Err(ApiError::validation(
                    "grid_id",
                    "the grid belongs to another community than the compound",
                ));
            }
            org::create_building(conn, compound_id, name.as_str(), grid_id, now)
                .map_err(|e| name_conflict(e, "a building"))
        })
        .await?;
    let res = BuildingResponse::from(row);
    Ok(created(format!("/api/v1/admin/buildings/{}", res.id), &res))
}

/// List buildings, optionally of one compound or one grid.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_buildings",
    security(("bearer" = [])),
    params(BuildingFilter),
    responses(
        (status = 200, description = "Buildings, by id", body = [BuildingResponse]),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/buildings")]
pub async fn list_buildings(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    filter: web::Query<BuildingFilter>,
) -> ApiResult<web::Json<Vec<BuildingResponse>>> {
    let BuildingFilter {
        compound_id,
        grid_id,
    } = filter.into_inner();
    let rows = state
        .run(move |conn| Ok(org::list_buildings_in(conn, compound_id, grid_id)?))
        .await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// One building.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_building",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Building id")),
    responses(
        (status = 200, description = "The building", body = BuildingResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/buildings/{id}")]
pub async fn get_building(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<BuildingResponse>> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(org::find_building(conn, id)?))
        .await?;
    Ok(web::Json(row.into()))
}
