//! The issue state machine: every (status, command) pair, each transition's effects, the derived
//! flags (overdue, escalation, auto-confirm, revisit) and replay.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use linli_domain::{
    DomainError,
    category::CategoryCode,
    ids::{CommunityId, GridId, IssueId, PropertyCompanyId},
    issue::{
        Closure, Command, CommandKind, DeliberationOutcome, EscalationTarget, EventData, EventKind,
        Issue, IssueEvent, IssueKind, IssueStatus, RejectReason, Rejection, ReturnReason,
        RevisitOutcome, WorkflowConfig,
    },
    triage::{Handler, Level},
    urgency::{SpanOverrides, Urgency},
};

use IssueStatus::*;

/// Where a representative command of each kind takes an issue of `drive_to(status)`, if legal.
fn expected(status: IssueStatus, kind: CommandKind) -> Option<IssueStatus> {
    use CommandKind as K;
    match (status, kind) {
        (Submitted, K::Triage) => Some(Triaged),
        (Submitted, K::Reject) => Some(Rejected),
        (Submitted, K::Withdraw) => Some(Withdrawn),
        (Triaged, K::Answer) => Some(InProgress),
        (InDeliberation, K::RecordDeliberation) => Some(Closed),
        (InProgress, K::SubmitRectification) => Some(AwaitingSupervision),
        (AwaitingSupervision, K::Supervise) => Some(AwaitingConfirmation),
        (AwaitingConfirmation, K::Confirm | K::AutoConfirm) => Some(Closed),
        (Closed, K::Revisit | K::QueueRevisit) => Some(Closed),
        (Triaged | InProgress, K::Return) => Some(Returned),
        (Triaged | InProgress, K::Reassign) => Some(Triaged),
        // Not upheld: back where it was returned from.
        (Returned, K::DecideReturn) => Some(Triaged),
        // Escalation changes no state and is possible in every open status.
        (s, K::Escalate) if s.is_open() => Some(s),
        // Urging and asking for an extension change no state, while the handler works on it.
        (s @ (Triaged | InDeliberation | InProgress), K::Urge | K::RequestExtension) => Some(s),
        // A duplicate is merged while it is on the clock (never waiting for its resident).
        (s, K::Merge) if s.is_on_the_clock() => Some(Closed),
        _ => None,
    }
}

fn assert_illegal(result: Result<IssueEvent, DomainError>, kind: CommandKind, from: IssueStatus) {
    match result {
        Err(DomainError::IllegalTransition { command, from: f }) => {
            assert_eq!(command, kind.as_str());
            assert_eq!(f, from);
        }
        other => panic!("{kind:?} from {from:?}: expected illegal, got {other:?}"),
    }
}

#[test]
fn every_status_command_pair() {
    let mut legal = 0;
    for status in IssueStatus::ALL {
        for kind in CommandKind::ALL {
            let mut t = drive_to(status);
            let before = t.issue.clone();
            let command = representative(kind, &t);
            assert_eq!(command.kind(), kind);
            let result = t.run(command);
            match expected(status, kind) {
                Some(to) => {
                    let event = result.unwrap_or_else(|e| {
                        panic!("{kind:?} from {status:?} should be legal: {e}")
                    });
                    assert_eq!(event.from, Some(status), "{kind:?} from {status:?}");
                    assert_eq!(event.to, to, "{kind:?} from {status:?}");
                    assert_eq!(t.issue.status, to);
                    assert_eq!(t.issue.version, before.version + 1);
                    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
                    legal += 1;
                }
                None => {
                    assert_illegal(result, kind, status);
                    assert_eq!(t.issue, before, "an illegal command changes nothing");
                }
            }
        }
    }
    assert_eq!(legal, 35, "count of legal pairs in the table");
}

#[test]
fn every_command_pair_at_mediation_level() {
    // A mediation-level issue is answered by recording the mediation, not by accepting it.
    let mut t = Track::file(CategoryCode::NEIGHBOUR_DISPUTE);
    t.triage(Level::Mediation);
    assert_eq!(t.status(), Triaged);
    for kind in CommandKind::ALL {
        let mut t = t.clone();
        let result = t.run(representative(kind, &t));
        match kind {
            CommandKind::RecordMediation => {
                assert_eq!(result.unwrap().to, AwaitingConfirmation)
            }
            CommandKind::Escalate => assert_eq!(result.unwrap().to, Triaged),
            CommandKind::Return => assert_eq!(result.unwrap().to, Returned),
            CommandKind::Reassign | CommandKind::Urge | CommandKind::RequestExtension => {
                assert_eq!(result.unwrap().to, Triaged)
            }
            CommandKind::Merge => assert_eq!(result.unwrap().to, Closed),
            _ => assert_illegal(result, kind, Triaged),
        }
    }
}

#[test]
fn filing_makes_a_submitted_issue_and_its_created_event() {
    let config = WorkflowConfig::default();
    let mut new = new_issue(CategoryCode::FIRE_ESCAPE_BLOCKED);
    new.is_public = true;
    let (issue, event) = Issue::file(new.clone(), &routing(new.category), t0(), &config);
    assert_eq!(issue.id, IssueId(0));
    assert_eq!(issue.status, Submitted);
    assert_eq!(issue.status_since, t0());
    assert_eq!(issue.created_at, t0());
    assert_eq!(issue.version, 1);
    assert_eq!((issue.level, issue.handler.clone()), (None, None));
    assert_eq!(issue.urgency, Urgency::Emergency);
    assert_eq!(issue.deadlines.response_due, t0() + Duration::hours(2));
    assert_eq!(issue.deadlines.resolution_due, t0() + Duration::hours(24));
    assert_eq!(issue.suggestion.level, Some(Level::Property));
    assert_eq!(issue.description, new.description.as_str());
    assert!(issue.is_public);
    assert_eq!(event.from, None);
    assert_eq!(event.to, Submitted);
    assert_eq!(event.at, t0());
    assert_eq!(
        event.data,
        EventData::Created {
            issue: Box::new(issue.clone())
        }
    );
    assert_eq!(event.data.kind(), "created");
    assert_eq!(Issue::replay(&[event]), Some(issue));

    // An explicit urgency wins over the category's: five working days, counted from the day
    // after filing (Wednesday 1 May 2024, a year without calendar data): 2, 3, 6, 7, 8 May,
    // due when the 8th ends in Shanghai.
    new.urgency = Some(Urgency::Normal);
    let (issue, _) = Issue::file(
        new,
        &routing(CategoryCode::FIRE_ESCAPE_BLOCKED),
        t0(),
        &config,
    );
    assert_eq!(issue.urgency, Urgency::Normal);
    assert_eq!(
        issue.deadlines.resolution_due.to_rfc3339(),
        "2024-05-08T16:00:00+00:00"
    );
}

#[test]
fn triage_sets_level_handler_and_deadlines_and_records_both() {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    let cmd = triage_to(&t.issue, Level::Grid);
    let Command::Triage(decision) = cmd.clone() else {
        unreachable!()
    };
    let event = t.run(cmd).unwrap();
    assert_eq!(event.to, Triaged);
    // The handler's clock starts at the triage (an hour after filing), not at the filing: a
    // water leak is urgent, 12 and 72 hours.
    let deadlines = t
        .config
        .assignment_deadlines(decision.urgency, t.issue.spans, t.now, None)
        .unwrap();
    assert_eq!(deadlines.response_due, t0() + Duration::hours(1 + 12));
    assert_eq!(deadlines.resolution_due, t0() + Duration::hours(1 + 72));
    assert_eq!(
        event.data,
        EventData::Triaged {
            suggestion: t.issue.suggestion.clone(),
            decision: decision.clone().assigned(deadlines)
        }
    );
    assert_eq!(t.issue.level, Some(Level::Grid));
    assert_eq!(
        t.issue.handler,
        Some(Handler::Grid {
            grid_id: GridId(50)
        })
    );
    assert_eq!(t.issue.triaged_at, Some(t.now));
    assert_eq!(t.issue.status_since, t.now);
    assert_eq!(t.issue.deadlines, deadlines);
    assert_ne!(t.issue.deadlines, t.issue.suggestion.deadlines);
    assert_eq!(event.data.note().as_deref(), Some("dispatcher's call"));
}

#[test]
fn community_level_goes_to_deliberation() {
    let mut t = Track::file(CategoryCode::ELEVATOR_INSTALLATION);
    t.triage(Level::Community);
    assert_eq!(t.status(), InDeliberation);
    assert_eq!(
        t.issue.handler,
        Some(Handler::Community {
            community_id: CommunityId(10)
        })
    );
    assert_eq!(
        t.issue.responded_at, None,
        "not responded until the meeting is held"
    );
}

#[test]
fn an_inconsistent_triage_decision_is_invalid() {
    let t = Track::file(CategoryCode::WATER_LEAK);
    let Command::Triage(good) = triage_to(&t.issue, Level::Property) else {
        unreachable!()
    };
    let mismatched = linli_domain::triage::TriageChoice {
        handler: Handler::Grid {
            grid_id: GridId(50),
        },
        ..good
    };
    let err = t
        .issue
        .decide(&Command::Triage(mismatched), t.now, &t.config)
        .unwrap_err();
    assert!(
        matches!(
            err,
            DomainError::Invalid {
                field: "handler_id",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn reject_and_withdraw_end_a_submitted_issue() {
    let mut t = Track::file(CategoryCode::SMALL_ADS);
    let e = t
        .run(Command::Reject(Rejection::Duplicate {
            duplicate_of: IssueId(41),
            note: note("same as yesterday's"),
        }))
        .unwrap();
    assert_eq!(e.to, Rejected);
    assert_eq!(
        e.data.note().as_deref(),
        Some("duplicate of issue 41: same as yesterday's")
    );
    assert!(!t.issue.status.is_open());

    // A stored issue cannot be a duplicate of itself.
    let mut t = Track::file(CategoryCode::SMALL_ADS);
    t.issue.id = IssueId(41);
    let err = t
        .run(Command::Reject(Rejection::Duplicate {
            duplicate_of: IssueId(41),
            note: note("same"),
        }))
        .unwrap_err();
    assert!(matches!(
        err,
        DomainError::Invalid {
            field: "duplicate_of",
            ..
        }
    ));

    let mut t = Track::file(CategoryCode::SMALL_ADS);
    assert_eq!(t.run(Command::Withdraw).unwrap().to, Withdrawn);
}

#[test]
fn declining_sends_it_back_to_the_dispatcher_with_a_reason() {
    let mut t = drive_to(Triaged);
    // A blank reason does not parse into a `Note`: it is no reason.
    let blank = |s: &str| linli_domain::values::Note::parse(s).ok();
    for reason in [None, blank(""), blank("  ")] {
        let err = t
            .run(Command::Answer {
                message: note("不归我们管"),
                accept: false,
                reason,
            })
            .unwrap_err();
        assert!(
            matches!(
                err,
                DomainError::Invalid {
                    field: "reason",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    let e = t.run(answer(false)).unwrap();
    assert_eq!(e.to, Submitted);
    assert_eq!(e.data.kind(), "declined");
    assert_eq!((t.issue.level, t.issue.handler.clone()), (None, None));
    assert_eq!(t.issue.responded_at, None, "a decline is not a response");
    // The dispatcher triages again, elsewhere.
    t.triage(Level::Department).must(answer(true));
    assert_eq!(t.status(), InProgress);
    assert_eq!(t.issue.responded_at, Some(t.now));
}

#[test]
fn accepting_answers_the_resident_once() {
    let mut t = drive_to(Triaged);
    let e = t.run(answer(true)).unwrap();
    assert_eq!(e.data.note().as_deref(), Some("已收到，马上安排"));
    let first = t.issue.responded_at;
    assert_eq!(first, Some(t.now));
    // Reopened and worked on again: the first response time stays.
    t.must(rectify())
        .must(supervise(true))
        .must(confirm(false, None));
    assert_eq!(t.issue.responded_at, first);
}

#[test]
fn a_settled_mediation_awaits_confirmation() {
    let mut t = Track::file(CategoryCode::NEIGHBOUR_DISPUTE);
    t.triage(Level::Mediation).must(mediation(true));
    assert_eq!(t.status(), AwaitingConfirmation);
    assert_eq!(t.issue.responded_at, Some(t.now));
    // Not resolved after all: the mediators try again from in_progress.
    t.must(confirm(false, None));
    assert_eq!((t.status(), t.issue.reopen_count), (InProgress, 1));
    t.must(mediation(true)).must(confirm(true, Some(4)));
    assert_eq!(t.issue.closure, Some(Closure::Confirmed));
}

#[test]
fn a_failed_mediation_goes_to_community_deliberation() {
    let mut t = Track::file(CategoryCode::NEIGHBOUR_DISPUTE);
    t.triage(Level::Mediation);
    let e = t.run(mediation(false)).unwrap();
    assert_eq!(e.data.kind(), "mediation_failed");
    assert_eq!(t.status(), InDeliberation);
    assert_eq!(t.issue.level, Some(Level::Community));
    assert_eq!(
        t.issue.handler,
        Some(Handler::Community {
            community_id: CommunityId(10)
        })
    );
    // Mediation of a non-mediation issue is illegal.
    let mut p = drive_to(InProgress);
    assert_illegal(
        p.run(mediation(true)),
        CommandKind::RecordMediation,
        InProgress,
    );
}

#[test]
fn deliberation_assigns_or_closes() {
    // Assign to the property company.
    let mut t = drive_to(InDeliberation);
    let held = t.now;
    let handler = Handler::PropertyCompany {
        property_company_id: PropertyCompanyId(7),
    };
    let event = t
        .run(deliberation(
            held,
            DeliberationOutcome::Assign {
                handler: handler.clone(),
                resolution_due: None,
            },
        ))
        .unwrap();
    assert_eq!(t.status(), Triaged);
    assert_eq!(t.issue.level, Some(Level::Property));
    assert_eq!(t.issue.handler, Some(handler.clone()));
    // The company's clock starts when the meeting is recorded: nothing answered yet, its
    // urgency's deadlines (urgent: 12 and 72 hours) from now, kept in the timeline.
    assert_eq!(t.issue.responded_at, None);
    assert_eq!(t.issue.deadlines.response_due, t.now + Duration::hours(12));
    assert_eq!(
        t.issue.deadlines.resolution_due,
        t.now + Duration::hours(72)
    );
    assert!(matches!(
        event.data,
        EventData::Deliberated { deadlines: Some(d), .. } if d == t.issue.deadlines
    ));
    t.must(answer(true)).must(rectify());
    assert_eq!(t.status(), AwaitingSupervision);

    // A meeting's own deadline for the work it hands over (a lift takes months).
    let mut t = drive_to(InDeliberation);
    let own = t0() + Duration::days(90);
    t.must(deliberation(
        t.now,
        DeliberationOutcome::Assign {
            handler: handler.clone(),
            resolution_due: Some(own),
        },
    ));
    assert_eq!(t.issue.deadlines.resolution_due, own);
    assert_eq!(t.issue.deadlines.response_due, t.now + Duration::hours(12));
    t.must(answer(true));
    assert!(!t.issue.is_overdue(own - Duration::seconds(1)));
    assert!(t.issue.is_overdue(own + Duration::seconds(1)));

    // Close with the written decision.
    let mut t = drive_to(InDeliberation);
    let e = t
        .run(deliberation(t.now, DeliberationOutcome::Close))
        .unwrap();
    assert_eq!(e.data.note().as_deref(), Some("同意加装"));
    assert_eq!(t.status(), Closed);
    assert_eq!(t.issue.closure, Some(Closure::Deliberation));
    assert_eq!(t.issue.closed_at, Some(t.now));
    assert_eq!(t.issue.satisfaction, None);
}

#[test]
fn deliberation_data_is_checked() {
    let t = drive_to(InDeliberation);
    let at = t.now + Duration::hours(1);
    let future = t.issue.decide(
        &deliberation(at + Duration::minutes(1), DeliberationOutcome::Close),
        at,
        &t.config,
    );
    assert!(matches!(
        future,
        Err(DomainError::Invalid {
            field: "held_at",
            ..
        })
    ));
    for handler in [
        Handler::Community {
            community_id: CommunityId(10),
        },
        Handler::Mediators {
            community_id: CommunityId(10),
        },
    ] {
        let r = t.issue.decide(
            &deliberation(
                at,
                DeliberationOutcome::Assign {
                    handler,
                    resolution_due: None,
                },
            ),
            at,
            &t.config,
        );
        assert!(
            matches!(
                r,
                Err(DomainError::Invalid {
                    field: "outcome",
                    ..
                })
            ),
            "{r:?}"
        );
    }
    for handler in [
        Handler::Grid {
            grid_id: GridId(50),
        },
        Handler::Department {
            name: "城管".to_owned(),
        },
    ] {
        let e = t
            .issue
            .decide(
                &deliberation(
                    at,
                    DeliberationOutcome::Assign {
                        handler: handler.clone(),
                        resolution_due: None,
                    },
                ),
                at,
                &t.config,
            )
            .unwrap();
        assert_eq!(e.to, Triaged);
        // A meeting's own deadline must lie after the handover.
        for own in [at, at - Duration::days(1)] {
            let r = t.issue.decide(
                &deliberation(
                    at,
                    DeliberationOutcome::Assign {
                        handler: handler.clone(),
                        resolution_due: Some(own),
                    },
                ),
                at,
                &t.config,
            );
            assert!(
                matches!(
                    r,
                    Err(DomainError::Invalid {
                        field: "resolution_due",
                        ..
                    })
                ),
                "{r:?}"
            );
        }
    }
}

#[test]
fn only_supervised_levels_go_to_the_owners_committee() {
    let mut grid = Track::file(CategoryCode::STAIRWELL_CLUTTER);
    grid.triage(Level::Grid).must(answer(true));
    let e = grid.run(rectify()).unwrap();
    assert_eq!(e.to, AwaitingConfirmation, "grid level skips supervision");
    assert_eq!(grid.issue.rectified_at, Some(grid.now));

    let mut configured = Track::file(CategoryCode::STAIRWELL_CLUTTER);
    configured.config.supervised_levels = vec![Level::Property, Level::Grid];
    configured.triage(Level::Grid).must(answer(true));
    assert_eq!(configured.run(rectify()).unwrap().to, AwaitingSupervision);

    let mut unsupervised = drive_to(InProgress);
    unsupervised.config.supervised_levels = vec![];
    assert_eq!(
        unsupervised.run(rectify()).unwrap().to,
        AwaitingConfirmation
    );
}

#[test]
fn a_failed_supervision_is_counted_as_sent_back() {
    let mut t = drive_to(AwaitingSupervision);
    t.must(supervise(false));
    assert_eq!((t.status(), t.issue.sent_back_count), (InProgress, 1));
    assert_eq!(t.issue.supervised_at, None);
    t.must(rectify()).must(supervise(false)).must(rectify());
    assert_eq!(t.issue.sent_back_count, 2);
    t.must(supervise(true));
    assert_eq!(t.issue.supervised_at, Some(t.now));
    assert_eq!(t.status(), AwaitingConfirmation);
}

#[test]
fn confirmation_needs_a_rating_and_not_resolved_reopens() {
    let mut t = drive_to(AwaitingConfirmation);
    let err = t.run(confirm(true, None)).unwrap_err();
    assert!(matches!(
        err,
        DomainError::Invalid {
            field: "satisfaction",
            ..
        }
    ));
    let e = t.run(confirm(false, Some(1))).unwrap();
    assert_eq!(e.data.kind(), "not_resolved");
    assert_eq!((t.status(), t.issue.reopen_count), (InProgress, 1));
    assert_eq!(
        t.issue.satisfaction, None,
        "a rating given with 'not resolved' is ignored"
    );
    t.must(rectify()).must(supervise(true));
    let e = t.run(confirm(true, Some(2))).unwrap();
    assert_eq!(
        e.data,
        EventData::Confirmed {
            satisfaction: sat(2),
            comment: Some("谢谢".to_owned())
        }
    );
    assert_eq!(t.status(), Closed);
    assert_eq!(t.issue.closure, Some(Closure::Confirmed));
    assert_eq!(t.issue.satisfaction, Some(sat(2)));
    assert_eq!(t.issue.closed_at, Some(t.now));
}

#[test]
fn auto_confirmation_closes_without_a_rating() {
    let mut t = drive_to(AwaitingConfirmation);
    let e = t.run(Command::AutoConfirm).unwrap();
    assert_eq!(e.data, EventData::AutoConfirmed);
    assert_eq!(t.issue.closure, Some(Closure::AutoConfirmed));
    assert_eq!(t.issue.satisfaction, None);
    assert_eq!(t.issue.closed_at, Some(t.now));
}

#[test]
fn a_revisit_confirms_or_reopens() {
    let mut t = drive_to(Closed);
    t.must(Command::QueueRevisit);
    assert!(t.issue.revisit_queued);
    let since = t.issue.status_since;
    let e = t.run(revisit(RevisitOutcome::Confirmed)).unwrap();
    assert_eq!((e.from, e.to), (Some(Closed), Closed));
    assert_eq!(t.issue.revisited_at, Some(t.now));
    assert!(!t.issue.revisit_queued);
    assert_eq!(t.issue.status_since, since, "no state change");

    let mut t = drive_to(Closed);
    t.must(Command::QueueRevisit);
    t.must(revisit(RevisitOutcome::Recurred));
    assert_eq!(t.status(), InProgress);
    assert_eq!(t.issue.reopen_count, 1);
    assert_eq!(t.issue.revisited_at, Some(t.now));
    assert!(!t.issue.revisit_queued);
    assert_eq!(
        (t.issue.closure, t.issue.closed_at, t.issue.satisfaction),
        (None, None, None)
    );
    // Fixed again and closed afresh.
    t.must(rectify())
        .must(supervise(true))
        .must(Command::AutoConfirm);
    assert_eq!(t.issue.closure, Some(Closure::AutoConfirmed));
    assert_eq!(t.issue.satisfaction, None);
}

#[test]
fn queueing_a_revisit_twice_is_illegal() {
    let mut t = drive_to(Closed);
    t.must(Command::QueueRevisit);
    assert_illegal(
        t.run(Command::QueueRevisit),
        CommandKind::QueueRevisit,
        Closed,
    );
}

#[test]
fn escalation_goes_step_by_step_and_changes_no_state() {
    let mut t = drive_to(InProgress);
    let since = t.issue.status_since;
    // Each attempt in order: the step asked for, and whom it escalates to (`None`: refused).
    for (step, target) in [
        (0, None),
        (2, None),
        (1, Some(EscalationTarget::CommunityOfficial)),
        (1, None),
        (2, Some(EscalationTarget::StreetDispatcher)),
        (3, None),
    ] {
        let result = t.run(Command::Escalate { step });
        let Some(target) = target else {
            assert_illegal(result, CommandKind::Escalate, InProgress);
            continue;
        };
        let e = result.unwrap();
        assert_eq!((e.from, e.to), (Some(InProgress), InProgress));
        assert_eq!(e.data, EventData::Escalated { step, target });
        assert_eq!(t.issue.escalation_step, step);
    }
    assert_eq!(t.issue.status_since, since);
    for status in [Closed, Rejected, Withdrawn] {
        let mut t = drive_to(status);
        assert_illegal(
            t.run(Command::Escalate { step: 1 }),
            CommandKind::Escalate,
            status,
        );
    }
}

#[test]
fn status_since_and_version_follow_the_events() {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    t.triage(Level::Property);
    assert_eq!(t.issue.status_since, t.now);
    let triaged_at = t.now;
    t.must(Command::Escalate { step: 1 });
    assert_eq!(t.issue.status_since, triaged_at);
    assert_eq!(t.issue.version, 3);
    assert_eq!(t.issue.version, t.events.len() as i64);
}

#[test]
fn overdue_is_derived_from_the_deadlines() {
    // Water leak: urgent, respond within 12 h, resolve within 72 h.
    let t = Track::file(CategoryCode::WATER_LEAK);
    let d = t.issue.deadlines;
    assert!(!t.issue.is_overdue(d.response_due));
    assert!(
        t.issue.is_overdue(d.response_due + Duration::seconds(1)),
        "submitted issues too"
    );

    // A handler is judged by its own clock, started at the triage.
    let mut answered = drive_to(InProgress);
    let d = answered.issue.deadlines;
    assert_eq!(
        d.response_due,
        answered.issue.triaged_at.unwrap() + Duration::hours(12)
    );
    assert!(
        !answered
            .issue
            .is_overdue(d.response_due + Duration::hours(1))
    );
    assert!(!answered.issue.is_overdue(d.resolution_due));
    assert!(
        answered
            .issue
            .is_overdue(d.resolution_due + Duration::seconds(1))
    );
    answered.must(rectify());
    assert!(
        answered
            .issue
            .is_overdue(d.resolution_due + Duration::seconds(1)),
        "awaiting the committee still counts against the handler"
    );
    answered.must(supervise(true));
    assert!(
        !answered
            .issue
            .is_overdue(d.resolution_due + Duration::days(3)),
        "awaiting the resident's confirmation: the handlers are done, nobody to escalate"
    );
    answered.must(confirm(true, Some(5)));
    assert!(
        !answered
            .issue
            .is_overdue(d.resolution_due + Duration::days(30)),
        "closed"
    );

    // In deliberation, the response is the meeting.
    let mut t = drive_to(InDeliberation);
    let d = t.issue.deadlines;
    assert!(t.issue.is_overdue(d.response_due + Duration::seconds(1)));
    t.must(deliberation(t.now, DeliberationOutcome::Close));
    assert!(!t.issue.is_overdue(d.resolution_due + Duration::days(1)));
}

#[test]
fn escalation_is_due_at_step_one_then_step_two_a_day_later() {
    let config = WorkflowConfig::default();
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    let d = t.issue.deadlines;
    assert_eq!(t.issue.escalation_due(d.response_due, &config), None);
    let missed = d.response_due + Duration::minutes(1);
    assert_eq!(t.issue.escalation_due(missed, &config), Some(1));
    t.issue.apply(
        &t.issue
            .decide(&Command::Escalate { step: 1 }, missed, &config)
            .unwrap(),
    );
    assert_eq!(t.issue.escalation_due(missed, &config), None);
    assert_eq!(
        t.issue.escalation_due(
            d.response_due + Duration::hours(24) - Duration::seconds(1),
            &config
        ),
        None
    );
    let later = d.response_due + Duration::hours(24);
    assert_eq!(t.issue.escalation_due(later, &config), Some(2));
    t.issue.apply(
        &t.issue
            .decide(&Command::Escalate { step: 2 }, later, &config)
            .unwrap(),
    );
    assert_eq!(
        t.issue.escalation_due(later + Duration::days(30), &config),
        None
    );

    // Responded but past the resolution deadline: step 2 counts from the resolution deadline.
    let mut p = drive_to(InProgress);
    let d = p.issue.deadlines;
    let missed = d.resolution_due + Duration::minutes(1);
    assert_eq!(p.issue.escalation_due(missed, &config), Some(1));
    p.issue.escalation_step = 1;
    assert_eq!(
        p.issue
            .escalation_due(d.resolution_due + Duration::hours(23), &config),
        None
    );
    assert_eq!(
        p.issue
            .escalation_due(d.resolution_due + Duration::hours(24), &config),
        Some(2)
    );
    p.must(rectify());
    p.issue.status = Closed;
    assert_eq!(
        p.issue.escalation_due(missed + Duration::days(9), &config),
        None
    );
}

#[test]
fn auto_confirmation_is_due_after_seven_days_awaiting() {
    let config = WorkflowConfig::default();
    let t = drive_to(AwaitingConfirmation);
    let since = t.issue.status_since;
    assert!(
        !t.issue
            .auto_confirm_due(since + Duration::days(7) - Duration::seconds(1), &config)
    );
    assert!(t.issue.auto_confirm_due(since + Duration::days(7), &config));
    let short = WorkflowConfig {
        auto_confirm_after: Duration::days(1),
        ..config.clone()
    };
    assert!(t.issue.auto_confirm_due(since + Duration::days(1), &short));
    let p = drive_to(InProgress);
    assert!(
        !p.issue
            .auto_confirm_due(since + Duration::days(70), &config)
    );
}

fn closed_with(rating: Option<i64>, urgency: Urgency, id: i64) -> Track {
    let mut t = Track::file(CategoryCode::GREENING);
    let mut new = new_issue(CategoryCode::GREENING);
    new.urgency = Some(urgency);
    let (issue, created) = Issue::file(new, &routing(CategoryCode::GREENING), t0(), &t.config);
    (t.issue, t.events) = (issue, vec![created]);
    t.issue.id = IssueId(id);
    t.triage(Level::Property)
        .must(answer(true))
        .must(rectify())
        .must(supervise(true));
    match rating {
        Some(n) => t.must(confirm(true, Some(n))),
        None => t.must(Command::AutoConfirm),
    };
    t
}

#[test]
fn revisit_is_due_for_poor_ratings_emergencies_unverified_closes_and_a_stable_sample() {
    let config = WorkflowConfig::default();
    // Id 1: 61 mod 100, outside the 20 % sample.
    let id = 1;
    let after = |t: &Track| t.issue.closed_at.unwrap() + config.revisit_after;
    for (rating, urgency, due) in [
        (Some(1), Urgency::Normal, true),
        (Some(3), Urgency::Normal, true),
        (Some(4), Urgency::Normal, false),
        (Some(5), Urgency::Emergency, true),
        // Auto-confirmed, unrated: resolved but unverified, always revisited.
        (None, Urgency::Normal, true),
        (None, Urgency::Emergency, true),
    ] {
        let t = closed_with(rating, urgency, id);
        assert_eq!(
            t.issue.revisit_due(after(&t), &config),
            due,
            "{rating:?} {urgency:?}"
        );
        assert!(
            !t.issue
                .revisit_due(after(&t) - Duration::seconds(1), &config),
            "not before revisit_after"
        );
    }

    // Queued or revisited issues are not due again.
    let mut t = closed_with(Some(1), Urgency::Normal, id);
    let at = after(&t);
    t.must(Command::QueueRevisit);
    assert!(!t.issue.revisit_due(at, &config));
    t.must(revisit(RevisitOutcome::Confirmed));
    assert!(!t.issue.revisit_due(at + Duration::days(1), &config));

    // The sample is stable per id and about the configured share.
    let sampled: Vec<i64> = (1..=100)
        .filter(|&id| {
            let t = closed_with(Some(5), Urgency::Normal, id);
            t.issue.revisit_due(after(&t), &config)
        })
        .collect();
    assert_eq!(sampled.len(), 20);
    let again: Vec<i64> = (1..=100)
        .filter(|&id| {
            let t = closed_with(Some(4), Urgency::Normal, id);
            t.issue.revisit_due(after(&t), &config)
        })
        .collect();
    assert_eq!(sampled, again, "the sample depends on the id alone");
    let unverified = (1..=100)
        .filter(|&id| {
            let t = closed_with(None, Urgency::Normal, id);
            t.issue.revisit_due(after(&t), &config)
        })
        .count();
    assert_eq!(unverified, 100, "every auto-confirmed issue is revisited");
    let none = WorkflowConfig {
        revisit_sample_percent: 0,
        ..config.clone()
    };
    let all = WorkflowConfig {
        revisit_sample_percent: 100,
        ..config.clone()
    };
    let t = closed_with(Some(5), Urgency::Normal, sampled[0]);
    assert!(!t.issue.revisit_due(after(&t), &none));
    let t = closed_with(Some(5), Urgency::Normal, id);
    assert!(t.issue.revisit_due(after(&t), &all));

    // Open issues are never due.
    let p = drive_to(InProgress);
    assert!(!p.issue.revisit_due(t0() + Duration::days(100), &all));
}

#[test]
fn replay_rebuilds_a_long_history_and_refuses_broken_streams() {
    let mut t = Track::file(CategoryCode::NEIGHBOUR_DISPUTE);
    t.triage(Level::Mediation)
        .must(Command::Escalate { step: 1 })
        .must(mediation(false))
        .must(deliberation(
            t0(),
            DeliberationOutcome::Assign {
                handler: Handler::Grid {
                    grid_id: GridId(50),
                },
                resolution_due: None,
            },
        ))
        .must(answer(false))
        .triage(Level::Property)
        .must(answer(true))
        .must(rectify())
        .must(supervise(false))
        .must(rectify())
        .must(supervise(true))
        .must(confirm(false, None))
        .must(rectify())
        .must(supervise(true))
        .must(confirm(true, Some(3)))
        .must(Command::QueueRevisit)
        .must(revisit(RevisitOutcome::Recurred))
        .must(rectify())
        .must(supervise(true))
        .must(Command::AutoConfirm);
    assert_eq!(t.issue.version, t.events.len() as i64);
    assert_eq!(Issue::replay(&t.events), Some(t.issue.clone()));
    assert_eq!((t.issue.reopen_count, t.issue.sent_back_count), (2, 1));

    assert_eq!(Issue::replay(&[]), None);
    assert_eq!(
        Issue::replay(&t.events[1..]),
        None,
        "must start with created"
    );
    let mut skipped = t.events.clone();
    skipped.remove(3);
    assert_eq!(
        Issue::replay(&skipped),
        None,
        "an event that does not follow"
    );
    let mut twice = t.events.clone();
    twice.insert(2, t.events[0].clone());
    assert_eq!(Issue::replay(&twice), None, "a second created");

    // Events survive their JSON column.
    let json = serde_json::to_string(&t.events).unwrap();
    let back: Vec<IssueEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t.events);
}

#[test]
fn every_event_has_a_timeline_note_when_it_carries_text() {
    let mut t = drive_to(Triaged);
    t.must(answer(false));
    let declined = &t.events.last().unwrap().data;
    assert_eq!(
        declined.note().as_deref(),
        Some("not ours — 已收到，马上安排")
    );
    let cases = [
        (EventData::Withdrawn, None),
        (EventData::AutoConfirmed, None),
        (EventData::RevisitQueued, None),
        (
            EventData::Escalated {
                step: 1,
                target: EscalationTarget::CommunityOfficial,
            },
            None,
        ),
        (
            EventData::Answered {
                message: " ".to_owned(),
            },
            None,
        ),
        (
            EventData::Declined {
                message: String::new(),
                reason: "wrong compound".to_owned(),
                backstop: None,
            },
            Some("wrong compound"),
        ),
        (
            EventData::Rejected {
                reason: RejectReason::Invalid {
                    note: "spam".to_owned(),
                },
            },
            Some("spam"),
        ),
        (
            EventData::Rejected {
                reason: RejectReason::Duplicate {
                    duplicate_of: IssueId(7),
                    note: String::new(),
                },
            },
            Some("duplicate of issue 7"),
        ),
        (
            EventData::MediationSettled {
                notes: "ok".to_owned(),
            },
            Some("ok"),
        ),
        (
            EventData::SupervisionFailed {
                notes: "脏".to_owned(),
            },
            Some("脏"),
        ),
        (
            EventData::Rectified {
                notes: "done".to_owned(),
                photo_ids: vec![],
            },
            Some("done"),
        ),
        (
            EventData::Confirmed {
                satisfaction: sat(5),
                comment: Some("好".to_owned()),
            },
            Some("好"),
        ),
        (
            EventData::Confirmed {
                satisfaction: sat(5),
                comment: None,
            },
            None,
        ),
        (
            EventData::NotResolved {
                comment: Some("还漏".to_owned()),
                resolution_due: None,
            },
            Some("还漏"),
        ),
        (
            EventData::RevisitRecurred {
                notes: "又坏了".to_owned(),
                resolution_due: None,
            },
            Some("又坏了"),
        ),
    ];
    for (data, want) in cases {
        assert_eq!(data.note().as_deref(), want, "{}", data.kind());
    }
}

#[test]
fn illegal_transitions_read_well() {
    let mut t = drive_to(Closed);
    let err = t.run(representative(CommandKind::Triage, &t)).unwrap_err();
    assert_eq!(err.to_string(), "cannot triage an issue that is closed");
    assert_eq!(err.code(), "illegal_transition");
}

#[test]
fn a_reopened_issue_gets_a_fresh_resolution_window_and_escalation_ladder() {
    // Not resolved long after the deadline: a whole window again from the reopening.
    let mut t = drive_to(AwaitingConfirmation);
    let cfg = WorkflowConfig::default();
    let old_due = t.issue.deadlines.resolution_due;
    t.now = old_due + Duration::days(10);
    for step in [1, 2] {
        t.issue.escalation_step = step - 1;
        let event = t
            .issue
            .decide(&Command::Escalate { step }, t.now, &cfg)
            .unwrap();
        t.issue.apply(&event);
    }
    assert_eq!(t.issue.escalation_step, 2);
    let event = t.issue.decide(&confirm(false, None), t.now, &cfg).unwrap();
    t.issue.apply(&event);
    assert_eq!(t.issue.status, InProgress);
    // Urgent: 72 clock hours from the reopening.
    let due = cfg
        .rules()
        .deadlines(t.issue.urgency, SpanOverrides::default(), t.now)
        .resolution_due;
    assert_eq!(due, t.now + Duration::hours(72));
    assert_eq!(t.issue.deadlines.resolution_due, due);
    assert_eq!(t.issue.escalation_step, 0, "the ladder starts again");
    assert!(!t.issue.is_overdue(due - Duration::seconds(1)));
    assert_eq!(
        t.issue.escalation_due(due + Duration::seconds(1), &cfg),
        Some(1)
    );
}

#[test]
fn admits_is_the_state_half_of_decide() {
    // Every kind a state admits is legal there for its representative command; every other kind
    // is refused as illegal whatever its data (checked by `every_status_command_pair`).
    for status in IssueStatus::ALL {
        let t = drive_to(status);
        for kind in CommandKind::ALL {
            assert_eq!(
                t.issue.admits(kind),
                expected(status, kind).is_some(),
                "{kind:?} in {status:?}"
            );
        }
    }
    // At mediation level, `answer` is admitted only to decline; the mediation is recorded.
    let mut t = Track::file(CategoryCode::NEIGHBOUR_DISPUTE);
    t.triage(Level::Mediation);
    assert!(t.issue.admits(CommandKind::Answer));
    assert!(t.issue.admits(CommandKind::RecordMediation));
    assert_illegal(t.clone().run(answer(true)), CommandKind::Answer, Triaged);
    assert_eq!(t.run(answer(false)).unwrap().to, Submitted);
}

#[test]
fn a_return_not_upheld_goes_back_to_the_same_handler_where_it_was() {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    t.triage(Level::Property).must(answer(true));
    let handler = t.issue.handler.clone();
    let event = t.run(return_case(ReturnReason::OwnershipUnclear)).unwrap();
    assert_eq!((event.from, event.to), (Some(InProgress), Returned));
    assert_eq!(event.data.kind(), "returned");
    assert_eq!(
        (t.issue.return_count, t.issue.returned_from),
        (1, Some(InProgress))
    );

    // Not upheld: it may not name another handler.
    let mut other = t.clone();
    let err = other
        .run(Command::DecideReturn {
            upheld: false,
            note: note("x"),
            reassign_to: match triage_to(&t.issue, Level::Grid) {
                Command::Triage(d) => Some(d),
                _ => None,
            },
        })
        .unwrap_err();
    assert_eq!(field(err), "handler_id");

    let event = t.run(decide_return(&t.issue, None)).unwrap();
    assert_eq!(event.to, InProgress, "back to where it was returned from");
    assert_eq!(event.data.kind(), "return_overruled");
    assert_eq!(t.issue.handler, handler);
    assert_eq!(
        (
            t.issue.return_count,
            t.issue.returns_upheld,
            t.issue.returns_overruled
        ),
        (1, 0, 1)
    );
    assert_eq!(t.issue.returned_from, None);
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
}

#[test]
fn an_upheld_return_goes_to_another_handler() {
    let mut t = drive_to(Returned);
    assert_eq!(t.issue.returned_from, Some(Triaged));

    // Upheld needs another handler: none, or the same one, is refused.
    let mut same = t.clone();
    let err = same
        .run(decide_return(&t.issue, Some(Level::Property)))
        .unwrap_err();
    assert_eq!(field(err), "handler_id");
    let err = same
        .run(Command::DecideReturn {
            upheld: true,
            note: note("x"),
            reassign_to: None,
        })
        .unwrap_err();
    assert_eq!(field(err), "handler_id");
    assert_eq!(same.issue, t.issue);

    let event = t.run(decide_return(&t.issue, Some(Level::Grid))).unwrap();
    assert_eq!((event.from, event.to), (Some(Returned), Triaged));
    assert_eq!(t.issue.level, Some(Level::Grid));
    assert_eq!(
        t.issue.handler,
        Some(Handler::Grid {
            grid_id: GridId(50)
        })
    );
    assert_eq!(
        (
            t.issue.return_count,
            t.issue.returns_upheld,
            t.issue.returns_overruled
        ),
        (1, 1, 0)
    );
    // Upheld to the community: the meeting takes it.
    let mut t = drive_to(Returned);
    let event = t
        .run(decide_return(&t.issue, Some(Level::Community)))
        .unwrap();
    assert_eq!(event.to, InDeliberation);
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
}

#[test]
fn a_reassignment_hands_the_case_to_another_handler_with_a_reason() {
    let mut t = drive_to(InProgress);
    let Command::Triage(same) = triage_to(&t.issue, Level::Property) else {
        unreachable!()
    };
    let err = t.clone().run(Command::Reassign(same)).unwrap_err();
    assert_eq!(field(err), "handler_id");
    let Command::Triage(mut to_grid) = triage_to(&t.issue, Level::Grid) else {
        unreachable!()
    };
    to_grid.reason = None;
    let err = t
        .clone()
        .run(Command::Reassign(to_grid.clone()))
        .unwrap_err();
    assert_eq!(field(err), "reason");

    to_grid.reason = Some("网格员就近处理".into());
    let event = t.run(Command::Reassign(to_grid)).unwrap();
    assert_eq!((event.from, event.to), (Some(InProgress), Triaged));
    let EventData::Reassigned { from_handler, .. } = &event.data else {
        panic!("{event:?}")
    };
    assert_eq!(
        *from_handler,
        Handler::PropertyCompany {
            property_company_id: PropertyCompanyId(7)
        }
    );
    assert_eq!(
        t.issue.handler,
        Some(Handler::Grid {
            grid_id: GridId(50)
        })
    );
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
}

#[test]
fn an_approved_extension_moves_the_deadline_and_restarts_the_ladder() {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    t.triage(Level::Property).must(answer(true));
    let old_due = t.issue.deadlines.resolution_due;
    let new_due = old_due + Duration::days(5);
    // Not later than the current deadline: refused as bad data.
    let err = t
        .clone()
        .run(Command::RequestExtension {
            new_resolution_due: old_due,
            reason: note("x"),
        })
        .unwrap_err();
    assert_eq!(field(err), "new_resolution_due");
    t.must(Command::RequestExtension {
        new_resolution_due: new_due,
        reason: note("等待配件"),
    });
    assert_eq!(t.issue.pending_extension, Some(new_due));
    // One request at a time.
    assert!(!t.issue.admits(CommandKind::RequestExtension));
    t.issue.escalation_step = 1;
    let decide = |approved| Command::DecideExtension {
        request_id: linli_domain::ids::ExtensionRequestId(7),
        approved,
        note: note("审核"),
    };
    let mut refused = t.clone();
    refused.must(decide(false));
    assert_eq!(refused.issue.deadlines.resolution_due, old_due);
    assert_eq!(refused.issue.pending_extension, None);
    assert_eq!(refused.issue.extension_count, 0);
    assert!(refused.issue.is_overdue(old_due + Duration::hours(1)));

    let event = t.run(decide(true)).unwrap();
    assert_eq!(event.data.kind(), "extension_approved");
    assert_eq!(t.issue.deadlines.resolution_due, new_due);
    assert_eq!(
        (
            t.issue.extension_count,
            t.issue.pending_extension,
            t.issue.escalation_step
        ),
        (1, None, 0)
    );
    assert!(!t.issue.is_overdue(old_due + Duration::hours(1)));
    // Nothing pending any more: a second decision is illegal.
    assert_illegal(
        t.clone().run(decide(true)),
        CommandKind::DecideExtension,
        InProgress,
    );
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));
}

#[test]
fn urging_counts_and_merging_closes_as_merged() {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    t.triage(Level::Property);
    t.must(Command::Urge {
        note: note("请尽快处理"),
    })
    .must(Command::Urge {
        note: note("再次督办"),
    });
    assert_eq!((t.issue.urge_count, t.issue.status), (2, Triaged));
    let event = t
        .run(Command::Merge {
            into: IssueId(t.issue.id.0 + 1),
        })
        .unwrap();
    assert_eq!(event.to, Closed);
    assert_eq!(t.issue.closure, Some(Closure::Merged));
    assert_eq!(t.issue.merged_into, Some(IssueId(t.issue.id.0 + 1)));
    // A merged duplicate is not looked at again; its primary is.
    assert!(!t.issue.admits(CommandKind::Revisit));
    assert!(
        !t.issue
            .revisit_due(t.now + Duration::days(365), &WorkflowConfig::default())
    );
    assert!(!linli_domain::report::is_resolution_due(&t.issue, t.now));
    assert_eq!(Issue::replay(&t.events).as_ref(), Some(&t.issue));

    // Never into itself.
    let mut own = Track::file(CategoryCode::WATER_LEAK);
    own.issue.id = IssueId(5);
    let err = own.run(Command::Merge { into: IssueId(5) }).unwrap_err();
    assert_eq!(field(err), "into");
}

/// A water leak of request type `kind`, filed and triaged to the property company.
fn triaged_kind(kind: IssueKind) -> Track {
    let config = WorkflowConfig::default();
    let mut new = new_issue(CategoryCode::WATER_LEAK);
    new.kind = kind;
    let (issue, event) = Issue::file(new, &routing(CategoryCode::WATER_LEAK), t0(), &config);
    let mut t = Track {
        issue,
        events: vec![event],
        now: t0(),
        config,
    };
    t.triage(Level::Property);
    t
}

#[test]
fn a_consultation_is_answered_and_closed_a_suggestion_or_praise_acknowledged() {
    for (kind, event_kind, closure) in [
        (
            IssueKind::Consultation,
            EventKind::ConsultationAnswered,
            Closure::Answered,
        ),
        (
            IssueKind::Suggestion,
            EventKind::Acknowledged,
            Closure::Acknowledged,
        ),
        (
            IssueKind::Praise,
            EventKind::Acknowledged,
            Closure::Acknowledged,
        ),
    ] {
        let mut t = triaged_kind(kind);
        assert!(t.issue.admits(CommandKind::Answer));
        let event = t.run(answer(true)).unwrap();
        assert_eq!(event.data.event_kind(), event_kind, "{kind:?}");
        assert_eq!((event.from, event.to), (Some(Triaged), Closed));
        assert_eq!(event.data.note().as_deref(), Some("已收到，马上安排"));
        assert_eq!(t.issue.closure, Some(closure));
        assert_eq!(t.issue.responded_at, Some(t.now));
        assert_eq!(t.issue.closed_at, Some(t.now));
        assert!(closure.is_resolution());
        // Nothing was fixed: no 回头看, by hand or by the scheduler.
        assert!(!t.issue.admits(CommandKind::Revisit));
        assert!(!t.issue.admits(CommandKind::QueueRevisit));
        assert!(!t.issue.revisit_due(t.now + Duration::days(60), &t.config));
        assert_eq!(Issue::replay(&t.events), Some(t.issue.clone()));
    }
    // A complaint still goes on to the rectification.
    let mut t = triaged_kind(IssueKind::Complaint);
    assert_eq!(t.run(answer(true)).unwrap().to, InProgress);
}
