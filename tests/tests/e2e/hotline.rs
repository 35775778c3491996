//! Hotline intake (热线): the dispatcher records the caller's name, a callback number and the
//! 12345 ticket number; whoever handles or triages the case reads the number in full (the
//! callback is theirs), other staff masked, residents not at all; the ticket number finds it.

use linli_tests::{
    Cast, TestApp,
    serde_json::{Value, json},
};

const TICKET: &str = "12345-20260901-0042";

fn hotline_body(c: &Cast, caller: Value) -> Value {
    let mut body = c.district.issue_body("water_leak");
    body["source"] = json!("hotline");
    body["description"] = json!("刘先生来电：1栋地下车库漏水严重，请尽快处理");
    body["caller"] = caller;
    body
}

fn caller() -> Value {
    json!({"name": "刘先生", "phone": "139 0000 1111", "ticket_no": TICKET})
}

#[actix_web::test]
async fn the_callback_number_is_for_whoever_handles_the_case() {
    let (app, c) = TestApp::with_cast().await;
    let filed = app
        .file_issue(&c.dispatcher, &hotline_body(&c, caller()))
        .await
        .expect(201);
    let id = filed.id();
    assert_eq!(filed.body["source"], "hotline");
    assert_eq!(filed.body["ticket_no"], TICKET);
    assert_eq!(filed.body["kind"], "complaint");
    // The dispatcher who triages it reads the caller in full.
    let seen = app.issue(&c.dispatcher, id).await.expect(200).body;
    assert_eq!(
        seen["caller"],
        json!({"name": "刘先生", "phone": "13900001111", "masked": false})
    );
    // Before triage the property company does not handle it: it does not even see it.
    app.issue(&c.property_1, id).await.expect(404);
    app.triage(&c.dispatcher, id).await;

    // Its handler calls back.
    let handler = app.issue(&c.property_1, id).await.expect(200).body;
    assert_eq!(handler["caller"]["phone"], "13900001111");
    assert_eq!(handler["caller"]["masked"], false);
    // Other staff who may see the case read it masked; another company does not see it.
    for who in [&c.committee, &c.official, &c.grid_worker, &c.auditor] {
        let seen = app.issue(who, id).await.expect(200).body;
        assert_eq!(
            seen["caller"],
            json!({"name": "刘**", "phone": "139****1111", "masked": true}),
            "{}",
            who.role
        );
    }
    app.issue(&c.property_2, id).await.expect(404);
    // A neighbour sees the public case, not who called about it.
    let neighbour = app.issue(&c.neighbour, id).await.expect(200).body;
    assert!(neighbour["caller"].is_null());
    // Lists never carry the caller.
    let list = app
        .get("/api/v1/issues", Some(&c.property_1.access_token))
        .await
        .expect(200);
    assert!(list.body["items"][0]["caller"].is_null());
    assert_eq!(list.body["items"][0]["ticket_no"], TICKET);

    // Reassigned to another handler, the callback goes with the case.
    app.reassign(&c.dispatcher, id, "改由网格员处理")
        .with("level", "grid")
        .await;
    let grid = app.issue(&c.grid_worker, id).await.expect(200).body;
    assert_eq!(grid["caller"]["masked"], false);
    let company = app.issue(&c.property_1, id).await;
    assert!(company.status == 404 || company.body["caller"]["masked"] == true);
}

#[actix_web::test]
async fn a_hotline_case_is_found_by_its_ticket_number() {
    let (app, c) = TestApp::with_cast().await;
    let id = app
        .file_issue(&c.dispatcher, &hotline_body(&c, caller()))
        .await
        .expect(201)
        .id();
    let other = app
        .file_issue(
            &c.dispatcher,
            &hotline_body(&c, json!({"name": "陈女士", "phone": "13900002222"})),
        )
        .await
        .expect(201);
    assert!(other.body["ticket_no"].is_null());
    app.resident_files(&c, "water_leak").await;
    assert_eq!(
        app.list_ids(&c.dispatcher, &format!("&ticket_no={TICKET}"))
            .await,
        vec![id]
    );
    assert_eq!(
        app.list_ids(&c.dispatcher, "&ticket_no=12345-20260901-9999")
            .await,
        Vec::<i64>::new()
    );
    // Scoped like every list: the ticket number finds nothing the caller may not see.
    assert!(
        app.list_ids(&c.property_2, &format!("&ticket_no={TICKET}"))
            .await
            .is_empty()
    );
    app.get(
        "/api/v1/issues?ticket_no=%E5%B7%A5%E5%8D%95",
        Some(&c.dispatcher.access_token),
    )
    .await
    .expect_problem(400, "invalid_query");
}

#[actix_web::test]
async fn bad_callers_are_refused_and_file_nothing() {
    let (app, c) = TestApp::with_cast().await;
    let cases = [
        (json!({"name": "", "phone": "13900001111"}), "caller.name"),
        (json!({"name": "刘先生", "phone": "12345"}), "caller.phone"),
        (
            json!({"name": "刘先生", "phone": "13900001111", "ticket_no": "12345 工单"}),
            "caller.ticket_no",
        ),
    ];
    for (caller, field) in cases {
        let res = app
            .file_issue(&c.dispatcher, &hotline_body(&c, caller))
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{}", res.text);
    }
    // A caller belongs to a hotline case only.
    let mut body = hotline_body(&c, caller());
    body["source"] = json!("meeting");
    let res = app
        .file_issue(&c.dispatcher, &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "caller");
    let mut body = c.district.issue_body("water_leak");
    body["caller"] = caller();
    app.file_issue(&c.resident, &body)
        .await
        .expect_problem(422, "validation_failed");
    let mut body = hotline_body(&c, caller());
    body["caller"]["extension"] = json!("8001");
    app.file_issue(&c.dispatcher, &body)
        .await
        .expect_problem(400, "invalid_body");
    assert!(app.list_ids(&c.dispatcher, "").await.is_empty());
}
