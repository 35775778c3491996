//! Patrol rounds (巡查) through HTTP: a round with its team, findings filed or fixed on the spot
//! (立行立改), the problem list (问题清单) with each case's state, the list filters that follow
//! it and its CSV, found-and-fixed in the summary, and who may do what.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, SecondsFormat};
use linli_tests::{
    Cast, Resp, Session, TestApp,
    serde_json::{Value, json},
};

fn started(app: &TestApp) -> String {
    (app.now() - Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn start(app: &TestApp, who: &Session, compound: i64, members: &[&Session]) -> Resp {
    let members: Vec<i64> = members.iter().map(|m| m.id).collect();
    app.post_as(
        who,
        "/api/v1/patrols",
        &json!({"compound_id": compound, "members": members, "started_at": started(app)}),
    )
    .await
}

fn finding(category: &str, building: i64, fixed: bool) -> Value {
    let mut body = json!({
        "category": category,
        "description": format!("{category}：巡查发现的问题"),
        "building_id": building,
        "location_text": "3单元二楼",
        "fixed_on_the_spot": fixed,
    });
    if fixed {
        body["note"] = json!("已当场清理，恢复通道畅通");
    }
    body
}

async fn find(app: &TestApp, who: &Session, patrol: i64, body: &Value) -> Resp {
    app.post_as(who, &format!("/api/v1/patrols/{patrol}/findings"), body)
        .await
}

fn set(ids: &[i64]) -> std::collections::BTreeSet<i64> {
    ids.iter().copied().collect()
}

/// A round on compound A by the grid worker with property staff 1 and the mediator: four
/// findings, two fixed on the spot. The ids of the round and of the four cases.
async fn round_with_four_findings(app: &TestApp, c: &Cast) -> (i64, [i64; 4]) {
    let d = c.district;
    let patrol = start(
        app,
        &c.grid_worker,
        d.compound_a,
        &[&c.property_1, &c.mediator],
    )
    .await
    .expect(201);
    assert_eq!(patrol.body["status"], "open");
    assert_eq!(patrol.body["members"].as_array().unwrap().len(), 3);
    let p = patrol.id();
    let a1 = d.building_a1;
    let fixed_1 = find(
        app,
        &c.grid_worker,
        p,
        &finding("fire_escape_blocked", a1, true),
    )
    .await
    .expect(201);
    assert_eq!(fixed_1.body["status"], "closed");
    assert_eq!(fixed_1.body["closure"], "fixed_on_patrol");
    let fixed_2 = find(
        app,
        &c.property_1,
        p,
        &finding("flying_wire_charging", a1, true),
    )
    .await
    .expect(201);
    let filed_1 = find(
        app,
        &c.grid_worker,
        p,
        &finding("stairwell_clutter", a1, false),
    )
    .await
    .expect(201);
    assert_eq!(filed_1.body["status"], "submitted");
    let filed_2 = find(app, &c.mediator, p, &finding("water_leak", a1, false))
        .await
        .expect(201);
    let issue = |r: &Resp| r.body["issue_id"].as_i64().unwrap();
    (
        p,
        [
            issue(&fixed_1),
            issue(&fixed_2),
            issue(&filed_1),
            issue(&filed_2),
        ],
    )
}

#[actix_web::test]
async fn a_patrol_s_problem_list_follows_its_findings_fixed_and_filed() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let (p, [fixed_1, fixed_2, filed_1, filed_2]) = round_with_four_findings(&app, &c).await;

    // The fixed ones are closed at once, with their evidence, and nobody rates them.
    for id in [fixed_1, fixed_2] {
        let finder = if id == fixed_1 {
            &c.grid_worker
        } else {
            &c.property_1
        };
        let res = app.issue(finder, id).await.expect(200);
        assert_eq!(res.body["source"], "patrol");
        assert_eq!(res.body["status"], "closed");
        assert_eq!(res.body["closure"], "fixed_on_patrol");
        assert_eq!(res.body["satisfaction"], Value::Null);
        let actions: Vec<&str> = res.body["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(!actions.contains(&"confirmation"), "{actions:?}");
        app.confirm(finder, id)
            .rating(5)
            .problem(409, "illegal_transition")
            .await;
        let events = app.events(finder, id).await;
        let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["created", "fixed_on_patrol"]);
        assert_eq!(events[1]["data"]["patrol_id"], p);
        assert_eq!(events[1]["note"], "已当场清理，恢复通道畅通");
    }

    // The filed ones are routed as usual.
    let clutter = app.triage(&c.dispatcher, filed_1).await;
    let leak = app.triage(&c.dispatcher, filed_2).await;
    assert_eq!(clutter.status, "triaged");
    assert_eq!(leak.status, "triaged");
    let leak_handler = leak.handler.clone().unwrap();
    assert_eq!(leak_handler.kind, "property_company");
    assert_eq!(leak_handler.id, Some(d.company_1));

    // The problem list shows all four with their states now.
    let list = app
        .get_as(&c.official, &format!("/api/v1/patrols/{p}"))
        .await
        .expect(200);
    let findings = list.body["findings"].as_array().unwrap();
    let states: Vec<(i64, &str, bool)> = findings
        .iter()
        .map(|f| {
            (
                f["issue_id"].as_i64().unwrap(),
                f["status"].as_str().unwrap(),
                f["fixed_on_the_spot"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            (fixed_1, "closed", true),
            (fixed_2, "closed", true),
            (filed_1, "triaged", false),
            (filed_2, "triaged", false),
        ]
    );
    assert_eq!(
        list.body["summary"],
        json!({"found": 4, "fixed_on_the_spot": 2, "filed": 2, "open": 2})
    );
    assert_eq!(findings[1]["found_by"], c.property_1.id);

    // GET /issues follows the dynamic list.
    let own = app.file(&c.resident, "water_leak", &d).await;
    let mine = [fixed_1, fixed_2, filed_1, filed_2];
    assert_eq!(
        set(&app
            .list_ids(&c.dispatcher, &format!("&patrol_id={p}"))
            .await),
        set(&mine)
    );
    assert_eq!(
        set(&app
            .list_ids(&c.grid_worker, &format!("&patrol_id={p}"))
            .await),
        set(&mine)
    );
    assert_eq!(
        set(&app.list_ids(&c.dispatcher, "&source=patrol").await),
        set(&mine)
    );
    assert_eq!(app.list_ids(&c.dispatcher, "&source=app").await, [own]);
    let in_grid = set(&app
        .list_ids(&c.dispatcher, &format!("&grid_id={}", d.grid_a))
        .await);
    assert_eq!(in_grid, set(&[fixed_1, fixed_2, filed_1, filed_2, own]));
    assert!(
        app.list_ids(&c.dispatcher, &format!("&grid_id={}", d.grid_b))
            .await
            .is_empty()
    );
    assert_eq!(
        app.list_ids(
            &c.dispatcher,
            &format!(
                "&building_id={}&patrol_id={p}&status=triaged",
                d.building_a1
            )
        )
        .await,
        [filed_2, filed_1]
    );
    assert!(
        app.list_ids(&c.dispatcher, &format!("&building_id={}", d.building_b1))
            .await
            .is_empty()
    );
    assert_eq!(
        app.list_ids(
            &c.dispatcher,
            &format!("&handler=property_company:{}", d.company_1)
        )
        .await,
        [filed_2]
    );
    let clutter_handler = clutter.handler.unwrap();
    assert_eq!(clutter_handler.kind, "grid");
    let by_kind = app
        .list_ids(&c.dispatcher, &format!("&handler={}", clutter_handler.kind))
        .await;
    assert_eq!(by_kind, [filed_1]);
    assert!(
        app.list_ids(
            &c.dispatcher,
            &format!("&handler=property_company:{}", d.company_2)
        )
        .await
        .is_empty()
    );
    // Filters still narrow what the role sees: company 1 sees its case only.
    assert_eq!(
        app.list_ids(&c.property_1, &format!("&patrol_id={p}"))
            .await,
        [filed_2, fixed_2]
    );
    for bad in [
        "handler=plumber",
        "handler=grid:x",
        "handler=department:3",
        "source=fax",
        "patrol_id=abc",
    ] {
        app.get_as(&c.dispatcher, &format!("/api/v1/issues?{bad}"))
            .await
            .expect_problem(400, "invalid_query");
    }

    // The list as CSV.
    let csv = app
        .get_as(&c.dispatcher, &format!("/api/v1/issues.csv?patrol_id={p}"))
        .await
        .expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("id,created_at,source,category"));
    assert!(lines[1].starts_with(&format!("{filed_2},")));
    assert!(lines[4].starts_with(&format!("{fixed_1},")));
    assert_eq!(text.matches("fixed_on_patrol").count(), 2);
    assert!(lines[3].contains(",patrol,flying_wire_charging,"));
    app.get_as(&c.dispatcher, "/api/v1/issues.csv?limit=5")
        .await
        .expect_problem(400, "invalid_query");
    let empty = app
        .get_as(&c.outsider, &format!("/api/v1/issues.csv?patrol_id={p}"))
        .await
        .expect(200);
    assert_eq!(empty.text.trim_start_matches('\u{feff}').lines().count(), 1);

    // The summary counts the fixed ones as found-and-fixed (and resolved), never rated.
    let summary = app
        .get_as(
            &c.official,
            "/api/v1/reports/summary?from=2026-08-01&to=2026-10-01&group_by=compound",
        )
        .await
        .expect(200);
    let row = summary.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"].as_str().and_then(|k| k.parse::<i64>().ok()) == Some(d.compound_a))
        .unwrap()
        .clone();
    assert_eq!(row["total"], 5);
    assert_eq!(row["found_and_fixed"], 2);
    assert_eq!(row["resolved"], 2);
    assert_eq!(row["rated"], 0);

    // Finishing closes the list to new findings; the cases go on.
    let done = app
        .post_as(
            &c.property_1,
            &format!("/api/v1/patrols/{p}/finish"),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(done.body["status"], "finished");
    assert!(done.body["finished_at"].is_string());
    app.post_as(
        &c.grid_worker,
        &format!("/api/v1/patrols/{p}/finish"),
        &json!({}),
    )
    .await
    .expect_problem(409, "conflict");
    find(
        &app,
        &c.grid_worker,
        p,
        &finding("small_ads", d.building_a1, false),
    )
    .await
    .expect_problem(409, "conflict");
}

#[actix_web::test]
async fn who_may_patrol_where_and_what_a_finding_must_say() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let office = app.staff("district_office", None).await;
    // The team of the compound's community and its company start rounds.
    for who in [&c.grid_worker, &c.official, &c.mediator, &c.property_1] {
        start(&app, who, d.compound_a, &[]).await.expect(201);
    }
    // Nobody else: another community's, another company's, residents and the rest.
    for who in [
        &c.grid_worker_b,
        &c.official_b,
        &c.property_2,
        &c.resident,
        &c.dispatcher,
        &c.committee,
        &c.auditor,
        &office,
        &c.admin,
    ] {
        start(&app, who, d.compound_a, &[])
            .await
            .expect_problem(403, "forbidden");
    }
    // Members must be of the team too.
    for member in [&c.property_2, &c.resident, &c.grid_worker_b, &c.dispatcher] {
        let res = start(&app, &c.grid_worker, d.compound_a, &[member])
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "members", "{}", res.text);
    }
    // Bad bodies.
    let future = (app.now() + Duration::hours(3)).to_rfc3339();
    let bad: Vec<(Value, u16, &str)> = vec![
        (
            json!({"compound_id": 99999, "members": [], "started_at": started(&app)}),
            422,
            "validation_failed",
        ),
        (
            json!({"compound_id": d.compound_a, "members": [99999], "started_at": started(&app)}),
            422,
            "validation_failed",
        ),
        (
            json!({"compound_id": d.compound_a, "members": [], "started_at": "yesterday"}),
            422,
            "validation_failed",
        ),
        (
            json!({"compound_id": d.compound_a, "members": [], "started_at": future}),
            422,
            "validation_failed",
        ),
        (
            json!({"compound_id": d.compound_a, "members": [], "started_at": started(&app), "x": 1}),
            400,
            "invalid_body",
        ),
        (
            json!({"compound_id": d.compound_a, "started_at": started(&app)}),
            400,
            "invalid_body",
        ),
    ];
    for (body, status, code) in bad {
        app.post_as(&c.grid_worker, "/api/v1/patrols", &body)
            .await
            .expect_problem(status, code);
    }
    assert_eq!(app.count("patrols"), 4);

    // A round of grid worker A with property staff 1.
    let p = start(&app, &c.grid_worker, d.compound_a, &[&c.property_1])
        .await
        .expect(201)
        .id();
    let good = finding("small_ads", d.building_a1, false);
    // Readers who are not members may not record; outsiders do not see it at all.
    find(&app, &c.official, p, &good)
        .await
        .expect_problem(403, "forbidden");
    for who in [&c.official_b, &c.property_2, &c.resident, &c.grid_worker_b] {
        find(&app, who, p, &good)
            .await
            .expect_problem(404, "not_found");
        app.get_as(who, &format!("/api/v1/patrols/{p}"))
            .await
            .expect_problem(404, "not_found");
    }
    for who in [&c.dispatcher, &c.official, &c.mediator, &c.auditor, &office] {
        app.get_as(who, &format!("/api/v1/patrols/{p}"))
            .await
            .expect(200);
    }
    app.get_as(&c.official, "/api/v1/patrols/999999")
        .await
        .expect_problem(404, "not_found");
    // What a finding must say.
    let mut no_note = finding("fire_escape_blocked", d.building_a1, true);
    no_note.as_object_mut().unwrap().remove("note");
    let bad_findings = [
        (
            finding("no_such_category", d.building_a1, false),
            "category",
        ),
        (
            json!({"category": "small_ads", "description": "短", "fixed_on_the_spot": false}),
            "description",
        ),
        (no_note, "note"),
        (finding("small_ads", d.building_b1, false), "building_id"),
    ];
    for (body, field) in bad_findings {
        let res = find(&app, &c.property_1, p, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{}", res.text);
    }
    find(&app, &c.property_1, p, &json!({"category": "small_ads"}))
        .await
        .expect_problem(400, "invalid_body");
    assert_eq!(app.count("patrol_findings"), 0);
    // Property staff see the finding they filed, and its photos go to the case.
    let res = find(&app, &c.property_1, p, &good).await.expect(201);
    let issue = res.body["issue_id"].as_i64().unwrap();
    app.issue(&c.property_1, issue).await.expect(200);
    // Only members and officials of the community finish it.
    for who in [&c.mediator, &c.dispatcher] {
        app.post_as(who, &format!("/api/v1/patrols/{p}/finish"), &json!({}))
            .await
            .expect_problem(403, "forbidden");
    }
    app.post_as(
        &c.official,
        &format!("/api/v1/patrols/{p}/finish"),
        &json!({}),
    )
    .await
    .expect(200);
}
