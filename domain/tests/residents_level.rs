//! 小事居民治: residents-level matters go to the building's leaders (三长) first, with the grid of
//! the building as backstop when they decline or let the response deadline pass (小事不出网格).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use linli_domain::{
    category::CategoryCode,
    ids::{BuildingId, GridId},
    issue::{Backstop, Command, CommandKind, EventData, Issue, IssueStatus, Place},
    triage::{Handler, Level},
    urgency::SpanOverrides,
};

const LEADERS: Handler = Handler::BuildingLeaders {
    building_id: BuildingId(1000),
};
const GRID: Handler = Handler::Grid {
    grid_id: GridId(50),
};

/// A stairwell-clutter case filed where the building has leaders, at `place`.
fn led(place: Place) -> Track {
    let mut new = new_issue(CategoryCode::STAIRWELL_CLUTTER);
    new.place = place;
    new.building_has_leaders = true;
    let config = linli_domain::issue::WorkflowConfig::default();
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

/// Filed and triaged as suggested: with the building leaders.
fn with_leaders() -> Track {
    let mut t = led(place());
    let cmd = triage_to(&t.issue, Level::Residents);
    t.must(cmd);
    assert_eq!(t.issue.handler, Some(LEADERS));
    t
}

#[test]
fn small_matters_are_suggested_to_the_building_leaders_or_else_to_the_grid() {
    for category in [CategoryCode::STAIRWELL_CLUTTER, CategoryCode::SMALL_ADS] {
        assert_eq!(routing(category).default_level, Some(Level::Residents));
    }
    let s = led(place()).issue.suggestion;
    assert_eq!(
        (s.level, s.handler),
        (Some(Level::Residents), Some(LEADERS))
    );

    // No leader account for the building: the grid.
    let s = Track::file(CategoryCode::STAIRWELL_CLUTTER)
        .issue
        .suggestion;
    assert_eq!((s.level, s.handler), (Some(Level::Grid), Some(GRID)));

    // No building given: nobody's leaders, and no grid either; the dispatcher chooses.
    let nowhere = Place {
        building_id: None,
        grid_id: None,
        ..place()
    };
    let s = led(nowhere).issue.suggestion;
    assert_eq!((s.level, s.handler), (Some(Level::Grid), None));

    // Other levels are left alone.
    let leak = Track::file(CategoryCode::WATER_LEAK).issue.suggestion;
    assert_eq!(leak.clone().without_building_leaders(&place()), leak);
}

#[test]
fn declined_by_the_leaders_the_grid_takes_it_with_fresh_deadlines() {
    let mut t = with_leaders();
    let before = t.issue.deadlines;
    t.now += Duration::hours(20);
    let e = t.run(answer(false)).unwrap();
    assert_eq!(
        (e.from, e.to),
        (Some(IssueStatus::Triaged), IssueStatus::Triaged)
    );
    let EventData::Declined {
        backstop: Some(Backstop { handler, deadlines }),
        ..
    } = &e.data
    else {
        panic!("a decline with a backstop: {e:?}");
    };
    assert_eq!(handler, &GRID);
    let fresh = t
        .config
        .rules()
        .deadlines(t.issue.urgency, SpanOverrides::default(), t.now);
    assert_eq!(deadlines, &fresh);
    assert!(fresh.response_due > before.response_due);
    assert_eq!(t.issue.level, Some(Level::Grid));
    assert_eq!(t.issue.handler, Some(GRID));
    assert_eq!(t.issue.deadlines, fresh);
    assert_eq!(t.issue.responded_at, None, "a decline is not a response");
    assert_eq!(
        e.data.note().as_deref(),
        Some("not ours — 已收到，马上安排")
    );

    // The grid worker answers; a decline by the grid goes back to the dispatcher as before.
    let mut declined_again = t.clone();
    let e = declined_again.run(answer(false)).unwrap();
    assert_eq!(e.to, IssueStatus::Submitted);
    assert!(matches!(e.data, EventData::Declined { backstop: None, .. }));
    t.must(answer(true));
    assert_eq!(t.status(), IssueStatus::InProgress);
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
}

#[test]
fn a_building_without_a_grid_sends_a_decline_back_to_the_dispatcher() {
    let no_grid = Place {
        grid_id: None,
        ..place()
    };
    let mut t = led(no_grid);
    assert_eq!(t.issue.suggestion.handler, Some(LEADERS));
    let cmd = triage_to(&t.issue, Level::Residents);
    t.must(cmd);
    assert!(!t.issue.admits(CommandKind::Backstop));
    assert!(!t.issue.backstop_due(t.now + Duration::days(30)));
    let e = t.run(answer(false)).unwrap();
    assert_eq!(e.to, IssueStatus::Submitted);
    assert_eq!((t.issue.level, t.issue.handler.clone()), (None, None));
}

#[test]
fn the_backstop_is_due_once_the_leaders_let_the_response_deadline_pass() {
    let t = with_leaders();
    let due = t.issue.deadlines.response_due;
    assert!(!t.issue.backstop_due(due));
    assert!(t.issue.backstop_due(due + Duration::milliseconds(1)));
    // Answered in time: never.
    let mut answered = t.clone();
    answered.must(answer(true));
    assert!(!answered.issue.backstop_due(due + Duration::days(3)));
    assert!(!answered.issue.admits(CommandKind::Backstop));
    // Another handler: never.
    let grid = drive_to(IssueStatus::Triaged);
    assert!(!grid.issue.backstop_due(due + Duration::days(3)));
    assert!(!grid.issue.admits(CommandKind::Backstop));

    let mut late = t.clone();
    late.now = due + Duration::hours(1);
    let at = late.now + Duration::hours(1);
    let e = late.run(Command::Backstop).unwrap();
    assert_eq!(e.to, IssueStatus::Triaged);
    assert_eq!(e.data.kind(), "backstopped");
    assert_eq!(e.data.note(), None);
    assert_eq!(late.issue.handler, Some(GRID));
    assert_eq!(late.issue.level, Some(Level::Grid));
    assert_eq!(
        late.issue.deadlines,
        late.config
            .rules()
            .deadlines(late.issue.urgency, SpanOverrides::default(), at)
    );
    assert!(!late.issue.is_overdue(at), "the grid gets a whole window");
    assert_eq!(late.issue.escalation_step, 0);
    // Once with the grid, no second backstop.
    assert!(!late.issue.admits(CommandKind::Backstop));
    assert!(late.clone().run(Command::Backstop).is_err());
    assert_eq!(Issue::replay(&late.events).as_ref(), Some(&late.issue));
}

#[test]
fn leaders_who_accept_rectify_and_the_resident_confirms_without_the_committee() {
    let mut t = with_leaders();
    t.must(answer(true)).must(rectify());
    // Only property-level work goes to the owners' committee.
    assert_eq!(t.status(), IssueStatus::AwaitingConfirmation);
    t.must(confirm(true, Some(5)));
    assert_eq!(t.status(), IssueStatus::Closed);
}

#[test]
fn a_deliberation_does_not_hand_a_matter_to_building_leaders() {
    let mut t = Track::file(CategoryCode::ELEVATOR_INSTALLATION);
    t.triage(Level::Community);
    let err = t
        .run(deliberation(
            t.now,
            linli_domain::issue::DeliberationOutcome::Assign {
                handler: LEADERS,
                resolution_due: None,
            },
        ))
        .unwrap_err();
    assert_eq!(field(err), "outcome");
}
