//! 小事居民治 in the demo: cases of the first compound's 1栋, which has a building leader (楼栋长),
//! filed and walked after the main history (which predates the 三长) through the same use
//! cases: one the leader fixed, one the leader declined to the grid worker, one the scheduler
//! handed to the grid worker when the leader let the response deadline pass (小事不出网格),
//! and a patrol finding of the community's volunteer (红管家).

use chrono::Duration;
use linli_domain::{
    Timestamp,
    auth::Actor,
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, IssueId, PropertyCompanyId, StreetId},
    issue::{Command, IssueKind, LocationText, NewIssue, Place, Source, WorkflowConfig},
    triage::{self, TriageOverrides},
    urgency::{SpanOverrides, Urgency},
    values::{IssueDescription, Note, Satisfaction},
};
use linli_infra::DbConn;

use super::{
    SeedResult,
    district::{DemoBuilding, DemoCompound, DemoDistrict},
    fail,
};
use crate::application::issues::{execute, intake};

/// One demo step: `command` on `id` at `at` by `actor` (`None`: the scheduler).
fn step(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    id: IssueId,
    at: Timestamp,
    actor: Option<&Actor>,
    command: Command,
) -> SeedResult<()> {
    execute(conn, config, actor, id, None, at, |_, _| Ok(command))
        .map_err(|e| format!("demo residents-level issue {id}: {e}"))?;
    Ok(())
}

/// `steps` on `id`, each `(after start, actor, command)`.
fn walk(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    id: IssueId,
    start: Timestamp,
    steps: Vec<(Duration, Option<Actor>, Command)>,
) -> SeedResult<()> {
    for (after, actor, command) in steps {
        step(conn, config, id, start + after, actor.as_ref(), command)?;
    }
    Ok(())
}

fn note(text: &str) -> SeedResult<Note> {
    Note::parse(text).map_err(fail)
}

/// Where the demo's residents-level cases are: a building of the first compound.
struct Scene<'a> {
    conn: &'a mut DbConn,
    config: &'a WorkflowConfig,
    district: &'a DemoDistrict,
    compound: &'a DemoCompound,
}

impl Scene<'_> {
    fn place(&self, building: DemoBuilding, at: Timestamp) -> Place {
        let c = self.compound;
        Place {
            street_id: StreetId(c.street_id),
            community_id: CommunityId(c.community_id),
            compound_id: CompoundId(c.id),
            building_id: Some(BuildingId(building.id)),
            grid_id: Some(GridId(building.grid_id)),
            property_company_id: PropertyCompanyId(c.company_at(at)),
        }
    }

    /// File `category` in `building` as `reporter` at `at`, and have the street's dispatcher
    /// take the routing suggestion an hour later.
    fn file_and_triage(
        &mut self,
        reporter: &Actor,
        source: Source,
        building: DemoBuilding,
        category: CategoryCode,
        text: &str,
        at: Timestamp,
    ) -> SeedResult<IssueId> {
        let place = self.place(building, at);
        let new = NewIssue {
            reporter: reporter.user_id,
            category,
            source,
            place,
            description: IssueDescription::parse(text).map_err(fail)?,
            unit: None,
            location_text: Some(LocationText::parse("1单元楼道").map_err(fail)?),
            lat: None,
            lon: None,
            is_public: true,
            urgency: None,
            building_has_leaders: intake::building_has_leaders(self.conn, &place)?,
            kind: IssueKind::Complaint,
            caller: None,
        };
        let issue = intake::file(self.conn, self.config, new, Some(reporter), at)?.issue;
        let decision = triage::decide(&issue.suggestion, TriageOverrides::default(), &issue.place)
            .map_err(fail)?;
        let dispatcher = self.district.dispatcher_for(self.compound.street_id)?;
        step(
            self.conn,
            self.config,
            issue.id,
            at + Duration::hours(1),
            Some(&dispatcher),
            Command::Triage(decision),
        )?;
        Ok(issue.id)
    }
}

/// Seed the residents-level cases of the first compound's led building, if the district has
/// one. Returns how many issues were written.
pub fn seed(
    conn: &mut DbConn,
    district: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
) -> SeedResult<u64> {
    let Some(compound) = district.compounds.first() else {
        return Ok(0);
    };
    let Some((&building_id, leader)) = district.building_leaders.iter().next() else {
        return Ok(0);
    };
    let building = compound
        .buildings
        .iter()
        .copied()
        .find(|b| b.id == building_id)
        .ok_or_else(|| "the building leader's building is not in the first compound".to_owned())?;
    let resident = district
        .residents
        .get(&compound.id)
        .and_then(|rs| rs.iter().find(|r| r.building_id == building_id))
        .map(|r| r.actor)
        .ok_or_else(|| "nobody lives in the led building".to_owned())?;
    let grid_worker = district
        .grid_workers
        .get(&building.grid_id)
        .copied()
        .ok_or_else(|| "the led building has no grid worker".to_owned())?;
    let mut scene = Scene {
        conn,
        config,
        district,
        compound,
    };
    let leader = *leader;

    // Fixed by the leader, confirmed by the resident.
    let t = now - Duration::days(10);
    let fixed = scene.file_and_triage(
        &resident,
        Source::App,
        building,
        CategoryCode::STAIRWELL_CLUTTER,
        "1单元三楼楼道堆放旧家具和纸箱，影响通行",
        t,
    )?;
    let answer = |text: &str, accept: bool, reason: Option<&str>| -> SeedResult<Command> {
        Ok(Command::Answer {
            message: note(text)?,
            accept,
            reason: reason.map(note).transpose()?,
        })
    };
    walk(
        &mut *scene.conn,
        config,
        fixed,
        t,
        vec![
            (
                Duration::hours(3),
                Some(leader),
                answer("收到，我今晚上门和住户商量清理", true, None)?,
            ),
            (
                Duration::days(1),
                Some(leader),
                Command::SubmitRectification {
                    notes: note("已和三楼住户一起清走旧家具，楼道已畅通")?,
                    photo_ids: Vec::new(),
                },
            ),
            (
                Duration::days(2),
                Some(resident),
                Command::Confirm {
                    resolved: true,
                    satisfaction: Some(Satisfaction::parse(5).map_err(fail)?),
                    comment: Some(note("楼长办事快，谢谢")?),
                },
            ),
        ],
    )?;

    // Declined by the leader: the grid worker takes it and answers.
    let t = now - Duration::days(3);
    let declined = scene.file_and_triage(
        &resident,
        Source::App,
        building,
        CategoryCode::SMALL_ADS,
        "单元门和电梯口贴满了开锁、办证小广告",
        t,
    )?;
    walk(
        &mut *scene.conn,
        config,
        declined,
        t,
        vec![
            (
                Duration::hours(5),
                Some(leader),
                answer(
                    "小广告涉及整个网格，请网格员统一清理",
                    false,
                    Some("需要网格统一清理并联系城管"),
                )?,
            ),
            (
                Duration::hours(8),
                Some(grid_worker),
                answer("收到，明天上午清理并张贴提示", true, None)?,
            ),
        ],
    )?;

    // Left unanswered by the leader: the scheduler hands it to the grid worker a minute after
    // the response deadline.
    let t = now - Duration::days(5);
    let backstopped = scene.file_and_triage(
        &resident,
        Source::App,
        building,
        CategoryCode::STAIRWELL_CLUTTER,
        "二单元一楼楼道停放电动车，堵住了通道",
        t,
    )?;
    // Past the leader's response deadline, whose clock started at the triage an hour after filing.
    let triaged = t + Duration::hours(1);
    let window = config
        .assignment_deadlines(Urgency::Normal, SpanOverrides::default(), triaged, None)
        .map_err(fail)?
        .response_due
        - t;
    walk(
        &mut *scene.conn,
        config,
        backstopped,
        t,
        vec![(window + Duration::minutes(1), None, Command::Backstop)],
    )?;

    // The volunteer's patrol finding in another building of the compound: the grid's.
    let other = compound
        .buildings
        .iter()
        .copied()
        .find(|b| b.id != building_id);
    let mut written = 3;
    if let (Some(other), Some(volunteer)) = (other, district.volunteers.get(&compound.community_id))
    {
        scene.file_and_triage(
            volunteer,
            Source::Patrol,
            other,
            CategoryCode::SMALL_ADS,
            "巡查发现宣传栏和楼道墙面张贴大量小广告",
            now - Duration::days(2),
        )?;
        written += 1;
    }
    Ok(written)
}
