//! Shared by the repository tests: an organisation tree with one resident in it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use linli_domain::{
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
    issue::Place,
};
use linli_infra::{
    DbConn,
    repo::{org, users},
};

/// Where the seeded resident lives, and who they are.
pub struct Tree {
    pub place: Place,
    pub reporter: i64,
}

/// One street, community, grid, company, compound and building, and a resident of the building.
pub fn seed(conn: &mut DbConn) -> Tree {
    let street = org::create_street(conn, "岳塘街道", 0).unwrap();
    let community = org::create_community(conn, StreetId(street.id), "东坪社区", 0).unwrap();
    let grid = org::create_grid(conn, CommunityId(community.id), "一网格", 0).unwrap();
    let company = org::create_property_company(conn, "红管家物业", 0).unwrap();
    let compound = org::create_compound(
        conn,
        CommunityId(community.id),
        "西江俪园",
        PropertyCompanyId(company.id),
        0,
    )
    .unwrap();
    let building =
        org::create_building(conn, CompoundId(compound.id), "1栋", GridId(grid.id), 0).unwrap();
    let user = users::create(
        conn,
        &users::NewUser {
            phone: "13800000001",
            password_hash: "x",
            display_name: "王阿姨",
            role: "resident",
            scope_id: Some(compound.id),
            scope_kind: None,
            compound_id: Some(compound.id),
            building_id: Some(building.id),
            unit: None,
            created_at: 0,
            verification: Some("verified"),
        },
    )
    .unwrap();
    Tree {
        place: Place {
            street_id: StreetId(street.id),
            community_id: CommunityId(community.id),
            compound_id: CompoundId(compound.id),
            building_id: Some(BuildingId(building.id)),
            grid_id: Some(GridId(grid.id)),
            property_company_id: PropertyCompanyId(company.id),
        },
        reporter: user.id,
    }
}
