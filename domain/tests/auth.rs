//! Who may see, file and act on an issue: role and scope, tested alone (the state is not).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{REPORTER, drive_to, place};
use linli_domain::{
    DomainError,
    auth::{
        Actor, IssueAction, Role, Scope, SupportRefusal, allowed_actions, authorize, can_file,
        can_view, may_support, may_support_any,
    },
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId, UserId},
    issue::{CommandKind, Issue, IssueStatus, Place, Source},
    triage::{Handler, Level},
};

fn actor(user: i64, role: Role, scope: Scope) -> Actor {
    Actor {
        user_id: UserId(user),
        role,
        scope,
        verified: true,
    }
}

/// Everyone who might try, named. The issue is at street 1, community 10, compound 100, grid 50,
/// company 7, reported by user 1.
fn roster() -> Vec<(&'static str, Actor)> {
    use Role::*;
    vec![
        (
            "reporter",
            actor(REPORTER.0, Resident, Scope::Compound(CompoundId(100))),
        ),
        (
            "neighbour",
            actor(2, Resident, Scope::Compound(CompoundId(100))),
        ),
        (
            "resident_elsewhere",
            actor(3, Resident, Scope::Compound(CompoundId(101))),
        ),
        (
            "grid_worker",
            actor(10, GridWorker, Scope::Grid(GridId(50))),
        ),
        (
            "grid_worker_elsewhere",
            actor(11, GridWorker, Scope::Grid(GridId(51))),
        ),
        (
            "dispatcher",
            actor(20, Dispatcher, Scope::Street(StreetId(1))),
        ),
        (
            "dispatcher_elsewhere",
            actor(21, Dispatcher, Scope::Street(StreetId(2))),
        ),
        (
            "dispatcher_district",
            actor(22, Dispatcher, Scope::District),
        ),
        (
            "property_staff",
            actor(
                30,
                PropertyStaff,
                Scope::PropertyCompany(PropertyCompanyId(7)),
            ),
        ),
        (
            "property_staff_elsewhere",
            actor(
                31,
                PropertyStaff,
                Scope::PropertyCompany(PropertyCompanyId(8)),
            ),
        ),
        (
            "committee",
            actor(40, CommitteeMember, Scope::Compound(CompoundId(100))),
        ),
        (
            "committee_elsewhere",
            actor(41, CommitteeMember, Scope::Compound(CompoundId(101))),
        ),
        (
            "official",
            actor(50, CommunityOfficial, Scope::Community(CommunityId(10))),
        ),
        (
            "official_elsewhere",
            actor(51, CommunityOfficial, Scope::Community(CommunityId(11))),
        ),
        (
            "mediator",
            actor(60, Mediator, Scope::Community(CommunityId(10))),
        ),
        (
            "mediator_elsewhere",
            actor(61, Mediator, Scope::Community(CommunityId(11))),
        ),
        (
            "street_official",
            actor(65, StreetOfficial, Scope::Street(StreetId(1))),
        ),
        (
            "street_official_elsewhere",
            actor(66, StreetOfficial, Scope::Street(StreetId(2))),
        ),
        ("auditor", actor(70, Auditor, Scope::District)),
        ("admin", actor(80, Admin, Scope::District)),
        (
            "district_office",
            actor(85, DistrictOffice, Scope::District),
        ),
        // 楼栋长 of the issue's building (1000) and of another one; 红管家 of the community.
        (
            "building_leader",
            actor(95, BuildingLeader, Scope::Building(BuildingId(1000))),
        ),
        (
            "building_leader_elsewhere",
            actor(96, BuildingLeader, Scope::Building(BuildingId(1001))),
        ),
        (
            "volunteer",
            actor(97, Volunteer, Scope::Community(CommunityId(10))),
        ),
        (
            "volunteer_elsewhere",
            actor(98, Volunteer, Scope::Community(CommunityId(11))),
        ),
        // A role paired with a scope of the wrong kind gets nothing.
        (
            "grid_worker_bad_scope",
            actor(90, GridWorker, Scope::Community(CommunityId(10))),
        ),
    ]
}

fn issue_with(level: Option<Level>) -> Issue {
    let mut issue = drive_to(IssueStatus::Submitted).issue;
    issue.level = level;
    issue.handler = level.map(|l| match l {
        Level::Department => Handler::Department {
            name: "供电公司".to_owned(),
        },
        l => Handler::default_for(l, &issue.place).unwrap(),
    });
    issue
}

fn names(list: &[&'static str]) -> BTreeSet<&'static str> {
    list.iter().copied().collect()
}

/// Exactly `allowed` may apply `kind` to `issue`; everyone else gets a readable Forbidden.
fn check(kind: CommandKind, issue: &Issue, allowed: &[&'static str]) {
    let allowed = names(allowed);
    for (name, actor) in roster() {
        let result = authorize(&actor, kind, issue);
        if allowed.contains(name) {
            assert_eq!(result, Ok(()), "{name} should be allowed to {kind:?}");
        } else {
            match result {
                Err(DomainError::Forbidden(message)) => {
                    assert!(message.len() > 15, "{message:?}");
                    assert!(!message.contains('_'), "human-readable: {message:?}");
                }
                other => panic!("{name} should be forbidden to {kind:?}, got {other:?}"),
            }
        }
    }
}

#[test]
fn triage_and_reject_by_a_dispatcher_of_the_street() {
    for kind in [CommandKind::Triage, CommandKind::Reject] {
        for issue in [issue_with(None), issue_with(Some(Level::Property))] {
            check(kind, &issue, &["dispatcher", "dispatcher_district"]);
        }
    }
}

#[test]
fn withdraw_and_confirm_by_the_reporter() {
    for kind in [CommandKind::Withdraw, CommandKind::Confirm] {
        check(kind, &issue_with(Some(Level::Property)), &["reporter"]);
        // A grid worker who filed a patrol issue is its reporter.
        let mut patrol = issue_with(Some(Level::Grid));
        patrol.reporter = UserId(10);
        check(kind, &patrol, &["grid_worker"]);
        // Admins and auditors act on nothing, even as reporter.
        let mut odd = issue_with(Some(Level::Grid));
        odd.reporter = UserId(80);
        check(kind, &odd, &[]);
    }
}

#[test]
fn answer_and_rectify_by_the_current_handler() {
    for kind in [CommandKind::Answer, CommandKind::SubmitRectification] {
        check(kind, &issue_with(None), &[]);
        check(
            kind,
            &issue_with(Some(Level::Property)),
            &["property_staff"],
        );
        check(kind, &issue_with(Some(Level::Grid)), &["grid_worker"]);
        check(
            kind,
            &issue_with(Some(Level::Department)),
            &["dispatcher", "dispatcher_district"],
        );
        check(kind, &issue_with(Some(Level::Mediation)), &["mediator"]);
        check(kind, &issue_with(Some(Level::Community)), &["official"]);
        // 小事居民治: the building's leaders, not the grid (its backstop) nor a volunteer.
        check(
            kind,
            &issue_with(Some(Level::Residents)),
            &["building_leader"],
        );
    }
    // Building leaders decline rather than return: the grid takes the case, no ruling needed.
    check(
        CommandKind::Return,
        &issue_with(Some(Level::Residents)),
        &[],
    );
    check(
        CommandKind::Return,
        &issue_with(Some(Level::Grid)),
        &["grid_worker"],
    );
    // The handler counts, not where the issue is: a grid worker of another grid assigned to it.
    let mut issue = issue_with(Some(Level::Grid));
    issue.handler = Some(Handler::Grid {
        grid_id: GridId(51),
    });
    check(CommandKind::Answer, &issue, &["grid_worker_elsewhere"]);
}

#[test]
fn mediation_by_a_mediator_of_the_handling_community() {
    check(
        CommandKind::RecordMediation,
        &issue_with(Some(Level::Mediation)),
        &["mediator"],
    );
    check(
        CommandKind::RecordMediation,
        &issue_with(Some(Level::Property)),
        &[],
    );
    check(CommandKind::RecordMediation, &issue_with(None), &[]);
}

#[test]
fn deliberation_by_an_official_of_the_community_revisit_also_by_the_street() {
    for level in [Level::Community, Level::Property] {
        let issue = issue_with(Some(level));
        check(CommandKind::RecordDeliberation, &issue, &["official"]);
        check(
            CommandKind::Revisit,
            &issue,
            &["official", "street_official"],
        );
    }
}

#[test]
fn urging_by_the_street_the_community_and_the_district_office() {
    for level in [Level::Property, Level::Department] {
        check(
            CommandKind::Urge,
            &issue_with(Some(level)),
            &[
                "dispatcher",
                "dispatcher_district",
                "street_official",
                "official",
                "district_office",
            ],
        );
    }
}

#[test]
fn returns_are_decided_by_the_street_extensions_and_merges_by_its_dispatchers() {
    let issue = issue_with(Some(Level::Property));
    check(
        CommandKind::DecideReturn,
        &issue,
        &["dispatcher", "dispatcher_district", "street_official"],
    );
    for kind in [CommandKind::DecideExtension, CommandKind::Merge] {
        check(kind, &issue, &["dispatcher", "dispatcher_district"]);
    }
    check(CommandKind::RequestExtension, &issue, &["property_staff"]);
    check(
        CommandKind::RequestExtension,
        &issue_with(Some(Level::Grid)),
        &["grid_worker"],
    );
}

#[test]
fn supervision_by_the_owners_committee_of_the_compound() {
    check(
        CommandKind::Supervise,
        &issue_with(Some(Level::Property)),
        &["committee"],
    );
}

#[test]
fn scheduler_commands_are_never_a_person_s() {
    for kind in [
        CommandKind::AutoConfirm,
        CommandKind::Escalate,
        CommandKind::QueueRevisit,
        CommandKind::Backstop,
    ] {
        check(kind, &issue_with(Some(Level::Property)), &[]);
        check(kind, &issue_with(Some(Level::Residents)), &[]);
    }
}

#[test]
fn auditors_district_office_and_admins_may_do_nothing_but_the_office_urge() {
    let issue = issue_with(Some(Level::Department));
    for kind in CommandKind::ALL {
        for role in [Role::Auditor, Role::Admin, Role::DistrictOffice] {
            let a = actor(REPORTER.0, role, Scope::District);
            if (role, kind) == (Role::DistrictOffice, CommandKind::Urge) {
                assert_eq!(authorize(&a, kind, &issue), Ok(()));
                continue;
            }
            assert!(matches!(
                authorize(&a, kind, &issue),
                Err(DomainError::Forbidden(_))
            ));
        }
    }
}

#[test]
fn every_command_kind_has_someone_or_is_the_scheduler_s() {
    // Guards the tests above: a new kind must be placed in the rules.
    let issue_levels = [
        None,
        Some(Level::Property),
        Some(Level::Mediation),
        Some(Level::Residents),
    ];
    for kind in CommandKind::ALL {
        let someone = issue_levels.iter().any(|level| {
            let issue = issue_with(*level);
            roster()
                .iter()
                .any(|(_, a)| authorize(a, kind, &issue).is_ok())
        });
        let scheduler = matches!(
            kind,
            CommandKind::AutoConfirm
                | CommandKind::Escalate
                | CommandKind::QueueRevisit
                | CommandKind::Backstop
        );
        assert_eq!(someone, !scheduler, "{kind:?}");
    }
}

fn viewers(issue: &Issue) -> BTreeSet<&'static str> {
    roster()
        .into_iter()
        .filter(|(_, a)| can_view(a, issue))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn who_sees_what() {
    let always = [
        "reporter",
        "dispatcher",
        "dispatcher_district",
        "committee",
        "official",
        "street_official",
        "auditor",
        "district_office",
    ];
    let with = |extra: &[&'static str]| names(&[&always[..], extra].concat());

    // Not yet triaged, building in grid 50.
    assert_eq!(viewers(&issue_with(None)), with(&["grid_worker"]));
    // The handling company sees it; another company does not.
    assert_eq!(
        viewers(&issue_with(Some(Level::Property))),
        with(&["grid_worker", "property_staff"])
    );
    assert_eq!(
        viewers(&issue_with(Some(Level::Mediation))),
        with(&["grid_worker", "mediator"])
    );
    // Handled by another grid: both grids' workers see it.
    let mut other_grid = issue_with(Some(Level::Grid));
    other_grid.handler = Some(Handler::Grid {
        grid_id: GridId(51),
    });
    assert_eq!(
        viewers(&other_grid),
        with(&["grid_worker", "grid_worker_elsewhere"])
    );
    // Public (公示) issues are seen by the compound's residents, not by others.
    let mut public = issue_with(None);
    public.is_public = true;
    assert_eq!(
        viewers(&public),
        with(&["grid_worker", "neighbour", "building_leader", "volunteer"])
    );
    // Building leaders and volunteers are neighbours: a private case of the building is not
    // theirs to read unless it is handed to the building's leaders.
    assert_eq!(
        viewers(&issue_with(Some(Level::Residents))),
        with(&["grid_worker", "building_leader"])
    );
    let mut public_residents = issue_with(Some(Level::Residents));
    public_residents.is_public = true;
    assert_eq!(
        viewers(&public_residents),
        with(&["grid_worker", "neighbour", "building_leader", "volunteer"])
    );
    // Public, but in another building (of the same community): the volunteer sees it.
    public.place.building_id = Some(BuildingId(1002));
    assert_eq!(
        viewers(&public),
        with(&["grid_worker", "neighbour", "volunteer"])
    );
}

#[test]
fn reporters_see_their_own_issues_wherever_they_are() {
    let mut issue = issue_with(Some(Level::Property));
    issue.place = Place {
        street_id: StreetId(2),
        community_id: CommunityId(11),
        compound_id: CompoundId(101),
        building_id: None,
        grid_id: None,
        property_company_id: PropertyCompanyId(8),
    };
    issue.handler = Some(Handler::PropertyCompany {
        property_company_id: PropertyCompanyId(8),
    });
    for (user, role, scope) in [
        (1, Role::Resident, Scope::Compound(CompoundId(100))),
        (10, Role::GridWorker, Scope::Grid(GridId(50))),
        (60, Role::Mediator, Scope::Community(CommunityId(10))),
        // 物管家 file patrol findings, in compounds of other companies too.
        (
            30,
            Role::PropertyStaff,
            Scope::PropertyCompany(PropertyCompanyId(7)),
        ),
        (95, Role::BuildingLeader, Scope::Building(BuildingId(1000))),
        (97, Role::Volunteer, Scope::Community(CommunityId(10))),
    ] {
        issue.reporter = UserId(user);
        let a = actor(user, role, scope);
        assert!(can_view(&a, &issue), "{role:?}");
    }
    // Other staff see by scope only.
    issue.reporter = UserId(31);
    assert!(!can_view(
        &actor(
            30,
            Role::PropertyStaff,
            Scope::PropertyCompany(PropertyCompanyId(7))
        ),
        &issue
    ));
    issue.reporter = UserId(80);
    assert!(!can_view(&actor(80, Role::Admin, Scope::District), &issue));
}

#[test]
fn who_files_what_where() {
    let here = place();
    let no_grid = Place {
        grid_id: None,
        building_id: None,
        ..here
    };
    let elsewhere = Place {
        street_id: StreetId(2),
        community_id: CommunityId(11),
        compound_id: CompoundId(101),
        building_id: None,
        grid_id: Some(GridId(51)),
        property_company_id: PropertyCompanyId(8),
    };
    let roster: std::collections::HashMap<_, _> = roster().into_iter().collect();
    let cases: &[(&str, Source, Place, bool)] = &[
        ("reporter", Source::App, here, true),
        ("reporter", Source::App, no_grid, true),
        ("reporter", Source::App, elsewhere, false),
        ("reporter", Source::Patrol, here, false),
        ("reporter", Source::Hotline, here, false),
        ("grid_worker", Source::Patrol, here, true),
        ("grid_worker", Source::Patrol, no_grid, false),
        ("grid_worker", Source::App, here, false),
        ("grid_worker_elsewhere", Source::Patrol, here, false),
        ("official", Source::Patrol, here, true),
        ("official", Source::Patrol, no_grid, true),
        ("official", Source::Hotline, here, false),
        ("official_elsewhere", Source::Patrol, here, false),
        ("mediator", Source::Patrol, here, true),
        ("mediator_elsewhere", Source::Patrol, here, false),
        ("dispatcher", Source::Hotline, here, true),
        ("dispatcher", Source::Meeting, here, true),
        ("dispatcher", Source::Patrol, here, false),
        ("dispatcher", Source::App, here, false),
        ("dispatcher", Source::Hotline, elsewhere, false),
        ("dispatcher_elsewhere", Source::Hotline, elsewhere, true),
        ("dispatcher_district", Source::Meeting, elsewhere, true),
        ("property_staff", Source::Patrol, here, false),
        ("committee", Source::App, here, false),
        ("grid_worker_bad_scope", Source::Patrol, here, false),
        ("building_leader", Source::Patrol, here, true),
        ("building_leader", Source::Patrol, no_grid, false),
        ("building_leader", Source::App, here, false),
        ("building_leader_elsewhere", Source::Patrol, here, false),
        ("volunteer", Source::Patrol, here, true),
        ("volunteer", Source::Patrol, no_grid, true),
        ("volunteer", Source::Hotline, here, false),
        ("volunteer", Source::App, here, false),
        ("volunteer_elsewhere", Source::Patrol, here, false),
    ];
    for (name, source, at, want) in cases {
        assert_eq!(
            can_file(&roster[name], *source, at),
            *want,
            "{name} {source:?} {at:?}"
        );
    }
    for source in Source::ALL {
        for role in [Role::Auditor, Role::Admin, Role::DistrictOffice] {
            assert!(!can_file(&actor(1, role, Scope::District), source, &here));
        }
    }
}

#[test]
fn scopes_come_from_the_role_and_its_id() {
    assert_eq!(
        Scope::for_role(Role::Dispatcher, None).unwrap(),
        Scope::District
    );
    assert_eq!(
        Scope::for_role(Role::Dispatcher, Some(3)).unwrap(),
        Scope::Street(StreetId(3))
    );
    assert_eq!(
        Scope::for_role(Role::Mediator, Some(10)).unwrap(),
        Scope::Community(CommunityId(10))
    );
    assert!(Scope::for_role(Role::Resident, None).is_err());
    assert!(Scope::for_role(Role::Admin, Some(1)).is_err());
    assert_eq!(
        Scope::for_role(Role::DistrictOffice, None).unwrap(),
        Scope::District
    );
    assert!(Scope::for_role(Role::DistrictOffice, Some(1)).is_err());
    assert_eq!(
        Role::parse("district_office").unwrap(),
        Role::DistrictOffice
    );
    assert_eq!(
        Scope::for_role(Role::BuildingLeader, Some(1000)).unwrap(),
        Scope::Building(BuildingId(1000))
    );
    assert!(Scope::for_role(Role::BuildingLeader, None).is_err());
    assert_eq!(
        Scope::for_role(Role::Volunteer, Some(10)).unwrap(),
        Scope::Community(CommunityId(10))
    );
    assert!(Scope::for_role(Role::Volunteer, None).is_err());
    let neighbours = [Role::Resident, Role::BuildingLeader, Role::Volunteer];
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        // Building leaders and volunteers are residents who volunteer, not paid staff; they
        // act in office all the same.
        assert_eq!(role.is_staff(), !neighbours.contains(&role));
        assert_eq!(role.acts_in_office(), role != Role::Resident);
    }
}

#[test]
fn an_unverified_resident_sees_only_their_own_issues() {
    let mut issue = drive_to(IssueStatus::Submitted).issue;
    issue.is_public = true;
    let mut neighbour = actor(2, Role::Resident, Scope::Compound(CompoundId(100)));
    assert!(issue.is_public && can_view(&neighbour, &issue));
    neighbour.verified = false;
    assert!(!can_view(&neighbour, &issue));
    let mut reporter = actor(REPORTER.0, Role::Resident, Scope::Compound(CompoundId(100)));
    reporter.verified = false;
    assert!(can_view(&reporter, &issue));
}

#[test]
fn residents_are_verified_by_the_managing_company_and_the_compound_committee() {
    use linli_domain::auth::can_verify_residents;
    let (compound, company) = (CompoundId(100), PropertyCompanyId(7));
    let may = |role, scope| can_verify_residents(&actor(9, role, scope), compound, company);
    assert!(may(Role::PropertyStaff, Scope::PropertyCompany(company)));
    assert!(may(Role::CommitteeMember, Scope::Compound(compound)));
    assert!(!may(
        Role::PropertyStaff,
        Scope::PropertyCompany(PropertyCompanyId(8))
    ));
    assert!(!may(
        Role::CommitteeMember,
        Scope::Compound(CompoundId(101))
    ));
    assert!(!may(Role::Resident, Scope::Compound(compound)));
    assert!(!may(Role::Dispatcher, Scope::District));
    assert!(!may(Role::Admin, Scope::District));
}

/// `name`'s allowed actions on `issue`, as their endpoint names.
fn actions_of(name: &str, issue: &Issue, already_supported: bool) -> Vec<&'static str> {
    let (_, actor) = roster().into_iter().find(|(n, _)| *n == name).unwrap();
    allowed_actions(&actor, issue, already_supported)
        .into_iter()
        .map(IssueAction::as_str)
        .collect()
}

#[test]
fn allowed_actions_follow_role_scope_and_state() {
    let mut submitted = drive_to(IssueStatus::Submitted).issue;
    submitted.is_public = true;
    assert_eq!(
        actions_of("dispatcher", &submitted, false),
        ["triage", "reject", "comment", "merge"]
    );
    // The street official sees the street's cases but does not triage them.
    assert_eq!(
        actions_of("street_official", &submitted, false),
        ["comment"]
    );
    assert!(actions_of("street_official_elsewhere", &submitted, false).is_empty());
    assert_eq!(
        actions_of("reporter", &submitted, false),
        ["withdraw", "comment"]
    );
    assert_eq!(
        actions_of("neighbour", &submitted, false),
        ["support", "comment"]
    );
    assert_eq!(actions_of("neighbour", &submitted, true), ["comment"]);
    // Sees it, may do nothing to it.
    assert!(actions_of("auditor", &submitted, false).is_empty());
    assert!(actions_of("district_office", &submitted, false).is_empty());
    // Does not see it at all.
    assert!(actions_of("resident_elsewhere", &submitted, false).is_empty());
    assert!(actions_of("dispatcher_elsewhere", &submitted, false).is_empty());

    let in_progress = drive_to(IssueStatus::InProgress).issue;
    assert_eq!(
        actions_of("property_staff", &in_progress, false),
        ["rectification", "comment", "return", "extension_request"]
    );
    assert_eq!(
        actions_of("street_official", &in_progress, false),
        ["comment", "urge"]
    );
    assert_eq!(actions_of("district_office", &in_progress, false), ["urge"]);
    // Returned (退单): the street's dispatcher decides; the handler waits.
    let returned = drive_to(IssueStatus::Returned).issue;
    assert_eq!(
        actions_of("dispatcher", &returned, false),
        ["comment", "return_decision", "merge"]
    );
    assert_eq!(
        actions_of("street_official", &returned, false),
        ["comment", "return_decision"]
    );
    assert_eq!(actions_of("property_staff", &returned, false), ["comment"]);
    assert!(actions_of("dispatcher_elsewhere", &returned, false).is_empty());
    assert_eq!(
        actions_of("dispatcher", &in_progress, false),
        ["comment", "reassign", "urge", "merge"]
    );
    // An extension pending: the dispatcher decides it; the handler may not ask again.
    let mut extending = in_progress.clone();
    extending.pending_extension = Some(extending.deadlines.resolution_due);
    assert_eq!(
        actions_of("dispatcher", &extending, false),
        ["comment", "reassign", "urge", "extension_decision", "merge"]
    );
    assert_eq!(
        actions_of("property_staff", &extending, false),
        ["rectification", "comment", "return"]
    );
    // Not public: the neighbour sees nothing, so may do nothing.
    assert!(actions_of("neighbour", &in_progress, false).is_empty());

    let closed = drive_to(IssueStatus::Closed).issue;
    assert_eq!(
        actions_of("official", &closed, false),
        ["revisit", "comment"]
    );
    assert_eq!(
        actions_of("street_official", &closed, false),
        ["revisit", "comment"]
    );
    assert_eq!(actions_of("reporter", &closed, false), ["comment"]);

    // A mediation case: the mediators record the mediation, and may decline it via `answer`.
    let mut mediation = issue_with(Some(Level::Mediation));
    mediation.status = IssueStatus::Triaged;
    assert_eq!(
        actions_of("mediator", &mediation, false),
        [
            "answer",
            "mediation",
            "comment",
            "return",
            "extension_request"
        ]
    );

    // A residents-level case: its building leaders answer (accept or decline) and comment; the
    // grid worker (backstop) and the volunteer only comment where they see it.
    let mut small = issue_with(Some(Level::Residents));
    small.status = IssueStatus::Triaged;
    small.is_public = true;
    assert_eq!(
        actions_of("building_leader", &small, false),
        ["answer", "comment"]
    );
    assert_eq!(actions_of("grid_worker", &small, false), ["comment"]);
    assert_eq!(actions_of("volunteer", &small, false), ["comment"]);
    assert!(actions_of("building_leader_elsewhere", &small, false).is_empty());
    small.status = IssueStatus::InProgress;
    assert_eq!(
        actions_of("building_leader", &small, false),
        ["rectification", "comment"]
    );
    // Someone else's case in the building: a neighbour's view, without the workflow.
    assert_eq!(
        actions_of("building_leader", &in_progress, false),
        Vec::<&str>::new()
    );
}

#[test]
fn neighbours_in_office_see_residents_masked_and_write_no_internal_notes() {
    use linli_domain::auth::{may_comment, shown_name};
    let leader = actor(95, Role::BuildingLeader, Scope::Building(BuildingId(1000)));
    let volunteer = actor(97, Role::Volunteer, Scope::Community(CommunityId(10)));
    let grid = actor(10, Role::GridWorker, Scope::Grid(GridId(50)));
    let resident = actor(2, Role::Resident, Scope::Compound(CompoundId(100)));
    for neighbour in [&leader, &volunteer] {
        assert_eq!(
            shown_name(neighbour, REPORTER, Role::Resident, "王小明"),
            "王**"
        );
        assert_eq!(
            shown_name(neighbour, UserId(10), Role::GridWorker, "李网格"),
            "李网格"
        );
        assert!(may_comment(neighbour, false).is_ok());
        assert!(may_comment(neighbour, true).is_err());
    }
    // The leader is named in full beside what they did, like staff.
    assert_eq!(
        shown_name(&resident, UserId(95), Role::BuildingLeader, "赵楼长"),
        "赵楼长"
    );
    assert_eq!(
        shown_name(&grid, REPORTER, Role::Resident, "王小明"),
        "王小明"
    );
    assert!(Role::Volunteer.joins_patrols() && Role::BuildingLeader.joins_patrols());
    assert!(!Role::Resident.joins_patrols() && !Role::Dispatcher.joins_patrols());
}

#[test]
fn support_is_for_verified_neighbours_on_open_issues() {
    let mut issue = drive_to(IssueStatus::Submitted).issue;
    issue.is_public = true;
    let neighbour = actor(2, Role::Resident, Scope::Compound(CompoundId(100)));
    assert_eq!(may_support(&neighbour, &issue), Ok(()));
    let unverified = Actor {
        verified: false,
        ..neighbour
    };
    assert_eq!(
        may_support_any(&unverified),
        Err(SupportRefusal::Unverified)
    );
    let reporter = actor(REPORTER.0, Role::Resident, Scope::Compound(CompoundId(100)));
    assert_eq!(
        may_support(&reporter, &issue),
        Err(SupportRefusal::OwnIssue)
    );
    let staff = actor(40, Role::CommitteeMember, Scope::Compound(CompoundId(100)));
    assert_eq!(may_support_any(&staff), Err(SupportRefusal::NotResident));
    issue.status = IssueStatus::Closed;
    assert_eq!(
        may_support(&neighbour, &issue),
        Err(SupportRefusal::NotOpen(IssueStatus::Closed))
    );
}
