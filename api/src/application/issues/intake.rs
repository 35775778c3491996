//! Filing an issue (业主提诉求): where it is, who may file it, storing it with its `created`
//! event and notifications, and `Idempotency-Key` replays so a phone on a bad network can retry
//! without filing twice. The only caller of `issues::insert`.

use crate::application::ProblemCode;
use chrono::{DateTime, Duration, Utc};
use linli_domain::{
    auth::{self, Actor, Role},
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
    issue::{
        HotlineCaller, Issue, IssueKind, LocationText, NewIssue, Place, Source, UnitText,
        WorkflowConfig,
    },
    urgency::Urgency,
    values::{GeoPoint, IssueDescription},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        idempotency::{self, IdempotencyRow},
        issues::{self, EventActor},
        notifications, org, quotas, users,
    },
    time::to_millis,
};

use super::{Applied, IssueView, forbidden};
use crate::application::{AppError, AppResult, Application, catalogue::known_entry};

/// How long a stored response is kept for retries (at least).
pub const IDEMPOTENCY_TTL_HOURS: i64 = 24;

/// A new issue as the reporter describes it, parsed; the place is resolved when it is filed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssueInput {
    pub category: CategoryCode,
    pub kind: IssueKind,
    pub description: IssueDescription,
    pub compound_id: CompoundId,
    pub building_id: Option<BuildingId>,
    pub unit: Option<UnitText>,
    pub location_text: Option<LocationText>,
    pub point: Option<GeoPoint>,
    pub is_public: bool,
    pub source: Source,
    pub urgency: Option<Urgency>,
    /// Who called, for a `hotline` issue.
    pub caller: Option<HotlineCaller>,
}

/// A client's `Idempotency-Key` with the hash of the request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

/// What filing answers: a new issue (with the response body stored for replays), or the stored
/// answer to an earlier identical request.
#[derive(Debug, Clone)]
pub enum Filed {
    New { view: Box<IssueView>, body: String },
    Replay { status: u16, body: String },
}

/// Where the issue is, from the organisation tree; a validation error for an unknown compound
/// or a building of another compound.
pub(crate) fn resolve_place(
    conn: &mut DbConn,
    compound_id: CompoundId,
    building_id: Option<BuildingId>,
) -> AppResult<Place> {
    let compound = match org::compound_place(conn, compound_id) {
        Ok(c) => c,
        Err(RepoError::NotFound) => {
            return Err(AppError::validation("compound_id", "no such compound"));
        }
        Err(e) => return Err(e.into()),
    };
    let grid_id = match building_id {
        None => None,
        Some(b) => {
            let building = match org::find_building(conn, b) {
                Ok(b) => b,
                Err(RepoError::NotFound) => {
                    return Err(AppError::validation("building_id", "no such building"));
                }
                Err(e) => return Err(e.into()),
            };
            if building.compound_id != compound_id.0 {
                return Err(AppError::validation(
                    "building_id",
                    "the building is not in that compound",
                ));
            }
            Some(GridId(building.grid_id))
        }
    };
    Ok(Place {
        street_id: StreetId(compound.street_id),
        community_id: CommunityId(compound.community_id),
        compound_id: CompoundId(compound.compound_id),
        building_id,
        grid_id,
        property_company_id: PropertyCompanyId(compound.property_company_id),
    })
}

/// Whether the building of `place` has building leaders (楼栋长) to take its residents-level
/// matters (小事居民治); without a building, nobody's.
pub fn building_has_leaders(conn: &mut DbConn, place: &Place) -> AppResult<bool> {
    match place.building_id {
        Some(building) => Ok(users::building_has_leaders(conn, building)?),
        None => Ok(false),
    }
}

/// File `new` at `at` by `by` (`None`: the system), routed by its category's catalogue entry,
/// store it with its `created` event and notify. Call inside a write transaction. The issue as
/// stored, with its id.
pub fn file(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    new: NewIssue,
    by: Option<&Actor>,
    at: DateTime<Utc>,
) -> AppResult<Applied> {
    store(conn, config, new, by, at, true)
}

/// [`file`], announcing it to the dispatchers (`notify`) or not: a patrol finding fixed on the
/// spot is closed in the same transaction and is nobody's work to triage.
pub(crate) fn store(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    new: NewIssue,
    by: Option<&Actor>,
    at: DateTime<Utc>,
    notify: bool,
) -> AppResult<Applied> {
    // The suggestion's deadlines (the dispatcher's queue) count on the current calendar.
    let config = super::with_current_calendar(conn, config)?;
    let entry = known_entry(conn, new.category)?;
    entry.accepts(new.kind)?;
    let (issue, event) = Issue::file(new, &entry.routing(), at, &config);
    let event_actor = EventActor {
        user_id: by.map(|a| a.user_id),
        role: by.map(|a| a.role.as_str()),
    };
    let (stored, event_id) = issues::insert(conn, &issue, &event, event_actor, at)?;
    if notify {
        notifications::notify_event(conn, &stored, event_id, &event, by.map(|a| a.user_id))?;
    }
    Ok(Applied {
        issue: stored,
        event,
        event_id,
    })
}

fn key_in_flight() -> AppError {
    AppError::conflict(
        ProblemCode::IdempotencyConflict,
        "a request with this Idempotency-Key is still being processed; retry shortly",
    )
}

fn replay_of(row: IdempotencyRow, hash: &str) -> AppResult<Filed> {
    if row.request_hash != hash {
        return Err(AppError::Unprocessable {
            code: ProblemCode::IdempotencyKeyReused,
            detail: "this Idempotency-Key was used with a different request body".into(),
        });
    }
    if row.response_status == 0 {
        return Err(key_in_flight());
    }
    Ok(Filed::Replay {
        status: u16::try_from(row.response_status).map_err(AppError::internal)?,
        body: row.response_body,
    })
}

impl Application {
    /// A resident may file `filing_quota_per_day` issues per day of the district (staff filing
    /// for patrols, the hotline and meetings are not limited). Read in the write transaction.
    fn check_filing_quota(
        &self,
        conn: &mut DbConn,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let limit = self.config.filing_quota_per_day;
        if limit == 0 || actor.role != Role::Resident {
            return Ok(());
        }
        let tz = self.config.workflow.time_zone;
        let today = tz.local_date(now);
        let (start, end) = tz.day_bounds(today);
        let filed = quotas::issues_filed_since(conn, actor.user_id, to_millis(start))?;
        if filed >= i64::from(limit) {
            return Err(AppError::QuotaExceeded {
                limit,
                retry_after: (end - now).num_seconds().max(1),
            });
        }
        Ok(())
    }

    /// File an issue as `actor`. `render` turns the new issue into the response body, which is
    /// stored under the key (when given) for replays, in the same transaction.
    pub fn file_issue(
        &self,
        actor: &Actor,
        input: NewIssueInput,
        key: Option<IdempotencyKey>,
        render: impl FnOnce(&IssueView) -> AppResult<String>,
    ) -> AppResult<Filed> {
        let now = self.now();
        // One unit of work on the application's write path (the one writer on SQLite).
        let result =
            self.write(|conn| self.file_in_tx(conn, actor, input, key.as_ref(), now, render));
        match (result, &key) {
            // Lost the race for the key: the winner has committed by now (PostgreSQL made us
            // wait for it), so answer what it answered.
            (Err(AppError::Conflict { code, detail }), Some(k))
                if code == ProblemCode::IdempotencyConflict =>
            {
                match self.read(|conn| Ok(idempotency::find(conn, actor.user_id, &k.key)?))? {
                    Some(row) => replay_of(row, &k.request_hash),
                    None => Err(AppError::Conflict { code, detail }),
                }
            }
            (other, _) => other,
        }
    }

    /// Resolve, authorise, file, store, notify — and remember the response under the key.
    fn file_in_tx(
        &self,
        conn: &mut DbConn,
        actor: &Actor,
        input: NewIssueInput,
        key: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
        render: impl FnOnce(&IssueView) -> AppResult<String>,
    ) -> AppResult<Filed> {
        if let Some(k) = key {
            if let Some(row) = idempotency::find(conn, actor.user_id, &k.key)? {
                let cutoff = to_millis(now - Duration::hours(IDEMPOTENCY_TTL_HOURS));
                if row.created_at >= cutoff {
                    return replay_of(row, &k.request_hash);
                }
                // Past its time to live: forgotten (with every other expired key), so this
                // request files anew. The scheduler also purges expired keys each tick.
                idempotency::purge_older_than(conn, cutoff)?;
            }
            idempotency::reserve(conn, actor.user_id, &k.key, &k.request_hash, to_millis(now))
                .map_err(|e| match e {
                    RepoError::Conflict(_) => key_in_flight(),
                    other => other.into(),
                })?;
        }
        let place = resolve_place(conn, input.compound_id, input.building_id)?;
        if !auth::can_file(actor, input.source, &place) {
            return Err(forbidden(format!(
                "a {} may not file a `{}` issue in this compound",
                actor.role.as_str().replace('_', " "),
                input.source.as_str()
            )));
        }
        self.check_filing_quota(conn, actor, now)?;
        if input.caller.is_some() && input.source != Source::Hotline {
            return Err(AppError::validation(
                "caller",
                "a caller is recorded only for a `hotline` issue",
            ));
        }
        let building_has_leaders = building_has_leaders(conn, &place)?;
        let new = NewIssue {
            reporter: actor.user_id,
            category: input.category,
            kind: input.kind,
            source: input.source,
            place,
            description: input.description,
            unit: input.unit,
            location_text: input.location_text,
            lat: input.point.map(|p| p.lat),
            lon: input.point.map(|p| p.lon),
            is_public: input.is_public,
            urgency: input.urgency,
            caller: input.caller,
            building_has_leaders,
        };
        let applied = file(conn, &self.config.workflow, new, Some(actor), now)?;
        let view = IssueView::present_one(&self.org_names, conn, actor, applied.issue, 0, now)?;
        let body = render(&view)?;
        if let Some(k) = key {
            idempotency::complete(conn, actor.user_id, &k.key, 201, &body)?;
        }
        Ok(Filed::New {
            view: Box::new(view),
            body,
        })
    }
}
