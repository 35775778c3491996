//! Who handles an issue: the organisational unit, and its fieldless kind.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError,
    ids::{BuildingId, CommunityId, GridId, PropertyCompanyId},
    level::Level,
    place::Place,
    urgency::Deadlines,
};

/// The organisational unit that handles an issue. Any account in that unit may act for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Handler {
    /// The grid workers of a grid (网格员, 三长).
    Grid { grid_id: GridId },
    /// The property company contracted for the compound.
    PropertyCompany {
        property_company_id: PropertyCompanyId,
    },
    /// The community's deliberation (议事厅); officials of the community record it.
    Community { community_id: CommunityId },
    /// The mediators (和事佬) of a community.
    Mediators { community_id: CommunityId },
    /// An outside department, named; the dispatcher relays its answer.
    Department { name: String },
    /// The building leaders (楼栋长, 三长) of a building: 小事居民治, with the building's grid as
    /// backstop ([`Handler::backstop`]).
    BuildingLeaders { building_id: BuildingId },
}

impl Handler {
    pub fn level(&self) -> Level {
        self.kind().level()
    }

    /// The default handler of `level` for an issue at `place`; `None` for a grid-level issue
    /// whose building has no grid, and for a residents-level issue without a building (routing
    /// then falls to the grid: [`crate::triage::Suggestion::without_building_leaders`]).
    /// Whether the building has a leader account is a fact of storage, checked by the caller.
    pub fn default_for(level: Level, place: &Place) -> Option<Handler> {
        match level {
            Level::Grid => place.grid_id.map(|grid_id| Self::Grid { grid_id }),
            Level::Property => Some(Self::PropertyCompany {
                property_company_id: place.property_company_id,
            }),
            Level::Community => Some(Self::Community {
                community_id: place.community_id,
            }),
            Level::Mediation => Some(Self::Mediators {
                community_id: place.community_id,
            }),
            Level::Department => Some(Self::Department {
                name: DEFAULT_DEPARTMENT.to_owned(),
            }),
            Level::Residents => place
                .building_id
                .map(|building_id| Self::BuildingLeaders { building_id }),
        }
    }

    /// Who takes a case from this handler when it declines the case or lets its response
    /// deadline pass: for building leaders, the grid of the case's building (小事不出网格);
    /// nobody for other handlers (a decline goes back to the dispatcher).
    pub fn backstop(&self, place: &Place) -> Option<Handler> {
        Handler::default_for(self.kind().backstop_level()?, place)
    }
}

/// Who takes a case over from its building leaders (小事不出网格), and the deadlines it gets:
/// a whole window from the hand-over, never earlier than the deadlines the case had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backstop {
    pub handler: Handler,
    pub deadlines: Deadlines,
}

/// Name used for a department handler when the dispatcher gives none.
pub const DEFAULT_DEPARTMENT: &str = "相关职能部门";

/// The fieldless mirror of [`Handler`]: its `kind` tag in JSON and in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HandlerKind {
    Grid,
    PropertyCompany,
    Community,
    Mediators,
    Department,
    BuildingLeaders,
}

named_variants! {
    HandlerKind {
        Grid => "grid",
        PropertyCompany => "property_company",
        Community => "community",
        Mediators => "mediators",
        Department => "department",
        BuildingLeaders => "building_leaders",
    }
    unknown(raw) => DomainError::invalid("handler_kind", format!("unknown handler kind `{raw}`"))
}

impl HandlerKind {
    /// The level of the unit that takes a case over from a handler of this kind (when it
    /// declines, or lets the response deadline pass): building leaders have the grid of the
    /// building behind them (小事不出网格); the others have no backstop.
    pub fn backstop_level(self) -> Option<Level> {
        match self {
            Self::BuildingLeaders => Some(Level::Grid),
            Self::Grid
            | Self::PropertyCompany
            | Self::Community
            | Self::Mediators
            | Self::Department => None,
        }
    }

    /// The level a handler of this kind works at.
    pub fn level(self) -> Level {
        match self {
            Self::Grid => Level::Grid,
            Self::PropertyCompany => Level::Property,
            Self::Community => Level::Community,
            Self::Mediators => Level::Mediation,
            Self::Department => Level::Department,
            Self::BuildingLeaders => Level::Residents,
        }
    }
}

impl Handler {
    pub fn kind(&self) -> HandlerKind {
        match self {
            Self::Grid { .. } => HandlerKind::Grid,
            Self::PropertyCompany { .. } => HandlerKind::PropertyCompany,
            Self::Community { .. } => HandlerKind::Community,
            Self::Mediators { .. } => HandlerKind::Mediators,
            Self::Department { .. } => HandlerKind::Department,
            Self::BuildingLeaders { .. } => HandlerKind::BuildingLeaders,
        }
    }
}
