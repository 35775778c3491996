//! The issue use cases: filing, every workflow step (one file each, named after it), the reads.
//!
//! Every command on an issue — from a handler, the scheduler, the demo seeder or a test — goes
//! through [`execute`]: visibility, the expected version, authorisation, the state machine, the
//! write of the row and its event, and the notifications, in the caller's transaction.

pub mod answer;
pub mod comments;
pub mod confirmation;
pub mod deliberation;
pub mod extensions;
pub mod intake;
pub mod list_export;
pub mod mediation;
pub mod merge;
pub mod notifications;
pub mod photos;
pub mod query;
pub mod reassignment;
pub mod rectification;
pub mod rejection;
pub mod returns;
pub mod revisit;
pub mod supervision;
pub mod support;
pub mod triage;
pub mod urge;
pub mod view;
pub mod withdrawal;

pub use view::IssueView;

use chrono::{DateTime, Utc};
use linli_domain::{
    DomainError,
    auth::{self, Actor},
    ids::{IssueEventId, IssueId},
    issue::{Command, CommandKind, Issue, IssueEvent, WorkflowConfig},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        calendars, extensions as extension_rows, followers,
        issues::{self, EventActor, Visibility},
        notifications as notification_rows,
    },
};

use crate::application::{AppError, AppResult, Application};

/// The outcome of a command: the issue after it, and the stored event.
#[derive(Debug, Clone)]
pub struct Applied {
    pub issue: Issue,
    pub event: IssueEvent,
    pub event_id: IssueEventId,
}

/// Refused for the caller's role or scope (403).
pub(crate) fn forbidden(detail: impl Into<String>) -> AppError {
    AppError::Domain(DomainError::Forbidden(detail.into()))
}

/// A lookup of something the input names: missing is the input's fault (422 on `field`).
pub(crate) fn named<T>(found: Result<T, RepoError>, field: &str, what: &str) -> AppResult<T> {
    match found {
        Ok(v) => Ok(v),
        Err(RepoError::NotFound) => Err(AppError::validation(field, format!("no such {what}"))),
        Err(e) => Err(e.into()),
    }
}

/// `config` counting on the working-day calendar the district office last saved (read in the
/// caller's transaction: every API node shares it through the database).
pub fn with_current_calendar(
    conn: &mut DbConn,
    config: &WorkflowConfig,
) -> AppResult<WorkflowConfig> {
    Ok(config.with_calendar(calendars::load(conn)?))
}

/// Load an issue the actor may see — by [`auth::can_view`], or as a follower of a case a
/// duplicate of theirs was merged into; invisible and missing issues are both `NotFound`, so that
/// ids do not reveal what exists.
pub fn load_visible(conn: &mut DbConn, actor: &Actor, id: IssueId) -> AppResult<Issue> {
    load_visible_with_support(conn, actor, id).map(|(issue, _)| issue)
}

/// [`load_visible`] and the issue's "me too" count, from one row.
pub fn load_visible_with_support(
    conn: &mut DbConn,
    actor: &Actor,
    id: IssueId,
) -> AppResult<(Issue, i64)> {
    let row = issues::find_row(conn, id)?;
    let issue = row.to_domain()?;
    let visible = auth::can_view(actor, &issue)
        || (Visibility::of(actor).includes_followed()
            && followers::follows(conn, id, actor.user_id)?);
    if visible {
        Ok((issue, i64::from(row.support_count)))
    } else {
        Err(AppError::NotFound)
    }
}

/// Apply one command to issue `id` at `now`. `actor` is `None` for the scheduler (and for
/// history written on its behalf). `expected_version` is the version the caller last saw
/// (`StaleVersion` when the issue moved on). `make` builds the command from the current issue
/// (e.g. to resolve a default handler). Call inside a write transaction.
pub fn execute(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: Option<&Actor>,
    id: IssueId,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
    make: impl FnOnce(&Issue, &mut DbConn) -> AppResult<Command>,
) -> AppResult<Applied> {
    let issue = match actor {
        Some(a) => load_visible(conn, a, id)?,
        None => issues::find(conn, id)?,
    };
    if let Some(expected) = expected_version
        && expected != issue.version
    {
        return Err(AppError::StaleVersion);
    }
    let command = make(&issue, conn)?;
    if let Some(a) = actor {
        auth::authorize(a, command.kind(), &issue)?;
    }
    let current;
    let config = if command.kind().sets_deadlines() {
        current = with_current_calendar(conn, config)?;
        &current
    } else {
        config
    };
    let event = issue.decide(&command, now, config)?;
    let mut updated = issue.clone();
    updated.apply(&event);
    let event_actor = EventActor {
        user_id: actor.map(|a| a.user_id),
        role: actor.map(|a| a.role.as_str()),
    };
    let event_id =
        issues::apply_transition(conn, issue.version, &updated, &event, event_actor, now).map_err(
            |e| match (e, expected_version) {
                (RepoError::StaleVersion, Some(_)) => AppError::StaleVersion,
                (other, _) => other.into(),
            },
        )?;
    if issue.pending_extension.is_some() && updated.pending_extension.is_none() {
        // Decided (its row was decided before the step), or the case left its requester
        // undecided (改派, a close, …): whatever is still pending lapses.
        extension_rows::lapse_pending(conn, id, linli_infra::time::to_millis(now))?;
    }
    notification_rows::notify_event(conn, &updated, event_id, &event, actor.map(|a| a.user_id))?;
    Ok(Applied {
        issue: updated,
        event,
        event_id,
    })
}

impl Application {
    /// One workflow step for a person: role and scope are checked (`kind`) before `make` looks
    /// anything up, then [`execute`] in one transaction. The issue after it, with its count.
    pub(crate) fn run_command(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        kind: CommandKind,
        make: impl FnOnce(&Issue, &mut DbConn) -> AppResult<Command>,
    ) -> AppResult<IssueView> {
        self.run_command_then(actor, id, expected_version, kind, make, |_, _| Ok(()))
            .map(|(view, ())| view)
    }

    /// [`Application::run_command`], and `then` in the same transaction once the step is
    /// stored (the rows a step keeps beside its event); the issue after both, and what `then`
    /// returned.
    pub(crate) fn run_command_then<T>(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        kind: CommandKind,
        make: impl FnOnce(&Issue, &mut DbConn) -> AppResult<Command>,
        then: impl FnOnce(&mut DbConn, &Applied) -> AppResult<T>,
    ) -> AppResult<(IssueView, T)> {
        let now = self.now();
        let config = &self.config.workflow;
        self.write(|conn| {
            let applied = execute(
                conn,
                config,
                Some(actor),
                id,
                expected_version,
                now,
                |issue, conn| {
                    auth::authorize(actor, kind, issue)?;
                    make(issue, conn)
                },
            )?;
            let done = then(conn, &applied)?;
            let support_count = issues::support_count(conn, id)?;
            let view = IssueView::present_one(
                &self.org_names,
                conn,
                actor,
                applied.issue,
                support_count,
                now,
            )?;
            Ok((view, done))
        })
    }
}
