//! 片长: a building leader whose scope is a grid acts as the building leader of every building
//! of it — the scope it is stored with, what it sees, files and does. Tested alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use linli_domain::{
    DomainError,
    auth::{Actor, Role, Scope, ScopeKind, authorize, can_file, can_view},
    category::CategoryCode,
    ids::{BuildingId, CommunityId, GridId, PropertyCompanyId, UserId},
    issue::{CommandKind, Source},
    patrol::{PatrolGround, may_patrol},
    triage::{Handler, Level},
};

fn leader(user: i64, scope: Scope) -> Actor {
    Actor {
        user_id: UserId(user),
        role: Role::BuildingLeader,
        scope,
        verified: true,
    }
}

fn field_of(e: DomainError) -> String {
    match e {
        DomainError::Invalid { field, .. } => field.to_string(),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[test]
fn a_building_leader_is_scoped_to_a_building_or_to_a_grid() {
    let grid = Scope::for_account(Role::BuildingLeader, Some(ScopeKind::Grid), Some(50)).unwrap();
    assert_eq!(grid, Scope::Grid(GridId(50)));
    assert_eq!(grid.kind(), Some(ScopeKind::Grid));
    assert_eq!(
        grid.stored_kind(Role::BuildingLeader),
        Some(ScopeKind::Grid)
    );
    // No kind, or the usual one: the building, stored without a kind.
    for kind in [None, Some(ScopeKind::Building)] {
        let building = Scope::for_account(Role::BuildingLeader, kind, Some(1000)).unwrap();
        assert_eq!(building, Scope::Building(BuildingId(1000)));
        assert_eq!(building.stored_kind(Role::BuildingLeader), None);
    }
    // Every other role keeps its one kind.
    assert_eq!(
        Scope::for_account(Role::GridWorker, Some(ScopeKind::Grid), Some(50)).unwrap(),
        Scope::Grid(GridId(50))
    );
    assert_eq!(Scope::Grid(GridId(50)).stored_kind(Role::GridWorker), None);
    assert_eq!(Scope::District.stored_kind(Role::Auditor), None);
    for (role, kind, id) in [
        (Role::Volunteer, ScopeKind::Grid, Some(10)),
        (Role::GridWorker, ScopeKind::Building, Some(1000)),
        (Role::BuildingLeader, ScopeKind::Community, Some(10)),
    ] {
        let e = Scope::for_account(role, Some(kind), id).unwrap_err();
        assert_eq!(field_of(e), "scope_kind", "{role:?} {kind:?}");
    }
    // The id is still required, and checked first.
    let e = Scope::for_account(Role::BuildingLeader, Some(ScopeKind::Grid), None).unwrap_err();
    assert_eq!(field_of(e), "scope_id");
    for kind in ScopeKind::ALL {
        assert_eq!(ScopeKind::parse(kind.as_str()).unwrap(), kind);
    }
    assert_eq!(
        field_of(ScopeKind::parse("galaxy").unwrap_err()),
        "scope_kind"
    );
}

#[test]
fn a_grid_leader_acts_on_the_small_matters_of_every_building_of_the_grid() {
    let ours = leader(96, Scope::Grid(GridId(50)));
    let theirs = leader(97, Scope::Grid(GridId(51)));
    let building = leader(95, Scope::Building(BuildingId(1000)));
    let mut t = Track::file(CategoryCode::STAIRWELL_CLUTTER);
    t.issue.is_public = false;
    t.issue.suggestion.level = Some(Level::Residents);
    t.issue.handler = Some(Handler::BuildingLeaders {
        building_id: BuildingId(1000),
    });
    let issue = &t.issue;
    for actor in [&ours, &building] {
        assert!(can_view(actor, issue), "{actor:?}");
        for kind in [CommandKind::Answer, CommandKind::SubmitRectification] {
            assert!(authorize(actor, kind, issue).is_ok(), "{actor:?} {kind:?}");
        }
        for kind in [CommandKind::Return, CommandKind::RequestExtension] {
            assert!(authorize(actor, kind, issue).is_err(), "{actor:?} {kind:?}");
        }
    }
    assert!(!can_view(&theirs, issue));
    assert!(authorize(&theirs, CommandKind::Answer, issue).is_err());

    // Once the grid takes it over, it is the 片长's no more (a private case).
    let mut backstopped = issue.clone();
    backstopped.handler = Some(Handler::Grid {
        grid_id: GridId(50),
    });
    assert!(!can_view(&ours, &backstopped));
    assert!(authorize(&ours, CommandKind::Answer, &backstopped).is_err());
    // Public cases of the grid are in sight; a private one not handed to the leaders is not.
    backstopped.is_public = true;
    assert!(can_view(&ours, &backstopped) && !can_view(&theirs, &backstopped));
    let mut untouched = issue.clone();
    untouched.handler = None;
    assert!(!can_view(&ours, &untouched));
    // What the 片长 reported stays in sight wherever it is.
    untouched.reporter = ours.user_id;
    assert!(can_view(&ours, &untouched));
}

#[test]
fn a_grid_leader_files_patrol_findings_in_the_grid_and_walks_the_community() {
    let ours = leader(96, Scope::Grid(GridId(50)));
    let mut there = place();
    assert!(can_file(&ours, Source::Patrol, &there));
    assert!(!can_file(&ours, Source::App, &there));
    there.building_id = Some(BuildingId(1001));
    assert!(can_file(&ours, Source::Patrol, &there), "any building");
    there.grid_id = Some(GridId(51));
    assert!(!can_file(&ours, Source::Patrol, &there));

    let ground = PatrolGround {
        community_id: CommunityId(10),
        property_company_id: PropertyCompanyId(7),
    };
    let scope = ours.scope;
    assert!(may_patrol(
        Role::BuildingLeader,
        scope,
        &ground,
        Some(CommunityId(10))
    ));
    assert!(!may_patrol(
        Role::BuildingLeader,
        scope,
        &ground,
        Some(CommunityId(11))
    ));
    assert!(!may_patrol(Role::BuildingLeader, scope, &ground, None));
}
