//! The case lifecycle through HTTP — 业主提诉求、部门解答、物业整改、业委会督查、街社"回头看" — for
//! every level, every sad path, the timeline, If-Match and concurrent transitions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use linli_tests::{TestApp, serde_json::json};

const HELD_AT: &str = "2026-08-31T19:30:00+08:00";

#[actix_web::test]
async fn grid_level_happy_path_with_revisit() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let id = app.resident_files(&c, "stairwell_clutter").await;

    let issue = app.view(&c.resident, id).await;
    assert_eq!(issue.status, "submitted");
    assert_eq!(issue.suggestion.level.as_deref(), Some("grid"));
    let suggested = issue.suggestion.handler.unwrap();
    assert_eq!(suggested.kind, "grid");
    assert_eq!(suggested.id, Some(d.grid_a));
    assert_eq!(issue.etag.as_deref(), Some("\"1\""));

    let issue = app.triage(&c.dispatcher, id).await;
    assert_eq!(issue.status, "triaged");
    assert_eq!(issue.level.as_deref(), Some("grid"));
    assert_eq!(issue.handler.unwrap().id, Some(d.grid_a));
    assert_eq!(issue.etag.as_deref(), Some("\"2\""));

    let issue = app.answer(&c.grid_worker, id, "今天下午清理").await;
    assert_eq!(issue.status, "in_progress");
    assert!(issue.responded_at.is_some());

    let issue = app
        .rectify(&c.grid_worker, id, "杂物已清走")
        .with("photo_ids", json!([]))
        .await;
    // Grid-level work is not supervised by the committee: straight to the resident.
    assert_eq!(issue.status, "awaiting_confirmation");

    let issue = app.confirm(&c.resident, id).rating(5).comment("很好").await;
    assert_eq!(issue.status, "closed");
    assert_eq!(issue.closure.as_deref(), Some("confirmed"));
    assert_eq!(issue.satisfaction, Some(5));

    let issue = app
        .revisit(&c.official, id, "confirmed", "回访无反复")
        .await;
    assert_eq!(issue.status, "closed");
    assert!(issue.revisited_at.is_some());

    let timeline = "created triaged answered rectified confirmed revisit_confirmed";
    app.assert_timeline(&c.resident, id, timeline).await;
}

#[actix_web::test]
async fn property_level_with_committee_supervision_and_timeline() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let id = app.resident_files(&c, "water_leak").await;

    // The dispatcher overrides the urgency, with a reason.
    let issue = app
        .triage(&c.dispatcher, id)
        .with("urgency", "emergency")
        .reason("漏水影响电梯井")
        .await;
    assert_eq!(issue.level.as_deref(), Some("property"));
    let handler = issue.handler.unwrap();
    assert_eq!(handler.kind, "property_company");
    assert_eq!(handler.id, Some(d.company_1));
    assert_eq!(issue.urgency, "emergency");
    assert_eq!(issue.suggestion.urgency, "urgent");

    app.answer(&c.property_1, id, "马上派人").await;
    let issue = app.rectify(&c.property_1, id, "已修复防水层").await;
    assert_eq!(issue.status, "awaiting_supervision");
    let issue = app.supervise(&c.committee, id, true, "现场查看合格").await;
    assert_eq!(issue.status, "awaiting_confirmation");
    assert!(issue.supervised_at.is_some());
    let issue = app.confirm(&c.resident, id).rating(4).await;
    assert_eq!(issue.status, "closed");

    // The timeline: kinds, actors, roles, from/to, notes.
    let events = app.events(&c.auditor, id).await;
    // Each event moves the issue on from where the one before left it.
    let expected = [
        ("created", &c.resident, "submitted"),
        ("triaged", &c.dispatcher, "triaged"),
        ("answered", &c.property_1, "in_progress"),
        ("rectified", &c.property_1, "awaiting_supervision"),
        ("supervision_passed", &c.committee, "awaiting_confirmation"),
        ("confirmed", &c.resident, "closed"),
    ];
    assert_eq!(events.len(), expected.len());
    let mut from = None;
    for (e, (kind, who, to)) in events.iter().zip(expected) {
        assert_eq!(e["kind"].as_str().unwrap(), kind);
        assert_eq!(e["actor_id"].as_i64(), Some(who.id), "{kind}");
        assert_eq!(e["actor_role"].as_str().unwrap_or(""), who.role, "{kind}");
        assert_eq!(e["from"].as_str(), from, "{kind}");
        assert_eq!(e["to"].as_str().unwrap(), to, "{kind}");
        from = Some(to);
    }
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
    // The triage event records the suggestion AND the decision with the override's reason.
    let triaged = &events[1];
    assert_eq!(triaged["note"], "漏水影响电梯井");
    assert_eq!(triaged["data"]["suggestion"]["urgency"], "urgent");
    assert_eq!(triaged["data"]["suggestion"]["level"], "property");
    assert_eq!(triaged["data"]["decision"]["urgency"], "emergency");
    assert_eq!(triaged["data"]["decision"]["overridden"], true);
    assert_eq!(triaged["data"]["decision"]["reason"], "漏水影响电梯井");
    assert_eq!(events[2]["note"], "马上派人");
    // The created event does not carry a copy of the whole issue.
    assert!(events[0]["data"].get("issue").is_none());
}

#[actix_web::test]
async fn community_level_via_deliberation() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;

    // Assigned to the property company by the meeting, then worked to the end.
    let id = app.resident_files(&c, "elevator_installation").await;
    let res = app.triage(&c.dispatcher, id).expect(200).await;
    assert_eq!(res.body["status"], "in_deliberation");
    assert_eq!(res.body["handler"]["kind"], "community");
    let deliberation = json!({
        "held_at": HELD_AT,
        "venue": "东坪社区议事厅",
        "attendees": ["社区书记", "物业经理", "业委会主任"],
        "decision": "同意加装，由物业组织施工",
        "outcome": "assign_property",
    });
    // Only an official of the issue's community may record it.
    app.act(&c.official_b, id, "deliberation", &deliberation)
        .await
        .expect_problem(404, "not_found");
    app.act(&c.committee, id, "deliberation", &deliberation)
        .await
        .expect_problem(403, "forbidden");
    let res = app
        .act(&c.official, id, "deliberation", &deliberation)
        .await
        .expect(200);
    assert_eq!(res.body["status"], "triaged");
    assert_eq!(res.body["level"], "property");
    assert_eq!(res.body["handler"]["id"], d.company_1);
    app.accept_and_rectify(&c.property_1, id, "已立项", "电梯已安装")
        .await;
    app.supervise(&c.committee, id, true, "验收通过")
        .expect(200)
        .await;
    let res = app.confirm(&c.resident, id).rating(5).expect(200).await;
    assert_eq!(res.body["status"], "closed");
    let events = app.events(&c.official, id).await;
    assert_eq!(events[2]["kind"], "deliberated");
    assert_eq!(events[2]["note"], "同意加装，由物业组织施工");
    assert_eq!(events[2]["data"]["deliberation"]["venue"], "东坪社区议事厅");
    assert_eq!(
        events[2]["data"]["deliberation"]["attendees"][2],
        "业委会主任"
    );

    // Decided and closed by the meeting itself.
    let id = app.resident_files(&c, "charging_pile").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    let res = app
        .act(
            &c.official,
            id,
            "deliberation",
            &json!({"held_at": HELD_AT, "venue": "议事厅", "attendees": ["居民代表"],
                    "decision": "暂缓安装，明年统一规划", "outcome": "close"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["status"], "closed");
    assert_eq!(res.body["closure"], "deliberation");

    // A meeting cannot be recorded before it is held, nor assigned to a grid without a building.
    let body = json!({"category": "elevator_installation", "description": "希望加装电梯方便老人",
                      "compound_id": d.compound_a, "is_public": false});
    let id = app.file_issue(&c.resident, &body).await.expect(201).id();
    app.triage(&c.dispatcher, id).expect(200).await;
    let mut future = deliberation.clone();
    future["held_at"] = json!("2030-01-01T00:00:00Z");
    app.act(&c.official, id, "deliberation", &future)
        .await
        .expect_problem(422, "validation_failed");
    let mut to_grid = deliberation.clone();
    to_grid["outcome"] = json!("assign_grid");
    app.act(&c.official, id, "deliberation", &to_grid)
        .await
        .expect_problem(422, "validation_failed");
    let mut to_department = deliberation.clone();
    to_department["outcome"] = json!("assign_department");
    let res = app
        .act(&c.official, id, "deliberation", &to_department)
        .await
        .expect(200);
    assert_eq!(res.body["level"], "department");
    assert_eq!(res.body["handler"]["name"], "相关职能部门");
}

#[actix_web::test]
async fn mediation_settled_and_failed_to_deliberation() {
    let (app, c) = TestApp::with_cast().await;

    let id = app.resident_files(&c, "neighbour_dispute").await;
    let issue = app.triage(&c.dispatcher, id).await;
    assert_eq!(issue.level.as_deref(), Some("mediation"));
    assert_eq!(issue.handler.unwrap().kind, "mediators");
    // A mediation is recorded, not accepted by an answer.
    app.answer(&c.mediator, id, "受理")
        .problem(409, "illegal_transition")
        .await;
    let issue = app.mediate(&c.mediator, id, true, "双方达成谅解").await;
    assert_eq!(issue.status, "awaiting_confirmation");
    let issue = app.confirm(&c.resident, id).rating(5).await;
    assert_eq!(issue.status, "closed");
    let timeline = "created triaged mediation_settled confirmed";
    app.assert_timeline(&c.resident, id, timeline).await;

    // Not settled: the community deliberates.
    let id = app.resident_files(&c, "neighbour_dispute").await;
    app.triage(&c.dispatcher, id).await;
    let issue = app.mediate(&c.mediator, id, false, "双方分歧较大").await;
    assert_eq!(issue.status, "in_deliberation");
    assert_eq!(issue.level.as_deref(), Some("community"));
    let issue = app
        .deliberate(
            &c.official,
            id,
            &json!({"held_at": HELD_AT, "venue": "听劝议事沙龙", "attendees": ["和事佬", "双方当事人"],
                    "decision": "约定晾晒时间，互不干扰", "outcome": "close"}),
        )
        .await;
    assert_eq!(issue.status, "closed");
    let timeline = "created triaged mediation_failed deliberated";
    app.assert_timeline(&c.official, id, timeline).await;
}

#[actix_web::test]
async fn department_level_relayed_by_the_dispatcher() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "public_utilities").await;
    // Naming another department is an override and needs a reason.
    app.act(
        &c.dispatcher,
        id,
        "triage",
        &json!({"department": "市供水公司"}),
    )
    .await
    .expect_problem(422, "validation_failed");
    let res = app
        .act(
            &c.dispatcher,
            id,
            "triage",
            &json!({"department": "市供水公司", "reason": "停水属供水公司"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["level"], "department");
    assert_eq!(res.body["handler"]["kind"], "department");
    assert_eq!(res.body["handler"]["name"], "市供水公司");
    // Property staff are not the handler.
    app.answer(&c.property_1, id, "x")
        .problem(404, "not_found")
        .await;
    app.answer(&c.dispatcher, id, "供水公司今晚抢修")
        .expect(200)
        .await;
    let res = app
        .rectify(&c.dispatcher, id, "已恢复供水")
        .expect(200)
        .await;
    assert_eq!(res.body["status"], "awaiting_confirmation");
    let res = app.confirm(&c.resident, id).rating(3).expect(200).await;
    assert_eq!(res.body["status"], "closed");
}

#[actix_web::test]
async fn supervision_fails_then_passes() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "street_lamp").await;
    app.triage(&c.dispatcher, id).await;
    app.accept_and_rectify(&c.property_1, id, "安排更换", "换了灯泡")
        .await;
    // The committee of another compound may not supervise.
    app.supervise(&c.committee_b, id, true, "ok")
        .problem(404, "not_found")
        .await;
    let issue = app
        .supervise(&c.committee, id, false, "线路老化未处理")
        .await;
    assert_eq!(issue.status, "in_progress");
    assert_eq!(issue.sent_back_count, 1);
    app.rectify(&c.property_1, id, "更换线路").await;
    let issue = app.supervise(&c.committee, id, true, "合格").await;
    assert_eq!(issue.status, "awaiting_confirmation");
    assert_eq!(issue.sent_back_count, 1);
    let timeline =
        "created triaged answered rectified supervision_failed rectified supervision_passed";
    app.assert_timeline(&c.committee, id, timeline).await;
}

#[actix_web::test]
async fn resident_not_satisfied_reopens_and_revisit_recurred_reopens() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "small_ads").await;
    app.triage(&c.dispatcher, id).await;
    app.accept_and_rectify(&c.grid_worker, id, "收到", "已清除")
        .await;
    // Only the reporter confirms.
    app.confirm(&c.neighbour, id)
        .rating(5)
        .problem(403, "forbidden")
        .await;
    let issue = app
        .confirm(&c.resident, id)
        .not_resolved()
        .comment("还有残留")
        .await;
    assert_eq!(issue.status, "in_progress");
    assert_eq!(issue.reopen_count, 1);
    app.rectify(&c.grid_worker, id, "彻底清除").await;
    // Resolved needs a rating.
    app.confirm(&c.resident, id)
        .problem(422, "validation_failed")
        .await;
    app.confirm(&c.resident, id).rating(2).await;
    // 回头看: the problem came back.
    app.revisit(&c.official_b, id, "recurred", "x")
        .problem(404, "not_found")
        .await;
    let issue = app
        .revisit(&c.official, id, "recurred", "小广告又贴满了")
        .await;
    assert_eq!(issue.status, "in_progress");
    assert_eq!(issue.reopen_count, 2);
    assert!(issue.closed_at.is_none());
    assert!(issue.satisfaction.is_none());
    let events = app.events(&c.resident, id).await;
    let last = events.last().unwrap();
    assert_eq!(last["kind"], "revisit_recurred");
    assert_eq!(last["actor_role"], "community_official");
    assert_eq!(last["from"], "closed");
    assert_eq!(last["to"], "in_progress");
}

#[actix_web::test]
async fn rejected_as_duplicate() {
    let (app, c) = TestApp::with_cast().await;
    let first = app.resident_files(&c, "parking").await;
    let second = app.file(&c.neighbour, "parking", &c.district).await;
    let before = app.count("issue_events");
    app.reject(&c.dispatcher, second, "重复")
        .with("duplicate_of", 999_999)
        .problem(422, "validation_failed")
        .await;
    app.reject(&c.dispatcher, second, "重复")
        .with("duplicate_of", second)
        .problem(422, "validation_failed")
        .await;
    app.reject(&c.dispatcher, second, "  ")
        .problem(422, "validation_failed")
        .await;
    assert_eq!(app.count("issue_events"), before);
    // Residents cannot reject.
    app.reject(&c.neighbour, second, "重复")
        .problem(403, "forbidden")
        .await;
    let issue = app
        .reject(&c.dispatcher, second, "与前一条相同")
        .with("duplicate_of", first)
        .await;
    assert_eq!(issue.status, "rejected");
    let events = app.events(&c.neighbour, second).await;
    assert_eq!(events[1]["kind"], "rejected");
    assert_eq!(events[1]["data"]["reason"]["kind"], "duplicate");
    assert_eq!(events[1]["data"]["reason"]["duplicate_of"], first);
    assert_eq!(
        events[1]["note"],
        format!("duplicate of issue {first}: 与前一条相同")
    );
    // Rejected is final.
    app.triage(&c.dispatcher, second)
        .problem(409, "illegal_transition")
        .await;
    let issue = app
        .reject(&c.dispatcher, first, "不属于物业范围")
        .with("kind", "out_of_scope")
        .await;
    assert_eq!(issue.status, "rejected");
}

#[actix_web::test]
async fn withdrawn_before_triage_only() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "greening").await;
    // A neighbour sees the public issue but cannot withdraw it.
    app.withdraw(&c.neighbour, id)
        .problem(403, "forbidden")
        .await;
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/issues/{id}/withdraw"),
            Some(&c.resident.access_token),
            None,
            &[],
        )
        .await
        .expect(200);
    assert_eq!(res.body["status"], "withdrawn");
    app.assert_timeline(&c.resident, id, "created withdrawn")
        .await;

    let id = app.resident_files(&c, "greening").await;
    app.triage(&c.dispatcher, id).await;
    app.withdraw(&c.resident, id)
        .problem(409, "illegal_transition")
        .await;
}

#[actix_web::test]
async fn handler_declines_back_to_the_dispatcher() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let id = app.resident_files(&c, "sanitation").await;
    app.triage(&c.dispatcher, id).await;
    // Another company's staff cannot even see it.
    app.decline(&c.property_2, id, "不是我们", "x")
        .problem(404, "not_found")
        .await;
    app.answer(&c.property_1, id, "不归我们管")
        .with("accept", false)
        .problem(422, "validation_failed")
        .await;
    let issue = app
        .decline(&c.property_1, id, "此处为市政区域", "不在物业管理范围")
        .await;
    assert_eq!(issue.status, "submitted");
    assert!(issue.handler.is_none());
    // The dispatcher routes it again, to the grid this time (an override: reason needed).
    app.triage(&c.dispatcher, id)
        .with("level", "grid")
        .problem(422, "validation_failed")
        .await;
    app.triage(&c.dispatcher, id)
        .with("level", "grid")
        .with("handler_id", 999_999)
        .reason("网格处理")
        .problem(422, "validation_failed")
        .await;
    let issue = app
        .triage(&c.dispatcher, id)
        .with("level", "grid")
        .with("handler_id", d.grid_a)
        .reason("网格员协调")
        .await;
    assert_eq!(issue.handler.unwrap().kind, "grid");
    let events = app.events(&c.dispatcher, id).await;
    assert_eq!(events[2]["kind"], "declined");
    assert_eq!(events[2]["from"], "triaged");
    assert_eq!(events[2]["to"], "submitted");
    assert_eq!(events[2]["note"], "不在物业管理范围 — 此处为市政区域");
}

#[actix_web::test]
async fn stale_if_match_is_412_and_changes_nothing() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "water_leak").await;
    let etag = app
        .issue(&c.dispatcher, id)
        .await
        .expect(200)
        .header("etag")
        .unwrap();
    assert_eq!(etag, "\"1\"");
    let path = format!("/api/v1/issues/{id}/triage");
    let token = Some(c.dispatcher.access_token.as_str());
    let before = app.count("issue_events");
    for (if_match, status, code) in [
        ("\"7\"", 412, "stale_version"),
        ("garbage", 400, "invalid_if_match"),
    ] {
        let headers = [("If-Match", if_match)];
        app.request(Method::POST, &path, token, Some(&json!({})), &headers)
            .await
            .expect_problem(status, code);
    }
    assert_eq!(app.count("issue_events"), before);
    let res = app
        .request(
            Method::POST,
            &path,
            token,
            Some(&json!({})),
            &[("If-Match", &etag)],
        )
        .await
        .expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    // The version the property company read before the triage is stale now.
    app.request(
        Method::POST,
        &format!("/api/v1/issues/{id}/answer"),
        Some(&c.property_1.access_token),
        Some(&json!({"message": "ok", "accept": true})),
        &[("If-Match", &etag)],
    )
    .await
    .expect_problem(412, "stale_version");
    app.request(
        Method::POST,
        &format!("/api/v1/issues/{id}/answer"),
        Some(&c.property_1.access_token),
        Some(&json!({"message": "ok", "accept": true})),
        &[("If-Match", "W/\"2\"")],
    )
    .await
    .expect(200);
}

#[actix_web::test]
async fn concurrent_transitions_exactly_one_wins() {
    let (app, c) = TestApp::with_cast().await;

    for with_if_match in [false, true] {
        let id = app.resident_files(&c, "water_leak").await;
        let before = app.count("issue_events");
        let path = format!("/api/v1/issues/{id}/triage");
        let headers: &[(&str, &str)] = if with_if_match {
            &[("If-Match", "\"1\"")]
        } else {
            &[]
        };
        let token = Some(c.dispatcher.access_token.as_str());
        let body = json!({});
        let (a, b) = futures_util::future::join(
            app.request(Method::POST, &path, token, Some(&body), headers),
            app.request(Method::POST, &path, token, Some(&body), headers),
        )
        .await;
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses[0], 200, "{} / {}", a.text, b.text);
        assert!(matches!(statuses[1], 409 | 412), "{} / {}", a.text, b.text);
        assert_eq!(app.count("issue_events"), before + 1);
    }

    // Two answers of one triaged issue.
    let id = app.resident_files(&c, "water_leak").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    let before = app.count("issue_events");
    let (a, b) = futures_util::future::join(
        app.act(
            &c.property_1,
            id,
            "answer",
            &json!({"message": "甲", "accept": true}),
        ),
        app.act(
            &c.property_1,
            id,
            "answer",
            &json!({"message": "乙", "accept": true}),
        ),
    )
    .await;
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses[0], 200, "{} / {}", a.text, b.text);
    assert!(matches!(statuses[1], 409 | 412), "{} / {}", a.text, b.text);
    assert_eq!(app.count("issue_events"), before + 1);
    app.assert_timeline(&c.resident, id, "created triaged answered")
        .await;
}

#[actix_web::test]
async fn notifications_follow_the_workflow() {
    let (app, c) = TestApp::with_cast().await;
    let before = app.count("notifications");
    let id = app.resident_files(&c, "water_leak").await;
    // The street's dispatcher hears of the new issue.
    assert_eq!(app.count("notifications"), before + 1);
    app.triage(&c.dispatcher, id).expect(200).await;
    // The reporter (state changed) and the handling company's staff.
    assert_eq!(app.count("notifications"), before + 3);
}

#[actix_web::test]
async fn grid_and_community_work_stays_in_the_issues_own_community() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let id = app.resident_files(&c, "stairwell_clutter").await;
    let events = app.count("issue_events");
    for body in [
        json!({"level": "grid", "handler_id": d.grid_b, "reason": "交给隔壁网格"}),
        json!({"level": "mediation", "handler_id": d.community_b, "reason": "请宝塔社区调解"}),
        json!({"level": "community", "handler_id": d.community_b, "reason": "宝塔社区议事"}),
    ] {
        let res = app
            .act(&c.dispatcher, id, "triage", &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "handler_id");
    }
    assert_eq!(app.count("issue_events"), events, "nothing written");
    // Its own community's grid is fine.
    let res = app
        .act(
            &c.dispatcher,
            id,
            "triage",
            &json!({"level": "grid", "handler_id": d.grid_a}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["handler"]["id"], d.grid_a);
}
