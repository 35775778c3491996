//! 小事居民治 and the 三长 (issue 13): residents-level matters go to the building's leader
//! (楼栋长), with the grid worker as backstop when the leader declines or lets the response
//! deadline pass (小事不出网格); what building leaders and volunteers (红管家) see, file and do,
//! and what they see of residents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chrono::Duration;
use linli_domain::issue::IssueStatus;
use linli_tests::{Cast, Session, TestApp, issue_body, serde_json::json};

/// The leader of building A1 and a volunteer of community A, made after the cast.
async fn neighbours(app: &TestApp, c: &Cast) -> (Session, Session) {
    let d = c.district;
    (
        app.staff("building_leader", Some(d.building_a1)).await,
        app.staff("volunteer", Some(d.community_a)).await,
    )
}

fn actions(res: &linli_tests::Resp) -> Vec<String> {
    serde_json::from_value(res.body["allowed_actions"].clone()).unwrap()
}

#[actix_web::test]
async fn a_small_matter_goes_to_the_building_leader_then_to_the_grid_when_declined() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let (leader, _) = neighbours(&app, &c).await;
    let id = app.resident_files(&c, "stairwell_clutter").await;
    let filed = app.issue(&c.dispatcher, id).await.expect(200);
    assert_eq!(filed.body["suggestion"]["level"], "residents");
    assert_eq!(
        filed.body["suggestion"]["handler"],
        json!({"kind": "building_leaders", "id": d.building_a1, "name": "1栋"})
    );
    let triaged = app.triage(&c.dispatcher, id).expect(200).await.issue();
    assert_eq!(triaged.level.as_deref(), Some("residents"));
    let handler = triaged.handler.unwrap();
    assert_eq!(
        (handler.kind.as_str(), handler.id),
        ("building_leaders", Some(d.building_a1))
    );
    assert!(app.unread(&leader).await > 0, "the leader is told");

    // The leader answers; the grid worker is only the backstop for now.
    let seen = app.issue(&leader, id).await.expect(200);
    assert_eq!(actions(&seen), ["answer", "comment"]);
    let grid_view = app.issue(&c.grid_worker, id).await.expect(200);
    assert_eq!(actions(&grid_view), ["comment"]);
    app.answer(&c.grid_worker, id, "我来处理")
        .problem(403, "forbidden")
        .await;
    // The leader handles it: the reporter's contact in full.
    assert_eq!(seen.body["reporter"]["phone"], c.resident.phone.as_str());
    assert_eq!(seen.body["reporter"]["phone_masked"], false);

    // Declined: the grid worker takes it, with a fresh response window, and is told.
    let before = app.unread(&c.grid_worker).await;
    let declined = app
        .decline(
            &leader,
            id,
            "楼道杂物涉及多户，请网格员协调",
            "需要网格协调多户",
        )
        .expect(200)
        .await
        .issue();
    assert_eq!(declined.status, "triaged");
    assert_eq!(declined.level.as_deref(), Some("grid"));
    let handler = declined.handler.unwrap();
    assert_eq!(
        (handler.kind.as_str(), handler.id),
        ("grid", Some(d.grid_a))
    );
    assert!(app.unread(&c.grid_worker).await > before);
    app.assert_timeline(&c.dispatcher, id, "created triaged declined")
        .await;
    let events = app.events(&c.dispatcher, id).await;
    let last = events.last().unwrap();
    assert_eq!(
        (&last["from"], &last["to"]),
        (&json!("triaged"), &json!("triaged"))
    );
    assert_eq!(
        last["data"]["backstop"]["handler"]["kind"], "grid",
        "{last}"
    );
    // The leader no longer acts on it (a public case of the building: still in sight).
    let after = app.issue(&leader, id).await.expect(200);
    assert_eq!(actions(&after), ["comment"]);
    app.answer(&leader, id, "还是我来吧")
        .problem(403, "forbidden")
        .await;
    let grid_view = app.issue(&c.grid_worker, id).await.expect(200);
    assert_eq!(
        actions(&grid_view),
        ["answer", "comment", "return", "extension_request"]
    );
    let done = app
        .answer(&c.grid_worker, id, "收到，明天上午协调清理")
        .expect(200)
        .await
        .issue();
    assert_eq!(done.status, "in_progress");

    // A grid worker's decline goes back to the dispatcher, as before.
    let other = app.resident_files(&c, "sanitation").await;
    app.triage(&c.dispatcher, other)
        .with("level", "grid")
        .reason("网格员先看看")
        .expect(200)
        .await;
    let back = app
        .decline(&c.grid_worker, other, "不归网格", "应由物业保洁")
        .expect(200)
        .await
        .issue();
    assert_eq!(back.status, "submitted");
    assert!(back.handler.is_none());
}

#[actix_web::test]
async fn a_leader_accepts_fixes_and_the_resident_confirms() {
    let (app, c) = TestApp::with_cast().await;
    let (leader, _) = neighbours(&app, &c).await;
    let id = app.resident_files(&c, "small_ads").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    app.answer(&leader, id, "今晚清理").expect(200).await;
    let fixed = app
        .rectify(&leader, id, "小广告已全部清除")
        .expect(200)
        .await
        .issue();
    // Only property-level work goes to the owners' committee.
    assert_eq!(fixed.status, "awaiting_confirmation");
    let closed = app
        .confirm(&c.resident, id)
        .rating(5)
        .expect(200)
        .await
        .issue();
    assert_eq!(closed.status, "closed");
    // Leaders decline rather than return (退单): nothing for the dispatcher to rule on.
    let again = app.resident_files(&c, "small_ads").await;
    app.triage(&c.dispatcher, again).expect(200).await;
    app.return_issue(&leader, again, "not_our_duty", "不是我的事")
        .problem(403, "forbidden")
        .await;
}

#[actix_web::test]
async fn without_a_building_leader_small_matters_go_to_the_grid() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    // No leader account for A1 yet: the grid, as before.
    let id = app.resident_files(&c, "stairwell_clutter").await;
    let view = app.issue(&c.dispatcher, id).await.expect(200);
    assert_eq!(view.body["suggestion"]["level"], "grid");
    assert_eq!(view.body["suggestion"]["handler"]["kind"], "grid");
    // Choosing the leaders where there are none is refused, and changes nothing.
    app.triage(&c.dispatcher, id)
        .with("level", "residents")
        .reason("楼栋长处理")
        .problem(422, "validation_failed")
        .await;
    // With a leader, another building's leaders are refused too.
    let (leader, _) = neighbours(&app, &c).await;
    app.triage(&c.dispatcher, id)
        .with("level", "residents")
        .with("handler_id", d.building_b1)
        .reason("楼栋长处理")
        .problem(422, "validation_failed")
        .await;
    let taken = app
        .triage(&c.dispatcher, id)
        .with("level", "residents")
        .with("handler_id", d.building_a1)
        .reason("楼栋长处理")
        .expect(200)
        .await
        .issue();
    assert_eq!(taken.handler.unwrap().kind, "building_leaders");
    app.answer(&leader, id, "好的").expect(200).await;
    // A disabled leader is no leader: the next small matter goes to the grid again.
    let admin = app.admin().await;
    app.post_as(
        &admin,
        &format!("/api/v1/admin/users/{}/disable", leader.id),
        &json!({}),
    )
    .await
    .expect(200);
    let later = app.resident_files(&c, "stairwell_clutter").await;
    let view = app.issue(&c.dispatcher, later).await.expect(200);
    assert_eq!(view.body["suggestion"]["level"], "grid");
}

#[actix_web::test]
async fn the_scheduler_hands_a_case_the_leader_left_unanswered_to_the_grid() {
    let app = TestApp::new().await;
    let mut c = app.cast().await;
    let (mut leader, _) = neighbours(&app, &c).await;
    let id = app.resident_files(&c, "stairwell_clutter").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    let due = app.issue_direct(id).deadlines.response_due;

    app.clock.set(due);
    assert_eq!(app.tick().backstopped, 0, "not yet");
    app.clock.set(due + Duration::minutes(1));
    let report = app.tick();
    assert_eq!(report.backstopped, 1, "{report:?}");
    assert_eq!(
        report.escalated, 0,
        "the grid takes it rather than an escalation"
    );
    assert_eq!(app.tick().backstopped, 0, "once");
    let issue = app.issue_direct(id);
    assert_eq!(issue.status, IssueStatus::Triaged);
    assert_eq!(
        issue.handler,
        Some(linli_domain::triage::Handler::Grid {
            grid_id: linli_domain::ids::GridId(c.district.grid_a)
        })
    );
    assert!(issue.deadlines.response_due > app.now(), "a fresh window");
    assert!(!issue.is_overdue(app.now()));
    assert_eq!(
        app.event_kinds_direct(id),
        ["created", "triaged", "backstopped"]
    );

    c.relogin(&app).await;
    app.relogin(&mut leader).await;
    let kinds: Vec<String> = app
        .get_as(&c.grid_worker, "/api/v1/notifications?limit=100")
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"backstopped".to_owned()), "{kinds:?}");
    let timeline = app.events(&c.dispatcher, id).await;
    assert!(
        timeline.last().unwrap()["actor_name"].is_null(),
        "the scheduler"
    );
    app.answer(&leader, id, "我来吧")
        .problem(403, "forbidden")
        .await;
    app.answer(&c.grid_worker, id, "收到").expect(200).await;

    // Answered in time by the leader: no backstop ever.
    let answered = app.resident_files(&c, "small_ads").await;
    app.triage(&c.dispatcher, answered).expect(200).await;
    app.answer(&leader, answered, "马上处理").expect(200).await;
    app.clock.advance(Duration::days(3));
    assert_eq!(app.tick().backstopped, 0);
}

#[actix_web::test]
async fn building_leaders_and_volunteers_see_their_building_or_community_and_no_more() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let (leader, volunteer) = neighbours(&app, &c).await;
    let leader_b = app.staff("building_leader", Some(d.building_b1)).await;
    let volunteer_b = app.staff("volunteer", Some(d.community_b)).await;
    let grid_leader = app.grid_leader(d.grid_a).await;
    let grid_leader_b = app.grid_leader(d.grid_b).await;
    let private = |category: &str, building: i64, compound: i64| {
        let mut b = issue_body(category, compound, Some(building));
        b["is_public"] = json!(false);
        b
    };
    let file = |who: &Session, body: serde_json::Value| {
        let who = who.clone();
        let app = &app;
        async move { app.file_issue(&who, &body).await.expect(201).id() }
    };
    // A1: a private water leak, a public lamp, a private small matter handed to the leader.
    let a1_private = file(
        &c.resident,
        private("water_leak", d.building_a1, d.compound_a),
    )
    .await;
    let a1_public = file(&c.resident, d.issue_body("street_lamp")).await;
    let handled = file(
        &c.neighbour,
        private("stairwell_clutter", d.building_a1, d.compound_a),
    )
    .await;
    app.triage(&c.dispatcher, handled).expect(200).await;
    // A2 (community A, another building) and B (community B), public.
    let a2_public = file(
        &c.dispatcher,
        json!({"category": "street_lamp", "description": "书香人家路灯不亮，请尽快维修",
               "compound_id": d.compound_a2, "building_id": d.building_a2, "is_public": true,
               "source": "hotline"}),
    )
    .await;
    let b_public = file(
        &c.outsider,
        issue_body("parking", d.compound_b, Some(d.building_b1)),
    )
    .await;
    // Patrol findings (not public): the leader's in A1, the volunteer's in A2.
    let mut patrol = private("small_ads", d.building_a1, d.compound_a);
    patrol["source"] = json!("patrol");
    let leader_patrol = file(&leader, patrol).await;
    let mut patrol = private("sanitation", d.building_a2, d.compound_a2);
    patrol["source"] = json!("patrol");
    let volunteer_patrol = file(&volunteer, patrol).await;

    let all = [
        a1_private,
        a1_public,
        handled,
        a2_public,
        b_public,
        leader_patrol,
        volunteer_patrol,
    ];
    for (who, session, expected) in [
        (
            "leader A1",
            &leader,
            vec![a1_public, handled, leader_patrol],
        ),
        ("leader B1", &leader_b, vec![b_public]),
        // 片长 of grid A (A1 and A2): what a leader of each building sees, but no patrol
        // finding of another (they are not handed to the building's leaders).
        (
            "grid leader A",
            &grid_leader,
            vec![a1_public, handled, a2_public],
        ),
        ("grid leader B", &grid_leader_b, vec![b_public]),
        (
            "volunteer A",
            &volunteer,
            vec![a1_public, a2_public, volunteer_patrol],
        ),
        ("volunteer B", &volunteer_b, vec![b_public]),
    ] {
        let listed: BTreeSet<i64> = app.list_ids(session, "").await.into_iter().collect();
        assert_eq!(listed, expected.iter().copied().collect(), "{who} lists");
        for id in all {
            let res = app.issue(session, id).await;
            let visible = listed.contains(&id);
            assert_eq!(
                res.status,
                if visible { 200 } else { 404 },
                "{who} reads {id}"
            );
            let photos = app
                .get_as(session, &format!("/api/v1/issues/{id}/comments"))
                .await;
            assert_eq!(
                photos.status, res.status,
                "{who} reads the comments of {id}"
            );
        }
    }

    // Residents' data: masked unless the leader handles the case.
    let full_name = |s: &Session| format!("居民{}", s.phone);
    let seen = app.issue(&leader, a1_public).await.expect(200);
    let reporter = &seen.body["reporter"];
    assert_eq!(reporter["phone_masked"], true);
    assert_ne!(reporter["phone"], c.resident.phone.as_str());
    assert_ne!(reporter["display_name"], full_name(&c.resident).as_str());
    assert!(!seen.text.contains(&c.resident.phone));
    let seen = app.issue(&volunteer, a1_public).await.expect(200);
    assert_eq!(seen.body["reporter"]["phone_masked"], true);
    assert!(!seen.text.contains(&full_name(&c.resident)));
    let handles = app.issue(&leader, handled).await.expect(200);
    assert_eq!(
        handles.body["reporter"]["phone"],
        c.neighbour.phone.as_str()
    );
    assert_eq!(
        handles.body["reporter"]["display_name"],
        full_name(&c.neighbour).as_str()
    );
    // In the timeline a resident is named as to another resident.
    let events = app.events(&leader, a1_public).await;
    let name = events[0]["actor_name"].as_str().unwrap();
    assert!(name.starts_with('居') && name.contains('*'), "{name}");

    // Comments: public ones yes, internal ones neither written nor read.
    let comment = |who: &Session, internal: bool| {
        let who = who.clone();
        let app = &app;
        async move {
            app.post_as(
                &who,
                &format!("/api/v1/issues/{a1_public}/comments"),
                &json!({"body": "楼栋长已到现场查看", "internal": internal}),
            )
            .await
        }
    };
    comment(&leader, false).await.expect(201);
    comment(&volunteer, false).await.expect(201);
    comment(&leader, true)
        .await
        .expect_problem(403, "forbidden");
    comment(&volunteer, true)
        .await
        .expect_problem(403, "forbidden");
    comment(&c.grid_worker, true).await.expect(201);
    for who in [&leader, &volunteer] {
        let listed = app
            .get_as(who, &format!("/api/v1/issues/{a1_public}/comments"))
            .await
            .expect(200);
        assert_eq!(
            listed.body["items"].as_array().unwrap().len(),
            2,
            "{}",
            listed.text
        );
    }
    // Photos: to what they reported or handle, not to a neighbour's case.
    app.upload(&leader, handled, "image/png", &linli_tests::PNG)
        .await
        .expect(201);
    app.upload(&leader, a1_public, "image/png", &linli_tests::PNG)
        .await
        .expect_problem(403, "forbidden");
    app.upload(&volunteer, volunteer_patrol, "image/png", &linli_tests::PNG)
        .await
        .expect(201);
}

#[actix_web::test]
async fn leaders_file_patrol_findings_in_their_building_and_volunteers_in_their_community() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let (leader, volunteer) = neighbours(&app, &c).await;
    let patrol = |compound: i64, building: Option<i64>, source: &str| {
        let mut b = issue_body("small_ads", compound, building);
        b["source"] = json!(source);
        b
    };
    for (who, body, status) in [
        (
            &leader,
            patrol(d.compound_a, Some(d.building_a1), "patrol"),
            201,
        ),
        (&leader, patrol(d.compound_a, None, "patrol"), 403),
        (
            &leader,
            patrol(d.compound_a2, Some(d.building_a2), "patrol"),
            403,
        ),
        (
            &leader,
            patrol(d.compound_a, Some(d.building_a1), "app"),
            403,
        ),
        (
            &volunteer,
            patrol(d.compound_a, Some(d.building_a1), "patrol"),
            201,
        ),
        (&volunteer, patrol(d.compound_a2, None, "patrol"), 201),
        (
            &volunteer,
            patrol(d.compound_b, Some(d.building_b1), "patrol"),
            403,
        ),
        (&volunteer, patrol(d.compound_a, None, "hotline"), 403),
    ] {
        let res = app.file_issue(who, &body).await;
        assert_eq!(res.status, status, "{}: {body} {}", who.role, res.text);
    }
    // A volunteer takes no workflow step but a reporter's own on what they found.
    let found = app
        .file_issue(&volunteer, &patrol(d.compound_a2, None, "patrol"))
        .await
        .expect(201)
        .id();
    let view = app.issue(&volunteer, found).await.expect(200);
    assert_eq!(actions(&view), ["withdraw", "comment"]);
    let lamp = app.resident_files(&c, "street_lamp").await;
    app.triage(&c.dispatcher, lamp).expect(200).await;
    let view = app.issue(&volunteer, lamp).await.expect(200);
    assert_eq!(actions(&view), ["comment"]);
    app.answer(&volunteer, lamp, "我去看看")
        .problem(403, "forbidden")
        .await;
    app.withdraw(&volunteer, found).expect(200).await;
}

#[actix_web::test]
async fn a_grid_leader_takes_the_small_matters_of_a_building_of_their_grid() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    // The admin makes a 片长 of grid A: a building leader scoped to a grid.
    let made = app
        .post_as(
            &c.admin,
            "/api/v1/admin/users",
            &json!({"phone": "13720000011", "password": "Staff-pass-2026", "display_name": "钱片长",
                    "role": "building_leader", "scope_kind": "grid", "scope_id": d.grid_a}),
        )
        .await
        .expect(201);
    assert_eq!(
        (&made.body["scope_kind"], &made.body["scope_id"]),
        (&json!("grid"), &json!(d.grid_a))
    );
    for (body, field) in [
        (
            json!({"role": "volunteer", "scope_kind": "grid", "scope_id": d.grid_a}),
            "scope_kind",
        ),
        (
            json!({"role": "building_leader", "scope_kind": "grid", "scope_id": 999_999}),
            "scope_id",
        ),
        (
            json!({"role": "building_leader", "scope_kind": "galaxy", "scope_id": d.grid_a}),
            "scope_kind",
        ),
    ] {
        let mut body = body;
        body["phone"] = json!("13720000012");
        body["password"] = json!("Staff-pass-2026");
        body["display_name"] = json!("x");
        let res = app.post_as(&c.admin, "/api/v1/admin/users", &body).await;
        let res = res.expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{}", res.text);
    }
    let area = app.grid_leader(d.grid_a).await;
    let other = app.grid_leader(d.grid_b).await;
    let me = app.get_as(&area, "/api/v1/me").await.expect(200);
    assert_eq!(me.body["scope_kind"], "grid");

    // A1 has no 楼栋长 of its own: its small matters go to the 片长 of its grid.
    let id = app.resident_files(&c, "stairwell_clutter").await;
    let filed = app.issue(&c.dispatcher, id).await.expect(200);
    assert_eq!(
        filed.body["suggestion"]["handler"],
        json!({"kind": "building_leaders", "id": d.building_a1, "name": "1栋"})
    );
    let triaged = app.triage(&c.dispatcher, id).expect(200).await.issue();
    assert_eq!(triaged.handler.unwrap().kind, "building_leaders");
    assert!(app.unread(&area).await > 0, "the 片长 is told");
    assert_eq!(app.unread(&other).await, 0);

    let seen = app.issue(&area, id).await.expect(200);
    assert_eq!(actions(&seen), ["answer", "comment"]);
    assert_eq!(seen.body["reporter"]["phone"], c.resident.phone.as_str());
    let listed = app.list_ids(&area, "").await;
    assert!(listed.contains(&id));
    // The 片长 of another grid sees nothing of it.
    app.issue(&other, id).await.expect(404);
    assert!(!app.list_ids(&other, "").await.contains(&id));
    app.answer(&other, id, "我来处理")
        .problem(404, "not_found")
        .await;

    let done = app
        .answer(&area, id, "收到，今晚清理楼道")
        .expect(200)
        .await
        .issue();
    assert_eq!(done.status, "in_progress");

    // Patrol findings: anywhere in the grid (A2 too), nowhere else.
    let mut patrol = issue_body("small_ads", d.compound_a2, Some(d.building_a2));
    patrol["source"] = json!("patrol");
    patrol["is_public"] = json!(false);
    let found = app.file_issue(&area, &patrol).await.expect(201).id();
    app.issue(&area, found).await.expect(200);
    let mut elsewhere = issue_body("small_ads", d.compound_b, Some(d.building_b1));
    elsewhere["source"] = json!("patrol");
    app.file_issue(&area, &elsewhere)
        .await
        .expect_problem(403, "forbidden");

    // Patrol rounds: in the community of the grid, as runner or member, not in another.
    let round = |who: &Session, compound: i64, members: Vec<i64>| {
        let who = who.clone();
        let app = &app;
        let started = (app.now() - Duration::hours(1)).to_rfc3339();
        async move {
            app.post_as(
                &who,
                "/api/v1/patrols",
                &json!({"compound_id": compound, "members": members, "started_at": started}),
            )
            .await
        }
    };
    round(&area, d.compound_a, vec![]).await.expect(201);
    round(&c.grid_worker, d.compound_a2, vec![area.id])
        .await
        .expect(201);
    round(&area, d.compound_b, vec![])
        .await
        .expect_problem(403, "forbidden");
    let res = round(&c.grid_worker_b, d.compound_b, vec![area.id])
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "members", "{}", res.text);
}
