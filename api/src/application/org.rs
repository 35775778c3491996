//! The organisation tree's use cases: create, list and look up streets, communities, grids,
//! property companies, compounds (and hand a compound over to another company) and buildings.
//! A parent that does not exist is a 422 on its field; a duplicate name is a 409 `conflict`.

use crate::application::ProblemCode;
use chrono::{DateTime, Utc};
use linli_domain::{
    DomainError,
    auth::{Actor, Role, Scope},
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
    values::OrgName,
};
use linli_infra::{
    DbConn, RepoError,
    repo::org::{
        self, BuildingRow, CommunityRow, CompoundCompanyRow, CompoundRow, GridRow,
        PropertyCompanyRow, StreetRow,
    },
    time::to_millis,
};

use crate::application::{AppError, AppResult, Application};

/// A parent id that must name an existing row: unknown → 422 on that field.
fn must_exist<T>(found: Result<T, RepoError>, field: &'static str, what: &str) -> AppResult<T> {
    found.map_err(|e| match e {
        RepoError::NotFound => AppError::validation(field, format!("no such {what}")),
        other => other.into(),
    })
}

/// Duplicate names are 409 `conflict`; other repository errors map as usual.
fn name_taken(what: &'static str) -> impl FnOnce(RepoError) -> AppError {
    move |e| match e {
        RepoError::Conflict(_) => AppError::conflict(
            ProblemCode::Conflict,
            format!("{what} with this name already exists"),
        ),
        other => other.into(),
    }
}

/// The community an account works in, for the rules that need it: an official's, mediator's or
/// volunteer's by scope, a grid worker's or a 片长's by their grid, a building leader's by their
/// building.
/// `None` for every other role.
pub(crate) fn community_of(
    conn: &mut DbConn,
    role: Role,
    scope: Scope,
) -> AppResult<Option<CommunityId>> {
    Ok(match (role, scope) {
        (Role::CommunityOfficial | Role::Mediator | Role::Volunteer, Scope::Community(c)) => {
            Some(c)
        }
        (Role::GridWorker | Role::BuildingLeader, Scope::Grid(g)) => {
            match org::find_grid(conn, GridId(g.0)) {
                Ok(grid) => Some(CommunityId(grid.community_id)),
                Err(RepoError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        (Role::BuildingLeader, Scope::Building(b)) => match org::find_building(conn, b)
            .and_then(|building| org::find_compound(conn, CompoundId(building.compound_id)))
        {
            Ok(compound) => Some(CommunityId(compound.community_id)),
            Err(RepoError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        _ => None,
    })
}

/// `NotFound` unless `may_read` lets `actor`, working in the community [`community_of`]
/// gives, read the record it was given (never told apart from a missing one).
pub(crate) fn readable_by(
    conn: &mut DbConn,
    actor: &Actor,
    may_read: impl FnOnce(Option<CommunityId>) -> bool,
) -> AppResult<()> {
    let community = community_of(conn, actor.role, actor.scope)?;
    if may_read(community) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

impl Application {
    pub fn create_street(&self, name: OrgName) -> AppResult<StreetRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            org::create_street(conn, name.as_str(), now).map_err(name_taken("a street"))
        })
    }

    pub fn list_streets(&self) -> AppResult<Vec<StreetRow>> {
        self.read(|conn| Ok(org::list_streets(conn)?))
    }

    pub fn street(&self, id: StreetId) -> AppResult<StreetRow> {
        self.read(|conn| Ok(org::find_street(conn, id)?))
    }

    pub fn create_community(&self, street: StreetId, name: OrgName) -> AppResult<CommunityRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            must_exist(org::find_street(conn, street), "street_id", "street")?;
            org::create_community(conn, street, name.as_str(), now)
                .map_err(name_taken("a community"))
        })
    }

    pub fn list_communities(&self, street: Option<StreetId>) -> AppResult<Vec<CommunityRow>> {
        self.read(|conn| Ok(org::list_communities(conn, street.map(|s| s.0))?))
    }

    pub fn community(&self, id: CommunityId) -> AppResult<CommunityRow> {
        self.read(|conn| Ok(org::find_community(conn, id)?))
    }

    pub fn create_grid(&self, community: CommunityId, name: OrgName) -> AppResult<GridRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let found = org::find_community(conn, community);
            must_exist(found, "community_id", "community")?;
            org::create_grid(conn, community, name.as_str(), now).map_err(name_taken("a grid"))
        })
    }

    pub fn list_grids(&self, community: Option<CommunityId>) -> AppResult<Vec<GridRow>> {
        self.read(|conn| Ok(org::list_grids(conn, community.map(|c| c.0))?))
    }

    pub fn grid(&self, id: GridId) -> AppResult<GridRow> {
        self.read(|conn| Ok(org::find_grid(conn, id)?))
    }

    pub fn create_property_company(&self, name: OrgName) -> AppResult<PropertyCompanyRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            org::create_property_company(conn, name.as_str(), now)
                .map_err(name_taken("a property company"))
        })
    }

    pub fn list_property_companies(&self) -> AppResult<Vec<PropertyCompanyRow>> {
        self.read(|conn| Ok(org::list_property_companies(conn)?))
    }

    pub fn property_company(&self, id: PropertyCompanyId) -> AppResult<PropertyCompanyRow> {
        self.read(|conn| Ok(org::find_property_company(conn, id)?))
    }

    /// A compound, its owners' committee and the first entry of its management history.
    pub fn create_compound(
        &self,
        community: CommunityId,
        name: OrgName,
        company: PropertyCompanyId,
    ) -> AppResult<CompoundRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let found = org::find_community(conn, community);
            must_exist(found, "community_id", "community")?;
            let found = org::find_property_company(conn, company);
            must_exist(found, "property_company_id", "property company")?;
            org::create_compound(conn, community, name.as_str(), company, now)
                .map_err(name_taken("a compound"))
        })
    }

    /// Compounds, optionally only those of one community and/or managed now by one company.
    pub fn list_compounds(
        &self,
        community: Option<CommunityId>,
        company: Option<PropertyCompanyId>,
    ) -> AppResult<Vec<CompoundRow>> {
        let (community, company) = (community.map(|c| c.0), company.map(|p| p.0));
        self.read(|conn| Ok(org::list_compounds(conn, community, company)?))
    }

    pub fn compound(&self, id: CompoundId) -> AppResult<CompoundRow> {
        self.read(|conn| Ok(org::find_compound(conn, id)?))
    }

    /// Hand a compound over to `company` from `since`: the current assignment is closed at
    /// `since` and kept in the history (reports attribute each issue to the company that
    /// managed the compound when it was filed). `since` must not be in the future and must be
    /// after the start of the current assignment.
    pub fn change_property_company(
        &self,
        compound: CompoundId,
        company: PropertyCompanyId,
        since: DateTime<Utc>,
    ) -> AppResult<CompoundRow> {
        let now = self.now();
        if since > now {
            return Err(AppError::validation(
                "since",
                "must not be in the future: record the handover when it happens",
            ));
        }
        let (since, now) = (to_millis(since), to_millis(now));
        self.write(|conn| {
            let current = org::find_compound(conn, compound)?;
            let found = org::find_property_company(conn, company);
            must_exist(found, "property_company_id", "property company")?;
            if current.property_company_id == company.0 {
                return Err(AppError::conflict(
                    ProblemCode::Conflict,
                    "the compound is already managed by this company",
                ));
            }
            let current_since = org::company_history(conn, compound)?
                .iter()
                .filter(|a| a.until.is_none())
                .map(|a| a.since)
                .max();
            if current_since.is_some_and(|s| since <= s) {
                return Err(AppError::validation(
                    "since",
                    "must be after the start of the current company's assignment",
                ));
            }
            Ok(org::change_property_company(
                conn, compound, company, since, now,
            )?)
        })
    }

    /// The compound's management history, oldest first (404 for an unknown compound).
    pub fn compound_companies(&self, id: CompoundId) -> AppResult<Vec<CompoundCompanyRow>> {
        self.read(|conn| {
            org::find_compound(conn, id)?;
            Ok(org::company_history(conn, id)?)
        })
    }

    /// A building of a compound, in a grid of the compound's own community.
    pub fn create_building(
        &self,
        compound: CompoundId,
        name: OrgName,
        grid: GridId,
    ) -> AppResult<BuildingRow> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let found = org::find_compound(conn, compound);
            let compound_row = must_exist(found, "compound_id", "compound")?;
            let grid_row = must_exist(org::find_grid(conn, grid), "grid_id", "grid")?;
            if grid_row.community_id != compound_row.community_id {
                return Err(AppError::validation(
                    "grid_id",
                    "the grid belongs to another community than the compound",
                ));
            }
            org::create_building(conn, compound, name.as_str(), grid, now)
                .map_err(name_taken("a building"))
        })
    }

    /// Buildings, optionally only those of one compound and/or one grid.
    pub fn list_buildings(
        &self,
        compound: Option<CompoundId>,
        grid: Option<GridId>,
    ) -> AppResult<Vec<BuildingRow>> {
        let (compound, grid) = (compound.map(|c| c.0), grid.map(|g| g.0));
        self.read(|conn| Ok(org::list_buildings(conn, compound, grid)?))
    }

    pub fn building(&self, id: BuildingId) -> AppResult<BuildingRow> {
        self.read(|conn| Ok(org::find_building(conn, id)?))
    }
}

/// A keyset page of one kind of organisation unit, within what a scope reaches.
pub type ReachedList<T> =
    fn(&mut DbConn, Option<&org::Reach>, Option<i64>, i64) -> Result<Vec<T>, RepoError>;

impl Application {
    /// The units of one kind that `actor` may look up when dispatching or handling (`list`,
    /// one of `org::list_*_reached`): the whole district for district-wide staff, the units
    /// their street, community, grid, compound or company reaches otherwise. Residents none.
    pub fn org_reached<T>(
        &self,
        actor: &Actor,
        list: ReachedList<T>,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<T>> {
        if actor.role == Role::Resident {
            return Err(DomainError::Forbidden(
                "the organisation lookups are for staff; residents use /directory".into(),
            )
            .into());
        }
        self.read(|conn| {
            let reach = org::reach(conn, &actor.scope)?;
            Ok(list(conn, reach.as_ref(), after, fetch)?)
        })
    }
}

/// The names of organisation units, each read from the database once per process: a unit's
/// name never changes once it exists (the tree has no rename), so issue responses, which show
/// up to six of them each, need no name query on the hot path once the units have been seen.
#[derive(Debug, Default)]
pub struct OrgNameCache(std::sync::Mutex<org::OrgNames>);

macro_rules! per_kind {
    ($f:ident) => {
        $f!(streets);
        $f!(communities);
        $f!(grids);
        $f!(property_companies);
        $f!(compounds);
        $f!(buildings);
    };
}

impl OrgNameCache {
    /// The names of the units `ids` lists (ids that do not exist are left out).
    pub fn names(&self, conn: &mut DbConn, ids: &org::OrgIds) -> Result<org::OrgNames, RepoError> {
        let mut missing = org::OrgIds::default();
        {
            let known = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            macro_rules! unknown {
                ($kind:ident) => {
                    missing.$kind = ids
                        .$kind
                        .iter()
                        .filter(|id| !known.$kind.contains_key(id))
                        .copied()
                        .collect();
                };
            }
            per_kind!(unknown);
        }
        // Read without holding the lock; only what this process has not seen yet.
        let fetched = org::names(conn, &missing)?;
        let mut known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut names = org::OrgNames::default();
        macro_rules! answer {
            ($kind:ident) => {
                known.$kind.extend(fetched.$kind);
                names.$kind = ids
                    .$kind
                    .iter()
                    .filter_map(|id| known.$kind.get(id).map(|n| (*id, n.clone())))
                    .collect();
            };
        }
        per_kind!(answer);
        Ok(names)
    }
}
