//! Repository tests, run against SQLite by default and against PostgreSQL when
//! `LINLI_TEST_DATABASE_URL` names a server (CI runs both).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{Tree, seed};
use linli_domain::ids::CommunityId;
use linli_domain::ids::{GridId, PropertyCompanyId, SessionId};
use linli_domain::{
    Timestamp,
    category::CategoryCode,
    ids::UserId,
    issue::{Command, Issue, IssueEvent, IssueKind, IssueStatus, NewIssue, Source, WorkflowConfig},
    triage::{self, TriageOverrides},
};
use linli_infra::{
    DbConn, RepoError, db,
    repo::{
        categories,
        issues::{self, EventActor},
        org, sessions,
    },
    testing::TestDatabase,
};

fn open() -> (TestDatabase, db::DbPool) {
    let t = TestDatabase::new();
    let pool = db::connect(&t.url, 4).unwrap();
    let mut conn = db::get(&pool).unwrap();
    assert!(db::migrate(&mut conn).unwrap() >= 1);
    assert!(db::is_ready(&mut conn).unwrap());
    assert_eq!(
        db::migrate(&mut conn).unwrap(),
        0,
        "migrations are idempotent"
    );
    (t, pool)
}

/// A migrated database with the tree seeded, and a connection to it.
fn seeded() -> (TestDatabase, db::PooledConn, Tree) {
    let (t, pool) = open();
    let mut conn = db::get(&pool).unwrap();
    let tree = seed(&mut conn);
    (t, conn, tree)
}

/// Files the tree's water leak at 08:00 on 1 September 2026 and stores it as `actor` did.
fn file_stored(conn: &mut DbConn, tree: &Tree, actor: EventActor) -> (Issue, Timestamp) {
    let t0 = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
    let routing = categories::find(conn, CategoryCode::WATER_LEAK)
        .unwrap()
        .routing();
    let (issue, created) = Issue::file(new_issue(tree), &routing, t0, &WorkflowConfig::default());
    let (stored, _) = issues::insert(conn, &issue, &created, actor, t0).unwrap();
    (stored, t0)
}

/// `event` applied to `from`, stored by the scheduler at `at` on top of `from`'s version.
fn store_transition(conn: &mut DbConn, from: &Issue, event: &IssueEvent, at: Timestamp) -> Issue {
    let mut to = from.clone();
    to.apply(event);
    issues::apply_transition(conn, from.version, &to, event, EventActor::SYSTEM, at).unwrap();
    to
}

fn new_issue(tree: &Tree) -> NewIssue {
    NewIssue {
        reporter: UserId(tree.reporter),
        category: CategoryCode::WATER_LEAK,
        kind: IssueKind::Complaint,
        source: Source::App,
        place: tree.place,
        description: linli_domain::values::IssueDescription::parse("地下车库漏水,请尽快处理")
            .unwrap(),
        unit: None,
        location_text: Some(linli_domain::issue::LocationText::parse("地下车库B区").unwrap()),
        lat: Some(27.86),
        lon: Some(112.95),
        is_public: true,
        urgency: None,
        caller: None,
        building_has_leaders: false,
    }
}

#[test]
fn the_migration_seeds_the_catalogue_and_the_district_edits_it() {
    use linli_domain::{
        category::{CategoryEntry, CategoryName},
        level::Level,
        urgency::{SpanOverrides, Urgency},
    };
    let (_t, mut conn, _tree) = seeded();
    let all = categories::all(&mut conn).unwrap();
    assert_eq!(all.len(), 18);
    let get = |code: CategoryCode| all.iter().find(|e| e.code == code).unwrap().clone();
    let entrapment = get(CategoryCode::ELEVATOR_ENTRAPMENT);
    assert_eq!(entrapment.name_zh.as_str(), "电梯困人");
    assert_eq!(entrapment.default_urgency, Urgency::Emergency);
    assert_eq!(entrapment.spans.response_minutes(), Some(30));
    let gas = get(CategoryCode::GAS_LEAK);
    assert_eq!(gas.default_urgency, Urgency::Emergency);
    assert!(gas.stop_notice.unwrap().as_str().contains("119"));
    let tank = get(CategoryCode::WATER_TANK);
    assert_eq!(tank.name_zh.as_str(), "二次供水/水箱");
    assert_eq!(tank.default_urgency, Urgency::Urgent);
    assert!(get(CategoryCode::OTHER).kinds.contains(&IssueKind::Praise));
    assert!(
        !get(CategoryCode::GAS_LEAK)
            .kinds
            .contains(&IssueKind::Praise)
    );

    // A new category goes to the end; its code is unique; an update keeps its place.
    let mut entry = CategoryEntry {
        code: CategoryCode::parse("pet_nuisance").unwrap(),
        name_zh: CategoryName::parse("name_zh", "宠物扰民").unwrap(),
        name_en: CategoryName::parse("name_en", "Pet nuisance").unwrap(),
        kinds: vec![IssueKind::Complaint],
        default_level: Some(Level::Grid),
        default_urgency: Urgency::Normal,
        photos_expected: false,
        stop_notice: None,
        spans: SpanOverrides::default(),
        active: true,
    };
    categories::insert(&mut conn, &entry, Utc::now()).unwrap();
    assert!(matches!(
        categories::insert(&mut conn, &entry, Utc::now()),
        Err(RepoError::Conflict(_))
    ));
    entry.default_level = Some(Level::Property);
    entry.spans = SpanOverrides::minutes(entry.spans.response_minutes(), Some(600));
    categories::update(&mut conn, &entry, Utc::now()).unwrap();
    let all = categories::all(&mut conn).unwrap();
    assert_eq!(all.last(), Some(&entry));
    entry.code = CategoryCode::parse("no_such_one").unwrap();
    assert!(matches!(
        categories::update(&mut conn, &entry, Utc::now()),
        Err(RepoError::NotFound)
    ));
}

#[test]
fn organisation_tree_rules() {
    let (_t, mut conn, tree) = seeded();
    // Duplicate names within a parent are conflicts, not database errors.
    assert!(matches!(
        org::create_street(&mut conn, "岳塘街道", 0),
        Err(RepoError::Conflict(_))
    ));
    // A building must sit in a grid of its compound's own community.
    let other = org::create_community(&mut conn, tree.place.street_id, "宝塔社区", 0).unwrap();
    let foreign_grid = org::create_grid(&mut conn, CommunityId(other.id), "宝塔网格", 0).unwrap();
    assert!(matches!(
        org::create_building(
            &mut conn,
            tree.place.compound_id,
            "2栋",
            GridId(foreign_grid.id),
            0
        ),
        Err(RepoError::BadReference(_))
    ));
    // Changing the company keeps the history.
    let second = org::create_property_company(&mut conn, "万怡物业", 0).unwrap();
    let c = org::change_property_company(
        &mut conn,
        tree.place.compound_id,
        PropertyCompanyId(second.id),
        1000,
        1000,
    )
    .unwrap();
    assert_eq!(c.property_company_id, second.id);
    let history = org::company_history(&mut conn, tree.place.compound_id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].until, Some(1000));
    assert_eq!(history[1].until, None);
    assert!(!org::is_empty(&mut conn).unwrap());
}

#[test]
fn issues_round_trip_and_replay_from_stored_events() {
    let (_t, mut conn, tree) = seeded();
    let cfg = WorkflowConfig::default();
    let actor = EventActor {
        user_id: Some(UserId(tree.reporter)),
        role: Some("resident"),
    };
    let (stored, t0) = file_stored(&mut conn, &tree, actor);
    assert!(stored.id.0 > 0);
    assert_eq!(issues::find(&mut conn, stored.id).unwrap(), stored);

    let decision = triage::decide(
        &stored.suggestion,
        TriageOverrides::default(),
        &stored.place,
    )
    .unwrap();
    let t1 = t0 + Duration::minutes(30);
    let event = stored.decide(&Command::Triage(decision), t1, &cfg).unwrap();
    let triaged = store_transition(&mut conn, &stored, &event, t1);
    let loaded = issues::find(&mut conn, stored.id).unwrap();
    assert_eq!(loaded, triaged);
    assert_eq!(loaded.status, IssueStatus::Triaged);

    let events: Vec<_> = issues::events(&mut conn, stored.id)
        .unwrap()
        .iter()
        .map(|e| e.to_domain().unwrap())
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        Issue::replay(&events).unwrap(),
        loaded,
        "the timeline rebuilds the row"
    );
}

#[test]
fn a_stale_version_writes_nothing() {
    let (_t, mut conn, tree) = seeded();
    let cfg = WorkflowConfig::default();
    let (stored, t0) = file_stored(&mut conn, &tree, EventActor::SYSTEM);

    // Two commands decided on the same version: the first wins, the second is stale.
    let withdraw = stored.decide(&Command::Withdraw, t0, &cfg).unwrap();
    store_transition(&mut conn, &stored, &withdraw, t0);
    let mut b = stored.clone();
    b.apply(&withdraw);
    let again = db::write_transaction(&mut conn, |c| {
        issues::apply_transition(c, stored.version, &b, &withdraw, EventActor::SYSTEM, t0)
    });
    assert!(matches!(again, Err(RepoError::StaleVersion)));
    assert_eq!(issues::events(&mut conn, stored.id).unwrap().len(), 2);
}

#[test]
fn a_refresh_token_is_used_once() {
    let (_t, mut conn, tree) = seeded();
    sessions::insert(&mut conn, tree.reporter, "fam", "hash-1", 0, 10_000).unwrap();
    let row = sessions::find_by_hash(&mut conn, "hash-1")
        .unwrap()
        .unwrap();
    assert!(sessions::mark_used(&mut conn, SessionId(row.id), 5).unwrap());
    assert!(!sessions::mark_used(&mut conn, SessionId(row.id), 6).unwrap());
    assert_eq!(sessions::revoke_family(&mut conn, "fam", 7).unwrap(), 1);
}
