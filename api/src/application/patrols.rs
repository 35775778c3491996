//! Patrol rounds (巡查小分队): starting one with its team, recording what it finds — each finding
//! filed as a `patrol` case, routed as usual, or closed at once when fixed on the spot
//! (立行立改) — finishing it, and its problem list (问题清单) with each case as it stands now.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Actor,
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, PatrolId, PropertyCompanyId, StreetId, UserId},
    issue::{Command, Issue, IssueKind, LocationText, NewIssue, Source, WorkflowConfig},
    patrol::{self, MAX_PATROL_MEMBERS, PatrolGround, PatrolStatus},
    values::{IssueDescription, Note},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        org,
        patrols::{self, FindingRow, MemberRow, NewFinding, NewPatrol, PatrolRow},
        users,
    },
    time::{from_millis, to_millis},
};

use super::{
    issues::{execute, forbidden, intake},
    org::{community_of, readable_by},
};
use crate::application::{AppError, AppResult, Application, ProblemCode};

/// A round as its starter describes it, parsed.
#[derive(Debug, Clone)]
pub struct StartPatrol {
    pub compound_id: CompoundId,
    /// The others walking with the starter (who is always a member).
    pub members: Vec<UserId>,
    pub started_at: DateTime<Utc>,
}

/// One finding as a member records it, parsed.
#[derive(Debug, Clone)]
pub struct FindingInput {
    pub category: CategoryCode,
    pub description: IssueDescription,
    pub building_id: Option<BuildingId>,
    pub location_text: Option<LocationText>,
    pub fixed_on_the_spot: bool,
    /// What was done (required when fixed on the spot: it is the evidence), or a remark.
    pub note: Option<Note>,
}

/// One entry of the problem list: the finding and its case as it stands now.
#[derive(Debug, Clone)]
pub struct FindingView {
    pub finding: FindingRow,
    pub issue: Issue,
    /// The case is past a deadline now.
    pub overdue: bool,
    /// Who found it, as the directory names them.
    pub found_by: Option<String>,
}

/// A round with its team and its problem list.
#[derive(Debug, Clone)]
pub struct PatrolView {
    pub patrol: PatrolRow,
    pub status: PatrolStatus,
    pub compound_name: String,
    pub members: Vec<MemberRow>,
    pub findings: Vec<FindingView>,
}

/// The compound a round walks, with its street; 422 on `field` when there is no such compound.
fn ground_of(conn: &mut DbConn, compound: CompoundId) -> AppResult<(PatrolGround, StreetId)> {
    let place = super::issues::named(
        org::compound_place(conn, compound),
        "compound_id",
        "compound",
    )?;
    Ok((
        PatrolGround {
            community_id: CommunityId(place.community_id),
            property_company_id: PropertyCompanyId(place.property_company_id),
        },
        StreetId(place.street_id),
    ))
}

/// May the account `user` walk in a round of `ground`? 422 on `members` otherwise.
fn check_member(conn: &mut DbConn, user: UserId, ground: &PatrolGround) -> AppResult<()> {
    let refused = || {
        AppError::validation(
            "members",
            format!("user {user} cannot join a patrol of this compound"),
        )
    };
    let row = match users::find(conn, user) {
        Ok(row) if row.disabled_at.is_none() => row,
        Ok(_) | Err(RepoError::NotFound) => return Err(refused()),
        Err(e) => return Err(e.into()),
    };
    let Ok((role, scope)) = row.role_and_scope() else {
        return Err(refused());
    };
    let community = community_of(conn, role, scope)?;
    if patrol::may_patrol(role, scope, ground, community) {
        Ok(())
    } else {
        Err(refused())
    }
}

/// A round `actor` may read, with its ground and whether `actor` walks in it; `NotFound` for
/// a round that does not exist or that `actor` may not read.
fn load_readable(
    conn: &mut DbConn,
    actor: &Actor,
    id: PatrolId,
) -> AppResult<(PatrolRow, PatrolGround, bool)> {
    let row = patrols::find(conn, id.0)?;
    let (ground, street) = ground_of(conn, CompoundId(row.compound_id))?;
    let member = patrols::is_member(conn, row.id, actor.user_id.0)?;
    readable_by(conn, actor, |community| {
        patrol::may_read(actor, &ground, street, community, member)
    })?;
    Ok((row, ground, member))
}

fn finished() -> AppError {
    AppError::conflict(ProblemCode::Conflict, "the patrol round is finished")
}

/// Start a round in a compound as `actor`, with the team named (call inside a write
/// transaction): 403 when `actor` may not patrol there, 422 for an unknown compound, a member
/// who may not, or a start ahead.
pub(crate) fn start(
    conn: &mut DbConn,
    actor: &Actor,
    input: StartPatrol,
    now: DateTime<Utc>,
) -> AppResult<PatrolId> {
    patrol::check_started_at(input.started_at, now)?;
    let mut members = input.members;
    members.sort_unstable();
    members.dedup();
    members.retain(|m| *m != actor.user_id);
    if members.len() > MAX_PATROL_MEMBERS {
        return Err(AppError::validation(
            "members",
            format!("at most {MAX_PATROL_MEMBERS} members"),
        ));
    }
    let (ground, _) = ground_of(conn, input.compound_id)?;
    let community = community_of(conn, actor.role, actor.scope)?;
    if !patrol::may_patrol(actor.role, actor.scope, &ground, community) {
        return Err(forbidden(
            "patrols are walked by the grid workers, officials, mediators, building leaders and \
             volunteers of the compound's community and the staff of its property company",
        ));
    }
    for member in &members {
        check_member(conn, *member, &ground)?;
    }
    let mut team: Vec<i64> = members.iter().map(|m| m.0).collect();
    team.push(actor.user_id.0);
    let row = patrols::create(
        conn,
        &NewPatrol {
            compound_id: input.compound_id.0,
            community_id: ground.community_id.0,
            started_at: to_millis(input.started_at),
            created_by: actor.user_id.0,
            created_at: to_millis(now),
        },
        &team,
    )?;
    Ok(PatrolId(row.id))
}

/// Record a finding of round `id` as `actor` (a member, while the round is open; call inside
/// a write transaction): filed as a `patrol` case and routed as usual, or, fixed on the spot,
/// closed at once with closure `fixed_on_patrol` and the note as its evidence. Photos go to
/// the case afterwards (`POST /issues/{issue_id}/photos`).
pub(crate) fn record_finding(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: &Actor,
    id: PatrolId,
    input: FindingInput,
    now: DateTime<Utc>,
) -> AppResult<FindingView> {
    if input.fixed_on_the_spot && input.note.is_none() {
        return Err(AppError::validation(
            "note",
            "say what was done: a finding fixed on the spot is recorded with its evidence",
        ));
    }
    let (row, _, member) = load_readable(conn, actor, id)?;
    if !member {
        return Err(forbidden(
            "only the members of a patrol round record its findings",
        ));
    }
    if row.finished_at.is_some() {
        return Err(finished());
    }
    let place = intake::resolve_place(conn, CompoundId(row.compound_id), input.building_id)?;
    let new = NewIssue {
        reporter: actor.user_id,
        category: input.category,
        source: Source::Patrol,
        place,
        description: input.description,
        unit: None,
        location_text: input.location_text,
        lat: None,
        lon: None,
        // The team's working list: the compound's residents do not see it.
        is_public: false,
        urgency: None,
        kind: IssueKind::Complaint,
        caller: None,
        building_has_leaders: intake::building_has_leaders(conn, &place)?,
    };
    let fixed = input.fixed_on_the_spot;
    let filed = intake::store(conn, config, new, Some(actor), now, !fixed)?;
    let issue = match (&input.note, fixed) {
        (Some(notes), true) => {
            let notes = notes.clone();
            execute(
                conn,
                config,
                Some(actor),
                filed.issue.id,
                None,
                now,
                |_, _| {
                    Ok(Command::FixOnPatrol {
                        patrol_id: id,
                        notes,
                    })
                },
            )?
            .issue
        }
        _ => filed.issue,
    };
    let finding = patrols::add_finding(
        conn,
        &NewFinding {
            patrol_id: row.id,
            issue_id: issue.id.0,
            fixed_on_the_spot: fixed,
            note: input.note.as_ref().map(Note::as_str),
            created_by: actor.user_id.0,
            created_at: to_millis(now),
        },
    )?;
    let found_by = users::find(conn, actor.user_id)?.display_name;
    Ok(FindingView {
        finding,
        overdue: issue.is_overdue(now),
        issue,
        found_by: Some(found_by),
    })
}

/// Finish round `id` (a member, or an official of its community; call inside a write
/// transaction); 409 when it already is.
pub(crate) fn finish(
    conn: &mut DbConn,
    actor: &Actor,
    id: PatrolId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (row, ground, member) = load_readable(conn, actor, id)?;
    if !patrol::may_finish(actor, &ground, member) {
        return Err(forbidden(
            "a patrol round is finished by its members or an official of its community",
        ));
    }
    if !patrols::finish(conn, row.id, to_millis(now))? {
        return Err(finished());
    }
    Ok(())
}

impl Application {
    /// Start a round (see [`start`]); the round as `actor` reads it.
    pub fn start_patrol(&self, actor: &Actor, input: StartPatrol) -> AppResult<PatrolView> {
        let now = self.now();
        let id = self.write(|conn| start(conn, actor, input, now))?;
        self.patrol(actor, id)
    }

    /// Record a finding (see [`record_finding`]) in one transaction.
    pub fn add_finding(
        &self,
        actor: &Actor,
        id: PatrolId,
        input: FindingInput,
    ) -> AppResult<FindingView> {
        let now = self.now();
        let config = &self.config.workflow;
        self.write(|conn| record_finding(conn, config, actor, id, input, now))
    }

    /// Finish a round (see [`finish`]); the round as `actor` reads it.
    pub fn finish_patrol(&self, actor: &Actor, id: PatrolId) -> AppResult<PatrolView> {
        let now = self.now();
        self.write(|conn| finish(conn, actor, id, now))?;
        self.patrol(actor, id)
    }

    /// Round `id` with its team and its problem list, each case as it stands now.
    pub fn patrol(&self, actor: &Actor, id: PatrolId) -> AppResult<PatrolView> {
        let now = self.now();
        self.read(|conn| {
            let (row, _, _) = load_readable(conn, actor, id)?;
            let compound_name = org::find_compound(conn, CompoundId(row.compound_id))?.name;
            let members = patrols::members(conn, row.id)?;
            let findings = patrols::findings(conn, row.id)?
                .into_iter()
                .map(|(finding, issue_row)| {
                    let issue = issue_row.to_domain()?;
                    let found_by = members
                        .iter()
                        .find(|m| m.user_id == finding.created_by)
                        .map(|m| m.display_name.clone());
                    Ok(FindingView {
                        overdue: issue.is_overdue(now),
                        finding,
                        issue,
                        found_by,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(PatrolView {
                status: PatrolStatus::of(row.finished_at.map(from_millis).transpose()?),
                patrol: row,
                compound_name,
                members,
                findings,
            })
        })
    }
}
