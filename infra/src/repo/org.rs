//! The organisation tree: streets, communities, grids, property companies, compounds (with the
//! history of their managing company and their owners' committee) and buildings.

use std::collections::HashMap;

use diesel::prelude::*;
use linli_domain::ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{
        buildings, communities, compound_companies, compounds, grids, property_companies, streets,
    },
};

/// `id → name` of the rows of one table among `ids`, in one query (none when `ids` is empty).
macro_rules! names_among {
    ($conn:expr, $table:ident, $ids:expr) => {{
        let ids: &[i64] = $ids;
        if ids.is_empty() {
            HashMap::new()
        } else {
            $table::table
                .filter($table::id.eq_any(ids))
                .select(($table::id, $table::name))
                .load::<(i64, String)>($conn)?
                .into_iter()
                .collect()
        }
    }};
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = streets)]
pub struct StreetRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = communities)]
pub struct CommunityRow {
    pub id: i64,
    pub street_id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grids)]
pub struct GridRow {
    pub id: i64,
    pub community_id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = property_companies)]
pub struct PropertyCompanyRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = compounds)]
pub struct CompoundRow {
    pub id: i64,
    pub community_id: i64,
    pub name: String,
    pub property_company_id: i64,
    pub committee_name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = compound_companies)]
pub struct CompoundCompanyRow {
    pub id: i64,
    pub compound_id: i64,
    pub property_company_id: i64,
    pub since: i64,
    pub until: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = buildings)]
pub struct BuildingRow {
    pub id: i64,
    pub compound_id: i64,
    pub name: String,
    pub grid_id: i64,
    pub created_at: i64,
}

/// Where a compound sits in the tree, in one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompoundPlace {
    pub compound_id: i64,
    pub community_id: i64,
    pub street_id: i64,
    pub property_company_id: i64,
}

/// `list_*`: the rows of a table by id, only those with the given value in each filter column
/// that is `Some`; `find_*`: one row by id, `NotFound` otherwise.
macro_rules! list_and_find {
    ($($table:ident: $row:ident, $id:ident => $list:ident($($column:ident),*), $find:ident;)*) => {$(
        pub fn $list(conn: &mut DbConn, $($column: Option<i64>),*) -> RepoResult<Vec<$row>> {
            #[allow(unused_mut)] // unfiltered lists
            let mut query = $table::table
                .select($row::as_select())
                .order($table::id)
                .into_boxed();
            $(if let Some(value) = $column {
                query = query.filter($table::$column.eq(value));
            })*
            Ok(query.load(conn)?)
        }

        pub fn $find(conn: &mut DbConn, id: $id) -> RepoResult<$row> {
            $table::table
                .find(id.0)
                .select($row::as_select())
                .first(conn)
                .optional()?
                .ok_or(RepoError::NotFound)
        }
    )*};
}

list_and_find! {
    streets: StreetRow, StreetId => list_streets(), find_street;
    communities: CommunityRow, CommunityId => list_communities(street_id), find_community;
    grids: GridRow, GridId => list_grids(community_id), find_grid;
    property_companies: PropertyCompanyRow, PropertyCompanyId => list_property_companies(), find_property_company;
    compounds: CompoundRow, CompoundId => list_compounds(community_id, property_company_id), find_compound;
    buildings: BuildingRow, BuildingId => list_buildings(compound_id, grid_id), find_building;
}

/// The row just inserted with id `inserted`, read back; a write error names `what`.
fn stored<R>(
    conn: &mut DbConn,
    inserted: QueryResult<i64>,
    what: &str,
    find: fn(&mut DbConn, i64) -> RepoResult<R>,
) -> RepoResult<R> {
    let id = inserted.map_err(|e| RepoError::from_write(e, what))?;
    find(conn, id)
}

pub fn create_street(conn: &mut DbConn, name: &str, now: i64) -> RepoResult<StreetRow> {
    let id = diesel::insert_into(streets::table)
        .values((streets::name.eq(name), streets::created_at.eq(now)))
        .returning(streets::id)
        .get_result::<i64>(conn);
    stored(conn, id, "street", |c, id| find_street(c, StreetId(id)))
}

pub fn create_community(
    conn: &mut DbConn,
    street_id: StreetId,
    name: &str,
    now: i64,
) -> RepoResult<CommunityRow> {
    find_street(conn, street_id).map_err(|_| RepoError::BadReference("street_id".into()))?;
    let id = diesel::insert_into(communities::table)
        .values((
            communities::street_id.eq(street_id.0),
            communities::name.eq(name),
            communities::created_at.eq(now),
        ))
        .returning(communities::id)
        .get_result::<i64>(conn);
    stored(conn, id, "community", |c, id| {
        find_community(c, CommunityId(id))
    })
}

pub fn create_grid(
    conn: &mut DbConn,
    community_id: CommunityId,
    name: &str,
    now: i64,
) -> RepoResult<GridRow> {
    find_community(conn, community_id)
        .map_err(|_| RepoError::BadReference("community_id".into()))?;
    let id = diesel::insert_into(grids::table)
        .values((
            grids::community_id.eq(community_id.0),
            grids::name.eq(name),
            grids::created_at.eq(now),
        ))
        .returning(grids::id)
        .get_result::<i64>(conn);
    stored(conn, id, "grid", |c, id| find_grid(c, GridId(id)))
}

pub fn create_property_company(
    conn: &mut DbConn,
    name: &str,
    now: i64,
) -> RepoResult<PropertyCompanyRow> {
    let id = diesel::insert_into(property_companies::table)
        .values((
            property_companies::name.eq(name),
            property_companies::created_at.eq(now),
        ))
        .returning(property_companies::id)
        .get_result::<i64>(conn);
    stored(conn, id, "property company", |c, id| {
        find_property_company(c, PropertyCompanyId(id))
    })
}

/// The names of the given property companies, by id (unknown ids are left out).
pub fn property_company_names(conn: &mut DbConn, ids: &[i64]) -> RepoResult<HashMap<i64, String>> {
    Ok(names_among!(conn, property_companies, ids))
}

/// A compound, its owners' committee (业委会) and the first company assignment, in one go
/// (call inside a transaction).
pub fn create_compound(
    conn: &mut DbConn,
    community_id: CommunityId,
    name: &str,
    property_company_id: PropertyCompanyId,
    now: i64,
) -> RepoResult<CompoundRow> {
    find_community(conn, community_id)
        .map_err(|_| RepoError::BadReference("community_id".into()))?;
    find_property_company(conn, property_company_id)
        .map_err(|_| RepoError::BadReference("property_company_id".into()))?;
    let id = diesel::insert_into(compounds::table)
        .values((
            compounds::community_id.eq(community_id.0),
            compounds::name.eq(name),
            compounds::property_company_id.eq(property_company_id.0),
            compounds::committee_name.eq(format!("{name}业主委员会")),
            compounds::created_at.eq(now),
        ))
        .returning(compounds::id)
        .get_result::<i64>(conn);
    let row = stored(conn, id, "compound", |c, id| {
        find_compound(c, CompoundId(id))
    })?;
    diesel::insert_into(compound_companies::table)
        .values((
            compound_companies::compound_id.eq(row.id),
            compound_companies::property_company_id.eq(property_company_id.0),
            compound_companies::since.eq(now),
            compound_companies::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(row)
}

pub fn compound_place(conn: &mut DbConn, compound_id: CompoundId) -> RepoResult<CompoundPlace> {
    compounds::table
        .inner_join(communities::table)
        .filter(compounds::id.eq(compound_id.0))
        .select((
            compounds::id,
            compounds::community_id,
            communities::street_id,
            compounds::property_company_id,
        ))
        .first::<(i64, i64, i64, i64)>(conn)
        .optional()?
        .map(
            |(compound_id, community_id, street_id, property_company_id)| CompoundPlace {
                compound_id,
                community_id,
                street_id,
                property_company_id,
            },
        )
        .ok_or(RepoError::NotFound)
}

/// Hand a compound to another company from `since`: closes the open assignment, opens a new
/// one and updates the compound (call inside a transaction).
pub fn change_property_company(
    conn: &mut DbConn,
    compound: CompoundId,
    company: PropertyCompanyId,
    since: i64,
    now: i64,
) -> RepoResult<CompoundRow> {
    let current = find_compound(conn, compound)?;
    find_property_company(conn, company)
        .map_err(|_| RepoError::BadReference("property_company_id".into()))?;
    let (compound_id, property_company_id) = (compound.0, company.0);
    if current.property_company_id == property_company_id {
        return Err(RepoError::Conflict(
            "the compound is already managed by this company".into(),
        ));
    }
    let last_since: Option<i64> = compound_companies::table
        .filter(compound_companies::compound_id.eq(compound_id))
        .filter(compound_companies::until.is_null())
        .select(compound_companies::since)
        .first(conn)
        .optional()?;
    if last_since.is_some_and(|s| since <= s) {
        return Err(RepoError::Conflict(
            "`since` must be after the start of the current assignment".into(),
        ));
    }
    diesel::update(
        compound_companies::table
            .filter(compound_companies::compound_id.eq(compound_id))
            .filter(compound_companies::until.is_null()),
    )
    .set(compound_companies::until.eq(since))
    .execute(conn)?;
    diesel::insert_into(compound_companies::table)
        .values((
            compound_companies::compound_id.eq(compound_id),
            compound_companies::property_company_id.eq(property_company_id),
            compound_companies::since.eq(since),
            compound_companies::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(compounds::table.find(compound_id))
        .set(compounds::property_company_id.eq(property_company_id))
        .execute(conn)?;
    find_compound(conn, compound)
}

pub fn company_history(
    conn: &mut DbConn,
    compound_id: CompoundId,
) -> RepoResult<Vec<CompoundCompanyRow>> {
    Ok(compound_companies::table
        .filter(compound_companies::compound_id.eq(compound_id.0))
        .select(CompoundCompanyRow::as_select())
        .order(compound_companies::since)
        .load(conn)?)
}

/// A building must sit in a grid of the compound's own community.
pub fn create_building(
    conn: &mut DbConn,
    compound_id: CompoundId,
    name: &str,
    grid_id: GridId,
    now: i64,
) -> RepoResult<BuildingRow> {
    let compound = find_compound(conn, compound_id)
        .map_err(|_| RepoError::BadReference("compound_id".into()))?;
    let grid = find_grid(conn, grid_id).map_err(|_| RepoError::BadReference("grid_id".into()))?;
    let (compound_id, grid_id) = (compound_id.0, grid_id.0);
    if grid.community_id != compound.community_id {
        // The API checks this first with a clearer message; this guards other callers.
        return Err(RepoError::BadReference("grid_id".into()));
    }
    let id = diesel::insert_into(buildings::table)
        .values((
            buildings::compound_id.eq(compound_id),
            buildings::name.eq(name),
            buildings::grid_id.eq(grid_id),
            buildings::created_at.eq(now),
        ))
        .returning(buildings::id)
        .get_result::<i64>(conn);
    stored(conn, id, "building", |c, id| {
        find_building(c, BuildingId(id))
    })
}

/// Whether the database holds no organisation and no account yet (the demo seeds only such).
pub fn is_empty(conn: &mut DbConn) -> RepoResult<bool> {
    let streets: i64 = streets::table.count().get_result(conn)?;
    let users: i64 = crate::schema::users::table.count().get_result(conn)?;
    Ok(streets == 0 && users == 0)
}

/// One entry of the public directory a new resident picks from: an id, a name and, for a
/// community, its street's name (two streets may have communities of the same name).
#[derive(Debug, Clone, Queryable)]
pub struct DirectoryRow {
    pub id: i64,
    pub name: String,
    pub parent_name: Option<String>,
}

/// `%fragment%` for LIKE, with the fragment's own `%`, `_` and `\` matched literally.
fn containing(fragment: &str) -> String {
    let escaped: String = fragment
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Communities whose name contains `q` (all without it), by id after `after`, at most `limit`.
pub fn directory_communities(
    conn: &mut DbConn,
    q: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<DirectoryRow>> {
    let mut query = communities::table
        .inner_join(streets::table)
        .select((communities::id, communities::name, streets::name.nullable()))
        .filter(communities::id.gt(after.unwrap_or(0)))
        .order(communities::id)
        .limit(limit)
        .into_boxed();
    if let Some(q) = q {
        query = query.filter(communities::name.like(containing(q)).escape('\\'));
    }
    Ok(query.load(conn)?)
}

/// The compounds of a community whose name contains `q`, by id after `after`.
pub fn directory_compounds(
    conn: &mut DbConn,
    community: CommunityId,
    q: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<DirectoryRow>> {
    let mut query = compounds::table
        .select((
            compounds::id,
            compounds::name,
            None::<String>.into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
        ))
        .filter(compounds::community_id.eq(community.0))
        .filter(compounds::id.gt(after.unwrap_or(0)))
        .order(compounds::id)
        .limit(limit)
        .into_boxed();
    if let Some(q) = q {
        query = query.filter(compounds::name.like(containing(q)).escape('\\'));
    }
    Ok(query.load(conn)?)
}

/// The buildings of a compound whose name contains `q`, by id after `after`.
pub fn directory_buildings(
    conn: &mut DbConn,
    compound: CompoundId,
    q: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<DirectoryRow>> {
    let mut query = buildings::table
        .select((
            buildings::id,
            buildings::name,
            None::<String>.into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
        ))
        .filter(buildings::compound_id.eq(compound.0))
        .filter(buildings::id.gt(after.unwrap_or(0)))
        .order(buildings::id)
        .limit(limit)
        .into_boxed();
    if let Some(q) = q {
        query = query.filter(buildings::name.like(containing(q)).escape('\\'));
    }
    Ok(query.load(conn)?)
}

/// Something per kind of organisation unit: the ids a page of responses shows ([`OrgIds`]),
/// or their names ([`OrgNames`]).
#[derive(Debug, Clone, Default)]
pub struct PerUnit<T> {
    pub streets: T,
    pub communities: T,
    pub grids: T,
    pub property_companies: T,
    pub compounds: T,
    pub buildings: T,
}

/// The ids of organisation units whose names a page of responses shows.
pub type OrgIds = PerUnit<Vec<i64>>;

/// Names of organisation units by id (ids that do not exist are left out).
pub type OrgNames = PerUnit<HashMap<i64, String>>;

/// The names of every unit `ids` lists: one query per kind of unit that has ids (at most six),
/// however many rows a page has. (The multi-backend connection has no `UNION`.)
pub fn names(conn: &mut DbConn, ids: &OrgIds) -> RepoResult<OrgNames> {
    Ok(OrgNames {
        streets: names_among!(conn, streets, &ids.streets),
        communities: names_among!(conn, communities, &ids.communities),
        grids: names_among!(conn, grids, &ids.grids),
        property_companies: names_among!(conn, property_companies, &ids.property_companies),
        compounds: names_among!(conn, compounds, &ids.compounds),
        buildings: names_among!(conn, buildings, &ids.buildings),
    })
}

/// The organisation units a staff scope reaches (what a dispatcher, official or handler may
/// look up): ids per kind of unit. `buildings_in_grid`: a grid worker reaches only the
/// buildings of their grid within the compounds listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub streets: Vec<i64>,
    pub communities: Vec<i64>,
    pub grids: Vec<i64>,
    pub compounds: Vec<i64>,
    pub property_companies: Vec<i64>,
    pub buildings_in_grid: Option<i64>,
}

/// What `scope` reaches; `None` for the whole district (no filter).
pub fn reach(conn: &mut DbConn, scope: &linli_domain::auth::Scope) -> RepoResult<Option<Reach>> {
    use linli_domain::auth::Scope;
    let communities_of_streets = |conn: &mut DbConn, s: &[i64]| -> RepoResult<Vec<i64>> {
        Ok(communities::table
            .filter(communities::street_id.eq_any(s))
            .select(communities::id)
            .load(conn)?)
    };
    let mut r = Reach::default();
    match *scope {
        Scope::District => return Ok(None),
        Scope::Street(s) => {
            r.streets = vec![s.0];
            r.communities = communities_of_streets(conn, &r.streets)?;
            r.compounds = compounds::table
                .filter(compounds::community_id.eq_any(&r.communities))
                .select(compounds::id)
                .load(conn)?;
            r.grids = grids::table
                .filter(grids::community_id.eq_any(&r.communities))
                .select(grids::id)
                .load(conn)?;
        }
        Scope::Community(c) => {
            r.communities = vec![c.0];
            r.compounds = compounds::table
                .filter(compounds::community_id.eq(c.0))
                .select(compounds::id)
                .load(conn)?;
            r.grids = grids::table
                .filter(grids::community_id.eq(c.0))
                .select(grids::id)
                .load(conn)?;
        }
        Scope::Grid(g) => {
            r.grids = vec![g.0];
            r.communities = grids::table
                .find(g.0)
                .select(grids::community_id)
                .load(conn)?;
            r.compounds = buildings::table
                .filter(buildings::grid_id.eq(g.0))
                .select(buildings::compound_id)
                .distinct()
                .load(conn)?;
            r.buildings_in_grid = Some(g.0);
        }
        Scope::Compound(c) => {
            r.compounds = vec![c.0];
            r.communities = compounds::table
                .find(c.0)
                .select(compounds::community_id)
                .load(conn)?;
            r.grids = buildings::table
                .filter(buildings::compound_id.eq(c.0))
                .select(buildings::grid_id)
                .distinct()
                .load(conn)?;
        }
        Scope::Building(b) => {
            // A building leader: its building's compound, grid and community (and the
            // buildings of its grid in that compound).
            let (compound, grid): (i64, i64) = buildings::table
                .find(b.0)
                .select((buildings::compound_id, buildings::grid_id))
                .first(conn)?;
            r.compounds = vec![compound];
            r.grids = vec![grid];
            r.communities = compounds::table
                .find(compound)
                .select(compounds::community_id)
                .load(conn)?;
            r.buildings_in_grid = Some(grid);
        }
        Scope::PropertyCompany(p) => {
            r.compounds = compounds::table
                .filter(compounds::property_company_id.eq(p.0))
                .select(compounds::id)
                .load(conn)?;
            r.communities = compounds::table
                .filter(compounds::property_company_id.eq(p.0))
                .select(compounds::community_id)
                .distinct()
                .load(conn)?;
            r.grids = buildings::table
                .filter(buildings::compound_id.eq_any(&r.compounds))
                .select(buildings::grid_id)
                .distinct()
                .load(conn)?;
        }
    }
    if r.streets.is_empty() {
        r.streets = communities::table
            .filter(communities::id.eq_any(&r.communities))
            .select(communities::street_id)
            .distinct()
            .load(conn)?;
    }
    r.property_companies = compounds::table
        .filter(compounds::id.eq_any(&r.compounds))
        .select(compounds::property_company_id)
        .distinct()
        .load(conn)?;
    Ok(Some(r))
}

/// `list_*_reached`: one keyset page (ids after `after`, at most `limit`) of a table's rows
/// within `reach` (all of them without one).
macro_rules! reached {
    ($($list:ident: $table:ident, $row:ident, |$r:ident, $q:ident| $narrow:expr;)*) => {$(
        pub fn $list(
            conn: &mut DbConn,
            reach: Option<&Reach>,
            after: Option<i64>,
            limit: i64,
        ) -> RepoResult<Vec<$row>> {
            let mut $q = $table::table
                .select($row::as_select())
                .filter($table::id.gt(after.unwrap_or(0)))
                .order($table::id)
                .limit(limit)
                .into_boxed();
            if let Some($r) = reach {
                $q = $narrow;
            }
            Ok($q.load(conn)?)
        }
    )*};
}

reached! {
    list_streets_reached: streets, StreetRow, |r, q| q.filter(streets::id.eq_any(r.streets.clone()));
    list_communities_reached: communities, CommunityRow, |r, q| q.filter(communities::id.eq_any(r.communities.clone()));
    list_grids_reached: grids, GridRow, |r, q| q.filter(grids::id.eq_any(r.grids.clone()));
    list_compounds_reached: compounds, CompoundRow, |r, q| q.filter(compounds::id.eq_any(r.compounds.clone()));
    list_property_companies_reached: property_companies, PropertyCompanyRow,
        |r, q| q.filter(property_companies::id.eq_any(r.property_companies.clone()));
    list_buildings_reached: buildings, BuildingRow, |r, q| {
        let q = q.filter(buildings::compound_id.eq_any(r.compounds.clone()));
        match r.buildings_in_grid {
            Some(g) => q.filter(buildings::grid_id.eq(g)),
            None => q,
        }
    };
}
