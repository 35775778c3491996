//! The dispatch centre's tools on show in the demo: cases being worked on are urged (督办), one
//! has an approved extension (延期) and one waits for a decision on its request, and a duplicate
//! report is merged into its primary, whose "me too"s and followers include the duplicate's
//! reporter. Every step goes through `issues::execute`, like the history before it.

use chrono::Duration;
use linli_domain::{
    Timestamp,
    auth::Actor,
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, IssueId, PropertyCompanyId, StreetId},
    issue::{Command, Issue, IssueStatus, NewIssue, Place, WorkflowConfig},
    triage::Handler,
    values::{IssueDescription, Note},
};
use linli_infra::{
    DbConn,
    repo::{
        extensions, followers,
        issues::{self, IssueListFilter, Visibility},
    },
    time::to_millis,
};

use super::{SeedResult, district::DemoDistrict, fail};
use crate::application::issues::{execute, intake, triage::TriageInput, triage::triage_choice};

fn note(text: &str) -> SeedResult<Note> {
    Note::parse(text).map_err(fail)
}

/// The account that acts for the handler of `issue`.
fn handler_account(district: &DemoDistrict, issue: &Issue) -> SeedResult<Actor> {
    let found = match issue.handler.as_ref().ok_or("no handler")? {
        Handler::Grid { grid_id } => district.grid_workers.get(&grid_id.0),
        Handler::PropertyCompany {
            property_company_id,
        } => district.property_staff.get(&property_company_id.0),
        Handler::Community { community_id } => district.officials.get(&community_id.0),
        Handler::Mediators { community_id } => district.mediators.get(&community_id.0),
        Handler::Department { .. } => {
            return district.dispatcher_for(issue.place.street_id.0);
        }
        Handler::BuildingLeaders { building_id } => {
            let grid = issue.place.grid_id.map(|g| g.0);
            return (district.building_leader_for(building_id.0, grid))
                .ok_or_else(|| "no handler account".into());
        }
    };
    found.copied().ok_or_else(|| "no handler account".into())
}

/// One command on `id` by `actor` at `at`; the issue after it.
fn run(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: &Actor,
    id: IssueId,
    at: Timestamp,
    command: Command,
) -> SeedResult<Issue> {
    Ok(execute(conn, config, Some(actor), id, None, at, |_, _| Ok(command))?.issue)
}

pub fn seed(
    conn: &mut DbConn,
    district: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
) -> SeedResult<()> {
    let filter = IssueListFilter {
        status: Some(IssueStatus::InProgress),
        limit: 50,
        now: to_millis(now),
        ..Default::default()
    };
    let working: Vec<Issue> = issues::list_visible(conn, Visibility::All, &filter)
        .map_err(fail)?
        .iter()
        .map(|row| row.to_domain().map_err(fail))
        .collect::<SeedResult<_>>()?;
    let at = now - Duration::hours(2);
    let mut working = working
        .into_iter()
        .filter(|i| i.pending_extension.is_none());

    // 督办: the street's dispatcher, then the community's official, press the handler.
    for issue in working.by_ref().take(2) {
        let dispatcher = district.dispatcher_for(issue.place.street_id.0)?;
        let text = note("居民反映多次，请加快办理并于明日前反馈进度")?;
        run(
            conn,
            config,
            &dispatcher,
            issue.id,
            at,
            Command::Urge { note: text },
        )?;
        if let Some(official) = district.officials.get(&issue.place.community_id.0) {
            let text = note("社区督办：请尽快整改到位")?;
            run(
                conn,
                config,
                official,
                issue.id,
                at,
                Command::Urge { note: text },
            )?;
        }
    }

    // 延期: one approved, one waiting for the dispatcher.
    for (k, issue) in working.take(2).enumerate() {
        let handler = handler_account(district, &issue)?;
        let due = issue.deadlines.resolution_due.max(now) + Duration::days(5);
        let reason = note("需更换的配件要向厂家订货，预计五个工作日到货")?;
        let command = Command::RequestExtension {
            new_resolution_due: due,
            reason: reason.clone(),
        };
        let requested = run(conn, config, &handler, issue.id, at, command)?;
        let row = extensions::insert(
            conn,
            issue.id,
            handler.user_id,
            to_millis(at),
            to_millis(due),
            reason.as_str(),
        )
        .map_err(fail)?;
        if k == 0 {
            let dispatcher = district.dispatcher_for(requested.place.street_id.0)?;
            let text = note("情况属实，同意延期，请按新期限办结")?;
            let decided_at = at + Duration::minutes(40);
            let request_id = linli_domain::ids::ExtensionRequestId(row.id);
            let command = Command::DecideExtension {
                request_id,
                approved: true,
                note: text.clone(),
            };
            // As the use case does: the request's decision, then the step.
            extensions::decide(
                conn,
                issue.id,
                request_id,
                linli_domain::issue::ExtensionStatus::Approved,
                dispatcher.user_id,
                to_millis(decided_at),
                text.as_str(),
            )
            .map_err(fail)?;
            run(conn, config, &dispatcher, issue.id, decided_at, command)?;
        }
    }

    merge_a_duplicate(conn, district, config, now)
}

/// Two residents of the first compound report the same leak; the second report is merged into
/// the first, which is then handled.
fn merge_a_duplicate(
    conn: &mut DbConn,
    district: &DemoDistrict,
    config: &WorkflowConfig,
    now: Timestamp,
) -> SeedResult<()> {
    let compound = district.compounds.first().ok_or("no compound")?;
    let building = compound.buildings.first().ok_or("no building")?;
    let residents = district.residents.get(&compound.id).ok_or("no residents")?;
    let place = Place {
        street_id: StreetId(compound.street_id),
        community_id: CommunityId(compound.community_id),
        compound_id: CompoundId(compound.id),
        building_id: Some(BuildingId(building.id)),
        grid_id: Some(GridId(building.grid_id)),
        property_company_id: PropertyCompanyId(compound.company_at(now)),
    };
    let texts = [
        "1栋地下车库入口顶板漏水，雨天积水到脚踝，车辆进出困难",
        "地下车库入口上方一直在滴水，地面积水，请物业尽快处理",
    ];
    let mut filed = Vec::new();
    for (k, (resident, text)) in residents.iter().zip(texts).enumerate() {
        let new = NewIssue::reported(
            resident.actor.user_id,
            CategoryCode::WATER_LEAK,
            place,
            IssueDescription::parse(text).map_err(fail)?,
            k == 0,
        );
        let at = now - Duration::hours(6) + Duration::hours(i64::try_from(k).unwrap_or(0));
        filed.push(intake::file(conn, config, new, Some(&resident.actor), at)?.issue);
    }
    let [primary, duplicate] = <[Issue; 2]>::try_from(filed).map_err(|_| "two reports")?;
    let dispatcher = district.dispatcher_for(compound.street_id)?;
    let at = now - Duration::hours(4);
    let input = TriageInput {
        level: None,
        handler: None,
        urgency: None,
        reason: None,
    };
    let merged = run(
        conn,
        config,
        &dispatcher,
        duplicate.id,
        at,
        Command::Merge { into: primary.id },
    )?;
    followers::follow_merged(conn, &primary, &merged, to_millis(at)).map_err(fail)?;
    // Then the primary is handled; its followers hear of it like its reporter.
    let decision = triage_choice(conn, &primary, input)?;
    let triaged_at = at + Duration::minutes(30);
    let command = Command::Triage(decision);
    run(conn, config, &dispatcher, primary.id, triaged_at, command)?;
    Ok(())
}
