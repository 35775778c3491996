//! Property test: random command sequences on a freshly filed issue keep it legal, and its events
//! always replay to the same issue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{CATALOGUE, deliberation, new_issue, note, routing, sat, t0};
use linli_domain::{
    DomainError,
    ids::{GridId, IssueId, PhotoId, PropertyCompanyId},
    issue::*,
    triage::{self, Handler, Level, TriageChoice, TriageOverrides},
    urgency::Urgency,
};
use proptest::prelude::*;

/// A command shape with random data; turned into a `Command` against the current issue.
#[derive(Debug, Clone)]
enum Op {
    Triage {
        level: Option<usize>,
        urgency: Option<usize>,
        reason: bool,
        /// Sometimes send a decision that does not hold together.
        corrupt: bool,
    },
    Reject(u8),
    Withdraw,
    Answer {
        accept: bool,
        reason: bool,
    },
    Mediation(bool),
    Deliberation {
        assign: Option<usize>,
        future: bool,
    },
    Rectify,
    Supervise(bool),
    Confirm {
        resolved: bool,
        rating: Option<i64>,
    },
    AutoConfirm,
    Revisit(bool),
    Escalate(u8),
    QueueRevisit,
    Return(usize),
    /// Upheld to a handler of this level, or not upheld.
    DecideReturn(Option<usize>),
    /// To a handler of this level.
    Reassign(usize),
}

fn op() -> impl Strategy<Value = Op> {
    // Reject and withdraw end the story early, so they are rare.
    prop_oneof![
        8 => (proptest::option::of(0..5usize), proptest::option::of(0..3usize), prop::bool::weighted(0.8), prop::bool::weighted(0.1))
            .prop_map(|(level, urgency, reason, corrupt)| Op::Triage { level, urgency, reason, corrupt }),
        1 => (0..3u8).prop_map(Op::Reject),
        1 => Just(Op::Withdraw),
        8 => (prop::bool::weighted(0.8), any::<bool>()).prop_map(|(accept, reason)| Op::Answer { accept, reason }),
        4 => any::<bool>().prop_map(Op::Mediation),
        5 => (proptest::option::of(0..5usize), prop::bool::weighted(0.1))
            .prop_map(|(assign, future)| Op::Deliberation { assign, future }),
        8 => Just(Op::Rectify),
        8 => any::<bool>().prop_map(Op::Supervise),
        8 => (any::<bool>(), proptest::option::of(1..=5i64))
            .prop_map(|(resolved, rating)| Op::Confirm { resolved, rating }),
        3 => Just(Op::AutoConfirm),
        4 => any::<bool>().prop_map(Op::Revisit),
        3 => (0..4u8).prop_map(Op::Escalate),
        3 => Just(Op::QueueRevisit),
        3 => (0..4usize).prop_map(Op::Return),
        4 => proptest::option::of(0..5usize).prop_map(Op::DecideReturn),
        3 => (0..5usize).prop_map(Op::Reassign),
    ]
}

fn command(op: &Op, issue: &Issue, at: chrono::DateTime<chrono::Utc>) -> Command {
    match op {
        Op::Triage {
            level,
            urgency,
            reason,
            corrupt,
        } => {
            let overrides = TriageOverrides {
                level: level.map(|i| Level::ALL[i]),
                handler: None,
                urgency: urgency.map(|i| Urgency::ALL[i]),
                reason: reason.then(|| note("dispatcher's call")),
            };
            let decided = triage::decide(&issue.suggestion, overrides, &issue.place);
            let decision = decided.unwrap_or(TriageChoice {
                // What a careless caller might send when routing refused: the state machine
                // must still keep the issue consistent.
                level: Level::Grid,
                handler: Handler::PropertyCompany {
                    property_company_id: PropertyCompanyId(7),
                },
                urgency: Urgency::Normal,
                overridden: true,
                reason: None,
            });
            let decision = if *corrupt {
                // A level its handler cannot take.
                TriageChoice {
                    level: if decision.level == Level::Department {
                        Level::Grid
                    } else {
                        Level::Department
                    },
                    ..decision
                }
            } else {
                decision
            };
            Command::Triage(decision)
        }
        Op::Reject(kind) => Command::Reject(match kind {
            0 => Rejection::Duplicate {
                duplicate_of: IssueId(99),
                note: note("dup"),
            },
            1 => Rejection::OutOfScope {
                note: note("not ours"),
            },
            _ => Rejection::Invalid { note: note("spam") },
        }),
        Op::Withdraw => Command::Withdraw,
        Op::Answer { accept, reason } => Command::Answer {
            message: note("收到"),
            accept: *accept,
            reason: reason.then(|| note("wrong handler")),
        },
        Op::Mediation(settled) => Command::RecordMediation {
            settled: *settled,
            notes: note("调解"),
        },
        Op::Deliberation { assign, future } => {
            let outcome = match assign {
                None => DeliberationOutcome::Close,
                Some(i) => DeliberationOutcome::Assign {
                    // Every other meeting sets its own deadline (some of them already past).
                    resolution_due: (i % 2 == 1).then(|| at + Duration::days(20 - 10 * *i as i64)),
                    handler: match Level::ALL[*i] {
                        Level::Grid => Handler::Grid {
                            grid_id: GridId(50),
                        },
                        level => Handler::default_for(level, &issue.place).unwrap(),
                    },
                },
            };
            let held_at = if *future {
                at + Duration::hours(1)
            } else {
                at - Duration::hours(2)
            };
            deliberation(held_at, outcome)
        }
        Op::Rectify => Command::SubmitRectification {
            notes: note("done"),
            photo_ids: vec![PhotoId(1)],
        },
        Op::Supervise(passed) => Command::Supervise {
            passed: *passed,
            notes: note("checked"),
        },
        Op::Confirm { resolved, rating } => Command::Confirm {
            resolved: *resolved,
            satisfaction: rating.map(sat),
            comment: None,
        },
        Op::AutoConfirm => Command::AutoConfirm,
        Op::Revisit(recurred) => Command::Revisit {
            outcome: if *recurred {
                RevisitOutcome::Recurred
            } else {
                RevisitOutcome::Confirmed
            },
            notes: note("回头看"),
        },
        Op::Escalate(step) => Command::Escalate { step: *step },
        Op::QueueRevisit => Command::QueueRevisit,
        Op::Return(i) => Command::Return {
            reason: ReturnReason::ALL[*i],
            note: note("not ours"),
        },
        Op::DecideReturn(level) => Command::DecideReturn {
            upheld: level.is_some(),
            note: note("decided"),
            reassign_to: level.and_then(|i| elsewhere(issue, i)),
        },
        Op::Reassign(i) => match elsewhere(issue, *i) {
            Some(decision) => Command::Reassign(decision),
            None => Command::Withdraw,
        },
    }
}

/// The routing to a handler of level `Level::ALL[i]`, with a reason, if routing can find one.
fn elsewhere(issue: &Issue, i: usize) -> Option<TriageChoice> {
    let overrides = TriageOverrides {
        level: Some(Level::ALL[i]),
        reason: Some(note("elsewhere")),
        ..Default::default()
    };
    triage::decide(&issue.suggestion, overrides, &issue.place).ok()
}

/// What must hold of any issue the machine can reach.
fn check_consistent(issue: &Issue) {
    use IssueStatus::*;
    assert!(IssueStatus::ALL.contains(&issue.status));
    let closed = issue.status == Closed;
    assert_eq!(
        closed,
        issue.closure.is_some() && issue.closed_at.is_some(),
        "{issue:#?}"
    );
    assert_eq!(issue.closure.is_some(), issue.closed_at.is_some());
    if closed {
        assert!(
            issue.satisfaction.is_some()
                || matches!(
                    issue.closure,
                    Some(Closure::AutoConfirmed | Closure::Deliberation)
                )
                || !issue.kind.is_worked(),
            "a closed issue has a rating, an auto-confirm or a deliberation decision"
        );
        // A reply closes exactly the consultations, suggestions and praise, and only them.
        let replied = match issue.kind {
            IssueKind::Consultation => Some(Closure::Answered),
            IssueKind::Suggestion | IssueKind::Praise => Some(Closure::Acknowledged),
            IssueKind::Complaint | IssueKind::Help => None,
        };
        if let Some(by_reply) = replied {
            assert!(
                issue.closure == Some(by_reply)
                    || matches!(issue.closure, Some(Closure::Deliberation)),
                "{issue:#?}"
            );
        } else {
            assert!(
                !matches!(
                    issue.closure,
                    Some(Closure::Answered | Closure::Acknowledged)
                ),
                "{issue:#?}"
            );
        }
    }
    // Consultations, suggestions and praise are never rectified, supervised or confirmed.
    if !issue.kind.is_worked() {
        assert!(
            !matches!(
                issue.status,
                InProgress | AwaitingSupervision | AwaitingConfirmation | InDeliberation
            ),
            "{issue:#?}"
        );
        assert_eq!(issue.rectified_at, None);
    }
    assert_eq!(
        issue.satisfaction.is_some(),
        issue.closure == Some(Closure::Confirmed)
    );
    assert!(issue.deadlines.response_due >= issue.created_at);
    assert!(issue.deadlines.resolution_due >= issue.created_at);
    assert!(issue.status_since >= issue.created_at);
    // Level and handler go together and agree.
    assert_eq!(issue.level.is_some(), issue.handler.is_some());
    if let (Some(level), Some(handler)) = (issue.level, &issue.handler) {
        assert_eq!(handler.level(), level);
    }
    match issue.status {
        Submitted | Rejected | Withdrawn => assert_eq!(issue.level, None),
        InDeliberation => assert_eq!(issue.level, Some(Level::Community)),
        // A community matter is deliberated, unless it only needs a reply.
        Triaged => assert!(
            issue.level.is_some()
                && (issue.level != Some(Level::Community) || !issue.kind.is_worked())
        ),
        InProgress | Returned | AwaitingSupervision | AwaitingConfirmation | Closed => {
            assert!(issue.level.is_some())
        }
    }
    assert_eq!(issue.status == Returned, issue.returned_from.is_some());
    assert_eq!(
        issue.return_count,
        issue.returns_upheld + issue.returns_overruled + u32::from(issue.status == Returned)
    );
    if issue.status == AwaitingSupervision {
        assert!(issue.rectified_at.is_some());
    }
    if issue.revisit_queued {
        assert!(closed);
    }
    assert!(issue.escalation_step <= 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_command_sequences_keep_the_issue_legal(
        category in proptest::sample::select(CATALOGUE.map(|(c, ..)| c).to_vec()),
        kind in proptest::sample::select(IssueKind::ALL.to_vec()),
        has_grid in prop::bool::weighted(0.8),
        ops in proptest::collection::vec((op(), 0..4_000i64), 0..60),
    ) {
        let config = WorkflowConfig::default();
        let mut new = new_issue(category);
        new.kind = kind;
        if !has_grid {
            new.place.grid_id = None;
            new.place.building_id = None;
        }
        let (mut issue, created) = Issue::file(new, &routing(category), t0(), &config);
        let mut events: Vec<IssueEvent> = vec![created];
        let mut now = t0();
        check_consistent(&issue);

        for (op, minutes) in ops {
            now += Duration::minutes(minutes);
            let before = issue.clone();
            let cmd = command(&op, &issue, now);
            let mut new_clock = false;
            match issue.decide(&cmd, now, &config) {
                Ok(event) => {
                    new_clock = matches!(
                        event.data,
                        EventData::Triaged { .. }
                            | EventData::Reassigned { .. }
                            | EventData::ReturnUpheld { .. }
                            | EventData::Deliberated { deadlines: Some(_), .. }
                    );
                    prop_assert_eq!(event.from, Some(before.status));
                    prop_assert_eq!(event.at, now);
                    // Only these events leave the status as it was.
                    // A reassignment from triaged to a non-community handler stays triaged.
                    let same = matches!(
                        event.data,
                        EventData::Escalated { .. } | EventData::RevisitQueued | EventData::RevisitConfirmed { .. }
                    ) || (matches!(event.data, EventData::Reassigned { .. })
                        && before.status == IssueStatus::Triaged
                        && event.to == IssueStatus::Triaged);
                    prop_assert_eq!(event.from == Some(event.to), same, "{:?}", event.data);
                    issue.apply(&event);
                    events.push(event);
                    prop_assert_eq!(issue.status, events.last().unwrap().to);
                    if issue.status != before.status {
                        prop_assert_eq!(issue.status_since, now);
                    } else {
                        prop_assert_eq!(issue.status_since, before.status_since);
                    }
                }
                Err(DomainError::IllegalTransition { command, from }) => {
                    prop_assert_eq!(command, cmd.kind().as_str());
                    prop_assert_eq!(from, issue.status);
                }
                Err(DomainError::Invalid { .. }) => {}
                Err(other) => prop_assert!(false, "the machine never forbids: {:?}", other),
            }
            check_consistent(&issue);
            prop_assert_eq!(issue.version, events.len() as i64);
            prop_assert!(issue.reopen_count >= before.reopen_count);
            prop_assert!(issue.sent_back_count >= before.sent_back_count);
            // A reopening renews the resolution deadline and restarts the escalation ladder, as
            // does a new handler's clock; nothing else lowers the step, and a reopening never
            // moves the deadline earlier.
            let reopened = issue.reopen_count > before.reopen_count;
            prop_assert!(issue.escalation_step >= before.escalation_step || reopened || new_clock);
            prop_assert!(
                !reopened || issue.deadlines.resolution_due >= before.deadlines.resolution_due
            );
            if new_clock {
                // Fair clocks: the new handler's deadlines run from its assignment, and it has
                // not responded yet.
                prop_assert!(issue.deadlines.response_due > now);
                prop_assert!(issue.deadlines.resolution_due > now);
                prop_assert!(issue.deadlines.response_due <= issue.deadlines.resolution_due);
                prop_assert_eq!(issue.responded_at, None);
                prop_assert_eq!(issue.escalation_step, 0);
            } else {
                prop_assert!(issue.responded_at.is_none() || before.responded_at.is_none()
                    || issue.responded_at == before.responded_at, "the response is kept");
            }
            let replayed = Issue::replay(&events);
            prop_assert_eq!(replayed.as_ref(), Some(&issue));
        }

        // And through the JSON column.
        let json = serde_json::to_string(&events).unwrap();
        let back: Vec<IssueEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(Issue::replay(&back), Some(issue));
    }
}
