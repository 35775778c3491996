//! The scheduler tick: the grid's backstop of building leaders, overdue escalation,
//! auto-confirmation, revisit queueing.
//!
//! Safe with several server processes on one PostgreSQL: every change is a command applied
//! through [`execute`] in its own transaction, decided on the issue as it is inside that
//! transaction and written only if the issue is still at that version (the unique
//! `(issue_id, seq)` of the timeline backs this up). A process that loses the race gets
//! `StaleVersion` and skips the issue; nothing is ever written twice.

use chrono::{DateTime, Utc};
use linli_domain::{
    ids::IssueId,
    issue::{Command, Issue, WorkflowConfig},
};
use linli_infra::{
    DbConn, RepoError, db,
    repo::{
        due::{self, Candidate},
        idempotency, issues, login_failures, outbox, sms_codes,
    },
    time::to_millis,
};

use crate::application::{
    AppError, AppResult, Application,
    issues::{execute, intake::IDEMPOTENCY_TTL_HOURS},
};

/// Candidates read per query; a tick walks through all of them batch by batch.
const BATCH: i64 = 200;

/// How long a push message stays in the outbox: retried that long while the gateway is down,
/// kept that long after delivery (to answer "was it sent?").
pub const OUTBOX_RETENTION_DAYS: i64 = 7;

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    /// Failed-login rows older than the login window, deleted.
    pub login_failures_pruned: usize,
    /// Push messages queued more than [`OUTBOX_RETENTION_DAYS`] ago, deleted.
    pub outbox_pruned: usize,
    /// SMS codes older than two days (past the daily limit's count), deleted.
    pub sms_codes_pruned: usize,
    /// Residents-level cases handed to the grid because their building leaders let the
    /// response deadline pass (`backstopped` events).
    pub backstopped: usize,
    /// `escalated` events written.
    pub escalated: usize,
    /// Issues closed without a rating after `auto_confirm_after` in `awaiting_confirmation`.
    pub auto_confirmed: usize,
    /// Issues put into the 回头看 queue.
    pub revisits_queued: usize,
    /// Candidates that were no longer due, or that another process handled first.
    pub skipped: usize,
    /// Candidates that failed (logged); retried at the next tick.
    pub failed: usize,
}

impl TickReport {
    pub fn changed(&self) -> usize {
        self.backstopped + self.escalated + self.auto_confirmed + self.revisits_queued
    }
}

/// Outcome counts of one sweep.
#[derive(Default)]
struct Sweep {
    applied: usize,
    skipped: usize,
    failed: usize,
}

impl Application {
    /// Run every due job once, at the clock's current time. Blocking.
    pub fn scheduler_tick(&self) -> AppResult<TickReport> {
        tick(self)
    }
}

/// Run every due job once, at the clock's current time. Blocking: call it off the async worker.
pub fn tick(app: &Application) -> AppResult<TickReport> {
    let now = app.now();
    let cfg = &app.config.workflow;
    let mut conn = db::get(&app.pool).map_err(|e| AppError::Unavailable(e.to_string()))?;
    let conn: &mut DbConn = &mut conn;
    let now_ms = to_millis(now);

    // First: a case the building leaders left unanswered goes to the grid with fresh deadlines,
    // rather than being escalated for the leaders' silence.
    let backstop = sweep(
        app,
        conn,
        cfg,
        now,
        |c, after| due::backstop_candidates(c, now_ms, after, BATCH),
        |issue| issue.backstop_due(now).then_some(Command::Backstop),
    )?;

    let second_ms = cfg.second_escalation_after.num_milliseconds();
    let escalation = sweep(
        app,
        conn,
        cfg,
        now,
        |c, after| due::escalation_candidates(c, now_ms, second_ms, after, BATCH),
        |issue| {
            issue
                .escalation_due(now, cfg)
                .map(|step| Command::Escalate { step })
        },
    )?;

    let confirm_cutoff = to_millis(now - cfg.auto_confirm_after);
    let confirmation = sweep(
        app,
        conn,
        cfg,
        now,
        |c, after| due::auto_confirm_candidates(c, confirm_cutoff, after, BATCH),
        |issue| {
            issue
                .auto_confirm_due(now, cfg)
                .then_some(Command::AutoConfirm)
        },
    )?;

    let revisit_cutoff = to_millis(now - cfg.revisit_after);
    let revisit = sweep(
        app,
        conn,
        cfg,
        now,
        |c, after| {
            due::revisit_candidates(c, revisit_cutoff, cfg.revisit_sample_percent, after, BATCH)
        },
        |issue| issue.revisit_due(now, cfg).then_some(Command::QueueRevisit),
    )?;

    // Housekeeping: failed logins older than the window count for nothing any more, and
    // idempotency keys past their time to live answer no retry.
    let login_cutoff = to_millis(now - app.config.login_window);
    let login_failures_pruned = app.write(|conn| Ok(login_failures::prune(conn, login_cutoff)?))?;
    let key_cutoff = to_millis(now - chrono::Duration::hours(IDEMPOTENCY_TTL_HOURS));
    app.write(|conn| Ok(idempotency::purge_older_than(conn, key_cutoff)?))?;
    let outbox_cutoff = to_millis(now - chrono::Duration::days(OUTBOX_RETENTION_DAYS));
    let outbox_pruned = app.write(|conn| Ok(outbox::prune(conn, outbox_cutoff)?))?;
    let sms_cutoff = to_millis(now - chrono::Duration::days(2));
    let sms_codes_pruned = app.write(|conn| Ok(sms_codes::prune(conn, sms_cutoff)?))?;

    Ok(TickReport {
        login_failures_pruned,
        outbox_pruned,
        sms_codes_pruned,
        backstopped: backstop.applied,
        escalated: escalation.applied,
        auto_confirmed: confirmation.applied,
        revisits_queued: revisit.applied,
        skipped: backstop.skipped + escalation.skipped + confirmation.skipped + revisit.skipped,
        failed: backstop.failed + escalation.failed + confirmation.failed + revisit.failed,
    })
}

/// Walk the candidates `find` yields (keyset by id, so each is seen once per tick) and apply
/// the command `due` gives for each, one transaction per issue.
fn sweep(
    app: &Application,
    conn: &mut DbConn,
    cfg: &WorkflowConfig,
    now: DateTime<Utc>,
    find: impl Fn(&mut DbConn, i64) -> Result<Vec<Candidate>, RepoError>,
    due: impl Fn(&Issue) -> Option<Command>,
) -> AppResult<Sweep> {
    let mut out = Sweep::default();
    let mut after = 0;
    loop {
        let batch = find(conn, after)?;
        for candidate in &batch {
            match apply_one(app, cfg, now, IssueId(candidate.id), &due) {
                Ok(true) => out.applied += 1,
                Ok(false) => out.skipped += 1,
                Err(e) => {
                    tracing::warn!(issue_id = candidate.id, error = %e, "scheduler could not update an issue");
                    out.failed += 1;
                }
            }
        }
        match batch.last() {
            Some(last) if i64::try_from(batch.len()).unwrap_or(i64::MAX) >= BATCH => {
                after = last.id
            }
            _ => return Ok(out),
        }
    }
}

/// Decide and apply in one transaction. `Ok(false)`: not due any more, or another process
/// changed the issue first.
fn apply_one(
    app: &Application,
    cfg: &WorkflowConfig,
    now: DateTime<Utc>,
    id: IssueId,
    due: &impl Fn(&Issue) -> Option<Command>,
) -> AppResult<bool> {
    // Through the application's write path (on SQLite, the one writer connection).
    let result = app.write(|conn| {
        let issue = issues::find(conn, id)?;
        let Some(command) = due(&issue) else {
            return Ok(false);
        };
        execute(
            conn,
            cfg,
            None,
            id,
            Some(issue.version),
            now,
            move |_, _| Ok(command),
        )?;
        Ok(true)
    });
    match result {
        Err(AppError::StaleVersion) => Ok(false),
        other => other,
    }
}
