//! The one path every issue command takes: load, check visibility, role and scope, the
//! expected version, let the state machine decide, then write the row, the event and its
//! notifications in the caller's transaction. The HTTP handlers and the scheduler share it.

use actix_web::{HttpRequest, http::header};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use linli_domain::{
    auth::{self, Actor},
    ids::IssueId,
    issue::{Command, Issue, IssueEvent, WorkflowConfig},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        issues::{self, EventActor},
        notifications,
    },
    schema,
};

use crate::error::{ApiError, ApiResult};

/// Load an issue the actor may see; invisible and missing issues are both 404, so that ids
/// do not reveal what exists.
pub fn load_visible(conn: &mut DbConn, actor: &Actor, id: i64) -> ApiResult<Issue> {
    load_visible_with_support(conn, actor, id).map(|(issue, _)| issue)
}

/// [`load_visible`] and the issue's "me too" count, from one row.
pub fn load_visible_with_support(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
) -> ApiResult<(Issue, i64)> {
    let row = match issues::find_row(conn, id) {
        Ok(r) => r,
        Err(RepoError::NotFound) => return Err(ApiError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let issue = row.to_domain()?;
    if auth::can_view(actor, &issue) {
        Ok((issue, i64::from(row.support_count)))
    } else {
        Err(ApiError::NotFound)
    }
}

pub fn support_count(conn: &mut DbConn, issue_id: i64) -> ApiResult<i64> {
    Ok(schema::issues::table
        .find(issue_id)
        .select(schema::issues::support_count)
        .first::<i32>(conn)
        .map(i64::from)?)
}

/// The outcome of a command: the issue after it, and the stored event.
pub struct Applied {
    pub issue: Issue,
    pub event: IssueEvent,
    pub event_id: i64,
}

/// Apply one command to issue `id`. `actor` is `None` for the scheduler. `if_match` is the
/// version the client last saw (412 `stale_version` when it moved on). `make` builds the
/// command from the current issue (e.g. to resolve a default handler). Call inside a
/// transaction (`state.tx`).
pub fn execute(
    conn: &mut DbConn,
    config: &WorkflowConfig,
    actor: Option<&Actor>,
    id: i64,
    if_match: Option<i64>,
    now: DateTime<Utc>,
    make: impl FnOnce(&Issue, &mut DbConn) -> ApiResult<Command>,
) -> ApiResult<Applied> {
    let issue = match actor {
        Some(a) => load_visible(conn, a, id)?,
        None => issues::find(conn, IssueId(id))?,
    };
    if let Some(expected) = if_match
        && expected != issue.version
    {
        return Err(ApiError::StaleVersion);
    }
    let command = make(&issue, conn)?;
    if let Some(a) = actor {
        auth::authorize(a, command.kind(), &issue)?;
    }
    let event = issue.decide(&command, now, config)?;
    let mut updated = issue.clone();
    updated.apply(&event);
    let event_actor = EventActor {
        user_id: actor.map(|a| a.user_id.0),
        role: actor.map(|a| a.role.as_str()),
    };
    let event_id =
        issues::apply_transition(conn, issue.version, &updated, &event, event_actor, now).map_err(
            |e| match (e, if_match) {
                (RepoError::StaleVersion, Some(_)) => ApiError::StaleVersion,
                (other, _) => other.into(),
            },
        )?;
    notifications::notify_event(conn, &updated, event_id, &event, actor.map(|a| a.user_id.0))?;
    Ok(Applied {
        issue: updated,
        event,
        event_id,
    })
}

/// `ETag` value of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`); `*` or absent → `None`.
pub fn if_match(req: &HttpRequest) -> ApiResult<Option<i64>> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value
        .to_str()
        .map_err(|_| ApiError::bad_request("invalid_if_match", "If-Match must be an ETag"))?
        .trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_if_match",
                "If-Match must be the ETag of the issue, e.g. \"3\"",
            )
        })
}
