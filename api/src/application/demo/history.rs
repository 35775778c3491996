//! Two quarters of demo case history, played through the domain state machine.
//!
//! Each issue is filed (`intake::file`) and then walked through its workflow by the people who
//! would act on it, every step going through `issues::execute` — visibility, authorisation, the
//! state machine, the event and its notifications — so the history is exactly what the API would
//! have written, notifications included. Delays
//! and choices come from a hash of the issue's index: the same district every time, no RNG.
//! A step that would happen after `now` does not happen, so recent issues stay open in whatever
//! state they reached; escalations and the 回头看 queue are applied as the scheduler would have.

use super::texts::{
    APP_CATEGORIES, PATROL_CATEGORIES, PROPERTY_CATEGORIES, caller_for, description, kind_for,
    reply_for,
};
use std::collections::HashMap;

use chrono::Duration;
use linli_domain::{
    Timestamp,
    auth::{self, Actor},
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId, UserId},
    issue::{
        Command, DeliberationMinutes, DeliberationOutcome, Issue, IssueStatus, LocationText,
        NewIssue, Place, Rejection, ReturnReason, RevisitOutcome, Source, UnitText, WorkflowConfig,
    },
    triage::{self, Handler, Level, TriageChoice, TriageOverrides},
    values::{DisplayName, IssueDescription, Note, OrgName, Satisfaction},
};
use linli_infra::{DbConn, repo::categories};

use super::{
    SeedResult,
    district::{DemoCompound, DemoDistrict},
    fail,
};
use crate::application::issues::{execute, intake};

/// A demo text (all of them are valid; a failure is a bug in the demo).
fn note(text: &str) -> SeedResult<Note> {
    Note::parse(text).map_err(fail)
}

/// How many issues the history holds, and over how many days before `now`.
pub const ISSUES: u64 = 320;
pub const SPAN_DAYS: i64 = 182;
/// The most recent issues, created in the last few days, each stop in a chosen open state so
/// that every state of the workflow is on show.
const HALTED: u64 = 24;
const HALT_AT: [IssueStatus; 7] = [
    IssueStatus::Submitted,
    IssueStatus::Triaged,
    IssueStatus::InDeliberation,
    IssueStatus::InProgress,
    IssueStatus::Returned,
    IssueStatus::AwaitingSupervision,
    IssueStatus::AwaitingConfirmation,
];

/// SplitMix64 of the issue index and a salt: the only source of variety.
fn hash(i: u64, salt: u64) -> u64 {
    let mut z = i
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn below(i: u64, salt: u64, n: u64) -> u64 {
    hash(i, salt) % n.max(1)
}

fn chance(i: u64, salt: u64, percent: u64) -> bool {
    below(i, salt, 100) < percent
}

fn between(i: u64, salt: u64, lo: i64, hi: i64) -> i64 {
    let span = u64::try_from(hi - lo + 1).unwrap_or(1);
    lo + i64::try_from(below(i, salt, span)).unwrap_or(0)
}

pub(super) fn pick<T: Copy>(items: &[T], i: u64, salt: u64) -> Option<T> {
    let n = u64::try_from(items.len()).ok()?;
    items.get(usize::try_from(below(i, salt, n)).ok()?).copied()
}

/// One issue's plan: its special fates, decided up front from its index.
#[derive(Debug, Clone, Copy)]
struct Plan {
    i: u64,
    /// Stop as soon as the issue reaches this state (the recent "halted" issues).
    halt: Option<IssueStatus>,
    /// Every delay long: the issue runs late (and is overdue if still open).
    stalled: bool,
    reject: bool,
    withdraw: bool,
    /// The handler returns it once (退单); the dispatcher upholds the return and re-routes it to
    /// a department, or overrules it.
    decline: bool,
    override_level: bool,
}

/// How a demo company works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    Good,
    Ordinary,
    Poor,
}

/// Walks one issue through its workflow, writing each step.
struct Walk<'a> {
    conn: &'a mut DbConn,
    config: &'a WorkflowConfig,
    district: &'a DemoDistrict,
    compound: &'a DemoCompound,
    now: Timestamp,
    plan: Plan,
    issue: Issue,
    last: Timestamp,
    /// How many steps so far (varies the choices of repeated steps).
    steps: u64,
}

impl Walk<'_> {
    fn salt(&self, s: u64) -> u64 {
        s * 131 + self.steps
    }

    /// A delay in minutes from `lo` to `hi`, ten times longer when the issue is stalled and
    /// short when it is one of the recent halted issues.
    fn delay(&self, salt: u64, lo: i64, hi: i64) -> Duration {
        let (lo, hi) = if self.plan.halt.is_some() {
            (lo.min(30), hi.min(240).max(lo.min(30)))
        } else if self.plan.stalled {
            (lo * 10, hi * 10)
        } else {
            (lo, hi)
        };
        Duration::minutes(between(self.plan.i, self.salt(salt), lo, hi))
    }

    /// How the company handling the issue works, for the 红黑榜 to have something to show:
    /// the first demo company well, the last badly, the others as it comes.
    fn record(&self) -> Record {
        let Some(Handler::PropertyCompany {
            property_company_id,
        }) = self.issue.handler
        else {
            return Record::Ordinary;
        };
        let companies = self.district.property_staff.keys();
        if companies.clone().min() == Some(&property_company_id.0) {
            Record::Good
        } else if companies.max() == Some(&property_company_id.0) {
            Record::Poor
        } else {
            Record::Ordinary
        }
    }

    /// A delay against a deadline window: mostly inside it, sometimes late (a good company
    /// always in time, a poor one mostly late).
    fn delay_within(&self, salt: u64, window: Duration) -> Duration {
        let w = window.num_minutes().max(60);
        let roll = match self.record() {
            Record::Good => below(self.plan.i, self.salt(salt), 70),
            Record::Poor => 70 + below(self.plan.i, self.salt(salt), 30),
            Record::Ordinary => below(self.plan.i, self.salt(salt), 100),
        };
        let (lo, hi) = match roll {
            0..=69 => (5, 70),
            70..=89 => (70, 140),
            _ => (140, 400),
        };
        let pct = between(self.plan.i, self.salt(salt + 1), lo, hi);
        let minutes = (w * pct / 100).max(10);
        self.delay(salt + 2, minutes, minutes + 30)
    }

    fn reporter(&self) -> SeedResult<Actor> {
        let id = self.issue.reporter;
        let all = self
            .district
            .residents
            .values()
            .flatten()
            .map(|r| r.actor)
            .chain(self.district.grid_workers.values().copied())
            .chain(self.district.street_dispatchers.values().copied())
            .chain(self.district.district_dispatcher);
        all.into_iter()
            .find(|a| a.user_id == id)
            .ok_or_else(|| format!("unknown reporter {id}").into())
    }

    fn dispatcher(&self) -> SeedResult<Actor> {
        self.district.dispatcher_for(self.compound.street_id)
    }

    fn handler_actor(&self) -> SeedResult<Actor> {
        let found = match &self.issue.handler {
            Some(Handler::Grid { grid_id }) => self.district.grid_workers.get(&grid_id.0).copied(),
            Some(Handler::PropertyCompany {
                property_company_id,
            }) => self
                .district
                .property_staff
                .get(&property_company_id.0)
                .copied(),
            Some(Handler::Mediators { community_id }) => {
                self.district.mediators.get(&community_id.0).copied()
            }
            Some(Handler::Community { community_id }) => {
                self.district.officials.get(&community_id.0).copied()
            }
            Some(Handler::Department { .. }) => Some(self.dispatcher()?),
            Some(Handler::BuildingLeaders { building_id }) => self
                .district
                .building_leader_for(building_id.0, self.issue.place.grid_id.map(|g| g.0)),
            None => None,
        };
        found.ok_or_else(|| format!("issue {} has no handler to act", self.issue.id).into())
    }

    fn official(&self) -> SeedResult<Actor> {
        seeded(
            &self.district.officials,
            self.compound.community_id,
            "official",
        )
    }

    fn committee(&self) -> SeedResult<Actor> {
        seeded(
            &self.district.committee_members,
            self.compound.id,
            "committee member",
        )
    }

    /// Apply `command` at `at` as `actor` (`None`: the scheduler). Returns false, changing
    /// nothing, when `at` is after `now`.
    fn step(&mut self, command: Command, at: Timestamp, actor: Option<Actor>) -> SeedResult<bool> {
        if at > self.now {
            return Ok(false);
        }
        self.escalate_until(at)?;
        self.write(command, at.max(self.last), actor)?;
        Ok(true)
    }

    fn write(&mut self, command: Command, at: Timestamp, actor: Option<Actor>) -> SeedResult<()> {
        let id = self.issue.id;
        let applied = execute(
            self.conn,
            self.config,
            actor.as_ref(),
            id,
            Some(self.issue.version),
            at,
            |_, _| Ok(command),
        )
        .map_err(|e| format!("issue {id}: {e}"))?;
        self.issue = applied.issue;
        self.last = at;
        self.steps += 1;
        Ok(())
    }

    /// The escalations the scheduler would have made before `until`.
    fn escalate_until(&mut self, until: Timestamp) -> SeedResult<()> {
        for _ in 0..2 {
            if !self.issue.status.is_open() {
                return Ok(());
            }
            let d = self.issue.deadlines;
            let missed = if self.issue.responded_at.is_none() && until > d.response_due {
                d.response_due
            } else if until > d.resolution_due {
                d.resolution_due
            } else {
                return Ok(());
            };
            let step = self.issue.escalation_step + 1;
            let due = match step {
                1 => missed,
                2 => missed + self.config.second_escalation_after,
                _ => return Ok(()),
            } + Duration::minutes(1);
            let at = due.max(self.last);
            if at > until || self.issue.escalation_due(at, self.config) != Some(step) {
                return Ok(());
            }
            self.write(Command::Escalate { step }, at, None)?;
        }
        Ok(())
    }

    fn triage(&mut self, redo: bool) -> SeedResult<bool> {
        let decision = self.decision(redo)?;
        let at = self.last + self.delay(1, 10, 360);
        let dispatcher = self.dispatcher()?;
        self.step(Command::Triage(decision), at, Some(dispatcher))
    }

    /// The handler reports the fix.
    fn rectify(&mut self) -> SeedResult<bool> {
        let actor = self.handler_actor()?;
        let window = self.issue.deadlines.resolution_due - self.last;
        let at = self.last + self.delay_within(8, window);
        let command = Command::SubmitRectification {
            notes: note("已完成整改，现场照片已上传")?,
            photo_ids: Vec::new(),
        };
        self.step(command, at, Some(actor))
    }

    /// 改派 of a property company's case to the building's grid, if it has one.
    fn to_the_grid(&self) -> SeedResult<Option<TriageChoice>> {
        if self.issue.level != Some(Level::Property) || self.issue.place.grid_id.is_none() {
            return Ok(None);
        }
        let overrides = TriageOverrides {
            level: Some(Level::Grid),
            reason: Some(note("物业迟迟未到场，改派网格员处理")?),
            ..TriageOverrides::default()
        };
        Ok(triage::decide(&self.issue.suggestion, overrides, &self.issue.place).ok())
    }

    /// The dispatcher's routing; `redo` sends it to an outside department.
    fn decision(&self, redo: bool) -> SeedResult<TriageChoice> {
        let i = self.plan.i;
        let mut overrides = TriageOverrides::default();
        if redo {
            overrides.level = Some(Level::Department);
            overrides.reason = Some(note("不属于物业服务范围，转相关职能部门处理")?);
        } else if self.issue.suggestion.level.is_none() {
            overrides.level = Some(Level::Property);
        } else if self.plan.override_level && self.issue.suggestion.level == Some(Level::Property) {
            overrides.level = Some(Level::Grid);
            overrides.reason = Some(note("小事不出网格：由网格员先行处理")?);
        }
        triage::decide(&self.issue.suggestion, overrides, &self.issue.place)
            .map_err(|e| format!("triage of demo issue {i}: {e}").into())
    }

    /// One step from the current state; false when the walk is over.
    fn advance(&mut self) -> SeedResult<bool> {
        use IssueStatus::*;
        let i = self.plan.i;
        let status = self.issue.status;
        if self.plan.halt == Some(status) {
            return Ok(false);
        }
        match status {
            Submitted => {
                let dispatcher = self.dispatcher()?;
                let at = self.last + self.delay(2, 20, 300);
                if self.plan.withdraw {
                    let reporter = self.reporter()?;
                    self.step(Command::Withdraw, at, Some(reporter))
                } else if self.plan.reject && self.issue.category != CategoryCode::NEIGHBOUR_DISPUTE
                {
                    // A dispute between neighbours is never turned away: it goes to the
                    // 和事佬 (小事不出网格), as the seeds describe.
                    let reason = match below(i, 3, 3) {
                        0 if self.issue.id.0 > 1 => Rejection::Duplicate {
                            duplicate_of: linli_domain::ids::IssueId(self.issue.id.0 - 1),
                            note: note("与已受理的诉求重复")?,
                        },
                        1 => Rejection::OutOfScope {
                            note: note("不属于物业服务和社区管理范围，已告知居民向产权单位反映")?,
                        },
                        _ => Rejection::Invalid {
                            note: note("现场核实未发现所述问题")?,
                        },
                    };
                    self.step(Command::Reject(reason), at, Some(dispatcher))
                } else {
                    let redo = self.issue.triaged_at.is_some();
                    self.triage(redo)
                }
            }
            Triaged => {
                let actor = self.handler_actor()?;
                let window = self.issue.deadlines.response_due - self.last;
                let at = self.last + self.delay_within(4, window);
                if self.plan.halt == Some(Returned)
                    || (self.plan.decline
                        && self.issue.return_count == 0
                        && self.issue.level != Some(Level::Department))
                {
                    let command = Command::Return {
                        reason: ReturnReason::NotOurDuty,
                        note: note("经核实，涉及市政供水管网，不属于我方职责范围")?,
                    };
                    self.step(command, at, Some(actor))
                } else if self.issue.level == Some(Level::Mediation) {
                    let settled = chance(i, self.salt(5), 75);
                    let notes = note(if settled {
                        "和事佬上门调解，双方达成谅解"
                    } else {
                        "调解未果，提交社区议事"
                    })?;
                    self.step(Command::RecordMediation { settled, notes }, at, Some(actor))
                } else {
                    let command = Command::Answer {
                        message: note(reply_for(self.issue.kind))?,
                        accept: true,
                        reason: None,
                    };
                    self.step(command, at, Some(actor))
                }
            }
            InDeliberation => {
                let official = self.official()?;
                let at = self.last + self.delay(6, 2 * 24 * 60, 10 * 24 * 60);
                let assign =
                    self.issue.level == Some(Level::Community) && chance(i, self.salt(7), 60);
                let outcome = if assign {
                    DeliberationOutcome::Assign {
                        handler: Handler::PropertyCompany {
                            property_company_id: self.issue.place.property_company_id,
                        },
                        // Works such as a lift installation get the meeting's own deadline.
                        resolution_due: Some(at + Duration::days(30)),
                    }
                } else {
                    DeliberationOutcome::Close
                };
                let decision = note(if assign {
                    "议事会同意实施，由物业企业负责施工"
                } else {
                    "经协商达成一致意见，形成书面决议"
                })?;
                let attendees = ["社区书记", "物业项目经理", "业委会主任", "居民代表"]
                    .into_iter()
                    .map(DisplayName::parse)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(fail)?;
                let deliberation = DeliberationMinutes {
                    held_at: at - Duration::hours(2),
                    venue: OrgName::parse("社区议事厅").map_err(fail)?,
                    attendees,
                    decision,
                    outcome,
                    meeting_id: None,
                };
                self.step(
                    Command::RecordDeliberation(deliberation),
                    at,
                    Some(official),
                )
            }
            Returned => {
                let dispatcher = self.dispatcher()?;
                let at = self.last + self.delay(16, 30, 8 * 60);
                let upheld = self.issue.level != Some(Level::Department);
                let command = if upheld && chance(i, self.salt(17), 60) {
                    Command::DecideReturn {
                        upheld: true,
                        note: note("退单理由成立，改派相关职能部门")?,
                        reassign_to: Some(self.decision(true)?),
                    }
                } else {
                    Command::DecideReturn {
                        upheld: false,
                        note: note("经核实属物业服务范围，请继续办理")?,
                        reassign_to: None,
                    }
                };
                self.step(command, at, Some(dispatcher))
            }
            InProgress if self.plan.halt.is_none() && i % 31 == 9 => {
                if let Some(decision) = self.to_the_grid()? {
                    let dispatcher = self.dispatcher()?;
                    let at = self.last + self.delay(18, 12 * 60, 2 * 24 * 60);
                    return self.step(Command::Reassign(decision), at, Some(dispatcher));
                }
                self.rectify()
            }
            InProgress => self.rectify(),
            AwaitingSupervision => {
                let committee = self.committee()?;
                let at = self.last + self.delay(9, 120, 3 * 24 * 60);
                let sent_back_percent = match self.record() {
                    Record::Good => 0,
                    Record::Poor => 50,
                    Record::Ordinary => 15,
                };
                let passed = self.issue.sent_back_count > 0 || !chance(i, 10, sent_back_percent);
                let notes = note(if passed {
                    "业委会现场查看，整改到位"
                } else {
                    "整改不彻底，退回物业重新整改"
                })?;
                self.step(Command::Supervise { passed, notes }, at, Some(committee))
            }
            AwaitingConfirmation => {
                let reporter = self.reporter()?;
                if self.plan.halt.is_none() && chance(i, self.salt(11), 12) {
                    let at = self.issue.status_since
                        + self.config.auto_confirm_after
                        + Duration::minutes(1);
                    return self.step(Command::AutoConfirm, at, None);
                }
                let at = self.last + self.delay(12, 60, 5 * 24 * 60);
                let command = if self.issue.reopen_count == 0 && chance(i, self.salt(13), 6) {
                    Command::Confirm {
                        resolved: false,
                        satisfaction: None,
                        comment: Some(note("问题依旧存在")?),
                    }
                } else {
                    Command::Confirm {
                        resolved: true,
                        satisfaction: Some(self.satisfaction()?),
                        comment: Some(note("感谢处理")?),
                    }
                };
                self.step(command, at, Some(reporter))
            }
            Closed => {
                if self.issue.revisited_at.is_some() {
                    return Ok(false);
                }
                if !self.issue.revisit_queued {
                    let Some(closed_at) = self.issue.closed_at else {
                        return Ok(false);
                    };
                    let at = closed_at + self.config.revisit_after + Duration::minutes(1);
                    if !self.issue.revisit_due(at.max(self.last), self.config) {
                        return Ok(false);
                    }
                    return self.step(Command::QueueRevisit, at, None);
                }
                let official = self.official()?;
                let at = self.last + self.delay(14, 24 * 60, 10 * 24 * 60);
                let recurred = self.issue.reopen_count == 0 && chance(i, self.salt(15), 15);
                let command = if recurred {
                    Command::Revisit {
                        outcome: RevisitOutcome::Recurred,
                        notes: note("回头看发现问题反弹，重新整改")?,
                    }
                } else {
                    Command::Revisit {
                        outcome: RevisitOutcome::Confirmed,
                        notes: note("回头看：问题已解决，居民满意")?,
                    }
                };
                self.step(command, at, Some(official))
            }
            Rejected | Withdrawn => Ok(false),
        }
    }

    /// Residents rate on-time, first-pass fixes well and late or repeated ones badly.
    fn satisfaction(&self) -> SeedResult<Satisfaction> {
        let late = self
            .issue
            .rectified_at
            .is_some_and(|r| r > self.issue.deadlines.resolution_due);
        let troubled = match self.record() {
            Record::Good => false,
            Record::Poor => true,
            Record::Ordinary => {
                late || self.issue.sent_back_count > 0 || self.issue.reopen_count > 0
            }
        };
        let scale: &[i64] = if troubled {
            &[1, 2, 2, 3, 3, 3, 4, 4, 5]
        } else {
            &[3, 4, 4, 4, 5, 5, 5, 5, 5, 5]
        };
        let value = pick(scale, self.plan.i, self.salt(16)).unwrap_or(4);
        Satisfaction::parse(value).map_err(fail)
    }
}

/// File `ISSUES` issues over the `SPAN_DAYS` days before `now` and walk each through its
/// workflow. Returns how many were written.
pub fn seed(
    conn: &mut DbConn,
    district: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
) -> SeedResult<u64> {
    let start = now - Duration::days(SPAN_DAYS);
    let regular = ISSUES - HALTED;
    let slot = Duration::days(SPAN_DAYS - 6).num_minutes() / i64::try_from(regular).unwrap_or(1);
    for i in 0..ISSUES {
        let (created_at, halt) = if i < regular {
            let offset = i64::try_from(i).unwrap_or(0) * slot + between(i, 1, 0, slot - 1);
            (start + Duration::minutes(offset), None)
        } else {
            // The most recent ones: every 5 hours from 6 days ago to a day ago.
            let j = ISSUES - 1 - i;
            let hours = 24 + 5 * i64::try_from(j).unwrap_or(0);
            let halt = usize::try_from(j % 7)
                .ok()
                .and_then(|k| HALT_AT.get(k))
                .copied();
            (now - Duration::hours(hours), halt)
        };
        let plan = Plan {
            i,
            halt,
            stalled: halt.is_none() && i % 23 == 7,
            reject: halt.is_none() && i % 19 == 5,
            withdraw: halt.is_none() && i % 37 == 11,
            decline: halt.is_none() && i % 29 == 3,
            override_level: halt.is_none() && i % 17 == 2,
        };
        file_and_walk(conn, district, config, now, plan, created_at)?;
    }
    Ok(ISSUES)
}

fn file_and_walk(
    conn: &mut DbConn,
    district: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
    plan: Plan,
    created_at: Timestamp,
) -> SeedResult<()> {
    let i = plan.i;
    let compound = pick(&district.compounds.iter().collect::<Vec<_>>(), i, 2)
        .ok_or_else(|| "the demo district has no compound".to_owned())?;
    let patrol = plan.halt.is_none() && i % 7 == 3;
    let hotline = plan.halt.is_none() && i % 41 == 13;
    let category = match plan.halt {
        Some(IssueStatus::InDeliberation) => CategoryCode::ELEVATOR_INSTALLATION,
        Some(_) => pick(&PROPERTY_CATEGORIES, i, 3).unwrap_or(CategoryCode::WATER_LEAK),
        None if patrol => pick(&PATROL_CATEGORIES, i, 3).unwrap_or(CategoryCode::SMALL_ADS),
        None => pick(&APP_CATEGORIES, i, 3).unwrap_or(CategoryCode::OTHER),
    };
    let residents = district
        .residents
        .get(&compound.id)
        .ok_or_else(|| format!("{} has no residents", compound.name))?;
    let resident = pick(residents, i, 4).ok_or_else(|| "no resident".to_owned())?;
    let (reporter, building_id, source) = if patrol {
        let building = pick(&compound.buildings, i, 5).ok_or_else(|| "no building".to_owned())?;
        let worker = district
            .grid_workers
            .get(&building.grid_id)
            .copied()
            .ok_or_else(|| "no grid worker".to_owned())?;
        (worker, building.id, Source::Patrol)
    } else if hotline {
        let dispatcher = district.dispatcher_for(compound.street_id)?;
        (dispatcher, resident.building_id, Source::Hotline)
    } else {
        (resident.actor, resident.building_id, Source::App)
    };
    let building_index = compound
        .buildings
        .iter()
        .position(|b| b.id == building_id)
        .unwrap_or(0);
    let grid_id = compound
        .buildings
        .get(building_index)
        .map(|b| b.grid_id)
        .ok_or_else(|| "no building".to_owned())?;
    let place = Place {
        street_id: StreetId(compound.street_id),
        community_id: CommunityId(compound.community_id),
        compound_id: CompoundId(compound.id),
        building_id: Some(BuildingId(building_id)),
        grid_id: Some(GridId(grid_id)),
        property_company_id: PropertyCompanyId(compound.company_at(created_at)),
    };
    if !auth::can_file(&reporter, source, &place) {
        return Err(format!("demo issue {i}: reporter may not file it").into());
    }
    let building_name = format!("{}{}栋", compound.name, building_index + 1);
    let entry = categories::find(conn, category).map_err(fail)?;
    let new = NewIssue {
        reporter: UserId(reporter.user_id.0),
        category,
        kind: kind_for(&entry, source, plan.halt.is_some(), i),
        source,
        place,
        description: IssueDescription::parse(&description(category, &building_name, i))
            .map_err(fail)?,
        unit: (source == Source::App)
            .then(|| UnitText::parse(&format!("{}单元", 1 + below(i, 6, 3))))
            .transpose()
            .map_err(fail)?,
        location_text: Some(LocationText::parse(&building_name).map_err(fail)?),
        lat: None,
        lon: None,
        is_public: source == Source::Patrol || chance(i, 7, 40),
        urgency: None,
        caller: (source == Source::Hotline)
            .then(|| caller_for(i))
            .transpose()
            .map_err(fail)?,
        // The history predates the 三长: their cases are seeded apart (`residents`).
        building_has_leaders: false,
    };
    let issue = intake::file(conn, config, new, Some(&reporter), created_at)
        .map_err(|e| format!("demo issue {i}: {e}"))?
        .issue;
    let mut walk = Walk {
        conn,
        config,
        district,
        compound,
        now,
        plan,
        issue,
        last: created_at,
        steps: 0,
    };
    for _ in 0..40 {
        if !walk.advance()? {
            break;
        }
    }
    // What the scheduler would have done by now to an issue left open.
    walk.escalate_until(now)
}

/// The demo account seeded for `scope` (a community, a compound, ...).
fn seeded(accounts: &HashMap<i64, Actor>, scope: i64, what: &str) -> SeedResult<Actor> {
    accounts
        .get(&scope)
        .copied()
        .ok_or_else(|| format!("no {what}").into())
}
