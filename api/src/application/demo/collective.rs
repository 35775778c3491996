//! The demo's collective work, in the first compound: a finished patrol round (巡查) whose
//! problem list has two findings fixed on the spot (立行立改) and two filed and routed, and a
//! published joint meeting (物业联席会议) that decided three cases, with its minutes, a case
//! residents raised there, and its notice on the board.

use chrono::Duration;
use linli_domain::{
    Timestamp,
    auth::Actor,
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, IssueId, UserId},
    issue::{Command, LocationText, NewIssue, WorkflowConfig},
    meeting::{DecisionOutcome, MeetingKind, Votes},
    triage::{self, Level, TriageOverrides},
    values::{
        DisplayName, IssueDescription, MeetingMinutesText, MeetingTitle, Note, OrgName, RoleLabel,
    },
};
use linli_infra::{DbConn, repo::users};

use super::{
    SeedResult,
    district::{DemoCompound, DemoDistrict},
    fail,
};
use crate::application::{
    issues::{execute, intake},
    meetings::{self, AttendeeInput, DecisionInput, HoldMeeting, RaisedCase},
    patrols::{self, FindingInput, StartPatrol},
};

fn text<T>(parse: impl Fn(&str) -> Result<T, linli_domain::DomainError>, s: &str) -> SeedResult<T> {
    parse(s).map_err(fail)
}

/// Route a filed case as the dispatcher would: to the suggested level (property when none).
fn triage(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    d: &DemoDistrict,
    id: IssueId,
    at: Timestamp,
) -> SeedResult<()> {
    let issue = linli_infra::repo::issues::find(conn, id).map_err(fail)?;
    let dispatcher = d.dispatcher_for(issue.place.street_id.0)?;
    let overrides = TriageOverrides {
        level: issue.suggestion.level.is_none().then_some(Level::Property),
        ..TriageOverrides::default()
    };
    let decision = triage::decide(&issue.suggestion, overrides, &issue.place).map_err(fail)?;
    execute(conn, config, Some(&dispatcher), id, None, at, |_, _| {
        Ok(Command::Triage(decision))
    })?;
    Ok(())
}

/// One finding of the demo round: who, what, where, what was done if fixed on the spot, and
/// the minutes after the start.
type DemoFinding<'a> = (
    &'a Actor,
    CategoryCode,
    &'a str,
    &'a str,
    Option<&'a str>,
    i64,
);

/// The round: the grid worker of the compound's first building with the company's staff and
/// the community's mediator, three days ago. How many findings.
fn patrol(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    d: &DemoDistrict,
    compound: &DemoCompound,
    now: Timestamp,
) -> SeedResult<usize> {
    let Some(building) = compound.buildings.first() else {
        return Ok(0);
    };
    let started = now - Duration::days(3);
    let (Some(grid), Some(staff), Some(mediator)) = (
        d.grid_workers.get(&building.grid_id),
        d.property_staff.get(&compound.company_at(started)),
        d.mediators.get(&compound.community_id),
    ) else {
        return Ok(0);
    };
    let id = patrols::start(
        conn,
        grid,
        StartPatrol {
            compound_id: CompoundId(compound.id),
            members: vec![staff.user_id, mediator.user_id],
            started_at: started,
        },
        started,
    )?;
    let findings: [DemoFinding<'_>; 4] = [
        (
            grid,
            CategoryCode::FIRE_ESCAPE_BLOCKED,
            "3单元楼道堆放纸箱和旧家具，堵塞消防通道",
            "3单元二楼楼梯口",
            Some("已会同物业当场清理，通道恢复畅通"),
            20,
        ),
        (
            staff,
            CategoryCode::FLYING_WIRE_CHARGING,
            "2单元一楼有住户从窗户拉线给电动车充电",
            "2单元一楼窗外",
            Some("已当场劝导拆除飞线，引导到小区充电桩充电"),
            35,
        ),
        (
            mediator,
            CategoryCode::SMALL_ADS,
            "单元门和楼道墙面张贴大量小广告",
            "1至3单元楼道",
            None,
            50,
        ),
        (
            grid,
            CategoryCode::SANITATION,
            "垃圾分类投放点周边卫生清洁不到位，有异味",
            "北门垃圾分类亭",
            None,
            70,
        ),
    ];
    let mut filed = Vec::new();
    for (actor, category, description, place, fixed, minutes) in findings {
        let at = started + Duration::minutes(minutes);
        let finding = patrols::record_finding(
            conn,
            config,
            actor,
            id,
            FindingInput {
                category,
                description: text(IssueDescription::parse, description)?,
                building_id: Some(BuildingId(building.id)),
                location_text: Some(text(LocationText::parse, place)?),
                fixed_on_the_spot: fixed.is_some(),
                note: fixed.map(|n| text(Note::parse, n)).transpose()?,
            },
            at,
        )?;
        if fixed.is_none() {
            filed.push(finding.issue.id);
        }
    }
    patrols::finish(conn, grid, id, started + Duration::hours(2))?;
    for issue in filed {
        triage(conn, config, d, issue, started + Duration::hours(3))?;
    }
    Ok(findings.len())
}

/// The meeting: three cases filed by residents twelve days ago go to deliberation and are
/// decided at once three days ago; minutes, a case raised there, published.
fn meeting(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    d: &DemoDistrict,
    compound: &DemoCompound,
    now: Timestamp,
) -> SeedResult<usize> {
    let (Some(official), Some(residents)) = (
        d.officials.get(&compound.community_id),
        d.residents.get(&compound.id),
    ) else {
        return Ok(0);
    };
    let filed_at = now - Duration::days(12);
    let cases = [
        (
            CategoryCode::ELEVATOR_INSTALLATION,
            "老旧楼栋没有电梯，高层老人上下楼困难，希望加装电梯",
        ),
        (
            CategoryCode::CHARGING_PILE,
            "小区电动车充电难，希望在北门停车场增设充电桩",
        ),
        (
            CategoryCode::ELEVATOR_INSTALLATION,
            "本栋部分住户希望加装电梯，一楼住户担心采光受影响",
        ),
    ];
    let mut agenda = Vec::new();
    for (n, ((category, description), resident)) in
        (0..).zip(cases.into_iter().zip(residents.iter().cycle()))
    {
        let at = filed_at + Duration::hours(n);
        let place = intake::resolve_place(
            conn,
            CompoundId(compound.id),
            Some(BuildingId(resident.building_id)),
        )?;
        let new = NewIssue::reported(
            resident.actor.user_id,
            category,
            place,
            text(IssueDescription::parse, description)?,
            true,
        );
        let issue = intake::file(conn, config, new, Some(&resident.actor), at)?.issue;
        triage(conn, config, d, issue.id, at + Duration::hours(2))?;
        agenda.push(issue.id);
    }
    let held_at = now - Duration::days(3);
    let chair = users::find(conn, official.user_id)
        .map_err(fail)?
        .display_name;
    let attendee = |user: Option<UserId>, name: &str, role: &str| -> SeedResult<AttendeeInput> {
        Ok(AttendeeInput {
            user_id: user,
            name: text(DisplayName::parse, name)?,
            role_label: text(RoleLabel::parse, role)?,
        })
    };
    let id = meetings::hold(
        conn,
        official,
        HoldMeeting {
            kind: MeetingKind::Joint,
            title: text(
                MeetingTitle::parse,
                &format!("{}物业联席会议", compound.name),
            )?,
            community_id: CommunityId(compound.community_id),
            compound_id: Some(CompoundId(compound.id)),
            held_at,
            venue: text(OrgName::parse, "社区议事厅")?,
            attendees: vec![
                attendee(Some(official.user_id), &chair, "社区书记")?,
                attendee(None, "物业项目经理", "物业企业")?,
                attendee(None, "业委会主任", "业主委员会")?,
                attendee(None, "居民代表", "业主代表")?,
            ],
            agenda: agenda.clone(),
        },
        held_at - Duration::days(1),
    )?;
    let decided_at = held_at + Duration::hours(2);
    let decisions = [
        (
            DecisionOutcome::AssignProperty,
            "同意加装电梯，费用按楼层分摊，由物业组织施工",
            Some(30),
            Some((11, 2, 1)),
        ),
        (
            DecisionOutcome::AssignProperty,
            "同意在北门停车场增设充电桩15个，物业负责实施",
            Some(20),
            Some((13, 0, 1)),
        ),
        (
            DecisionOutcome::Close,
            "经协商，一楼住户意见较大，暂缓加装，下季度再议",
            None,
            None,
        ),
    ];
    for (issue, (outcome, decision, days, votes)) in agenda.iter().zip(decisions) {
        meetings::decide(
            conn,
            config,
            official,
            id,
            DecisionInput {
                issue_id: *issue,
                outcome,
                text: text(Note::parse, decision)?,
                resolution_due: days.map(|n| now + Duration::days(n)),
                votes: votes.map(|(in_favour, against, abstain)| Votes {
                    in_favour,
                    against,
                    abstain,
                }),
            },
            decided_at,
        )?;
    }
    meetings::minutes(
        conn,
        official,
        id,
        text(
            MeetingMinutesText::parse,
            "会议听取了物业企业本季度服务情况汇报，逐项议定了加装电梯、增设充电桩等三件民生事项；\
             居民代表反映北门路灯夜间不亮，会上登记为新诉求。",
        )?,
    )?;
    meetings::raise(
        conn,
        config,
        official,
        id,
        RaisedCase {
            category: CategoryCode::STREET_LAMP,
            description: text(
                IssueDescription::parse,
                "居民代表反映北门路灯夜间不亮，存在安全隐患",
            )?,
            compound_id: None,
            building_id: None,
            location_text: Some(text(LocationText::parse, "北门主干道")?),
            is_public: true,
        },
        decided_at,
    )?;
    meetings::publish(conn, official, id, decided_at + Duration::hours(1))?;
    Ok(1)
}

/// Seed the round and the meeting in the first compound; (findings, meetings).
pub fn seed(
    conn: &mut DbConn,
    d: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
) -> SeedResult<(usize, usize)> {
    let Some(compound) = d.compounds.first() else {
        return Ok((0, 0));
    };
    Ok((
        patrol(conn, config, d, compound, now)?,
        meeting(conn, config, d, compound, now)?,
    ))
}
