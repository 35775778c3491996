//! The two transitions patrols and meetings add: a patrol finding fixed on the spot (立行立改),
//! and a meeting's decision with its own resolution deadline and meeting id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use linli_domain::{
    category::CategoryCode,
    closure::Closure,
    ids::{MeetingId, PatrolId},
    issue::{
        Command, DeliberationMinutes, DeliberationOutcome, EventData, Issue, IssueStatus, Source,
        WorkflowConfig,
    },
    report,
    triage::Handler,
    values::{DisplayName, OrgName},
};

fn fix() -> Command {
    Command::FixOnPatrol {
        patrol_id: PatrolId(4),
        notes: note("当场清理了楼道杂物"),
    }
}

fn patrol_finding() -> Track {
    let config = WorkflowConfig::default();
    let mut new = new_issue(CategoryCode::STAIRWELL_CLUTTER);
    new.source = Source::Patrol;
    let (issue, event) = Issue::file(
        new,
        &routing(CategoryCode::STAIRWELL_CLUTTER),
        t0(),
        &config,
    );
    Track {
        issue,
        events: vec![event],
        now: t0(),
        config,
    }
}

#[test]
fn a_patrol_finding_fixed_on_the_spot_is_closed_at_once_and_never_rated() {
    let mut t = patrol_finding();
    let e = t.run(fix()).unwrap();
    assert_eq!(
        e.data,
        EventData::FixedOnPatrol {
            patrol_id: PatrolId(4),
            notes: "当场清理了楼道杂物".into()
        }
    );
    assert_eq!(t.status(), IssueStatus::Closed);
    assert_eq!(t.issue.closure, Some(Closure::FixedOnPatrol));
    assert_eq!(t.issue.satisfaction, None);
    assert!(t.issue.rectified_at.is_some());
    // Found and fixed counts as resolved; nothing is left for the finder to confirm.
    assert!(report::is_resolved(&t.issue));
    assert!(!t.issue.admits(linli_domain::issue::CommandKind::Confirm));
    assert_eq!(Issue::replay(&t.events), Some(t.issue.clone()));
}

#[test]
fn only_a_patrol_case_just_filed_is_fixed_on_the_spot() {
    // A resident's case is not a patrol finding.
    let mut t = Track::file(CategoryCode::STAIRWELL_CLUTTER);
    assert!(t.run(fix()).is_err());
    // A finding already triaged goes the ordinary way.
    let mut t = patrol_finding();
    t.triage(linli_domain::triage::Level::Grid);
    assert!(t.run(fix()).is_err());
}

fn minutes(t: &Track, outcome: DeliberationOutcome) -> Command {
    Command::RecordDeliberation(DeliberationMinutes {
        held_at: t.now,
        venue: OrgName::parse("议事厅").unwrap(),
        attendees: vec![DisplayName::parse("王书记").unwrap()],
        decision: note("由物业维修"),
        outcome,
        meeting_id: Some(MeetingId(9)),
    })
}

#[test]
fn a_meeting_decision_carries_the_meeting_and_may_set_its_own_deadline() {
    let mut t = drive_to(IssueStatus::InDeliberation);
    let handler = Handler::default_for(linli_domain::triage::Level::Property, &t.issue.place);
    let handler = handler.unwrap();
    // In the past: refused.
    let past = minutes(
        &t,
        DeliberationOutcome::Assign {
            handler: handler.clone(),
            resolution_due: Some(t.now - Duration::hours(1)),
        },
    );
    assert_eq!(field(t.clone().run(past).unwrap_err()), "resolution_due");
    let due = t.now + Duration::days(10);
    let cmd = minutes(
        &t,
        DeliberationOutcome::Assign {
            handler,
            resolution_due: Some(due),
        },
    );
    let e = t.run(cmd).unwrap();
    let EventData::Deliberated { deliberation, .. } = &e.data else {
        panic!("{e:?}")
    };
    assert_eq!(deliberation.meeting_id, Some(MeetingId(9)));
    assert_eq!(t.status(), IssueStatus::Triaged);
    assert_eq!(t.issue.deadlines.resolution_due, due);
    // Stored and read back, the event keeps both.
    let json = serde_json::to_string(&e.data).unwrap();
    assert!(json.contains("\"meeting_id\":9"), "{json}");
    assert_eq!(serde_json::from_str::<EventData>(&json).unwrap(), e.data);
}
