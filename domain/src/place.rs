//! Where an issue is: its place in the organisation tree.

use serde::{Deserialize, Serialize};

use crate::ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId};

/// Where an issue is, resolved from the organisation tree when it is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub street_id: StreetId,
    pub community_id: CommunityId,
    pub compound_id: CompoundId,
    pub building_id: Option<BuildingId>,
    /// The grid of the building, when a building is given.
    pub grid_id: Option<GridId>,
    /// The company managing the compound when the issue was filed.
    pub property_company_id: PropertyCompanyId,
}
