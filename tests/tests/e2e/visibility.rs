//! Who sees what: for every role, lists and reads by id agree with each other and with the
//! rules (resident: own + public of own compound; property staff: their company's; committee:
//! compound; official: community; dispatcher: street; mediator: mediators'; building leader:
//! its building's public ones and those it handles, a 片长 so for its grid; volunteer: its
//! community's public ones; auditor: all; admin: none). Then the list's filters and keyset pagination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use linli_tests::{Cast, Session, TestApp, issue_body, serde_json::json};

/// The issues of the scene, by what they are.
struct Scene {
    /// Resident's private water leak in A, untriaged.
    r_private: i64,
    /// Resident's public small ads in A, given to grid A.
    r_public: i64,
    /// Neighbour's private greening in A, given to company 1.
    n_private: i64,
    /// Outsider's public issue in B, given to company 2.
    o_public: i64,
    /// Resident's private neighbour dispute in A, given to the mediators of community A.
    dispute: i64,
    /// A hotline issue in compound A2 (company 2, grid A), given to company 2.
    a2: i64,
    /// A mediator's patrol find in A, untriaged.
    patrol: i64,
}

async fn scene(app: &TestApp, c: &Cast) -> Scene {
    let d = c.district;
    let private = |category: &str| {
        let mut b = issue_body(category, d.compound_a, Some(d.building_a1));
        b["is_public"] = json!(false);
        b
    };
    let file = |who: &Session, body: serde_json::Value| {
        let who = who.clone();
        async move { app.file_issue(&who, &body).await.expect(201).id() }
    };
    let r_private = file(&c.resident, private("water_leak")).await;
    let r_public = file(&c.resident, d.issue_body("small_ads")).await;
    let n_private = file(&c.neighbour, private("greening")).await;
    let o_public = file(
        &c.outsider,
        issue_body("parking", d.compound_b, Some(d.building_b1)),
    )
    .await;
    let dispute = file(&c.resident, private("neighbour_dispute")).await;
    let mut hotline = issue_body("street_lamp", d.compound_a2, Some(d.building_a2));
    hotline["source"] = json!("hotline");
    let a2 = file(&c.dispatcher, hotline).await;
    let mut patrol = private("sanitation");
    patrol["source"] = json!("patrol");
    let patrol = file(&c.mediator, patrol).await;
    for id in [r_public, n_private, o_public, dispute, a2] {
        app.triage(&c.dispatcher, id).expect(200).await;
    }
    Scene {
        r_private,
        r_public,
        n_private,
        o_public,
        dispute,
        a2,
        patrol,
    }
}

fn set(ids: &[i64]) -> BTreeSet<i64> {
    ids.iter().copied().collect()
}

#[actix_web::test]
async fn every_role_sees_exactly_its_issues_in_lists_and_by_id() {
    let (app, c) = TestApp::with_cast().await;
    let s = scene(&app, &c).await;
    let all = [
        s.r_private,
        s.r_public,
        s.n_private,
        s.o_public,
        s.dispute,
        s.a2,
        s.patrol,
    ];
    let community_a = [
        s.r_private,
        s.r_public,
        s.n_private,
        s.dispute,
        s.a2,
        s.patrol,
    ];
    let compound_a = [s.r_private, s.r_public, s.n_private, s.dispute, s.patrol];
    let office = app.staff("district_office", None).await;
    // Made after the scene, whose small matters therefore went to the grid.
    let leader = app
        .staff("building_leader", Some(c.district.building_a1))
        .await;
    let volunteer = app.staff("volunteer", Some(c.district.community_a)).await;
    let grid_leader = app.grid_leader(c.district.grid_a).await;
    let grid_leader_b = app.grid_leader(c.district.grid_b).await;
    let expectations: Vec<(&str, &Session, Vec<i64>)> = vec![
        (
            "resident",
            &c.resident,
            vec![s.r_private, s.r_public, s.dispute],
        ),
        ("neighbour", &c.neighbour, vec![s.r_public, s.n_private]),
        ("outsider", &c.outsider, vec![s.o_public]),
        ("grid worker A", &c.grid_worker, community_a.to_vec()),
        ("grid worker B", &c.grid_worker_b, vec![s.o_public]),
        ("dispatcher", &c.dispatcher, all.to_vec()),
        ("property staff 1", &c.property_1, vec![s.n_private]),
        ("property staff 2", &c.property_2, vec![s.o_public, s.a2]),
        ("committee A", &c.committee, compound_a.to_vec()),
        ("committee B", &c.committee_b, vec![s.o_public]),
        ("official A", &c.official, community_a.to_vec()),
        ("official B", &c.official_b, vec![s.o_public]),
        ("mediator", &c.mediator, vec![s.dispute, s.patrol]),
        ("auditor", &c.auditor, all.to_vec()),
        ("district office", &office, all.to_vec()),
        ("building leader A1", &leader, vec![s.r_public]),
        ("volunteer A", &volunteer, vec![s.r_public, s.a2]),
        // 片长: the public ones of the grid (A1 and A2 are in grid A).
        ("grid leader A", &grid_leader, vec![s.r_public, s.a2]),
        ("grid leader B", &grid_leader_b, vec![s.o_public]),
        ("admin", &c.admin, vec![]),
    ];
    for (who, session, expected) in expectations {
        let listed = set(&app.list_ids(session, "").await);
        assert_eq!(listed, set(&expected), "{who} lists");
        // By id agrees with the list, for every issue.
        for id in all {
            let res = app.issue(session, id).await;
            let visible = listed.contains(&id);
            assert_eq!(
                res.status,
                if visible { 200 } else { 404 },
                "{who} reads {id}: {}",
                res.text
            );
            let timeline = app
                .get_as(session, &format!("/api/v1/issues/{id}/events"))
                .await;
            assert_eq!(
                timeline.status, res.status,
                "{who} reads the timeline of {id}"
            );
            if !visible {
                assert_eq!(res.code(), "not_found");
            }
        }
    }
    // Unauthenticated: nothing.
    app.get("/api/v1/issues", None)
        .await
        .expect_problem(401, "missing_token");
    app.get(&format!("/api/v1/issues/{}", s.r_public), None)
        .await
        .expect_problem(401, "missing_token");
}

#[actix_web::test]
async fn other_company_cannot_read_or_act_and_auditor_cannot_write() {
    let (app, c) = TestApp::with_cast().await;
    let office = app.staff("district_office", None).await;
    let s = scene(&app, &c).await;
    let events = app.count("issue_events");
    // Company 2 on company 1's issue: invisible, so 404 for reading and acting.
    app.issue(&c.property_2, s.n_private)
        .await
        .expect_problem(404, "not_found");
    app.answer(&c.property_2, s.n_private, "收到")
        .problem(404, "not_found")
        .await;
    app.rectify(&c.property_2, s.n_private, "已处理")
        .problem(404, "not_found")
        .await;
    // A resident who can see a neighbour's public issue still cannot act for the handler.
    app.answer(&c.neighbour, s.r_public, "x")
        .problem(403, "forbidden")
        .await;

    // The auditor and the district office (物管办) read everything and write nothing.
    let writes = [
        (s.r_private, "triage", json!({})),
        (s.r_private, "reject", json!({"reason": "x"})),
        (s.r_private, "withdraw", json!({})),
        (
            s.n_private,
            "answer",
            json!({"message": "x", "accept": true}),
        ),
        (s.n_private, "rectification", json!({"notes": "x"})),
        (
            s.n_private,
            "supervision",
            json!({"passed": true, "notes": "x"}),
        ),
        (
            s.n_private,
            "confirmation",
            json!({"resolved": true, "satisfaction": 5}),
        ),
        (
            s.n_private,
            "revisit",
            json!({"outcome": "confirmed", "notes": "x"}),
        ),
        (
            s.dispute,
            "mediation",
            json!({"settled": true, "notes": "x"}),
        ),
        (
            s.dispute,
            "deliberation",
            json!({"held_at": "2026-08-31T00:00:00Z", "venue": "v", "attendees": ["a"], "decision": "d", "outcome": "close"}),
        ),
    ];
    for (id, action, body) in writes {
        for reader in [&c.auditor, &office] {
            app.act(reader, id, action, &body)
                .await
                .expect_problem(403, "forbidden");
        }
        // The admin does not even see cases.
        app.act(&c.admin, id, action, &body)
            .await
            .expect_problem(404, "not_found");
    }
    let mut patrol = issue_body("sanitation", c.district.compound_a, None);
    patrol["source"] = json!("patrol");
    for reader in [&c.auditor, &office] {
        app.file_issue(reader, &patrol)
            .await
            .expect_problem(403, "forbidden");
        app.post(
            &format!("/api/v1/issues/{}/comments", s.n_private),
            Some(&reader.access_token),
            &json!({"body": "请尽快处理"}),
        )
        .await
        .expect_problem(403, "forbidden");
    }
    assert_eq!(app.count("issue_events"), events);
}

#[actix_web::test]
async fn filters_and_keyset_pagination() {
    let app = TestApp::new().await;
    let mut c = app.cast().await;
    let d = c.district;
    let s = scene(&app, &c).await;
    let app = &app;
    let ids = |who: &Session, q: &'static str| {
        let who = who.clone();
        async move { set(&app.list_ids(&who, q).await) }
    };
    assert_eq!(
        ids(&c.auditor, "&status=submitted").await,
        set(&[s.r_private, s.patrol])
    );
    assert_eq!(
        ids(&c.auditor, "&status=triaged").await,
        set(&[s.r_public, s.n_private, s.o_public, s.dispute, s.a2])
    );
    assert_eq!(
        ids(&c.auditor, "&category=small_ads").await,
        set(&[s.r_public])
    );
    assert_eq!(
        ids(&c.auditor, "&level=property").await,
        set(&[s.n_private, s.o_public, s.a2])
    );
    assert_eq!(ids(&c.auditor, "&level=mediation").await, set(&[s.dispute]));
    let q = format!("&compound_id={}", d.compound_b);
    assert_eq!(set(&app.list_ids(&c.auditor, &q).await), set(&[s.o_public]));
    // Filters narrow a role's view, never widen it.
    assert_eq!(set(&app.list_ids(&c.resident, &q).await), set(&[]));
    assert_eq!(
        set(&app.list_ids(&c.resident, "&status=submitted").await),
        set(&[s.r_private])
    );

    // Created range (RFC 3339, inclusive).
    app.clock.advance(chrono::Duration::hours(1));
    c.relogin(app).await;
    let late = app.resident_files(&c, "sanitation").await;
    assert_eq!(
        ids(&c.auditor, "&created_from=2026-09-01T00:30:00Z").await,
        set(&[late])
    );
    assert_eq!(
        ids(&c.auditor, "&created_to=2026-09-01T00:30:00Z")
            .await
            .len(),
        7
    );
    assert_eq!(
        ids(
            &c.auditor,
            "&created_from=2026-09-01T08:00:00%2B08:00&created_to=2026-09-01T08:00:00%2B08:00"
        )
        .await,
        set(&[
            s.r_private,
            s.r_public,
            s.n_private,
            s.o_public,
            s.dispute,
            s.a2,
            s.patrol
        ])
    );

    // Overdue is derived from the clock: nothing yet; after 41 h every open normal/urgent issue
    // has missed its response deadline unless it was answered (a normal one's working day,
    // Wednesday 2 September in Shanghai, ends 40 h after the start, 08:00 Tuesday there).
    assert_eq!(ids(&c.auditor, "&overdue=true").await, set(&[]));
    app.answer(&c.grid_worker, s.r_public, "好")
        .expect(200)
        .await;
    app.reject(&c.dispatcher, s.patrol, "已处理")
        .expect(200)
        .await;
    app.clock.advance(chrono::Duration::hours(41));
    c.relogin(app).await;
    let overdue = ids(&c.auditor, "&overdue=true").await;
    assert_eq!(
        overdue,
        set(&[s.r_private, s.n_private, s.o_public, s.dispute, s.a2, late])
    );
    let not_overdue = ids(&c.auditor, "&overdue=false").await;
    assert_eq!(not_overdue, set(&[s.r_public, s.patrol]));
    let listed = app
        .get_as(&c.auditor, "/api/v1/issues?overdue=true&limit=100")
        .await
        .expect(200);
    assert!(
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["overdue"] == true)
    );

    // Keyset pagination: newest first, pages of 3, no gaps, no repeats.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = "/api/v1/issues?limit=3".to_owned();
        if let Some(cur) = &cursor {
            path.push_str(&format!("&cursor={cur}"));
        }
        let res = app.get_as(&c.auditor, &path).await.expect(200);
        let items = res.body["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        pages += 1;
        match res.body["next_cursor"].as_str() {
            Some(cur) => cursor = Some(cur.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 8);
    let res = app.get_as(&c.auditor, "/api/v1/issues").await.expect(200);
    assert_eq!(res.body["items"].as_array().unwrap().len(), 8);
    assert!(res.body["next_cursor"].is_null());
    assert_eq!(res.body["items"][0]["id"], late);

    // Bad filters are 400 `invalid_query`.
    for q in [
        "status=lost",
        "category=ufo",
        "level=cosmic",
        "overdue=maybe",
        "compound_id=abc",
        "created_from=yesterday",
        "created_to=2026-13-01",
        "cursor=zzz",
        "cursor=",
        "limit=0",
        "limit=101",
        "limit=ten",
        "colour=red",
    ] {
        app.get_as(&c.auditor, &format!("/api/v1/issues?{q}"))
            .await
            .expect_problem(400, "invalid_query");
    }
}

#[actix_web::test]
async fn the_reporters_phone_is_shown_in_full_only_to_who_handles_the_issue() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let mut body = d.issue_body("water_leak");
    body["is_public"] = json!(true);
    let id = app.file_issue(&c.resident, &body).await.expect(201).id();
    app.triage(&c.dispatcher, id).expect(200).await;

    let contact = |res: &linli_tests::Resp| res.body["reporter"].clone();
    let full = c.resident.phone.as_str();
    let masked = format!("{}****{}", &full[..3], &full[7..]);
    for (who, expected) in [
        (&c.resident, Some(full.to_owned())),
        (&c.dispatcher, Some(full.to_owned())),
        (&c.property_1, Some(full.to_owned())),
        (&c.committee, Some(masked.clone())),
        (&c.official, Some(masked.clone())),
        (&c.auditor, Some(masked.clone())),
        (&c.neighbour, None),
    ] {
        let res = app.issue(who, id).await.expect(200);
        match expected {
            Some(phone) => {
                assert_eq!(
                    contact(&res)["phone"],
                    json!(phone),
                    "{}: {}",
                    who.role,
                    res.text
                );
                assert_eq!(
                    contact(&res)["phone_masked"],
                    json!(phone != full),
                    "{}",
                    who.role
                );
            }
            None => assert!(
                res.body["reporter"].is_null() && !res.text.contains(full),
                "another resident sees nothing of the reporter: {}",
                res.text
            ),
        }
    }
    // Lists never carry phone numbers.
    let list = app.get_as(&c.auditor, "/api/v1/issues").await.expect(200);
    assert!(!list.text.contains(full));
}

#[actix_web::test]
async fn mine_narrows_a_residents_list_to_the_issues_they_reported() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let mut public = d.issue_body("street_lamp");
    public["is_public"] = json!(true);
    let own = app.file_issue(&c.resident, &public).await.expect(201).id();
    let neighbours = app.file_issue(&c.neighbour, &public).await.expect(201).id();
    let all = app.list_ids(&c.resident, "").await;
    assert!(all.contains(&own) && all.contains(&neighbours), "{all:?}");
    assert_eq!(app.list_ids(&c.resident, "&mine=true").await, vec![own]);
    assert_eq!(
        app.list_ids(&c.neighbour, "&mine=true").await,
        vec![neighbours]
    );
    app.get_as(&c.resident, "/api/v1/issues?mine=yes")
        .await
        .expect_problem(400, "invalid_query");
}
