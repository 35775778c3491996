//! Issue histories written through the application layer's one command path
//! (`intake::file`, `issues::execute`, on behalf of the system) at chosen timestamps, so the
//! tests of reports and ratings can compute every expected number by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use linli_api::application::issues::{execute, intake};
use linli_domain::{
    category::CategoryCode,
    ids::UserId,
    issue::{Command, Issue, NewIssue, Place, RevisitOutcome, Source, WorkflowConfig},
    triage::{self, TriageOverrides},
    values::{IssueDescription, Note, Satisfaction},
};
use linli_infra::DbConn;

pub fn note(text: &str) -> Note {
    Note::parse(text).unwrap()
}

/// Writes issue histories through the application layer, at chosen times.
pub struct History<'c> {
    pub conn: &'c mut DbConn,
    pub config: WorkflowConfig,
    pub reporter: UserId,
}

/// 2026-07-`day` 00:00 UTC.
pub fn july(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, day, 0, 0, 0)
        .single()
        .unwrap()
}

pub fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

impl History<'_> {
    pub fn file(&mut self, place: Place, category: CategoryCode, at: DateTime<Utc>) -> Issue {
        self.file_as(self.reporter, Source::App, place, category, at)
    }

    /// Filed by `reporter` with `source`: a patrol or hotline case staff filed (and confirm).
    pub fn file_as(
        &mut self,
        reporter: UserId,
        source: Source,
        place: Place,
        category: CategoryCode,
        at: DateTime<Utc>,
    ) -> Issue {
        let mut new = NewIssue::reported(
            reporter,
            category,
            place,
            IssueDescription::parse("报告测试用的诉求").unwrap(),
            false,
        );
        new.source = source;
        intake::file(self.conn, &self.config, new, None, at)
            .unwrap()
            .issue
    }

    /// Decide `command` at `created_at + after`, apply it and store it.
    pub fn step(&mut self, issue: &mut Issue, after: Duration, command: Command) {
        let at = issue.created_at + after;
        let label = format!("{command:?}");
        let (id, version) = (issue.id, issue.version);
        *issue = execute(
            self.conn,
            &self.config,
            None,
            id,
            Some(version),
            at,
            |_, _| Ok(command),
        )
        .unwrap_or_else(|e| panic!("{label} on issue {id}: {e}"))
        .issue;
    }

    /// Triage with the suggested level, handler and deadlines.
    pub fn triage(&mut self, issue: &mut Issue, after: Duration) {
        let decision =
            triage::decide(&issue.suggestion, TriageOverrides::default(), &issue.place).unwrap();
        self.step(issue, after, Command::Triage(decision));
    }

    pub fn answer(&mut self, issue: &mut Issue, after: Duration) {
        let command = Command::Answer {
            message: note("收到，马上安排"),
            accept: true,
            reason: None,
        };
        self.step(issue, after, command);
    }

    pub fn rectify(&mut self, issue: &mut Issue, after: Duration) {
        let command = Command::SubmitRectification {
            notes: note("已整改"),
            photo_ids: vec![],
        };
        self.step(issue, after, command);
    }

    pub fn supervise(&mut self, issue: &mut Issue, after: Duration, passed: bool) {
        let command = Command::Supervise {
            passed,
            notes: note("业委会督查"),
        };
        self.step(issue, after, command);
    }

    pub fn confirm(&mut self, issue: &mut Issue, after: Duration, rating: i64) {
        let command = Command::Confirm {
            resolved: true,
            satisfaction: Some(Satisfaction::parse(rating).unwrap()),
            comment: None,
        };
        self.step(issue, after, command);
    }

    pub fn not_resolved(&mut self, issue: &mut Issue, after: Duration) {
        let command = Command::Confirm {
            resolved: false,
            satisfaction: None,
            comment: Some(note("还是坏的")),
        };
        self.step(issue, after, command);
    }

    pub fn revisit(&mut self, issue: &mut Issue, after: Duration, outcome: RevisitOutcome) {
        let command = Command::Revisit {
            outcome,
            notes: note("回头看"),
        };
        self.step(issue, after, command);
    }

    /// Triaged, answered and rectified at these hours after filing.
    pub fn handle(&mut self, issue: &mut Issue, triaged: i64, answered: i64, rectified: i64) {
        self.triage(issue, hours(triaged));
        self.answer(issue, hours(answered));
        self.rectify(issue, hours(rectified));
    }

    /// Sent back by the committee, rectified again, then passed, at these hours after filing.
    pub fn send_back_and_redo(
        &mut self,
        issue: &mut Issue,
        sent_back: i64,
        redone: i64,
        passed: i64,
    ) {
        self.supervise(issue, hours(sent_back), false);
        self.rectify(issue, hours(redone));
        self.supervise(issue, hours(passed), true);
    }

    /// A property-level issue through the whole happy path: triaged at 1 h, answered at 2 h,
    /// rectified at 24 h, passed by the committee at 30 h, confirmed at `closed_h`.
    pub fn happy(&mut self, place: Place, at: DateTime<Utc>, closed_h: i64, rating: i64) -> Issue {
        let mut i = self.file(place, CategoryCode::WATER_LEAK, at);
        self.handle(&mut i, 1, 2, 24);
        self.supervise(&mut i, hours(30), true);
        self.confirm(&mut i, hours(closed_h), rating);
        i
    }
}
