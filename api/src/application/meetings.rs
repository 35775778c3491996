//! Meetings that decide several cases (联席会议, 民情恳谈会, 民主议事会议): holding one with its
//! attendees and agenda, a decision per agenda case — applied through the deliberation
//! transition, one transaction each, the case's event carrying the meeting's id — minutes, the
//! cases residents raise there, and publication: the decisions shown to the residents of the
//! compounds concerned and posted on their notice board.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{self, Actor, Role, Scope},
    category::CategoryCode,
    ids::{
        BuildingId, CommunityId, CompoundId, IssueId, MeetingId, PropertyCompanyId, StreetId,
        UserId,
    },
    issue::{
        Command, CommandKind, DeliberationMinutes, Issue, IssueKind, LocationText, NewIssue,
        Source, WorkflowConfig,
    },
    labels::{Labelled, Lang},
    meeting::{self, DecisionOutcome, MAX_AGENDA, MAX_ATTENDEES, MeetingKind, MeetingReach, Votes},
    notice::{NoticeKind, Publisher},
    period::DistrictTz,
    values::{
        DisplayName, IssueDescription, MeetingMinutesText, MeetingTitle, Note, NoticeBody,
        NoticeTitle, OrgName, RoleLabel,
    },
};
use linli_infra::{
    DbConn,
    repo::{
        issues,
        meetings::{
            self, AGENDA, AttendeeRow, CaseRow, DecisionColumns, MeetingRow, MeetingScope,
            NewAttendee, NewMeeting,
        },
        org, users,
    },
    time::{from_millis, to_millis},
};

use super::{
    issues::{deliberation::outcome_for, execute, forbidden, intake, named},
    notices::{NoticeDraft, NoticeTarget, store_notice},
    org::{community_of, readable_by},
};
use crate::application::{AppError, AppResult, Application, ProblemCode, catalogue::Catalogue};

/// Someone at the meeting: an account, or just a name, and what they attend as.
#[derive(Debug, Clone)]
pub struct AttendeeInput {
    pub user_id: Option<UserId>,
    pub name: DisplayName,
    pub role_label: RoleLabel,
}

/// A meeting as its holder records it, parsed.
#[derive(Debug, Clone)]
pub struct HoldMeeting {
    pub kind: MeetingKind,
    pub title: MeetingTitle,
    pub community_id: CommunityId,
    pub compound_id: Option<CompoundId>,
    pub held_at: DateTime<Utc>,
    pub venue: OrgName,
    pub attendees: Vec<AttendeeInput>,
    /// Cases in deliberation of the community, at most [`MAX_AGENDA`], no repeats.
    pub agenda: Vec<IssueId>,
}

/// The meeting's decision on one agenda case, parsed.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub issue_id: IssueId,
    pub outcome: DecisionOutcome,
    pub text: Note,
    /// The meeting's own deadline for an assigned case.
    pub resolution_due: Option<DateTime<Utc>>,
    pub votes: Option<Votes>,
}

/// A case raised at the meeting (民情恳谈会), parsed; filed with `source: meeting`.
#[derive(Debug, Clone)]
pub struct RaisedCase {
    pub category: CategoryCode,
    pub description: IssueDescription,
    /// Default: the meeting's compound.
    pub compound_id: Option<CompoundId>,
    pub building_id: Option<BuildingId>,
    pub location_text: Option<LocationText>,
    pub is_public: bool,
}

/// One case of a meeting with the case as it stands now.
#[derive(Debug, Clone)]
pub struct MeetingCase {
    pub case: CaseRow,
    pub issue: Issue,
}

/// A meeting as one reader sees it.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: MeetingRow,
    pub kind: MeetingKind,
    pub attendees: Vec<AttendeeRow>,
    /// Agenda cases first, in order, then the cases raised there. A resident reads only the
    /// decided ones.
    pub cases: Vec<MeetingCase>,
    /// The compounds the published decisions are shown to (empty before publication).
    pub published_to: Vec<i64>,
    /// Read by a resident: names masked, case texts left out.
    pub for_resident: bool,
}

/// Where a meeting reaches, for the read rule.
fn reach_of(conn: &mut DbConn, row: &MeetingRow) -> AppResult<MeetingReach> {
    let street = org::find_community(conn, CommunityId(row.community_id))?.street_id;
    Ok(MeetingReach {
        community_id: CommunityId(row.community_id),
        street_id: StreetId(street),
        published_to: meetings::published_to(conn, row.id)?
            .into_iter()
            .map(|(c, p)| (CompoundId(c), PropertyCompanyId(p)))
            .collect(),
    })
}

/// The meetings a list shows `actor`: what [`meeting::may_read`] lets them read, as a query.
fn list_scope(actor: &Actor, actor_community: Option<CommunityId>) -> MeetingScope {
    match (actor.role, actor.scope) {
        (Role::CommunityOfficial | Role::Mediator, Scope::Community(c)) => {
            MeetingScope::Community(c.0)
        }
        (Role::GridWorker, Scope::Grid(_)) => actor_community
            .map(|c| MeetingScope::Community(c.0))
            .unwrap_or(MeetingScope::Nothing),
        (Role::Dispatcher, Scope::District) | (Role::DistrictOffice | Role::Auditor, _) => {
            MeetingScope::All
        }
        (Role::Dispatcher, Scope::Street(s)) => MeetingScope::Street(s.0),
        (Role::Resident | Role::CommitteeMember, Scope::Compound(c)) => {
            MeetingScope::PublishedToCompound(c.0)
        }
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => MeetingScope::PublishedToCompany(p.0),
        _ => MeetingScope::Nothing,
    }
}

/// A meeting `actor` may read; `NotFound` otherwise (never told apart from a missing one).
fn load_readable(
    conn: &mut DbConn,
    actor: &Actor,
    id: MeetingId,
) -> AppResult<(MeetingRow, MeetingReach)> {
    let row = meetings::find(conn, id.0)?;
    let reach = reach_of(conn, &row)?;
    readable_by(conn, actor, |community| {
        meeting::may_read(actor, &reach, community)
    })?;
    Ok((row, reach))
}

/// A meeting `actor` may read and hold, not yet published: 404, 403, or 409 otherwise.
fn load_held(conn: &mut DbConn, actor: &Actor, id: MeetingId) -> AppResult<MeetingRow> {
    let (row, _) = load_readable(conn, actor, id)?;
    if !meeting::may_hold(actor, CommunityId(row.community_id)) {
        return Err(forbidden(
            "a meeting is held by the officials of its community or the district office",
        ));
    }
    if row.published_at.is_some() {
        return Err(AppError::conflict(
            ProblemCode::Conflict,
            "the meeting's decisions are published and final",
        ));
    }
    Ok(row)
}

/// Check an agenda: known cases of the community, each in deliberation (422 on `agenda_issue_ids`).
fn check_agenda(conn: &mut DbConn, community: CommunityId, agenda: &[IssueId]) -> AppResult<()> {
    let found = issues::find_many(conn, agenda)?;
    for id in agenda {
        let bad = |why: &str| AppError::validation("agenda_issue_ids", format!("issue {id} {why}"));
        let Some(issue) = found.iter().find(|i| i.id == *id) else {
            return Err(bad("does not exist"));
        };
        if issue.place.community_id != community {
            return Err(bad("is not a case of the meeting's community"));
        }
        if !issue.admits(CommandKind::RecordDeliberation) {
            return Err(bad(&format!(
                "is {}, not in deliberation",
                issue.status.as_str()
            )));
        }
    }
    Ok(())
}

/// The notice a publication puts on the board: what was decided on each case.
fn notice_of(
    row: &MeetingRow,
    kind: MeetingKind,
    decided: &[MeetingCase],
    catalogue: &Catalogue,
) -> AppResult<NoticeDraft> {
    let tz = DistrictTz::default();
    let held = from_millis(row.held_at)?.with_timezone(&tz.tz());
    let mut body = format!(
        "{} {}于{}召开{}，议定事项如下：",
        row.title,
        held.format("%Y年%m月%d日 %H:%M"),
        row.venue,
        kind.label(Lang::Zh)
    );
    for (n, c) in (1..).zip(decided) {
        let outcome = c
            .case
            .outcome
            .as_deref()
            .and_then(|o| DecisionOutcome::parse(o).ok())
            .map(|o| o.label(Lang::Zh))
            .unwrap_or_default();
        body.push_str(&format!(
            "\n{n}. 【{}】{}（{outcome}",
            catalogue.name_zh(c.issue.category.as_str()),
            c.case.decision.as_deref().unwrap_or_default(),
        ));
        if let Some(due) = c.case.resolution_due {
            let due = from_millis(due)?.with_timezone(&tz.tz());
            body.push_str(&format!("，{}前办结", due.format("%Y年%m月%d日")));
        }
        if let (Some(f), Some(a), Some(s)) =
            (c.case.votes_for, c.case.votes_against, c.case.votes_abstain)
        {
            body.push_str(&format!("；表决：同意{f}，反对{a}，弃权{s}"));
        }
        body.push('）');
    }
    let title: String = format!("议事结果公示：{}", row.title)
        .chars()
        .take(NoticeTitle::MAX_CHARS)
        .collect();
    let body: String = body.chars().take(NoticeBody::MAX_CHARS).collect();
    Ok(NoticeDraft {
        title: NoticeTitle::parse(&title)?,
        body: NoticeBody::parse(&body)?,
        kind: NoticeKind::Meeting,
        target: NoticeTarget::Compounds(Vec::new()),
        pinned: false,
        expires_at: None,
        categories: Vec::new(),
    })
}

/// Hold a meeting as `actor` (an official of the community, or the district office): 403
/// for anyone else, 422 for an unknown community, a compound outside it, an attendee
/// account that does not exist, or an agenda case that is not the community's or not in
/// deliberation.
pub(crate) fn hold(
    conn: &mut DbConn,
    actor: &Actor,
    input: HoldMeeting,
    now: DateTime<Utc>,
) -> AppResult<MeetingId> {
    if input.attendees.is_empty() || input.attendees.len() > MAX_ATTENDEES {
        return Err(AppError::validation(
            "attendees",
            format!("name 1 to {MAX_ATTENDEES} attendees"),
        ));
    }
    let mut agenda = input.agenda.clone();
    agenda.sort_unstable();
    agenda.dedup();
    if agenda.len() != input.agenda.len() || agenda.len() > MAX_AGENDA {
        return Err(AppError::validation(
            "agenda_issue_ids",
            format!("at most {MAX_AGENDA} cases, each once"),
        ));
    }
    named(
        org::find_community(conn, input.community_id),
        "community_id",
        "community",
    )?;
    if !meeting::may_hold(actor, input.community_id) {
        return Err(forbidden(
            "a meeting is held by the officials of its community or the district office",
        ));
    }
    if let Some(c) = input.compound_id {
        let compound = named(org::find_compound(conn, c), "compound_id", "compound")?;
        if compound.community_id != input.community_id.0 {
            return Err(AppError::validation(
                "compound_id",
                "the compound is not in the meeting's community",
            ));
        }
    }
    for a in &input.attendees {
        if let Some(u) = a.user_id {
            named(users::find(conn, u), "attendees", "user")?;
        }
    }
    check_agenda(conn, input.community_id, &input.agenda)?;
    let attendees: Vec<NewAttendee<'_>> = input
        .attendees
        .iter()
        .map(|a| NewAttendee {
            user_id: a.user_id.map(|u| u.0),
            name: a.name.as_str(),
            role_label: a.role_label.as_str(),
        })
        .collect();
    let agenda: Vec<i64> = input.agenda.iter().map(|i| i.0).collect();
    let row = meetings::create(
        conn,
        &NewMeeting {
            kind: input.kind.as_str(),
            title: input.title.as_str(),
            community_id: input.community_id.0,
            compound_id: input.compound_id.map(|c| c.0),
            held_at: to_millis(input.held_at),
            venue: input.venue.as_str(),
            created_by: actor.user_id.0,
            created_at: to_millis(now),
        },
        &attendees,
        &agenda,
    )?;
    Ok(MeetingId(row.id))
}

/// Record the meeting's decision on one agenda case and apply it to the case through the
/// deliberation transition, in one transaction: the case's `deliberated` event carries
/// the meeting's id. The case's own rule decides who may: an official of its community
/// (the district office holds meetings but never acts on cases). 422 for a case not on the
/// agenda or a deadline on a closing decision; 409 for a case decided already or no
/// longer in deliberation, or a published meeting.
pub(crate) fn decide(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: &Actor,
    id: MeetingId,
    input: DecisionInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if input.outcome == DecisionOutcome::Close && input.resolution_due.is_some() {
        return Err(AppError::validation(
            "resolution_due",
            "a closing decision sets no deadline",
        ));
    }
    let row = load_held(conn, actor, id)?;
    let case = meetings::case(conn, row.id, input.issue_id.0)?
        .filter(|c| c.role == AGENDA)
        .ok_or_else(|| {
            AppError::validation("issue_id", "the case is not on this meeting's agenda")
        })?;
    if case.outcome.is_some() {
        return Err(AppError::conflict(
            ProblemCode::Conflict,
            "the meeting has decided this case already",
        ));
    }
    let attendees = meetings::attendees(conn, row.id)?
        .iter()
        .map(|a| DisplayName::parse(&a.name))
        .collect::<Result<Vec<_>, _>>()?;
    let venue = OrgName::parse(&row.venue)?;
    let held_at = from_millis(row.held_at)?;
    let level = input.outcome.level();
    let applied = execute(
        conn,
        config,
        Some(actor),
        input.issue_id,
        None,
        now,
        |issue, _| {
            Ok(Command::RecordDeliberation(DeliberationMinutes {
                held_at,
                venue,
                attendees,
                decision: input.text.clone(),
                outcome: outcome_for(issue, level, input.resolution_due)?,
                meeting_id: Some(id),
            }))
        },
    )?;
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    meetings::record_decision(
        conn,
        row.id,
        input.issue_id.0,
        &DecisionColumns {
            outcome: input.outcome.as_str(),
            decision: input.text.as_str(),
            resolution_due: input.resolution_due.map(to_millis),
            votes_for: input.votes.map(|v| count(v.in_favour)),
            votes_against: input.votes.map(|v| count(v.against)),
            votes_abstain: input.votes.map(|v| count(v.abstain)),
            decided_by: actor.user_id.0,
            decided_at: to_millis(now),
            event_id: applied.event_id.0,
        },
    )?;
    Ok(())
}

/// Record (or rewrite) the minutes (会议纪要) of a meeting not yet published.
pub(crate) fn minutes(
    conn: &mut DbConn,
    actor: &Actor,
    id: MeetingId,
    text: MeetingMinutesText,
) -> AppResult<()> {
    let row = load_held(conn, actor, id)?;
    Ok(meetings::set_minutes(conn, row.id, text.as_str())?)
}

/// File a case raised at the meeting (source `meeting`) by the official holding it, in a
/// compound of the meeting's community; routed as usual. The issue as filed.
pub(crate) fn raise(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: &Actor,
    id: MeetingId,
    input: RaisedCase,
    now: DateTime<Utc>,
) -> AppResult<IssueId> {
    let row = load_held(conn, actor, id)?;
    let compound = input
        .compound_id
        .or(row.compound_id.map(CompoundId))
        .ok_or_else(|| AppError::validation("compound_id", "name the compound the case is in"))?;
    let place = intake::resolve_place(conn, compound, input.building_id)?;
    if place.community_id.0 != row.community_id {
        return Err(AppError::validation(
            "compound_id",
            "the compound is not in the meeting's community",
        ));
    }
    if !auth::can_file(actor, Source::Meeting, &place) {
        return Err(forbidden(
            "cases raised at a meeting are filed by an official of its community",
        ));
    }
    let new = NewIssue {
        reporter: actor.user_id,
        category: input.category,
        source: Source::Meeting,
        place,
        description: input.description,
        unit: None,
        location_text: input.location_text,
        lat: None,
        lon: None,
        is_public: input.is_public,
        urgency: None,
        kind: IssueKind::Complaint,
        caller: None,
        building_has_leaders: intake::building_has_leaders(conn, &place)?,
    };
    let filed = intake::file(conn, config, new, Some(actor), now)?;
    meetings::add_raised(conn, row.id, filed.issue.id.0)?;
    Ok(filed.issue.id)
}

/// Publish the decisions: shown from now to the residents of the compounds concerned (the
/// meeting's compound and those of its decided cases) and posted on their notice board
/// (kind `meeting`) in the holder's name. 409 when nothing is decided yet, or published.
pub(crate) fn publish(
    conn: &mut DbConn,
    actor: &Actor,
    id: MeetingId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row = load_held(conn, actor, id)?;
    let publisher = Publisher::of(actor).ok_or_else(|| {
        forbidden("a meeting is published by an official of its community or the district office")
    })?;
    let kind = MeetingKind::parse(&row.kind)?;
    let decided: Vec<MeetingCase> = meetings::cases(conn, row.id)?
        .into_iter()
        .filter(|(c, _)| c.outcome.is_some())
        .map(|(case, issue)| {
            Ok(MeetingCase {
                case,
                issue: issue.to_domain()?,
            })
        })
        .collect::<AppResult<_>>()?;
    if decided.is_empty() {
        return Err(AppError::conflict(
            ProblemCode::Conflict,
            "the meeting has decided nothing yet",
        ));
    }
    let mut compounds: Vec<i64> = decided
        .iter()
        .map(|c| c.issue.place.compound_id.0)
        .chain(row.compound_id)
        .collect();
    compounds.sort_unstable();
    compounds.dedup();
    let catalogue = Catalogue::load(conn)?;
    let notice = store_notice(
        conn,
        publisher,
        actor.user_id,
        &notice_of(&row, kind, &decided, &catalogue)?,
        &compounds,
        now,
    )?;
    meetings::publish(conn, row.id, to_millis(now), notice.notice.id, &compounds)?;
    Ok(())
}

impl Application {
    /// Hold a meeting (see [`hold`]); the meeting as `actor` reads it.
    pub fn hold_meeting(&self, actor: &Actor, input: HoldMeeting) -> AppResult<MeetingView> {
        let now = self.now();
        let id = self.write(|conn| hold(conn, actor, input, now))?;
        self.meeting(actor, id)
    }

    /// Decide one agenda case (see [`decide`]) in one transaction.
    pub fn decide_at_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        input: DecisionInput,
    ) -> AppResult<MeetingView> {
        let now = self.now();
        let config = &self.config.workflow;
        self.write(|conn| decide(conn, config, actor, id, input, now))?;
        self.meeting(actor, id)
    }

    /// Record the minutes (see [`minutes`]).
    pub fn record_minutes(
        &self,
        actor: &Actor,
        id: MeetingId,
        text: MeetingMinutesText,
    ) -> AppResult<MeetingView> {
        self.write(|conn| minutes(conn, actor, id, text))?;
        self.meeting(actor, id)
    }

    /// File a case raised at the meeting (see [`raise`]); its id.
    pub fn raise_at_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        input: RaisedCase,
    ) -> AppResult<IssueId> {
        let now = self.now();
        let config = &self.config.workflow;
        self.write(|conn| raise(conn, config, actor, id, input, now))
    }

    /// Publish the decisions (see [`publish`]).
    pub fn publish_meeting(&self, actor: &Actor, id: MeetingId) -> AppResult<MeetingView> {
        let now = self.now();
        self.write(|conn| publish(conn, actor, id, now))?;
        self.meeting(actor, id)
    }

    /// The meetings `actor` may read, newest first, after the meeting `after`.
    pub fn list_meetings(
        &self,
        actor: &Actor,
        after: Option<MeetingId>,
        fetch: i64,
    ) -> AppResult<Vec<MeetingRow>> {
        self.read(|conn| {
            let community = community_of(conn, actor.role, actor.scope)?;
            let scope = list_scope(actor, community);
            Ok(meetings::list(conn, scope, after.map(|a| a.0), fetch)?)
        })
    }

    /// A meeting `actor` may read: staff of its community and above before publication, and
    /// once published the residents of the compounds concerned, who read its decisions only.
    pub fn meeting(&self, actor: &Actor, id: MeetingId) -> AppResult<MeetingView> {
        self.read(|conn| {
            let (row, reach) = load_readable(conn, actor, id)?;
            let for_resident = !actor.role.is_staff();
            let cases = meetings::cases(conn, row.id)?
                .into_iter()
                .filter(|(c, _)| !for_resident || c.outcome.is_some())
                .map(|(case, issue)| {
                    Ok(MeetingCase {
                        case,
                        issue: issue.to_domain()?,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(MeetingView {
                kind: MeetingKind::parse(&row.kind)?,
                attendees: meetings::attendees(conn, row.id)?,
                cases,
                published_to: reach.published_to.iter().map(|(c, _)| c.0).collect(),
                meeting: row,
                for_resident,
            })
        })
    }
}
