//! Issues and their append-only timeline. Every command is one transaction: the issue row is
//! updated only if its `version` is still the one the command was decided on, and the event is
//! inserted with `seq` = the new version (unique per issue), so an event is never written twice.

use diesel::prelude::*;
use linli_domain::{
    Timestamp,
    category::CategoryCode,
    handler::HandlerKind,
    ids::{
        BuildingId, CommunityId, CompoundId, GridId, IssueEventId, IssueId, PropertyCompanyId,
        StreetId, UserId,
    },
    issue::{
        Closure, EventData, HotlineCaller, Issue, IssueEvent, IssueKind, IssueStatus, Place, Source,
    },
    triage::{Handler, Level, Suggestion},
    urgency::{Deadlines, SpanOverrides, Urgency},
    values::Satisfaction,
};

use crate::{
    DbConn,
    codes::Code,
    error::{RepoError, RepoResult},
    repo::{
        categories::{minutes, minutes_column},
        predicates,
    },
    schema::{issue_events, issue_followers, issues, patrol_findings, users},
    time::{from_millis, opt_from_millis, to_millis},
};

/// An issue as stored: its id, the columns a command writes, and the support count.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issues)]
pub struct IssueRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: IssueValues,
    pub support_count: i32,
}

/// The columns a command writes (everything but the id and the support count).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = issues, treat_none_as_null = true)]
pub struct IssueValues {
    pub reporter_id: i64,
    pub category: String,
    pub source: String,
    pub street_id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub building_id: Option<i64>,
    pub grid_id: Option<i64>,
    pub property_company_id: i64,
    pub description: String,
    pub unit: Option<String>,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub is_public: bool,
    pub status: String,
    pub status_since: i64,
    pub suggestion: String,
    pub level: Option<String>,
    pub handler_kind: Option<String>,
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
    pub urgency: String,
    pub response_due: i64,
    pub resolution_due: i64,
    pub created_at: i64,
    pub triaged_at: Option<i64>,
    pub responded_at: Option<i64>,
    pub rectified_at: Option<i64>,
    pub supervised_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub closure: Option<String>,
    pub satisfaction: Option<i32>,
    pub reopen_count: i32,
    pub sent_back_count: i32,
    pub escalation_step: i32,
    pub revisit_queued: bool,
    pub revisited_at: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
    pub returned_from: Option<String>,
    pub return_count: i32,
    pub returns_upheld: i32,
    pub returns_overruled: i32,
    pub urge_count: i32,
    pub extension_count: i32,
    pub pending_extension_due: Option<i64>,
    pub merged_into: Option<i64>,
    pub kind: String,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub ticket_no: Option<String>,
    pub response_span_minutes: Option<i32>,
    pub resolution_span_minutes: Option<i32>,
}

/// A timeline event as stored: its place in the timeline, who caused it, and its payload.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issue_events)]
pub struct IssueEventRow {
    #[diesel(embed)]
    pub head: EventHeadRow,
    pub actor_id: Option<i64>,
    pub actor_role: Option<String>,
    pub data: String,
}

/// An event without its actor and payload, as the live feed carries it (the payload may hold
/// what only some viewers may read; a client re-reads the issue).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = issue_events)]
pub struct EventHeadRow {
    pub id: i64,
    pub issue_id: i64,
    pub seq: i64,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: i64,
}

/// Who caused an event: a person with a role, or the scheduler (`None`).
#[derive(Debug, Clone, Copy)]
pub struct EventActor<'a> {
    pub user_id: Option<UserId>,
    pub role: Option<&'a str>,
}

impl EventActor<'_> {
    pub const SYSTEM: EventActor<'static> = EventActor {
        user_id: None,
        role: None,
    };
}

pub fn handler_columns(h: Option<&Handler>) -> (Option<String>, Option<i64>, Option<String>) {
    let Some(h) = h else {
        return (None, None, None);
    };
    let kind = Some(h.kind().code().to_owned());
    match h {
        Handler::Grid { grid_id } => (kind, Some(grid_id.0), None),
        Handler::PropertyCompany {
            property_company_id,
        } => (kind, Some(property_company_id.0), None),
        Handler::Community { community_id } | Handler::Mediators { community_id } => {
            (kind, Some(community_id.0), None)
        }
        Handler::Department { name } => (kind, None, Some(name.clone())),
        Handler::BuildingLeaders { building_id } => (kind, Some(building_id.0), None),
    }
}

fn handler_from_columns(
    kind: Option<&str>,
    id: Option<i64>,
    name: Option<&str>,
) -> RepoResult<Option<Handler>> {
    let Some(kind) = kind else {
        return Ok(None);
    };
    let id = || id.ok_or_else(|| RepoError::Corrupt("handler without id".into()));
    Ok(Some(match HandlerKind::from_code(kind)? {
        HandlerKind::Grid => Handler::Grid {
            grid_id: GridId(id()?),
        },
        HandlerKind::PropertyCompany => Handler::PropertyCompany {
            property_company_id: PropertyCompanyId(id()?),
        },
        HandlerKind::Community => Handler::Community {
            community_id: CommunityId(id()?),
        },
        HandlerKind::Mediators => Handler::Mediators {
            community_id: CommunityId(id()?),
        },
        HandlerKind::Department => Handler::Department {
            name: name.unwrap_or_default().to_owned(),
        },
        HandlerKind::BuildingLeaders => Handler::BuildingLeaders {
            building_id: BuildingId(id()?),
        },
    }))
}

fn closure_str(c: Closure) -> &'static str {
    c.code()
}

fn closure_parse(s: &str) -> RepoResult<Closure> {
    Closure::from_code(s)
}

/// A count as stored (an `INTEGER` column), saturating.
fn count_column(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn corrupt(e: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(e.to_string())
}

impl IssueValues {
    pub fn from_domain(issue: &Issue, now: Timestamp) -> RepoResult<Self> {
        let (handler_kind, handler_id, handler_name) = handler_columns(issue.handler.as_ref());
        Ok(Self {
            reporter_id: issue.reporter.0,
            category: issue.category.as_str().to_owned(),
            source: issue.source.as_str().to_owned(),
            street_id: issue.place.street_id.0,
            community_id: issue.place.community_id.0,
            compound_id: issue.place.compound_id.0,
            building_id: issue.place.building_id.map(|b| b.0),
            grid_id: issue.place.grid_id.map(|g| g.0),
            property_company_id: issue.place.property_company_id.0,
            description: issue.description.clone(),
            unit: issue.unit.clone(),
            location_text: issue.location_text.clone(),
            lat: issue.lat,
            lon: issue.lon,
            is_public: issue.is_public,
            status: issue.status.as_str().to_owned(),
            status_since: to_millis(issue.status_since),
            suggestion: serde_json::to_string(&issue.suggestion).map_err(corrupt)?,
            level: issue.level.map(|l| l.as_str().to_owned()),
            handler_kind,
            handler_id,
            handler_name,
            urgency: issue.urgency.as_str().to_owned(),
            response_due: to_millis(issue.deadlines.response_due),
            resolution_due: to_millis(issue.deadlines.resolution_due),
            created_at: to_millis(issue.created_at),
            triaged_at: issue.triaged_at.map(to_millis),
            responded_at: issue.responded_at.map(to_millis),
            rectified_at: issue.rectified_at.map(to_millis),
            supervised_at: issue.supervised_at.map(to_millis),
            closed_at: issue.closed_at.map(to_millis),
            closure: issue.closure.map(|c| closure_str(c).to_owned()),
            satisfaction: issue.satisfaction.map(|s| i32::from(s.value())),
            reopen_count: count_column(issue.reopen_count),
            sent_back_count: count_column(issue.sent_back_count),
            escalation_step: i32::from(issue.escalation_step),
            revisit_queued: issue.revisit_queued,
            revisited_at: issue.revisited_at.map(to_millis),
            version: issue.version,
            updated_at: to_millis(now),
            returned_from: issue.returned_from.map(|s| s.as_str().to_owned()),
            return_count: count_column(issue.return_count),
            returns_upheld: count_column(issue.returns_upheld),
            returns_overruled: count_column(issue.returns_overruled),
            urge_count: count_column(issue.urge_count),
            extension_count: count_column(issue.extension_count),
            pending_extension_due: issue.pending_extension.map(to_millis),
            merged_into: issue.merged_into.map(|i| i.0),
            kind: issue.kind.code().to_owned(),
            caller_name: issue.caller.as_ref().map(|c| c.name.clone()),
            caller_phone: issue.caller.as_ref().map(|c| c.phone.clone()),
            ticket_no: issue.caller.as_ref().and_then(|c| c.ticket_no.clone()),
            response_span_minutes: minutes_column(issue.spans.response_minutes()),
            resolution_span_minutes: minutes_column(issue.spans.resolution_minutes()),
        })
    }
}

impl IssueRow {
    pub fn to_domain(&self) -> RepoResult<Issue> {
        let v = &self.values;
        Ok(Issue {
            id: IssueId(self.id),
            reporter: UserId(v.reporter_id),
            category: CategoryCode::parse(&v.category).map_err(corrupt)?,
            kind: IssueKind::from_code(&v.kind)?,
            source: Source::parse(&v.source).map_err(corrupt)?,
            place: Place {
                street_id: StreetId(v.street_id),
                community_id: CommunityId(v.community_id),
                compound_id: CompoundId(v.compound_id),
                building_id: v.building_id.map(BuildingId),
                grid_id: v.grid_id.map(GridId),
                property_company_id: PropertyCompanyId(v.property_company_id),
            },
            description: v.description.clone(),
            unit: v.unit.clone(),
            location_text: v.location_text.clone(),
            lat: v.lat,
            lon: v.lon,
            is_public: v.is_public,
            status: IssueStatus::parse(&v.status).map_err(corrupt)?,
            status_since: from_millis(v.status_since)?,
            suggestion: serde_json::from_str::<Suggestion>(&v.suggestion).map_err(corrupt)?,
            level: v
                .level
                .as_deref()
                .map(Level::parse)
                .transpose()
                .map_err(corrupt)?,
            handler: handler_from_columns(
                v.handler_kind.as_deref(),
                v.handler_id,
                v.handler_name.as_deref(),
            )?,
            urgency: Urgency::parse(&v.urgency).map_err(corrupt)?,
            deadlines: Deadlines {
                response_due: from_millis(v.response_due)?,
                resolution_due: from_millis(v.resolution_due)?,
            },
            created_at: from_millis(v.created_at)?,
            triaged_at: opt_from_millis(v.triaged_at)?,
            responded_at: opt_from_millis(v.responded_at)?,
            rectified_at: opt_from_millis(v.rectified_at)?,
            supervised_at: opt_from_millis(v.supervised_at)?,
            closed_at: opt_from_millis(v.closed_at)?,
            closure: v.closure.as_deref().map(closure_parse).transpose()?,
            satisfaction: v
                .satisfaction
                .map(|s| Satisfaction::parse(i64::from(s)))
                .transpose()
                .map_err(corrupt)?,
            reopen_count: u32::try_from(v.reopen_count).map_err(corrupt)?,
            sent_back_count: u32::try_from(v.sent_back_count).map_err(corrupt)?,
            escalation_step: u8::try_from(v.escalation_step).map_err(corrupt)?,
            revisit_queued: v.revisit_queued,
            revisited_at: opt_from_millis(v.revisited_at)?,
            returned_from: v
                .returned_from
                .as_deref()
                .map(IssueStatus::parse)
                .transpose()
                .map_err(corrupt)?,
            return_count: u32::try_from(v.return_count).map_err(corrupt)?,
            returns_upheld: u32::try_from(v.returns_upheld).map_err(corrupt)?,
            returns_overruled: u32::try_from(v.returns_overruled).map_err(corrupt)?,
            urge_count: u32::try_from(v.urge_count).map_err(corrupt)?,
            extension_count: u32::try_from(v.extension_count).map_err(corrupt)?,
            pending_extension: opt_from_millis(v.pending_extension_due)?,
            merged_into: v.merged_into.map(IssueId),
            caller: match (&v.caller_name, &v.caller_phone) {
                (Some(name), Some(phone)) => Some(HotlineCaller {
                    name: name.clone(),
                    phone: phone.clone(),
                    ticket_no: v.ticket_no.clone(),
                }),
                _ => None,
            },
            spans: SpanOverrides::minutes(
                minutes(v.response_span_minutes)?,
                minutes(v.resolution_span_minutes)?,
            ),
            version: v.version,
        })
    }
}

fn insert_event(
    conn: &mut DbConn,
    issue_id: i64,
    seq: i64,
    event: &IssueEvent,
    actor: EventActor<'_>,
) -> RepoResult<IssueEventId> {
    let data = serde_json::to_string(&event.data).map_err(corrupt)?;
    diesel::insert_into(issue_events::table)
        .values((
            issue_events::issue_id.eq(issue_id),
            issue_events::seq.eq(seq),
            issue_events::kind.eq(event.data.kind()),
            issue_events::from_status.eq(event.from.map(|s| s.as_str())),
            issue_events::to_status.eq(event.to.as_str()),
            issue_events::actor_id.eq(actor.user_id.map(|u| u.0)),
            issue_events::actor_role.eq(actor.role),
            issue_events::at.eq(to_millis(event.at)),
            issue_events::data.eq(data),
        ))
        .returning(issue_events::id)
        .get_result::<i64>(conn)
        .map(IssueEventId)
        .map_err(|e| match RepoError::from_write(e, "event") {
            // Somebody else wrote this issue's event `seq` first.
            RepoError::Conflict(_) => RepoError::StaleVersion,
            other => other,
        })
}

/// Store a newly filed issue and its `created` event; returns the issue with its id and the
/// event's id. Call inside a transaction.
pub fn insert(
    conn: &mut DbConn,
    issue: &Issue,
    event: &IssueEvent,
    actor: EventActor<'_>,
    now: Timestamp,
) -> RepoResult<(Issue, IssueEventId)> {
    let values = IssueValues::from_domain(issue, now)?;
    let id: i64 = diesel::insert_into(issues::table)
        .values(&values)
        .returning(issues::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "issue"))?;
    let mut stored = issue.clone();
    stored.id = IssueId(id);
    // The created event carries the issue as filed, with its real id.
    let mut event = event.clone();
    if let EventData::Created { issue } = &mut event.data {
        issue.id = IssueId(id);
    }
    let event_id = insert_event(conn, id, issue.version, &event, actor)?;
    Ok((stored, event_id))
}

pub fn find_row(conn: &mut DbConn, id: IssueId) -> RepoResult<IssueRow> {
    issues::table
        .find(id.0)
        .select(IssueRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

pub fn find(conn: &mut DbConn, id: IssueId) -> RepoResult<Issue> {
    find_row(conn, id)?.to_domain()
}

/// Several issues by id in one query (ids that do not exist are left out).
pub fn find_many(conn: &mut DbConn, ids: &[IssueId]) -> RepoResult<Vec<Issue>> {
    let raw: Vec<i64> = ids.iter().map(|id| id.0).collect();
    issues::table
        .filter(issues::id.eq_any(raw))
        .select(IssueRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| row.to_domain())
        .collect()
}

/// How many residents said "me too" to the issue.
pub fn support_count(conn: &mut DbConn, id: IssueId) -> RepoResult<i64> {
    issues::table
        .find(id.0)
        .select(issues::support_count)
        .first::<i32>(conn)
        .optional()?
        .map(i64::from)
        .ok_or(RepoError::NotFound)
}

/// Write the result of a command: `updated` must be `before` with `event` applied. Fails with
/// `StaleVersion` when the row is no longer at `before.version`. Returns the event id.
pub fn apply_transition(
    conn: &mut DbConn,
    before_version: i64,
    updated: &Issue,
    event: &IssueEvent,
    actor: EventActor<'_>,
    now: Timestamp,
) -> RepoResult<IssueEventId> {
    let values = IssueValues::from_domain(updated, now)?;
    let n = diesel::update(
        issues::table
            .filter(issues::id.eq(updated.id.0))
            .filter(issues::version.eq(before_version)),
    )
    .set(&values)
    .execute(conn)?;
    if n != 1 {
        return Err(RepoError::StaleVersion);
    }
    insert_event(conn, updated.id.0, updated.version, event, actor)
}

pub fn events(conn: &mut DbConn, issue_id: IssueId) -> RepoResult<Vec<IssueEventRow>> {
    Ok(issue_events::table
        .filter(issue_events::issue_id.eq(issue_id.0))
        .select(IssueEventRow::as_select())
        .order(issue_events::seq)
        .load(conn)?)
}

/// The timeline of an issue with each actor's display name (`None` for the scheduler), oldest
/// first, in one query.
pub fn events_with_actor_names(
    conn: &mut DbConn,
    issue_id: IssueId,
) -> RepoResult<Vec<(IssueEventRow, Option<String>)>> {
    Ok(issue_events::table
        .left_join(users::table)
        .filter(issue_events::issue_id.eq(issue_id.0))
        .select((IssueEventRow::as_select(), users::display_name.nullable()))
        .order(issue_events::seq)
        .load(conn)?)
}

impl IssueEventRow {
    pub fn to_domain(&self) -> RepoResult<IssueEvent> {
        let head = &self.head;
        Ok(IssueEvent {
            at: from_millis(head.at)?,
            from: head
                .from_status
                .as_deref()
                .map(IssueStatus::parse)
                .transpose()
                .map_err(corrupt)?,
            to: IssueStatus::parse(&head.to_status).map_err(corrupt)?,
            data: serde_json::from_str(&self.data).map_err(corrupt)?,
        })
    }
}

// ---- Lists scoped by role (GET /issues) -------------------------------------------------------

pub use super::visibility::Visibility;

/// A handler to filter by: every handler of a kind, or one unit of it (`id`: the grid, company
/// or community; departments are named, not numbered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerFilter {
    pub kind: HandlerKind,
    pub id: Option<i64>,
}

/// Filters of an issue list; times are epoch milliseconds.
#[derive(Debug, Clone, Default)]
pub struct IssueListFilter {
    pub status: Option<IssueStatus>,
    pub category: Option<CategoryCode>,
    /// 投诉, 求助, 咨询, 建议 or 表扬.
    pub kind: Option<IssueKind>,
    /// The external ticket number (12345 工单号), exactly.
    pub ticket_no: Option<String>,
    pub level: Option<Level>,
    pub compound_id: Option<i64>,
    /// Only issues this account reported, or follows (a duplicate of theirs was merged into it).
    pub mine_of: Option<i64>,
    pub source: Option<Source>,
    /// Only the cases found on this patrol round (its problem list).
    pub patrol_id: Option<i64>,
    pub grid_id: Option<i64>,
    pub building_id: Option<i64>,
    pub handler: Option<HandlerFilter>,
    /// Derived: open and past a deadline at `now` (same rule as `Issue::is_overdue`).
    pub overdue: Option<bool>,
    /// `created_at >= created_from`.
    pub created_from: Option<i64>,
    /// `created_at <= created_to`.
    pub created_to: Option<i64>,
    /// Only public (公示) issues still open (not closed, rejected or withdrawn).
    pub open_public_only: bool,
    /// Keyset cursor: only ids below this one.
    pub before_id: Option<i64>,
    pub limit: i64,
    pub now: i64,
}

/// The ids of the issues `user_id` follows, as a subquery.
fn followed_by(
    user_id: i64,
) -> diesel::dsl::Select<
    diesel::dsl::Filter<issue_followers::table, diesel::dsl::Eq<issue_followers::user_id, i64>>,
    issue_followers::issue_id,
> {
    issue_followers::table
        .filter(issue_followers::user_id.eq(user_id))
        .select(issue_followers::issue_id)
}

/// One page of the issues `visibility` allows, newest (highest id) first, in one query.
pub fn list_visible(
    conn: &mut DbConn,
    visibility: Visibility,
    filter: &IssueListFilter,
) -> RepoResult<Vec<IssueRow>> {
    let mut q = issues::table
        .select(IssueRow::as_select())
        .order(issues::id.desc())
        .limit(filter.limit)
        .into_boxed();
    // Reported by the user, or a primary case the user follows.
    let own = |user_id: i64| {
        issues::reporter_id
            .eq(user_id)
            .or(issues::id.eq_any(followed_by(user_id)))
    };
    q = match visibility {
        Visibility::All => q,
        Visibility::Nothing => return Ok(Vec::new()),
        Visibility::Reporter(user_id) => q.filter(own(user_id)),
        Visibility::Resident {
            user_id,
            compound_id,
        } => q.filter(
            own(user_id).or(issues::compound_id
                .eq(compound_id)
                .and(issues::is_public.eq(true))),
        ),
        Visibility::GridWorker { user_id, grid_id } => q.filter(
            issues::grid_id
                .eq(grid_id)
                .or(issues::handler_kind
                    .eq(HandlerKind::Grid.code())
                    .and(issues::handler_id.eq(grid_id)))
                .or(own(user_id)),
        ),
        Visibility::Street(s) => q.filter(issues::street_id.eq(s)),
        Visibility::PropertyCompany {
            user_id,
            company_id,
        } => q.filter(
            issues::handler_kind
                .eq(HandlerKind::PropertyCompany.code())
                .and(issues::handler_id.eq(company_id))
                .or(own(user_id)),
        ),
        Visibility::Compound(c) => q.filter(issues::compound_id.eq(c)),
        Visibility::Community(c) => q.filter(issues::community_id.eq(c)),
        Visibility::Mediator {
            user_id,
            community_id,
        } => q.filter(
            issues::handler_kind
                .eq(HandlerKind::Mediators.code())
                .and(issues::handler_id.eq(community_id))
                .or(own(user_id)),
        ),
        Visibility::BuildingLeader {
            user_id,
            building_id,
        } => q.filter(
            issues::handler_kind
                .eq(HandlerKind::BuildingLeaders.code())
                .and(issues::handler_id.eq(building_id))
                .or(issues::building_id
                    .eq(building_id)
                    .and(issues::is_public.eq(true)))
                .or(issues::reporter_id.eq(user_id)),
        ),
        Visibility::GridLeader { user_id, grid_id } => q.filter(
            issues::grid_id
                .eq(grid_id)
                .and(
                    issues::handler_kind
                        .eq(HandlerKind::BuildingLeaders.code())
                        .or(issues::is_public.eq(true)),
                )
                .or(issues::reporter_id.eq(user_id)),
        ),
        Visibility::Volunteer {
            user_id,
            community_id,
        } => q.filter(
            issues::community_id
                .eq(community_id)
                .and(issues::is_public.eq(true))
                .or(issues::reporter_id.eq(user_id)),
        ),
    };
    if let Some(s) = filter.status {
        q = q.filter(issues::status.eq(s.code()));
    }
    if let Some(c) = filter.category {
        q = q.filter(issues::category.eq(c.as_str().to_owned()));
    }
    if let Some(k) = filter.kind {
        q = q.filter(issues::kind.eq(k.code()));
    }
    if let Some(t) = &filter.ticket_no {
        q = q.filter(issues::ticket_no.eq(t.clone()));
    }
    if let Some(l) = filter.level {
        q = q.filter(issues::level.eq(l.code()));
    }
    if let Some(c) = filter.compound_id {
        q = q.filter(issues::compound_id.eq(c));
    }
    if let Some(r) = filter.mine_of {
        q = q.filter(own(r));
    }
    if let Some(source) = filter.source {
        q = q.filter(issues::source.eq(source.code()));
    }
    if let Some(patrol) = filter.patrol_id {
        q = q.filter(
            issues::id.eq_any(
                patrol_findings::table
                    .filter(patrol_findings::patrol_id.eq(patrol))
                    .select(patrol_findings::issue_id),
            ),
        );
    }
    if let Some(g) = filter.grid_id {
        q = q.filter(issues::grid_id.eq(g));
    }
    if let Some(b) = filter.building_id {
        q = q.filter(issues::building_id.eq(b));
    }
    if let Some(h) = filter.handler {
        q = q.filter(issues::handler_kind.eq(h.kind.code()));
        if let Some(id) = h.id {
            q = q.filter(issues::handler_id.eq(id));
        }
    }
    if let Some(from) = filter.created_from {
        q = q.filter(issues::created_at.ge(from));
    }
    if let Some(to) = filter.created_to {
        q = q.filter(issues::created_at.le(to));
    }
    if filter.open_public_only {
        let ended = [
            IssueStatus::Closed,
            IssueStatus::Rejected,
            IssueStatus::Withdrawn,
        ];
        q = q
            .filter(issues::is_public.eq(true))
            .filter(issues::status.ne_all(ended.map(IssueStatus::code)));
    }
    if let Some(before) = filter.before_id {
        q = q.filter(issues::id.lt(before));
    }
    if let Some(overdue) = filter.overdue {
        let is_overdue = predicates::overdue(filter.now);
        q = if overdue {
            q.filter(is_overdue)
        } else {
            q.filter(!is_overdue)
        };
    }
    Ok(q.load(conn)?)
}
