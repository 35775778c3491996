//! The part of the organisation an account belongs to, and how it is stored beside the role.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError,
    auth::Role,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
};

/// The part of the organisation an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// District-wide (auditor, admin, district office, a dispatcher without a street).
    District,
    Street(StreetId),
    Community(CommunityId),
    /// A grid worker's grid, or a 片长's: a building leader over every building of the grid.
    Grid(GridId),
    Compound(CompoundId),
    PropertyCompany(PropertyCompanyId),
    /// A building leader's building (楼栋长).
    Building(BuildingId),
}

/// What kind of unit a scope's id names. Stored beside `scope_id` only where the role alone
/// does not tell (a building leader over a grid, 片长); shown with every account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ScopeKind {
    Street,
    Community,
    Grid,
    Compound,
    PropertyCompany,
    Building,
}

named_variants! {
    ScopeKind {
        Street => "street",
        Community => "community",
        Grid => "grid",
        Compound => "compound",
        PropertyCompany => "property_company",
        Building => "building",
    }
    unknown(raw) => DomainError::invalid("scope_kind", format!("unknown scope kind `{raw}`"))
}

impl Scope {
    /// The scope a role's `scope_id` names (see the roles table), with the role's usual kind.
    /// `None` for a dispatcher means the whole district; for resident the id is the home
    /// compound.
    pub fn for_role(role: Role, scope_id: Option<i64>) -> Result<Self, DomainError> {
        let need = |what: &str| {
            DomainError::invalid(
                "scope_id",
                format!("role {} needs the id of a {what}", role.as_str()),
            )
        };
        match (role, scope_id) {
            (Role::Resident, Some(id)) => Ok(Self::Compound(CompoundId(id))),
            (Role::Resident, None) => Err(need("compound")),
            (Role::GridWorker, Some(id)) => Ok(Self::Grid(GridId(id))),
            (Role::GridWorker, None) => Err(need("grid")),
            (Role::Dispatcher, Some(id)) => Ok(Self::Street(StreetId(id))),
            (Role::Dispatcher, None) => Ok(Self::District),
            (Role::StreetOfficial, Some(id)) => Ok(Self::Street(StreetId(id))),
            (Role::StreetOfficial, None) => Err(need("street")),
            (Role::PropertyStaff, Some(id)) => Ok(Self::PropertyCompany(PropertyCompanyId(id))),
            (Role::PropertyStaff, None) => Err(need("property company")),
            (Role::CommitteeMember, Some(id)) => Ok(Self::Compound(CompoundId(id))),
            (Role::CommitteeMember, None) => Err(need("compound")),
            (Role::CommunityOfficial | Role::Mediator, Some(id)) => {
                Ok(Self::Community(CommunityId(id)))
            }
            (Role::CommunityOfficial | Role::Mediator, None) => Err(need("community")),
            (Role::BuildingLeader, Some(id)) => Ok(Self::Building(BuildingId(id))),
            (Role::BuildingLeader, None) => Err(need("building")),
            (Role::Volunteer, Some(id)) => Ok(Self::Community(CommunityId(id))),
            (Role::Volunteer, None) => Err(need("community")),
            (Role::Auditor | Role::Admin | Role::DistrictOffice, None) => Ok(Self::District),
            (Role::Auditor | Role::Admin | Role::DistrictOffice, Some(_)) => {
                Err(DomainError::invalid(
                    "scope_id",
                    format!(
                        "role {} is district-wide and takes no scope_id",
                        role.as_str()
                    ),
                ))
            }
        }
    }

    /// The scope of a stored account or a request: `kind` names what `scope_id` is when the
    /// role may have more than one kind (a building leader's building, or the grid of a 片长);
    /// `None`, or the role's usual kind, is [`Scope::for_role`]. Any other kind is 422 on
    /// `scope_kind`.
    pub fn for_account(
        role: Role,
        kind: Option<ScopeKind>,
        scope_id: Option<i64>,
    ) -> Result<Self, DomainError> {
        let usual = Self::for_role(role, scope_id)?;
        match (kind, role, scope_id) {
            (None, _, _) => Ok(usual),
            (Some(k), _, _) if usual.kind() == Some(k) => Ok(usual),
            (Some(ScopeKind::Grid), Role::BuildingLeader, Some(id)) => Ok(Self::Grid(GridId(id))),
            (Some(k), _, _) => Err(DomainError::invalid(
                "scope_kind",
                format!(
                    "role {} takes no scope of kind {}",
                    role.as_str(),
                    k.as_str()
                ),
            )),
        }
    }

    /// The raw id stored beside the role.
    pub fn id(self) -> Option<i64> {
        match self {
            Self::District => None,
            Self::Street(x) => Some(x.0),
            Self::Community(x) => Some(x.0),
            Self::Grid(x) => Some(x.0),
            Self::Compound(x) => Some(x.0),
            Self::PropertyCompany(x) => Some(x.0),
            Self::Building(x) => Some(x.0),
        }
    }

    /// What kind of unit the id names; `None` for the district.
    pub fn kind(self) -> Option<ScopeKind> {
        match self {
            Self::District => None,
            Self::Street(_) => Some(ScopeKind::Street),
            Self::Community(_) => Some(ScopeKind::Community),
            Self::Grid(_) => Some(ScopeKind::Grid),
            Self::Compound(_) => Some(ScopeKind::Compound),
            Self::PropertyCompany(_) => Some(ScopeKind::PropertyCompany),
            Self::Building(_) => Some(ScopeKind::Building),
        }
    }

    /// The kind stored beside the id for an account of `role`: `None` when the role's usual
    /// kind is meant (so accounts of one kind per role store nothing), `Some` otherwise.
    pub fn stored_kind(self, role: Role) -> Option<ScopeKind> {
        match Self::for_role(role, self.id()) {
            Ok(usual) if usual == self => None,
            _ => self.kind(),
        }
    }
}
