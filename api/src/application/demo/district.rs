//! The demo district's organisation and accounts: 岳塘区 with two streets, four communities,
//! five grids, three property companies and six compounds named after the seed reports.

use linli_domain::ids::{CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId};
use std::collections::HashMap;

use chrono::Duration;
use linli_domain::{
    Timestamp,
    auth::{Actor, Role, Scope, ScopeKind, Verification},
    ids::UserId,
};
use linli_infra::{
    DbConn,
    repo::{invitations, org, users},
    time::to_millis,
};

use super::{DemoAccount, SeedResult, fail};

/// A building and the grid it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct DemoBuilding {
    pub id: i64,
    pub grid_id: i64,
}

#[derive(Debug, Clone)]
pub struct DemoCompound {
    pub id: i64,
    pub name: &'static str,
    pub street_id: i64,
    pub community_id: i64,
    pub buildings: Vec<DemoBuilding>,
    /// `(since, company)`, oldest first.
    pub companies: Vec<(Timestamp, i64)>,
}

impl DemoCompound {
    /// The company that managed the compound at `at`.
    pub fn company_at(&self, at: Timestamp) -> i64 {
        self.companies
            .iter()
            .rev()
            .find(|(since, _)| *since <= at)
            .or(self.companies.first())
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }
}

/// A resident with a home.
#[derive(Debug, Clone, Copy)]
pub struct DemoResident {
    pub actor: Actor,
    pub building_id: i64,
}

/// Who is who in the demo district (what the issue history needs to act as the right person).
#[derive(Debug, Default)]
pub struct DemoDistrict {
    pub compounds: Vec<DemoCompound>,
    pub district_dispatcher: Option<Actor>,
    pub street_dispatchers: HashMap<i64, Actor>,
    pub grid_workers: HashMap<i64, Actor>,
    pub property_staff: HashMap<i64, Actor>,
    pub committee_members: HashMap<i64, Actor>,
    pub officials: HashMap<i64, Actor>,
    pub mediators: HashMap<i64, Actor>,
    /// The district's property-management office (物管办), which runs the ratings.
    pub district_office: Option<Actor>,
    /// The first street's official (街道干部): 回头看, urging and return decisions there.
    pub street_official: Option<Actor>,
    pub residents: HashMap<i64, Vec<DemoResident>>,
    /// 楼栋长 by building id (the first compound's 1栋 has one).
    pub building_leaders: HashMap<i64, Actor>,
    /// 片长 (building leaders over a grid) by grid id: one, for a grid without 1栋.
    pub grid_leaders: HashMap<i64, Actor>,
    /// 红管家 by community id (the first community has one).
    pub volunteers: HashMap<i64, Actor>,
    pub accounts: Vec<DemoAccount>,
}

impl DemoDistrict {
    /// Who acts for the building leaders of `building` in `grid`: its own 楼栋长, else the
    /// grid's 片长.
    pub fn building_leader_for(&self, building: i64, grid: Option<i64>) -> Option<Actor> {
        self.building_leaders
            .get(&building)
            .or_else(|| grid.and_then(|g| self.grid_leaders.get(&g)))
            .copied()
    }

    /// The dispatcher who triages issues of `street_id`: the street's own, else the district's.
    pub fn dispatcher_for(&self, street_id: i64) -> SeedResult<Actor> {
        self.street_dispatchers
            .get(&street_id)
            .copied()
            .or(self.district_dispatcher)
            .ok_or_else(|| "no dispatcher".into())
    }
}

// One district, as people there write it: two streets of 岳塘区 and their communities.
const STREETS: [&str; 2] = ["东坪街道", "宝塔街道"];
/// (street index, community)
const COMMUNITIES: [(usize, &str); 4] = [
    (0, "东坪社区"),
    (0, "五星社区"),
    (1, "宝塔社区"),
    (1, "杉山社区"),
];
/// (community index, grid)
const GRIDS: [(usize, &str); 5] = [
    (0, "东坪一网格"),
    (0, "东坪二网格"),
    (1, "五星一网格"),
    (2, "宝塔一网格"),
    (3, "杉山一网格"),
];
const COMPANIES: [&str; 3] = ["岳塘安居物业", "湘潭红管家物业", "金湘江物业"];
/// (community index, compound, first company index, grid index per building)
const COMPOUNDS: [(usize, &str, usize, &[usize]); 6] = [
    (0, "东坪花园", 0, &[0, 0, 1]),
    (0, "湘机宿舍", 2, &[1, 1]),
    (1, "五星家园", 1, &[2, 2, 2]),
    (2, "宝塔新村", 1, &[3, 3]),
    (2, "锰矿小区", 2, &[3, 3]),
    (3, "杉山雅苑", 2, &[4, 4]),
];
/// 锰矿小区 was handed from 金湘江物业 to 岳塘安居物业 this many days ago.
const HANDOVER: (&str, usize, i64) = ("锰矿小区", 0, 75);

/// How residents are called: 王阿姨, 李师傅, ...
const RESIDENT_TITLES: [&str; 4] = ["阿姨", "师傅", "大爷", "女士"];

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];

struct AccountMaker<'a> {
    hash: &'a str,
    password: &'a str,
    at: i64,
    next_phone: u32,
}

impl AccountMaker<'_> {
    fn make(
        &mut self,
        conn: &mut DbConn,
        district: &mut DemoDistrict,
        role: Role,
        scope_id: Option<i64>,
        name: String,
        home: Option<(i64, i64, String)>,
    ) -> SeedResult<Actor> {
        let scope = Scope::for_role(role, scope_id).map_err(fail)?;
        self.make_in(conn, district, role, scope, name, home)
    }

    /// An account of `role` in `scope`, which may be of a kind other than the role's usual
    /// (a 片长: a building leader over a grid).
    fn make_in(
        &mut self,
        conn: &mut DbConn,
        district: &mut DemoDistrict,
        role: Role,
        scope: Scope,
        name: String,
        home: Option<(i64, i64, String)>,
    ) -> SeedResult<Actor> {
        self.next_phone += 1;
        let phone = format!("1370000{:04}", self.next_phone);
        let (compound_id, building_id, unit) = match &home {
            Some((c, b, u)) => (Some(*c), Some(*b), Some(u.as_str())),
            None => (None, None, None),
        };
        let row = users::create(
            conn,
            &users::NewUser {
                phone: &phone,
                password_hash: self.hash,
                display_name: &name,
                role: role.as_str(),
                scope_id: scope.id(),
                scope_kind: scope.stored_kind(role).map(ScopeKind::as_str),
                compound_id,
                building_id,
                unit,
                created_at: self.at,
                verification: (role == Role::Resident).then_some("verified"),
            },
        )
        .map_err(fail)?;
        district.accounts.push(DemoAccount {
            phone,
            password: self.password.to_owned(),
            role: role.as_str().to_owned(),
            name,
        });
        Ok(Actor {
            user_id: UserId(row.id),
            role,
            scope,
            verified: true,
        })
    }
}

/// Create the organisation tree (dated `org_at`, before the issue history starts) and one or
/// more accounts per role, all with the same password hash.
pub fn seed(
    conn: &mut DbConn,
    org_at: Timestamp,
    now: Timestamp,
    password: &str,
    hash: &str,
) -> SeedResult<DemoDistrict> {
    let at = to_millis(org_at);
    let mut d = DemoDistrict::default();

    let streets = STREETS
        .iter()
        .map(|n| org::create_street(conn, n, at).map(|r| r.id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let communities = COMMUNITIES
        .iter()
        .map(|(s, n)| {
            org::create_community(conn, StreetId(streets[*s]), n, at).map(|r| (r.id, streets[*s]))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let grids = GRIDS
        .iter()
        .map(|(c, n)| org::create_grid(conn, CommunityId(communities[*c].0), n, at).map(|r| r.id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let companies = COMPANIES
        .iter()
        .map(|n| org::create_property_company(conn, n, at).map(|r| r.id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    for (community, name, company, building_grids) in COMPOUNDS {
        let (community_id, street_id) = communities[community];
        let row = org::create_compound(
            conn,
            CommunityId(community_id),
            name,
            PropertyCompanyId(companies[company]),
            at,
        )
        .map_err(fail)?;
        let mut buildings = Vec::new();
        for (n, g) in building_grids.iter().enumerate() {
            let b = org::create_building(
                conn,
                CompoundId(row.id),
                &format!("{}栋", n + 1),
                GridId(grids[*g]),
                at,
            )
            .map_err(fail)?;
            buildings.push(DemoBuilding {
                id: b.id,
                grid_id: b.grid_id,
            });
        }
        let mut history = vec![(org_at, companies[company])];
        if name == HANDOVER.0 {
            let since = now - Duration::days(HANDOVER.2);
            org::change_property_company(
                conn,
                CompoundId(row.id),
                PropertyCompanyId(companies[HANDOVER.1]),
                to_millis(since),
                at,
            )
            .map_err(fail)?;
            history.push((since, companies[HANDOVER.1]));
        }
        d.compounds.push(DemoCompound {
            id: row.id,
            name,
            street_id,
            community_id,
            buildings,
            companies: history,
        });
    }

    let mut maker = AccountMaker {
        hash,
        password,
        at,
        next_phone: 0,
    };
    let m = &mut maker;
    m.make(
        conn,
        &mut d,
        Role::Admin,
        None,
        format!("{}管理员", SURNAMES[10]),
        None,
    )?;
    let actor = m.make(
        conn,
        &mut d,
        Role::Dispatcher,
        None,
        format!("{}调度员", SURNAMES[11]),
        None,
    )?;
    d.district_dispatcher = Some(actor);
    let actor = m.make(
        conn,
        &mut d,
        Role::Dispatcher,
        Some(streets[0]),
        format!("{}调度员", SURNAMES[9]),
        None,
    )?;
    d.street_dispatchers.insert(streets[0], actor);
    m.make(
        conn,
        &mut d,
        Role::Auditor,
        None,
        format!("{}督查", SURNAMES[7]),
        None,
    )?;
    for i in 0..GRIDS.len() {
        let actor = m.make(
            conn,
            &mut d,
            Role::GridWorker,
            Some(grids[i]),
            format!("{}网格员", SURNAMES[i % SURNAMES.len()]),
            None,
        )?;
        d.grid_workers.insert(grids[i], actor);
    }
    for i in 0..COMPANIES.len() {
        let actor = m.make(
            conn,
            &mut d,
            Role::PropertyStaff,
            Some(companies[i]),
            format!("{}管家", SURNAMES[(i + 5) % SURNAMES.len()]),
            None,
        )?;
        d.property_staff.insert(companies[i], actor);
    }
    for i in 0..COMMUNITIES.len() {
        let id = communities[i].0;
        let actor = m.make(
            conn,
            &mut d,
            Role::CommunityOfficial,
            Some(id),
            format!("{}书记", SURNAMES[(i + 2) % SURNAMES.len()]),
            None,
        )?;
        d.officials.insert(id, actor);
        let actor = m.make(
            conn,
            &mut d,
            Role::Mediator,
            Some(id),
            format!("和事佬{}大姐", SURNAMES[(i + 8) % SURNAMES.len()]),
            None,
        )?;
        d.mediators.insert(id, actor);
    }
    let compounds = d.compounds.clone();
    for (i, c) in compounds.iter().enumerate() {
        let actor = m.make(
            conn,
            &mut d,
            Role::CommitteeMember,
            Some(c.id),
            format!("{}主任", SURNAMES[(i + 4) % SURNAMES.len()]),
            None,
        )?;
        d.committee_members.insert(c.id, actor);
    }
    for (i, c) in compounds.iter().enumerate() {
        let mut residents = Vec::new();
        for k in 0..2 {
            let building = c.buildings[k % c.buildings.len()];
            let unit = format!("{}单元 {}0{}", k + 1, 3 + i, k + 1);
            let actor = m.make(
                conn,
                &mut d,
                Role::Resident,
                Some(c.id),
                format!(
                    "{}{}",
                    SURNAMES[(i * 2 + k) % SURNAMES.len()],
                    RESIDENT_TITLES[(i + k) % RESIDENT_TITLES.len()]
                ),
                Some((c.id, building.id, unit)),
            )?;
            residents.push(DemoResident {
                actor,
                building_id: building.id,
            });
        }
        d.residents.insert(c.id, residents);
    }
    seed_verification(conn, m, &mut d, now)?;
    // Made last so the earlier demo accounts keep their phone numbers.
    let office = m.make(
        conn,
        &mut d,
        Role::DistrictOffice,
        None,
        format!("{}科长", SURNAMES[11]),
        None,
    )?;
    d.district_office = Some(office);
    let street_official = m.make(
        conn,
        &mut d,
        Role::StreetOfficial,
        Some(streets[0]),
        format!("{}主任", SURNAMES[3]),
        None,
    )?;
    d.street_official = Some(street_official);
    // The 三长 and the 红管家 came last, after the district office, for the same reason.
    seed_neighbours(conn, m, &mut d)?;
    Ok(d)
}

/// A building leader (楼栋长) for the first compound's 1栋, a 片长 over another grid, and a
/// volunteer (红管家) for the first community: residents who volunteer, named as their neighbours call them.
fn seed_neighbours(
    conn: &mut DbConn,
    m: &mut AccountMaker<'_>,
    d: &mut DemoDistrict,
) -> SeedResult<()> {
    let Some(first) = d.compounds.first().cloned() else {
        return Ok(());
    };
    let Some(building) = first.buildings.first().copied() else {
        return Ok(());
    };
    let leader = m.make(
        conn,
        d,
        Role::BuildingLeader,
        Some(building.id),
        format!("{}楼长", SURNAMES[6]),
        None,
    )?;
    d.building_leaders.insert(building.id, leader);
    // A 片长 over a grid other than 1栋's where there is one: the building leader of every
    // building of it.
    let grid = (d.compounds.iter())
        .flat_map(|c| c.buildings.iter())
        .map(|b| b.grid_id)
        .find(|g| *g != building.grid_id)
        .unwrap_or(building.grid_id);
    let area_leader = m.make_in(
        conn,
        d,
        Role::BuildingLeader,
        Scope::Grid(GridId(grid)),
        format!("{}片长", SURNAMES[7]),
        None,
    )?;
    d.grid_leaders.insert(grid, area_leader);
    let volunteer = m.make(
        conn,
        d,
        Role::Volunteer,
        Some(first.community_id),
        format!("{}红管家", SURNAMES[8]),
        None,
    )?;
    d.volunteers.insert(first.community_id, volunteer);
    Ok(())
}

/// Residents of the first compounds waiting for verification (业主认证), so the queue shows
/// something, and an invitation code for the first building (its code goes to the log: only
/// its hash is stored).
fn seed_verification(
    conn: &mut DbConn,
    m: &mut AccountMaker<'_>,
    d: &mut DemoDistrict,
    now: Timestamp,
) -> SeedResult<()> {
    let compounds = d.compounds.clone();
    for (i, c) in compounds.iter().take(2).enumerate() {
        for k in 0..2 {
            let building = c.buildings[k % c.buildings.len()];
            let surname = SURNAMES[(i * 2 + k + 7) % SURNAMES.len()];
            let name = format!(
                "{surname}{}",
                RESIDENT_TITLES[(i + k + 1) % RESIDENT_TITLES.len()]
            );
            let unit = format!("{}单元 60{}", k + 1, k + 1);
            let actor = m.make(
                conn,
                d,
                Role::Resident,
                Some(c.id),
                name,
                Some((c.id, building.id, unit)),
            )?;
            let pending = users::VerificationChangeset {
                verification: Some(Verification::Pending.as_str()),
                verification_note: None,
                verified_by: None,
                verified_at: None,
            };
            users::set_verification(conn, actor.user_id, &pending).map_err(fail)?;
        }
    }
    let Some(first) = compounds.first() else {
        return Ok(());
    };
    let compound = org::find_compound(conn, CompoundId(first.id)).map_err(fail)?;
    let Some(staff) = d.property_staff.get(&compound.property_company_id) else {
        return Ok(());
    };
    let code = invitations::new_code();
    invitations::create(
        conn,
        &invitations::NewInvitation {
            code_hash: &invitations::hash_code(&code),
            compound_id: first.id,
            building_id: first.buildings[0].id,
            created_by: staff.user_id.0,
            created_at: to_millis(now),
            expires_at: to_millis(now + Duration::days(90)),
            max_uses: Some(50),
        },
    )
    .map_err(fail)?;
    tracing::info!(compound = first.name, building = "1栋", %code, "demo invitation code");
    Ok(())
}
