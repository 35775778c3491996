//! Meetings that decide several cases through HTTP: three cases decided at once (each case's
//! timeline pointing to the meeting), minutes, a case raised there, publication to the
//! residents of the compounds concerned with a notice on their board, and who may do what.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use linli_tests::{
    Cast, Resp, Session, TestApp,
    serde_json::{Value, json},
};

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A case of compound A (or B, filed by the outsider) in deliberation.
async fn in_deliberation(app: &TestApp, c: &Cast, category: &str, compound_b: bool) -> i64 {
    let id = if compound_b {
        let d = c.district;
        app.file_issue(
            &c.outsider,
            &linli_tests::issue_body(category, d.compound_b, Some(d.building_b1)),
        )
        .await
        .expect(201)
        .id()
    } else {
        app.resident_files(c, category).await
    };
    let res = app.triage(&c.dispatcher, id).expect(200).await;
    assert_eq!(res.body["status"], "in_deliberation");
    id
}

fn meeting_body(app: &TestApp, c: &Cast, agenda: &[i64]) -> Value {
    json!({
        "kind": "joint",
        "title": "东坪社区第三季度物业联席会议",
        "community_id": c.district.community_a,
        "compound_id": c.district.compound_a,
        "held_at": at(app.now() - Duration::hours(2)),
        "venue": "东坪社区议事厅",
        "attendees": [
            {"user_id": c.official.id, "name": "陈书记", "role_label": "社区书记"},
            {"name": "李经理", "role_label": "物业项目经理"},
            {"name": "王大爷", "role_label": "业主代表"}
        ],
        "agenda_issue_ids": agenda,
    })
}

async fn hold(app: &TestApp, who: &Session, body: &Value) -> Resp {
    app.post_as(who, "/api/v1/meetings", body).await
}

async fn decide(app: &TestApp, who: &Session, meeting: i64, body: &Value) -> Resp {
    app.post_as(who, &format!("/api/v1/meetings/{meeting}/decisions"), body)
        .await
}

#[actix_web::test]
async fn a_meeting_decides_three_cases_and_residents_read_the_published_decisions() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let lift = in_deliberation(&app, &c, "elevator_installation", false).await;
    let pile = in_deliberation(&app, &c, "charging_pile", false).await;
    let lift_2 = in_deliberation(&app, &c, "elevator_installation", false).await;
    let elsewhere = in_deliberation(&app, &c, "charging_pile", true).await;

    let res = hold(
        &app,
        &c.official,
        &meeting_body(&app, &c, &[lift, pile, lift_2]),
    )
    .await
    .expect(201);
    let m = res.id();
    assert_eq!(res.body["kind"], "joint");
    assert_eq!(res.body["cases"].as_array().unwrap().len(), 3);
    assert_eq!(res.body["published_at"], Value::Null);

    // Three decisions: one closed, two assigned with the meeting's deadline.
    let due_pile = app.now() + Duration::days(10);
    let due_lift = app.now() + Duration::days(5);
    decide(
        &app,
        &c.official,
        m,
        &json!({"issue_id": lift, "outcome": "close",
        "text": "经表决不予加装，向居民做好解释"}),
    )
    .await
    .expect(200);
    decide(
        &app,
        &c.official,
        m,
        &json!({"issue_id": pile, "outcome": "assign_property",
        "text": "同意在北门增设充电桩，物业负责实施", "resolution_due": at(due_pile),
        "votes": {"for": 9, "against": 1, "abstain": 1}}),
    )
    .await
    .expect(200);
    let res = decide(
        &app,
        &c.official,
        m,
        &json!({"issue_id": lift_2, "outcome": "assign_grid",
        "text": "由网格员牵头征求意见", "resolution_due": at(due_lift)}),
    )
    .await
    .expect(200);
    let outcomes: Vec<&str> = res.body["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["close", "assign_property", "assign_grid"]);
    assert_eq!(
        res.body["cases"][1]["votes"],
        json!({"for": 9, "against": 1, "abstain": 1})
    );

    let closed = app.view(&c.official, lift).await;
    assert_eq!(closed.status, "closed");
    assert_eq!(closed.closure.as_deref(), Some("deliberation"));
    let pile_now = app.issue(&c.official, pile).await.expect(200);
    assert_eq!(pile_now.body["status"], "triaged");
    assert_eq!(pile_now.body["handler"]["kind"], "property_company");
    assert_eq!(pile_now.body["handler"]["id"], d.company_1);
    assert_eq!(
        pile_now.body["resolution_due"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        due_pile
    );
    let lift_now = app.issue(&c.official, lift_2).await.expect(200);
    assert_eq!(lift_now.body["handler"]["kind"], "grid");
    assert_eq!(
        lift_now.body["resolution_due"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        due_lift
    );
    // Each case's timeline points to the meeting.
    for id in [lift, pile, lift_2] {
        let events = app.events(&c.official, id).await;
        let last = events.last().unwrap();
        assert_eq!(last["kind"], "deliberated");
        assert_eq!(last["data"]["deliberation"]["meeting_id"], m, "{last}");
        assert_eq!(last["data"]["deliberation"]["venue"], "东坪社区议事厅");
    }
    // The handler takes it from there.
    app.answer(&c.property_1, pile, "已立项").expect(200).await;

    // Decisions on cases not on the agenda, decided already, or with a bad deadline.
    let refused: Vec<(Value, u16, &str)> = vec![
        (
            json!({"issue_id": elsewhere, "outcome": "close", "text": "x"}),
            422,
            "validation_failed",
        ),
        (
            json!({"issue_id": 999999, "outcome": "close", "text": "x"}),
            422,
            "validation_failed",
        ),
        (
            json!({"issue_id": lift, "outcome": "close", "text": "再议"}),
            409,
            "conflict",
        ),
        (
            json!({"issue_id": pile, "outcome": "close", "text": "x", "resolution_due": at(due_pile)}),
            422,
            "validation_failed",
        ),
        (
            json!({"issue_id": pile, "outcome": "postpone", "text": "x"}),
            422,
            "validation_failed",
        ),
        (
            json!({"issue_id": pile, "outcome": "close", "text": ""}),
            422,
            "validation_failed",
        ),
        (
            json!({"issue_id": pile, "outcome": "close"}),
            400,
            "invalid_body",
        ),
    ];
    for (body, status, code) in refused {
        decide(&app, &c.official, m, &body)
            .await
            .expect_problem(status, code);
    }

    // Minutes, and a case residents raised at the meeting.
    let res = app
        .post_as(
            &c.official,
            &format!("/api/v1/meetings/{m}/minutes"),
            &json!({"text": "会议逐项议定了三件民生事项。"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["minutes"], "会议逐项议定了三件民生事项。");
    let raised = app
        .post_as(
            &c.official,
            &format!("/api/v1/meetings/{m}/issues"),
            &json!({
            "category": "street_lamp", "description": "居民反映北门路灯不亮", "is_public": true}),
        )
        .await
        .expect(201);
    assert_eq!(raised.body["source"], "meeting");
    assert_eq!(raised.body["status"], "submitted");
    assert_eq!(raised.body["compound_id"], d.compound_a);
    let raised_id = raised.id();

    // Not published yet: residents do not read it.
    app.get_as(&c.resident, &format!("/api/v1/meetings/{m}"))
        .await
        .expect_problem(404, "not_found");
    let listed = |who: &Session| {
        let app = &app;
        let who = who.clone();
        async move { app.get_as(&who, "/api/v1/meetings").await.expect(200).ids() }
    };
    assert!(listed(&c.resident).await.is_empty());
    assert_eq!(listed(&c.official).await, [m]);
    assert_eq!(listed(&c.dispatcher).await, [m]);
    assert!(listed(&c.official_b).await.is_empty());
    let res = app
        .post_as(
            &c.official,
            &format!("/api/v1/meetings/{m}/publish"),
            &json!({}),
        )
        .await
        .expect(200);
    assert!(res.body["published_at"].is_string());
    assert_eq!(res.body["published_to"], json!([d.compound_a]));
    let notice = res.body["notice_id"].as_i64().unwrap();
    let cases = res.body["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    assert_eq!(cases[3]["issue_id"], raised_id);
    assert_eq!(cases[3]["raised_here"], true);

    // Residents of the compound read the decisions; other compounds do not.
    let seen = app
        .get_as(&c.resident, &format!("/api/v1/meetings/{m}"))
        .await
        .expect(200);
    let decided: Vec<(i64, &str)> = seen.body["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["issue_id"].as_i64().unwrap(),
                c["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        decided,
        [
            (lift, "经表决不予加装，向居民做好解释"),
            (pile, "同意在北门增设充电桩，物业负责实施"),
            (lift_2, "由网格员牵头征求意见"),
        ]
    );
    assert_eq!(seen.body["cases"][0]["description"], Value::Null);
    assert_eq!(seen.body["attendees"][0]["name"], "陈**");
    assert_eq!(seen.body["attendees"][0]["user_id"], Value::Null);
    for who in [&c.outsider, &c.committee_b, &c.official_b, &c.property_2] {
        app.get_as(who, &format!("/api/v1/meetings/{m}"))
            .await
            .expect_problem(404, "not_found");
        assert!(listed(who).await.is_empty());
    }
    for who in [&c.resident, &c.committee, &c.property_1] {
        assert_eq!(listed(who).await, [m]);
    }
    app.get_as(&c.property_1, &format!("/api/v1/meetings/{m}"))
        .await
        .expect(200);

    // The decisions are on the compound's notice board.
    let board = app.get_as(&c.resident, "/api/v1/notices").await.expect(200);
    assert!(board.ids().contains(&notice), "{}", board.text);
    let n = app
        .get_as(&c.resident, &format!("/api/v1/notices/{notice}"))
        .await
        .expect(200);
    assert_eq!(n.body["kind"], "meeting");
    assert_eq!(n.body["publisher_kind"], "community");
    let body = n.body["body"].as_str().unwrap();
    assert!(body.contains("同意在北门增设充电桩"), "{body}");
    assert!(body.contains("表决：同意9，反对1，弃权1"), "{body}");
    let other_board = app.get_as(&c.outsider, "/api/v1/notices").await.expect(200);
    assert!(!other_board.ids().contains(&notice));

    // Published decisions are final.
    for (path, body) in [
        ("publish", json!({})),
        ("minutes", json!({"text": "改写"})),
        (
            "decisions",
            json!({"issue_id": lift_2, "outcome": "close", "text": "x"}),
        ),
    ] {
        app.post_as(&c.official, &format!("/api/v1/meetings/{m}/{path}"), &body)
            .await
            .expect_problem(409, "conflict");
    }
}

#[actix_web::test]
async fn who_holds_meetings_and_what_an_agenda_may_hold() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let office = app.staff("district_office", None).await;
    let case = in_deliberation(&app, &c, "elevator_installation", false).await;
    let case_b = in_deliberation(&app, &c, "charging_pile", true).await;
    let submitted = app.resident_files(&c, "water_leak").await;

    for who in [
        &c.official_b,
        &c.mediator,
        &c.grid_worker,
        &c.dispatcher,
        &c.property_1,
        &c.committee,
        &c.resident,
        &c.auditor,
        &c.admin,
    ] {
        hold(&app, who, &meeting_body(&app, &c, &[]))
            .await
            .expect_problem(403, "forbidden");
    }
    let good = meeting_body(&app, &c, &[case]);
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let bad: Vec<(Value, &str)> = vec![
        (with("kind", json!("party")), "kind"),
        (with("title", json!("  ")), "title"),
        (with("community_id", json!(99999)), "community_id"),
        (with("compound_id", json!(d.compound_b)), "compound_id"),
        (with("held_at", json!("tomorrow")), "held_at"),
        (with("attendees", json!([])), "attendees"),
        (
            with(
                "attendees",
                json!([{"user_id": 99999, "name": "某人", "role_label": "居民"}]),
            ),
            "attendees",
        ),
        (
            with("attendees", json!([{"name": "某人", "role_label": ""}])),
            "attendees",
        ),
        (
            with("agenda_issue_ids", json!([case_b])),
            "agenda_issue_ids",
        ),
        (
            with("agenda_issue_ids", json!([submitted])),
            "agenda_issue_ids",
        ),
        (
            with("agenda_issue_ids", json!([case, case])),
            "agenda_issue_ids",
        ),
        (with("agenda_issue_ids", json!([99999])), "agenda_issue_ids"),
    ];
    for (body, field) in bad {
        let res = hold(&app, &c.official, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{}", res.text);
    }
    hold(&app, &c.official, &with("extra", json!(1)))
        .await
        .expect_problem(400, "invalid_body");
    assert_eq!(app.count("meetings"), 0);

    // The district office holds a meeting of the community; the case's own official records
    // the decision (the office never acts on cases), and the office publishes in its name.
    let m = hold(&app, &office, &good).await.expect(201).id();
    let decision = json!({"issue_id": case, "outcome": "assign_property", "text": "物业负责实施"});
    decide(&app, &office, m, &decision)
        .await
        .expect_problem(403, "forbidden");
    decide(&app, &c.official_b, m, &decision)
        .await
        .expect_problem(404, "not_found");
    decide(&app, &c.mediator, m, &decision)
        .await
        .expect_problem(403, "forbidden");
    app.post_as(
        &c.mediator,
        &format!("/api/v1/meetings/{m}/publish"),
        &json!({}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.post_as(
        &office,
        &format!("/api/v1/meetings/{m}/publish"),
        &json!({}),
    )
    .await
    .expect_problem(409, "conflict");
    app.post_as(
        &office,
        &format!("/api/v1/meetings/{m}/issues"),
        &json!({"category": "street_lamp", "description": "路灯不亮需要维修"}),
    )
    .await
    .expect_problem(403, "forbidden");
    decide(&app, &c.official, m, &decision).await.expect(200);
    let res = app
        .post_as(
            &office,
            &format!("/api/v1/meetings/{m}/publish"),
            &json!({}),
        )
        .await
        .expect(200);
    let notice = res.body["notice_id"].as_i64().unwrap();
    let n = app
        .get_as(&c.resident, &format!("/api/v1/notices/{notice}"))
        .await
        .expect(200);
    assert_eq!(n.body["publisher_kind"], "district");

    // A meeting not held yet decides nothing.
    let later = with("held_at", json!(at(app.now() + Duration::days(2))));
    let case_2 = in_deliberation(&app, &c, "charging_pile", false).await;
    let mut later = later;
    later["agenda_issue_ids"] = json!([case_2]);
    let m2 = hold(&app, &c.official, &later).await.expect(201).id();
    decide(
        &app,
        &c.official,
        m2,
        &json!({"issue_id": case_2, "outcome": "close", "text": "x"}),
    )
    .await
    .expect_problem(422, "validation_failed");
    app.get_as(&c.resident, &format!("/api/v1/meetings/{m2}"))
        .await
        .expect_problem(404, "not_found");
    app.get_as(&c.official, "/api/v1/meetings/99999")
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn the_demo_district_has_a_finished_patrol_and_a_published_meeting() {
    let (app, token) = crate::foundation::demo_as_auditor().await;
    // The patrol: its findings are cases with source `patrol`, two fixed on the spot.
    let res = app
        .get("/api/v1/issues?source=patrol&limit=100", Some(&token))
        .await
        .expect(200);
    let fixed: Vec<&Value> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["closure"] == "fixed_on_patrol")
        .collect();
    assert_eq!(fixed.len(), 2);
    let fixed = fixed[0];
    let events = app
        .get(
            &format!("/api/v1/issues/{}/events", fixed["id"]),
            Some(&token),
        )
        .await
        .expect(200);
    let patrol = events.body[1]["data"]["patrol_id"].as_i64().unwrap();
    let round = app
        .get(&format!("/api/v1/patrols/{patrol}"), Some(&token))
        .await
        .expect(200);
    assert_eq!(round.body["status"], "finished");
    assert_eq!(
        round.body["summary"],
        json!({"found": 4, "fixed_on_the_spot": 2, "filed": 2, "open": 2})
    );
    // The meeting: published, three decisions, its notice on the board.
    let list = app.get("/api/v1/meetings", Some(&token)).await.expect(200);
    let m = list.ids()[0];
    let meeting = app
        .get(&format!("/api/v1/meetings/{m}"), Some(&token))
        .await
        .expect(200);
    assert!(meeting.body["published_at"].is_string());
    let cases = meeting.body["cases"].as_array().unwrap();
    assert_eq!(cases.iter().filter(|c| !c["outcome"].is_null()).count(), 3);
    assert_eq!(cases.iter().filter(|c| c["raised_here"] == true).count(), 1);
    let notice = meeting.body["notice_id"].as_i64().unwrap();
    app.get(&format!("/api/v1/notices/{notice}"), Some(&token))
        .await
        .expect(200);
}
