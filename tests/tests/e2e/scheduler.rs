//! The background task with the injected clock (no sleeping): escalation one step at a time
//! and never twice, auto-confirmation after 7 days, the 回头看 queue after 14 days and who
//! sees it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use chrono::Duration;
use linli_api::scheduler::{self, TickReport};
use linli_domain::issue::{Closure, IssueStatus};
use linli_tests::{Session, TestApp};

/// The `escalated` events of an issue: (step, target).
fn escalations(app: &TestApp, issue: i64) -> Vec<(i64, String)> {
    let mut conn = app.conn();
    linli_infra::repo::issues::events(&mut conn, linli_domain::ids::IssueId(issue))
        .unwrap()
        .into_iter()
        .filter(|e| e.head.kind == "escalated")
        .map(|e| {
            assert!(e.actor_id.is_none(), "the scheduler acts, not a person");
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap();
            (
                data["step"].as_i64().unwrap(),
                data["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn notification_kinds(app: &TestApp, who: &Session) -> Vec<String> {
    let kinds = app.notifications(who).await.into_iter();
    kinds.map(|(_, kind)| kind).collect()
}

#[actix_web::test]
async fn an_overdue_issue_is_escalated_once_per_step() {
    let app = TestApp::new().await;
    let mut cast = app.cast().await;
    // Urgent: 12 h to respond.
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    app.triage_direct(issue, &cast.dispatcher);
    let response_due = app.issue_direct(issue).deadlines.response_due;

    // Not yet due: nothing happens.
    app.clock.set(response_due);
    assert_eq!(app.tick(), TickReport::default());

    app.clock.set(response_due + Duration::minutes(1));
    let report = app.tick();
    assert_eq!(report.escalated, 1, "{report:?}");
    assert_eq!(
        escalations(&app, issue),
        [(1, "community_official".to_owned())]
    );
    assert_eq!(app.issue_direct(issue).escalation_step, 1);
    assert_eq!(
        app.issue_direct(issue).status,
        IssueStatus::Triaged,
        "no state change"
    );

    // Again at once: the step is done.
    assert_eq!(app.tick().escalated, 0);
    app.clock.advance(Duration::hours(23));
    assert_eq!(
        app.tick().escalated,
        0,
        "step 2 only 24 h after the missed deadline"
    );
    assert_eq!(escalations(&app, issue).len(), 1);

    app.clock.advance(Duration::hours(1));
    assert_eq!(app.tick().escalated, 1);
    assert_eq!(
        escalations(&app, issue),
        [
            (1, "community_official".to_owned()),
            (2, "street_dispatcher".to_owned())
        ]
    );
    // There is no step 3.
    app.clock.advance(Duration::days(30));
    assert_eq!(app.tick().escalated, 0);
    assert_eq!(escalations(&app, issue).len(), 2);

    // Step 1 told the community's official, step 2 the street's dispatcher.
    cast.relogin(&app).await;
    assert!(
        notification_kinds(&app, &cast.official)
            .await
            .contains(&"escalated".to_owned())
    );
    assert!(
        !notification_kinds(&app, &cast.official_b)
            .await
            .contains(&"escalated".to_owned())
    );
    assert!(
        notification_kinds(&app, &cast.dispatcher)
            .await
            .contains(&"escalated".to_owned())
    );

    // A closed issue is never escalated, however late it is.
    let ok = app.resident_files_direct(&cast, "water_leak", true);
    app.triage_direct(ok, &cast.dispatcher);
    app.rectify_direct(ok, &cast.property_1, Some(&cast.committee));
    app.confirm_direct(ok, &cast.resident, 5);
    app.clock.advance(Duration::days(5));
    app.tick();
    assert!(escalations(&app, ok).is_empty());
}

#[actix_web::test]
async fn concurrent_ticks_write_each_escalation_once() {
    let (app, cast) = TestApp::with_cast().await;
    let d = cast.district;
    // Filed at 23:00 on Tuesday in Shanghai: the small ads' one working day (Wednesday) ends
    // 25 h later, before the water leaks (12 h) are due for their second step (36 h).
    app.clock.advance(Duration::hours(15));
    let issues: Vec<i64> = (0..6)
        .map(|i| {
            let building = Some(d.building_a1);
            let category = if i % 2 == 0 {
                "water_leak"
            } else {
                "small_ads"
            };
            app.file_issue_direct(&cast.resident, d.compound_a, building, category, true)
        })
        .collect();
    // Untriaged issues miss their response deadline too.
    app.clock.advance(Duration::hours(26));

    let race = |app: &TestApp| -> usize {
        let barrier = Arc::new(Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let state = app.state.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    scheduler::tick(&state).unwrap()
                })
            })
            .collect();
        let reports: Vec<TickReport> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(reports.iter().all(|r| r.failed == 0), "{reports:?}");
        reports.iter().map(|r| r.escalated).sum()
    };

    assert_eq!(race(&app), issues.len());
    for id in &issues {
        assert_eq!(escalations(&app, *id).len(), 1, "issue {id}");
    }
    app.clock.advance(Duration::hours(24));
    assert_eq!(race(&app), issues.len());
    for id in &issues {
        let steps: Vec<i64> = escalations(&app, *id).into_iter().map(|(s, _)| s).collect();
        assert_eq!(steps, [1, 2], "issue {id}");
    }
    assert_eq!(race(&app), 0);
}

#[actix_web::test]
async fn an_unconfirmed_issue_closes_itself_after_seven_days() {
    let app = TestApp::new().await;
    let mut cast = app.cast().await;
    let issue = app.resident_files_direct(&cast, "small_ads", true);
    app.triage_direct(issue, &cast.dispatcher);
    let waiting = app.rectify_direct(issue, &cast.grid_worker, None);
    assert_eq!(waiting.status, IssueStatus::AwaitingConfirmation);

    app.clock.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(app.tick().auto_confirmed, 0);
    assert_eq!(
        app.issue_direct(issue).status,
        IssueStatus::AwaitingConfirmation
    );

    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.tick().auto_confirmed, 1);
    let closed = app.issue_direct(issue);
    assert_eq!(closed.status, IssueStatus::Closed);
    assert_eq!(closed.closure, Some(Closure::AutoConfirmed));
    assert_eq!(closed.satisfaction, None, "no rating is invented");
    assert_eq!(
        app.event_kinds_direct(issue).last().map(String::as_str),
        Some("auto_confirmed")
    );
    assert_eq!(app.tick().auto_confirmed, 0);
    assert_eq!(
        app.event_kinds_direct(issue)
            .iter()
            .filter(|k| *k == "auto_confirmed")
            .count(),
        1
    );

    cast.relogin(&app).await;
    assert_eq!(
        notification_kinds(&app, &cast.resident)
            .await
            .first()
            .map(String::as_str),
        Some("auto_confirmed")
    );
}

/// Close `issue` (property level) with the resident's rating.
fn close_property_issue(
    app: &TestApp,
    issue: i64,
    reporter: &Session,
    dispatcher: &Session,
    staff: &Session,
    committee: &Session,
    rating: i64,
) {
    app.triage_direct(issue, dispatcher);
    app.rectify_direct(issue, staff, Some(committee));
    let closed = app.confirm_direct(issue, reporter, rating);
    assert_eq!(closed.status, IssueStatus::Closed);
}

#[actix_web::test]
async fn poorly_rated_and_emergency_issues_are_queued_for_a_revisit() {
    // No random sample here, so that exactly the rule-based ones are queued.
    let app = TestApp::with_config(|c| c.workflow.revisit_sample_percent = 0).await;
    let mut cast = app.cast().await;
    let d = cast.district;
    let outsider = cast.outsider.clone();
    let (r, disp, p1, p2, cm, cmb) = (
        &cast.resident,
        &cast.dispatcher,
        &cast.property_1,
        &cast.property_2,
        &cast.committee,
        &cast.committee_b,
    );
    // Rated 2: queued. An emergency rated 5: queued. Rated 5, ordinary: not. Rated 3: queued.
    let poor = app.file_issue_direct(r, d.compound_a, Some(d.building_a1), "water_leak", true);
    close_property_issue(&app, poor, r, disp, p1, cm, 2);
    let emergency = app.file_issue_direct(
        r,
        d.compound_a,
        Some(d.building_a1),
        "fire_escape_blocked",
        true,
    );
    close_property_issue(&app, emergency, r, disp, p1, cm, 5);
    let fine = app.file_issue_direct(r, d.compound_a, Some(d.building_a1), "street_lamp", true);
    close_property_issue(&app, fine, r, disp, p1, cm, 5);
    let middling = app.file_issue_direct(r, d.compound_a, Some(d.building_a1), "greening", true);
    close_property_issue(&app, middling, r, disp, p1, cm, 3);
    // Community B, rated 1: queued for community B's official only.
    let other = app.file_issue_direct(
        &outsider,
        d.compound_b,
        Some(d.building_b1),
        "parking",
        true,
    );
    close_property_issue(&app, other, &outsider, disp, p2, cmb, 1);

    app.clock.advance(Duration::days(14) - Duration::minutes(1));
    assert_eq!(app.tick().revisits_queued, 0);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.tick().revisits_queued, 4);
    assert_eq!(app.tick().revisits_queued, 0, "queued once");
    for id in [poor, emergency, middling, other] {
        assert!(app.issue_direct(id).revisit_queued, "issue {id}");
        assert_eq!(
            app.event_kinds_direct(id)
                .iter()
                .filter(|k| *k == "revisit_queued")
                .count(),
            1
        );
    }
    assert!(!app.issue_direct(fine).revisit_queued);

    cast.relogin(&app).await;
    let due = app
        .get_as(&cast.official, "/api/v1/revisits/due")
        .await
        .expect(200);
    assert_eq!(due.ids(), [poor, emergency, middling]);
    assert_eq!(due.body["items"][0]["revisit_queued"], true);
    assert_eq!(due.body["items"][0]["status"], "closed");
    assert!(due.body["next_cursor"].is_null());
    let due_b = app
        .get_as(&cast.official_b, "/api/v1/revisits/due")
        .await
        .expect(200);
    assert_eq!(due_b.ids(), [other]);
    for who in [
        &cast.dispatcher,
        &cast.resident,
        &cast.auditor,
        &cast.mediator,
        &cast.committee,
    ] {
        app.get_as(who, "/api/v1/revisits/due")
            .await
            .expect_problem(403, "forbidden");
    }
    assert!(
        notification_kinds(&app, &cast.official)
            .await
            .contains(&"revisit_queued".to_owned())
    );

    // Paged.
    let page = app
        .get_as(&cast.official, "/api/v1/revisits/due?limit=2")
        .await
        .expect(200);
    assert_eq!(page.ids(), [poor, emergency]);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .get_as(
            &cast.official,
            &format!("/api/v1/revisits/due?limit=2&cursor={cursor}"),
        )
        .await
        .expect(200);
    assert_eq!(rest.ids(), [middling]);

    // Once revisited it leaves the queue, and is not queued again.
    app.command_direct(
        poor,
        Some(&cast.official),
        linli_domain::issue::Command::Revisit {
            outcome: linli_domain::issue::RevisitOutcome::Confirmed,
            notes: linli_domain::values::Note::parse("回访确认已解决").unwrap(),
        },
    )
    .unwrap();
    let due = app
        .get_as(&cast.official, "/api/v1/revisits/due")
        .await
        .expect(200);
    assert_eq!(due.ids(), [emergency, middling]);
    app.clock.advance(Duration::days(30));
    assert_eq!(app.tick().revisits_queued, 0);
}

#[actix_web::test]
async fn the_sample_of_ordinary_closed_issues_is_deterministic() {
    let app = TestApp::with_config(|c| c.workflow.revisit_sample_percent = 100).await;
    let cast = app.cast().await;
    let fine = app.resident_files_direct(&cast, "street_lamp", true);
    close_property_issue(
        &app,
        fine,
        &cast.resident,
        &cast.dispatcher,
        &cast.property_1,
        &cast.committee,
        5,
    );
    app.clock.advance(Duration::days(14));
    assert_eq!(app.tick().revisits_queued, 1);
    assert!(app.issue_direct(fine).revisit_queued);
}

#[actix_web::test]
async fn waiting_for_the_resident_is_not_overdue_and_a_reopening_restarts_the_clock() {
    let app = TestApp::new().await;
    let mut cast = app.cast().await;
    // Urgent: 72 h to resolve.
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    app.triage_direct(issue, &cast.dispatcher);
    app.rectify_direct(issue, &cast.property_1, Some(&cast.committee));
    let due = app.issue_direct(issue).deadlines.resolution_due;

    // Two days past the deadline (before auto-confirmation), still awaiting the resident:
    // nobody to escalate.
    app.clock.set(due + Duration::days(2));
    let report = app.tick();
    assert_eq!(report.escalated, 0, "{report:?}");
    assert!(escalations(&app, issue).is_empty());

    // The resident says it is not fixed: back to work with a fresh 72-hour window.
    cast.relogin(&app).await;
    let res = app
        .post_as(
            &cast.resident,
            &format!("/api/v1/issues/{issue}/confirmation"),
            &serde_json::json!({"resolved": false, "comment": "还在漏"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["status"], "in_progress");
    assert_eq!(res.body["overdue"], false);
    let renewed = app.issue_direct(issue).deadlines.resolution_due;
    assert_eq!(renewed, app.now() + Duration::hours(72));
    assert_eq!(app.tick().escalated, 0);

    app.clock.set(renewed + Duration::minutes(1));
    assert_eq!(app.tick().escalated, 1);
    assert_eq!(
        escalations(&app, issue),
        vec![(1, "community_official".to_owned())]
    );
}

#[actix_web::test]
async fn push_messages_and_sms_codes_are_forgotten_after_their_retention() {
    let app = TestApp::new().await;
    let cast = app.cast().await;
    let issue = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, issue).expect(200).await;
    app.sms_code(&app.next_phone(), "register").await;
    let (queued, codes) = (app.count("outbox"), app.count("sms_codes"));
    assert!(queued > 0 && codes > 0, "{queued} {codes}");

    // Within the week the outbox keeps them (retries while a gateway is down); codes a day
    // (the daily limit counts them).
    app.clock.advance(Duration::days(1));
    let report = app.tick();
    assert_eq!((report.outbox_pruned, report.sms_codes_pruned), (0, 0));
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(app.tick().sms_codes_pruned as i64, codes);
    assert_eq!(app.count("sms_codes"), 0);

    // A week after they were queued they go; what was queued since stays.
    app.clock.advance(Duration::days(5));
    // (Tokens have long expired: the fresh case is filed and triaged directly.)
    let fresh = app.resident_files_direct(&cast, "street_lamp", true);
    app.triage_direct(fresh, &cast.dispatcher);
    let since = app.count("outbox") - queued;
    assert!(since > 0, "the triage queued a push message");
    assert_eq!(app.tick().outbox_pruned as i64, queued);
    assert_eq!(app.count("outbox"), since);
}
