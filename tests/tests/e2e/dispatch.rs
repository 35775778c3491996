//! The dispatch centre's tools (issue 12): 退单 with adjudication and the 回退率 it feeds.

use linli_tests::{
    Cast, TestApp,
    serde_json::{Value, json},
};

/// The summary row of the cast's community A, by the auditor, for the issues filed around now.
async fn community_a_summary(app: &TestApp, cast: &Cast) -> Value {
    app.community_summary(&cast.auditor, cast.district.community_a)
        .await
}

#[actix_web::test]
async fn returns_upheld_and_not_upheld_give_the_return_rate() {
    let (app, cast) = TestApp::with_cast().await;

    // A: property company 1 returns it as not its duty; upheld, the grid takes it.
    let a = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, a).await;
    let returned = app
        .return_issue(&cast.property_1, a, "not_our_duty", "楼道积水来自市政管网")
        .await;
    assert_eq!(
        (returned.status.as_str(), returned.return_count),
        ("returned", 1)
    );
    // The handler cannot decide its own return; another street's nobody either.
    app.decide_return(&cast.property_1, a, true, "成立")
        .problem(403, "forbidden")
        .await;
    // Upheld to the same handler (the suggestion) is refused.
    app.decide_return(&cast.dispatcher, a, true, "成立")
        .problem(422, "validation_failed")
        .await;
    let upheld = app
        .decide_return(&cast.dispatcher, a, true, "属实，转网格员处理")
        .with("level", "grid")
        .await;
    assert_eq!(upheld.status, "triaged");
    assert_eq!(upheld.level.as_deref(), Some("grid"));
    assert_eq!(
        upheld.handler.as_ref().map(|h| (h.kind.as_str(), h.id)),
        Some(("grid", Some(cast.district.grid_a)))
    );
    // The company that returned it no longer sees it; the grid worker answers it.
    app.issue(&cast.property_1, a).await.expect(404);
    app.answer(&cast.grid_worker, a, "网格员已到场").await;
    app.assert_timeline(
        &cast.dispatcher,
        a,
        "created triaged returned return_upheld answered",
    )
    .await;

    // B: returned twice from in_progress, not upheld twice: back to the same company, in
    // progress, and both returns count against it.
    let b = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, b).await;
    app.answer(&cast.property_1, b, "收到").await;
    for round in 1..=2 {
        app.return_issue(&cast.property_1, b, "ownership_unclear", "管道产权不清")
            .await;
        // Not upheld: naming another handler is refused.
        app.decide_return(&cast.dispatcher, b, false, "不成立")
            .with("level", "grid")
            .problem(422, "validation_failed")
            .await;
        let back = app
            .decide_return(&cast.dispatcher, b, false, "属物业服务范围，请继续办理")
            .await;
        assert_eq!(back.status, "in_progress", "round {round}");
        assert_eq!(back.return_count, round);
        assert_eq!(
            back.handler.as_ref().map(|h| h.kind.as_str()),
            Some("property_company")
        );
    }
    app.rectify(&cast.property_1, b, "已修复").await;

    // C: returned, not decided yet: counted as returned, not in the rate.
    let c = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, c).await;
    app.return_issue(&cast.property_1, c, "insufficient_info", "地址不详")
        .await;

    // Bad input and wrong states change nothing; the grid's case is not the company's to return.
    app.return_issue(&cast.property_1, a, "not_our_duty", "x")
        .problem(404, "not_found")
        .await;
    app.return_issue(&cast.official, a, "not_our_duty", "x")
        .problem(403, "forbidden")
        .await;
    app.return_issue(&cast.property_1, c, "lazy", "不想干")
        .problem(422, "validation_failed")
        .await;
    app.return_issue(&cast.property_1, c, "not_our_duty", "又退")
        .problem(409, "illegal_transition")
        .await;
    let fresh = app.resident_files(&cast, "water_leak").await;
    app.decide_return(&cast.dispatcher, fresh, false, "x")
        .problem(409, "illegal_transition")
        .await;
    assert_eq!(app.view(&cast.dispatcher, c).await.status, "returned");

    let summary = community_a_summary(&app, &cast).await;
    // Returns: A 1 + B 2 + C 1 = 4. Decided: A upheld, B overruled twice → 1 ÷ 3.
    assert_eq!(summary["returned"], 4, "{summary}");
    let rate = summary["return_upheld_rate"].as_f64().unwrap();
    assert!((rate - 1.0 / 3.0).abs() < 1e-12, "{summary}");
}

/// `who`'s unread notifications.
#[actix_web::test]
async fn a_reassigned_case_leaves_its_old_handler() {
    let (app, cast) = TestApp::with_cast().await;
    let id = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, id).await;
    app.answer(&cast.property_1, id, "收到").await;
    let comments = format!("/api/v1/issues/{id}/comments");
    app.post_as(
        &cast.property_1,
        &comments,
        &json!({"body": "配件在路上", "internal": true}),
    )
    .await
    .expect(201);

    // Only the street's dispatcher reassigns, with a reason, to another handler.
    app.reassign(&cast.property_1, id, "换人")
        .with("level", "grid")
        .problem(403, "forbidden")
        .await;
    app.reassign(&cast.dispatcher, id, "换人")
        .problem(422, "validation_failed")
        .await;
    app.reassign(&cast.dispatcher, id, " ")
        .with("level", "grid")
        .problem(422, "validation_failed")
        .await;
    let before = app.unread(&cast.property_1).await;
    let moved = app
        .reassign(&cast.dispatcher, id, "物业迟迟未到场，改由网格员处理")
        .with("level", "grid")
        .await;
    assert_eq!(moved.status, "triaged");
    assert_eq!(
        moved.handler.as_ref().map(|h| (h.kind.as_str(), h.id)),
        Some(("grid", Some(cast.district.grid_a)))
    );
    // The old handler is told, and sees neither the case nor its comments any more.
    assert_eq!(app.unread(&cast.property_1).await, before + 1);
    app.post_as(
        &cast.grid_worker,
        &comments,
        &json!({"body": "网格员接手", "internal": true}),
    )
    .await
    .expect(201);
    app.issue(&cast.property_1, id).await.expect(404);
    app.get_as(&cast.property_1, &comments).await.expect(404);
    // The new handler takes it on.
    app.answer(&cast.grid_worker, id, "网格员已到场").await;
    app.assert_timeline(
        &cast.dispatcher,
        id,
        "created triaged answered reassigned answered",
    )
    .await;
    // Not from submitted: nobody handles it yet.
    let fresh = app.resident_files(&cast, "water_leak").await;
    app.reassign(&cast.dispatcher, fresh, "x")
        .with("level", "grid")
        .problem(409, "illegal_transition")
        .await;
}
