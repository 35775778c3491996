//! Request types (诉求类型): a consultation is answered and closed; a suggestion or a praise is
//! acknowledged and closed — triaged like any case, then the handler's reply ends it, with no
//! rectification, supervision, confirmation or 回头看. The type is shown and filterable.

use linli_tests::{
    Cast, TestApp,
    serde_json::{Value, json},
};

/// File `category` of request type `kind` as the cast's resident; the new issue's body.
async fn file_kind(app: &TestApp, c: &Cast, category: &str, kind: &str) -> Value {
    let mut body = c.district.issue_body(category);
    body["kind"] = json!(kind);
    app.file_issue(&c.resident, &body).await.expect(201).body
}

fn actions(issue: &Value) -> Vec<&str> {
    issue["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_consultation_is_answered_and_closed() {
    let (app, c) = TestApp::with_cast().await;
    let filed = file_kind(&app, &c, "water_leak", "consultation").await;
    assert_eq!(filed["kind"], "consultation");
    let id = filed["id"].as_i64().unwrap();
    app.triage(&c.dispatcher, id).await;
    let triaged = app.issue(&c.property_1, id).await.expect(200).body;
    assert_eq!(triaged["status"], "triaged");
    assert!(actions(&triaged).contains(&"answer"));
    assert!(!actions(&triaged).contains(&"rectification"));

    let closed = app
        .answer(
            &c.property_1,
            id,
            "漏水维修基金的使用办法已在物业服务中心公示，可前往查阅",
        )
        .await;
    assert_eq!(closed.status, "closed");
    assert_eq!(closed.closure.as_deref(), Some("answered"));
    assert!(closed.responded_at.is_some() && closed.closed_at.is_some());
    assert_eq!(closed.satisfaction, None);
    app.assert_timeline(&c.resident, id, "created triaged consultation_answered")
        .await;
    let events = app.events(&c.resident, id).await;
    assert_eq!(
        events[2]["note"],
        "漏水维修基金的使用办法已在物业服务中心公示，可前往查阅"
    );
    // Nothing was fixed: nobody confirms, supervises or revisits it.
    for who in [&c.resident, &c.committee, &c.official, &c.property_1] {
        let seen = app.issue(who, id).await.expect(200).body;
        for action in ["confirmation", "supervision", "revisit", "rectification"] {
            assert!(
                !actions(&seen).contains(&action),
                "{action} for {}",
                who.role
            );
        }
    }
    app.revisit(&c.official, id, "confirmed", "回头看")
        .problem(409, "illegal_transition")
        .await;
    app.confirm(&c.resident, id)
        .rating(5)
        .problem(409, "illegal_transition")
        .await;
}

#[actix_web::test]
async fn a_suggestion_or_a_praise_is_acknowledged_and_closed() {
    let (app, c) = TestApp::with_cast().await;
    for kind in ["suggestion", "praise"] {
        let filed = file_kind(&app, &c, "greening", kind).await;
        let id = filed["id"].as_i64().unwrap();
        assert_eq!(filed["kind"], kind);
        app.triage(&c.dispatcher, id).await;
        let closed = app
            .answer(&c.property_1, id, "感谢您的意见，已转达相关人员")
            .await;
        assert_eq!(closed.status, "closed", "{kind}");
        assert_eq!(closed.closure.as_deref(), Some("acknowledged"));
        assert_eq!(closed.supervised_at, None);
        app.assert_timeline(&c.resident, id, "created triaged acknowledged")
            .await;
    }
    // Even a community-level matter only needs the reply: no deliberation meeting.
    let filed = file_kind(&app, &c, "charging_pile", "suggestion").await;
    let id = filed["id"].as_i64().unwrap();
    let triaged = app.triage(&c.dispatcher, id).await;
    assert_eq!(triaged.status, "triaged");
    assert_eq!(triaged.level.as_deref(), Some("community"));
    let closed = app
        .answer(&c.official, id, "建议已提交社区两委会研究")
        .await;
    assert_eq!(closed.closure.as_deref(), Some("acknowledged"));
    // A declined reply goes back to the dispatcher, as for any case.
    let filed = file_kind(&app, &c, "parking", "suggestion").await;
    let id = filed["id"].as_i64().unwrap();
    app.triage(&c.dispatcher, id).await;
    let back = app
        .decline(&c.property_1, id, "不是物业的事", "应由交警部门答复")
        .await;
    assert_eq!(back.status, "submitted");
}

#[actix_web::test]
async fn the_request_type_is_shown_filtered_and_checked() {
    let (app, c) = TestApp::with_cast().await;
    let complaint = app.resident_files(&c, "water_leak").await;
    let help = file_kind(&app, &c, "water_leak", "help").await["id"]
        .as_i64()
        .unwrap();
    let consultation = file_kind(&app, &c, "sanitation", "consultation").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.issue(&c.dispatcher, complaint).await.expect(200).body["kind"],
        "complaint"
    );
    assert_eq!(
        app.list_ids(&c.dispatcher, "&kind=consultation").await,
        vec![consultation]
    );
    assert_eq!(
        app.list_ids(&c.resident, "&kind=complaint").await,
        vec![complaint]
    );
    assert_eq!(app.list_ids(&c.dispatcher, "&kind=help").await, vec![help]);
    app.get(
        "/api/v1/issues?kind=problem",
        Some(&c.dispatcher.access_token),
    )
    .await
    .expect_problem(400, "invalid_query");

    // A type the category does not take, or no type at all, is refused and files nothing.
    let before = app.list_ids(&c.dispatcher, "").await.len();
    for (category, kind) in [
        ("gas_leak", json!("praise")),
        ("water_leak", json!("problem")),
    ] {
        let mut body = c.district.issue_body(category);
        body["kind"] = kind;
        let res = app
            .file_issue(&c.resident, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "kind", "{}", res.text);
    }
    assert_eq!(app.list_ids(&c.dispatcher, "").await.len(), before);

    // The summary report counts by request type, in the type's order, named in Chinese.
    let res = app
        .get_as(
            &c.auditor,
            "/api/v1/reports/summary?from=2026-08-01&to=2026-10-01&group_by=kind",
        )
        .await
        .expect(200);
    let rows: Vec<(String, String, i64)> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
                r["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("complaint".into(), "投诉".into(), 1),
            ("help".into(), "求助".into(), 1),
            ("consultation".into(), "咨询".into(), 1),
        ]
    );
}
