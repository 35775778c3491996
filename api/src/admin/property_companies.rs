//! /admin/property-companies: the property-management companies (物业企业) of the district.
//! Which company manages which compound, and since when, is in `compounds.rs`.

use actix_web::{get, post};
use chrono::{DateTime, Utc};
use linli_domain::{ids::PropertyCompanyId, values::OrgName};
use linli_infra::repo::org::PropertyCompanyRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::admin::time;

/// Body of POST /admin/property-companies: a property company (物业企业).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "岳塘安居物业"}))]
pub struct CreatePropertyCompanyRequest {
    /// Unique in the district.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A property-management company (物业企业).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "岳塘安居物业", "created_at": "2026-09-01T00:00:00Z"}))]
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

create_route! {
    /// Register a property-management company (物业企业).
    create_property_company("/admin/property-companies", body: CreatePropertyCompanyRequest) -> PropertyCompanyResponse {
        201: "Company registered",
        409: "A company with this name exists (`conflict`)",
        422: "Invalid name (`validation_failed`)",
    }
    {
        let name = OrgName::parse(&body.name)?;
        move |app| app.create_property_company(name)
    }
}

list_route! {
    /// List the property companies.
    list_property_companies("/admin/property-companies") -> [PropertyCompanyResponse] "All companies, by id",
    |app| app.list_property_companies()
}

get_route! {
    /// One property company.
    get_property_company("/admin/property-companies/{id}", id: PropertyCompanyId "Property company id") -> PropertyCompanyResponse "The company",
    property_company
}
