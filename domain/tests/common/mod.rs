//! Fixtures shared by the domain tests: a place, a filed issue, and a driver that walks an issue
//! through legal commands into any status.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, TimeZone, Utc};
use linli_domain::{
    Timestamp,
    category::{CategoryCode, CategoryRouting},
    ids::{
        BuildingId, CommunityId, CompoundId, GridId, PhotoId, PropertyCompanyId, StreetId, UserId,
    },
    issue::{
        Command, CommandKind, DeliberationMinutes, DeliberationOutcome, Issue, IssueEvent,
        IssueKind, IssueStatus, NewIssue, Place, Rejection, ReturnReason, RevisitOutcome, Source,
        UnitText, WorkflowConfig,
    },
    triage::{self, Level, TriageOverrides},
    urgency::{SpanOverrides, Urgency},
    values::{DisplayName, IssueDescription, Note, OrgName, Satisfaction},
};

pub const REPORTER: UserId = UserId(1);

pub fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap()
}

pub fn place() -> Place {
    Place {
        street_id: StreetId(1),
        community_id: CommunityId(10),
        compound_id: CompoundId(100),
        building_id: Some(BuildingId(1000)),
        grid_id: Some(GridId(50)),
        property_company_id: PropertyCompanyId(7),
    }
}

/// The routing of the catalogue as the migration seeds it: code, default level and urgency, and
/// the category's own response span in minutes.
pub const CATALOGUE: [(CategoryCode, Option<Level>, Urgency, Option<u32>); 18] = {
    use CategoryCode as C;
    use Level::*;
    use Urgency::*;
    [
        (C::FIRE_ESCAPE_BLOCKED, Some(Property), Emergency, None),
        (C::FLYING_WIRE_CHARGING, Some(Property), Emergency, None),
        (C::GAS_LEAK, Some(Department), Emergency, None),
        (C::ELEVATOR_ENTRAPMENT, Some(Property), Emergency, Some(30)),
        (C::WATER_LEAK, Some(Property), Urgent, None),
        (C::ELEVATOR_FAULT, Some(Property), Urgent, None),
        (C::WATER_TANK, Some(Property), Urgent, None),
        (C::STREET_LAMP, Some(Property), Normal, None),
        (C::SANITATION, Some(Property), Normal, None),
        (C::GREENING, Some(Property), Normal, None),
        (C::PARKING, Some(Property), Normal, None),
        (C::SMALL_ADS, Some(Residents), Normal, None),
        (C::STAIRWELL_CLUTTER, Some(Residents), Normal, None),
        (C::CHARGING_PILE, Some(Community), Normal, None),
        (C::ELEVATOR_INSTALLATION, Some(Community), Normal, None),
        (C::NEIGHBOUR_DISPUTE, Some(Mediation), Normal, None),
        (C::PUBLIC_UTILITIES, Some(Department), Urgent, None),
        (C::OTHER, None, Normal, None),
    ]
};

/// The seeded routing of `code`.
pub fn routing(code: CategoryCode) -> CategoryRouting {
    let (_, default_level, default_urgency, response_minutes) = CATALOGUE
        .into_iter()
        .find(|(c, ..)| *c == code)
        .expect("a seeded category");
    CategoryRouting {
        default_level,
        default_urgency,
        spans: SpanOverrides::minutes(response_minutes, None),
    }
}

pub fn new_issue(category: CategoryCode) -> NewIssue {
    NewIssue {
        reporter: REPORTER,
        category,
        kind: IssueKind::Complaint,
        source: Source::App,
        place: place(),
        description: IssueDescription::parse("楼道里堆满了杂物，请尽快处理").unwrap(),
        unit: Some(UnitText::parse("2单元").unwrap()),
        location_text: None,
        lat: Some(28.2),
        lon: Some(112.9),
        is_public: false,
        urgency: None,
        caller: None,
        building_has_leaders: false,
    }
}

/// A parsed person-written text (the tests only write valid ones).
pub fn note(text: &str) -> Note {
    Note::parse(text).unwrap()
}

pub fn sat(n: i64) -> Satisfaction {
    Satisfaction::parse(n).unwrap()
}

/// An issue with its event log and a clock that moves forward one hour per command.
#[derive(Debug, Clone)]
pub struct Track {
    pub issue: Issue,
    pub events: Vec<IssueEvent>,
    pub now: Timestamp,
    pub config: WorkflowConfig,
}

impl Track {
    pub fn file(category: CategoryCode) -> Self {
        let config = WorkflowConfig::default();
        let (issue, event) = Issue::file(new_issue(category), &routing(category), t0(), &config);
        Self {
            issue,
            events: vec![event],
            now: t0(),
            config,
        }
    }

    /// Decide and apply one hour later; the event on success.
    pub fn run(&mut self, command: Command) -> Result<IssueEvent, linli_domain::DomainError> {
        self.now += Duration::hours(1);
        let event = self.issue.decide(&command, self.now, &self.config)?;
        self.issue.apply(&event);
        self.events.push(event.clone());
        Ok(event)
    }

    pub fn must(&mut self, command: Command) -> &mut Self {
        let kind = command.kind();
        if let Err(e) = self.run(command) {
            panic!("{kind:?} from {:?} failed: {e}", self.issue.status);
        }
        self
    }

    /// Triage to `level` (with a reason in case it overrides the suggestion).
    pub fn triage(&mut self, level: Level) -> &mut Self {
        let cmd = triage_to(&self.issue, level);
        self.must(cmd)
    }

    pub fn status(&self) -> IssueStatus {
        self.issue.status
    }
}

pub fn triage_to(issue: &Issue, level: Level) -> Command {
    let decision = triage::decide(
        &issue.suggestion,
        TriageOverrides {
            level: Some(level),
            reason: Some(note("dispatcher's call")),
            ..Default::default()
        },
        &issue.place,
    )
    .unwrap();
    Command::Triage(decision)
}

/// 退单 with a reason.
pub fn return_case(reason: ReturnReason) -> Command {
    Command::Return {
        reason,
        note: note("这不是我们管的"),
    }
}

/// The dispatcher's decision on a return: upheld to the handler `triage_to(level)` would
/// choose, or not upheld.
pub fn decide_return(issue: &Issue, upheld_to: Option<Level>) -> Command {
    Command::DecideReturn {
        upheld: upheld_to.is_some(),
        note: note("裁定意见"),
        reassign_to: upheld_to.map(|level| match triage_to(issue, level) {
            Command::Triage(decision) => decision,
            _ => unreachable!(),
        }),
    }
}

pub fn answer(accept: bool) -> Command {
    Command::Answer {
        message: note("已收到，马上安排"),
        accept,
        reason: if accept { None } else { Some(note("not ours")) },
    }
}

pub fn rectify() -> Command {
    Command::SubmitRectification {
        notes: note("fixed the pipe"),
        photo_ids: vec![PhotoId(1), PhotoId(2)],
    }
}

pub fn supervise(passed: bool) -> Command {
    Command::Supervise {
        passed,
        notes: note("checked on site"),
    }
}

pub fn confirm(resolved: bool, satisfaction: Option<i64>) -> Command {
    Command::Confirm {
        resolved,
        satisfaction: satisfaction.map(sat),
        comment: Some(note("谢谢")),
    }
}

pub fn mediation(settled: bool) -> Command {
    Command::RecordMediation {
        settled,
        notes: note("talked to both families"),
    }
}

pub fn deliberation(held_at: Timestamp, outcome: DeliberationOutcome) -> Command {
    Command::RecordDeliberation(DeliberationMinutes {
        held_at,
        venue: OrgName::parse("议事厅").unwrap(),
        attendees: vec![
            DisplayName::parse("王书记").unwrap(),
            DisplayName::parse("业委会李主任").unwrap(),
        ],
        decision: note("同意加装"),
        outcome,
        meeting_id: None,
    })
}

pub fn revisit(outcome: RevisitOutcome) -> Command {
    Command::Revisit {
        outcome,
        notes: note("回头看"),
    }
}

pub fn reject() -> Command {
    Command::Reject(Rejection::OutOfScope {
        note: note("not a property matter"),
    })
}

/// A water leak (property level, supervised) driven into `status` by legal commands.
pub fn drive_to(status: IssueStatus) -> Track {
    let mut t = Track::file(CategoryCode::WATER_LEAK);
    match status {
        IssueStatus::Submitted => {}
        IssueStatus::Triaged => {
            t.triage(Level::Property);
        }
        IssueStatus::InDeliberation => {
            t.triage(Level::Community);
        }
        IssueStatus::InProgress => {
            t.triage(Level::Property).must(answer(true));
        }
        IssueStatus::AwaitingSupervision => {
            t.triage(Level::Property).must(answer(true)).must(rectify());
        }
        IssueStatus::AwaitingConfirmation => {
            t.triage(Level::Property)
                .must(answer(true))
                .must(rectify())
                .must(supervise(true));
        }
        IssueStatus::Closed => {
            t.triage(Level::Property)
                .must(answer(true))
                .must(rectify())
                .must(supervise(true))
                .must(confirm(true, Some(5)));
        }
        IssueStatus::Returned => {
            t.triage(Level::Property)
                .must(return_case(ReturnReason::NotOurDuty));
        }
        IssueStatus::Rejected => {
            t.must(reject());
        }
        IssueStatus::Withdrawn => {
            t.must(Command::Withdraw);
        }
    }
    assert_eq!(t.status(), status);
    t
}

/// One representative, well-formed command of each kind for `track`'s issue at its clock.
pub fn representative(kind: CommandKind, track: &Track) -> Command {
    let held_at = track.now;
    match kind {
        CommandKind::Triage => triage_to(&track.issue, Level::Property),
        CommandKind::Reject => reject(),
        CommandKind::Withdraw => Command::Withdraw,
        CommandKind::Answer => answer(true),
        CommandKind::RecordMediation => mediation(true),
        CommandKind::RecordDeliberation => deliberation(held_at, DeliberationOutcome::Close),
        CommandKind::SubmitRectification => rectify(),
        CommandKind::Supervise => supervise(true),
        CommandKind::Confirm => confirm(true, Some(4)),
        CommandKind::AutoConfirm => Command::AutoConfirm,
        CommandKind::Revisit => revisit(RevisitOutcome::Confirmed),
        CommandKind::Escalate => Command::Escalate { step: 1 },
        CommandKind::QueueRevisit => Command::QueueRevisit,
        CommandKind::Backstop => Command::Backstop,
        CommandKind::Return => return_case(ReturnReason::WrongPlace),
        CommandKind::DecideReturn => decide_return(&track.issue, None),
        CommandKind::Reassign => match triage_to(&track.issue, Level::Grid) {
            Command::Triage(decision) => Command::Reassign(decision),
            _ => unreachable!(),
        },
        CommandKind::Urge => Command::Urge {
            note: note("请加快办理"),
        },
        CommandKind::RequestExtension => Command::RequestExtension {
            new_resolution_due: track.issue.deadlines.resolution_due.max(track.now)
                + chrono::Duration::days(3),
            reason: note("需要等待配件"),
        },
        CommandKind::DecideExtension => Command::DecideExtension {
            request_id: linli_domain::ids::ExtensionRequestId(1),
            approved: true,
            note: note("同意延期"),
        },
        CommandKind::Merge => Command::Merge {
            into: linli_domain::ids::IssueId(999_999),
        },
        CommandKind::FixOnPatrol => Command::FixOnPatrol {
            patrol_id: linli_domain::ids::PatrolId(1),
            notes: note("当场清理了楼道杂物"),
        },
    }
}

/// The field a validation error names.
pub fn field(err: linli_domain::DomainError) -> &'static str {
    match err {
        linli_domain::DomainError::Invalid { field, .. } => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}
