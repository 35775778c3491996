//! 延期 (issue 12, item 4): the handler asks for a later resolution deadline; the dispatcher
//! approves (the deadline moves, the resident is told the new date, the case is not overdue
//! before it) or refuses (the deadline stands); counted on the issue and in the report.

use chrono::Duration;
use linli_tests::{TestApp, serde_json::json};

#[actix_web::test]
async fn an_approved_extension_keeps_a_case_from_being_overdue_a_refused_one_does_not() {
    let (app, mut cast) = TestApp::with_cast().await;
    let approved = app.resident_files(&cast, "water_leak").await;
    let refused = app.resident_files(&cast, "water_leak").await;
    for id in [approved, refused] {
        app.triage(&cast.dispatcher, id).await;
        app.answer(&cast.property_1, id, "收到，等待配件").await;
    }
    let due = app.view(&cast.dispatcher, approved).await.resolution_due;
    let later = due + Duration::days(5);

    // Only the handler asks, for a later date than the deadline, with a reason.
    let ask = |id: i64, at, reason: &'static str| {
        let app = &app;
        let who = cast.property_1.clone();
        async move { app.request_extension(&who, id, at, reason).await }
    };
    app.request_extension(&cast.dispatcher, approved, later, "配件未到")
        .await
        .expect_problem(403, "forbidden");
    app.request_extension(&cast.resident, approved, later, "配件未到")
        .await
        .expect_problem(403, "forbidden");
    ask(approved, due - Duration::hours(1), "配件未到")
        .await
        .expect_problem(422, "validation_failed");
    ask(approved, later, " ")
        .await
        .expect_problem(422, "validation_failed");
    app.post_as(
        &cast.property_1,
        &format!("/api/v1/issues/{approved}/extension-requests"),
        &json!({"new_resolution_due": "next week", "reason": "配件未到"}),
    )
    .await
    .expect_problem(422, "validation_failed");

    let before = app.unread(&cast.dispatcher).await;
    let res = ask(approved, later, "水泵需厂家配件，预计5天到货")
        .await
        .expect(201);
    assert_eq!(res.body["status"], "pending");
    let rid = res.body["id"].as_i64().unwrap();
    assert!(res.header("ETag").is_some());
    // The dispatchers are told; a second request waits for the first.
    assert_eq!(app.unread(&cast.dispatcher).await, before + 1);
    ask(approved, later, "再申请")
        .await
        .expect_problem(409, "illegal_transition");
    let rid_refused = ask(refused, later, "配件未到").await.expect(201).id();
    let pending = app.view(&cast.resident, approved).await;
    assert_eq!(pending.pending_extension_due, Some(later));
    assert_eq!(pending.resolution_due, due, "not moved before the decision");

    // Only the street's dispatcher decides; the handler may not approve its own request.
    app.decide_extension(&cast.property_1, approved, rid, true, "同意")
        .problem(403, "forbidden")
        .await;
    app.decide_extension(&cast.street_official, approved, rid, true, "同意")
        .problem(403, "forbidden")
        .await;
    // Another issue's request is not found under this one.
    app.decide_extension(&cast.dispatcher, approved, rid_refused, true, "同意")
        .problem(404, "not_found")
        .await;

    let moved = app
        .decide_extension(&cast.dispatcher, approved, rid, true, "情况属实，同意延期")
        .await;
    assert_eq!(moved.resolution_due, later);
    assert_eq!(
        (moved.extension_count, moved.pending_extension_due),
        (1, None)
    );
    app.decide_extension(&cast.dispatcher, approved, rid, false, "改主意")
        .problem(409, "already_decided")
        .await;
    let kept = app
        .decide_extension(
            &cast.dispatcher,
            refused,
            rid_refused,
            false,
            "配件可本地采购，不予延期",
        )
        .await;
    assert_eq!((kept.resolution_due, kept.extension_count), (due, 0));

    // The resident is told of the approval and reads the new date; not of the refusal.
    assert!(
        app.notified(&cast.resident, approved, "extension_approved")
            .await
    );
    assert!(
        !app.notified(&cast.resident, refused, "extension_refused")
            .await
    );
    assert!(
        app.notified(&cast.property_1, refused, "extension_refused")
            .await
    );
    let events = app.events(&cast.resident, approved).await;
    let approval = events
        .iter()
        .find(|e| e["kind"] == "extension_approved")
        .unwrap();
    let told: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(approval["data"]["resolution_due"].clone()).unwrap();
    assert_eq!(told, later);
    assert_eq!(approval["data"]["request_id"], rid);
    let listed = app
        .get_as(
            &cast.dispatcher,
            &format!("/api/v1/issues/{approved}/extension-requests"),
        )
        .await
        .expect(200);
    assert_eq!(listed.body["items"][0]["status"], "approved");
    assert_eq!(
        listed.body["items"][0]["decision_note"],
        "情况属实，同意延期"
    );

    // The report counts the approved extension.
    let summary = app
        .community_summary(&cast.auditor, cast.district.community_a)
        .await;
    assert_eq!(summary["extended"], 1, "{summary}");

    // Past the old deadline: the refused case is overdue, the extended one is not.
    app.clock.set(due + Duration::hours(2));
    cast.relogin(&app).await;
    assert!(!app.view(&cast.dispatcher, approved).await.overdue);
    assert!(app.view(&cast.dispatcher, refused).await.overdue);
    let overdue = app.list_ids(&cast.dispatcher, "&overdue=true").await;
    assert!(overdue.contains(&refused) && !overdue.contains(&approved));
    // The scheduler escalates the refused one only.
    app.tick();
    assert_eq!(app.view(&cast.dispatcher, refused).await.escalation_step, 1);
    assert_eq!(
        app.view(&cast.dispatcher, approved).await.escalation_step,
        0
    );
    // Past the new date it is overdue after all.
    app.clock.set(later + Duration::hours(1));
    cast.relogin(&app).await;
    assert!(app.view(&cast.dispatcher, approved).await.overdue);
}

#[actix_web::test]
async fn a_pending_request_lapses_when_the_case_is_reassigned() {
    let (app, cast) = TestApp::with_cast().await;
    let id = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, id).await;
    app.answer(&cast.property_1, id, "收到，等待配件").await;
    let due = app.view(&cast.dispatcher, id).await.resolution_due;
    let rid = app
        .request_extension(&cast.property_1, id, due + Duration::days(5), "配件未到")
        .await
        .expect(201)
        .id();

    // 改派 to a department: the company's request is not the department's to keep.
    app.post_as(
        &cast.dispatcher,
        &format!("/api/v1/issues/{id}/reassign"),
        &json!({"level": "department", "department": "供水公司", "reason": "属供水管网"}),
    )
    .await
    .expect(200);
    let view = app.view(&cast.dispatcher, id).await;
    assert_eq!(view.pending_extension_due, None);
    let requests = app
        .get_as(
            &cast.dispatcher,
            &format!("/api/v1/issues/{id}/extension-requests"),
        )
        .await
        .expect(200);
    let listed = &requests.body["items"][0];
    assert_eq!(listed["id"], rid, "{}", requests.body);
    assert_eq!(listed["status"], "lapsed", "{}", requests.body);
    assert!(listed["decided_at"].is_string(), "{}", requests.body);
    // Nothing left to decide.
    app.decide_extension(&cast.dispatcher, id, rid, true, "同意")
        .problem(409, "already_decided")
        .await;
    assert_eq!(app.view(&cast.dispatcher, id).await.extension_count, 0);
}
