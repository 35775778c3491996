//! /admin/compounds: the compounds (小区) of each community, each with its owners' committee
//! (业委会) and the history of the property company that manages it.

use actix_web::{get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use linli_domain::{
    ids::{CommunityId, CompoundId, PropertyCompanyId},
    values::OrgName,
};
use linli_infra::repo::org::{CompoundCompanyRow, CompoundRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::{AdminCaller, all, time},
    error::{ApiError, ApiResult, Problem},
    responses::{AdminOnly, Malformed, NotFound},
    state::AppState,
};

/// Body of POST /admin/compounds: a compound (小区) and its managing company.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"community_id": 1, "name": "东坪花园", "property_company_id": 1}))]
pub struct CreateCompoundRequest {
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Unique within the community.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The company managing it from now on (the first entry of its history).
    pub property_company_id: i64,
}

/// A compound (小区) with its owners' committee (业委会) and current managing company.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "community_id": 1, "name": "东坪花园", "property_company_id": 1, "committee_name": "东坪花园业主委员会", "created_at": "2026-09-01T00:00:00Z"}))]
pub struct CompoundResponse {
    /// Compound id.
    pub id: i64,
    /// The community (社区) it belongs to.
    pub community_id: i64,
    /// Compound name, e.g. 东坪花园.
    pub name: String,
    /// The company managing it now; see `/property-companies` for the history.
    pub property_company_id: i64,
    /// Its owners' committee (业委会).
    pub committee_name: String,
    /// When it was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
}

impl From<CompoundRow> for CompoundResponse {
    fn from(r: CompoundRow) -> Self {
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
pub struct CompoundQuery {
    /// Only the compounds of this community.
    pub community_id: Option<i64>,
    /// Only the compounds this company manages now.
    pub property_company_id: Option<i64>,
}

create_route! {
    /// Create a compound (小区) in a community, managed by a property company. Its owners'
    /// committee is created with it.
    create_compound("/admin/compounds", body: CreateCompoundRequest) -> CompoundResponse {
        201: "Compound created",
        409: "The community already has a compound of this name (`conflict`)",
        422: "Invalid name, unknown `community_id` or `property_company_id` (`validation_failed`)",
    }
    {
        let name = OrgName::parse(&body.name)?;
        let community = CommunityId(body.community_id);
        let company = PropertyCompanyId(body.property_company_id);
        move |app| app.create_compound(community, name, company)
    }
}

list_route! {
    /// List compounds, optionally of one community or one company.
    list_compounds("/admin/compounds", query: CompoundQuery) -> [CompoundResponse] "Compounds, by id",
    move |app| {
        let company = query.property_company_id.map(PropertyCompanyId);
        app.list_compounds(query.community_id.map(CommunityId), company)
    }
}

get_route! {
    /// One compound.
    get_compound("/admin/compounds/{id}", id: CompoundId "Compound id") -> CompoundResponse "The compound",
    compound
}

// ---------------------------------------------------------------- the managing company

/// Body of PUT /admin/compounds/{id}/property-company: who takes over, and from when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"property_company_id": 2, "since": "2026-10-01"}))]
pub struct ChangePropertyCompanyRequest {
    /// The company taking over.
    #[schema(minimum = 1)]
    pub property_company_id: i64,
    /// When it takes over: a date (`YYYY-MM-DD`, 00:00 UTC) or an RFC 3339 timestamp. After the
    /// start of the current assignment, and not in the future.
    #[schema(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
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

impl From<CompoundCompanyRow> for CompanyAssignmentResponse {
    fn from(r: CompoundCompanyRow) -> Self {
        Self {
            property_company_id: r.property_company_id,
            since: time(r.since),
            until: r.until.map(time),
        }
    }
}

/// `since`: an RFC 3339 timestamp, or a date meaning 00:00 UTC.
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
    params(("id" = i64, Path, description = "Compound id")),
    request_body = ChangePropertyCompanyRequest,
    responses(
        (status = 200, description = "The compound, now managed by the new company", body = CompoundResponse),
        (status = 409, description = "The compound is already managed by that company (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown company, or `since` not after the current assignment's start or in the future (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, NotFound, Malformed,
    )
)]
#[put("/admin/compounds/{id}/property-company")]
pub async fn change_property_company(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<CompoundId>,
    body: web::Json<ChangePropertyCompanyRequest>,
) -> ApiResult<web::Json<CompoundResponse>> {
    let (compound, since) = (id.into_inner(), parse_since(&body.since)?);
    let company = PropertyCompanyId(body.property_company_id);
    let row = state
        .call(move |app| app.change_property_company(compound, company, since))
        .await?;
    Ok(web::Json(row.into()))
}

/// The compound's management history (which company, from when, until when), oldest first.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Compound id")),
    responses(
        (status = 200, description = "Assignments, oldest first; the last has `until: null`", body = [CompanyAssignmentResponse]),
        AdminOnly, NotFound,
    )
)]
#[get("/admin/compounds/{id}/property-companies")]
pub async fn list_compound_property_companies(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<CompoundId>,
) -> ApiResult<web::Json<Vec<CompanyAssignmentResponse>>> {
    let id = id.into_inner();
    all(&state, move |app| app.compound_companies(id)).await
}
