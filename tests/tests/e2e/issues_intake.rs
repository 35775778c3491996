//! Filing issues through HTTP: the answer, who may file what, Idempotency-Key retries, the
//! category catalogue, and a table of bad inputs that must change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use linli_tests::{
    TestApp, issue_body,
    serde_json::{Value, json},
};

/// A new access token after the clock moved past the old one's 15 minutes.
async fn fresh_token(app: &TestApp, who: &linli_tests::Session) -> String {
    let res = app.login(&who.phone, &who.password).await.expect(200);
    res.body["access_token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_resident_files_an_issue_with_its_suggestion_and_deadlines() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let body = json!({
        "category": "fire_escape_blocked",
        "description": "  3栋楼道堆满纸箱，堵住了消防通道  ",
        "compound_id": d.compound_a,
        "building_id": d.building_a1,
        "unit": "2单元",
        "location_text": "3栋一楼",
        "lat": 27.8587,
        "lon": 112.9112,
        "is_public": false,
    });
    let res = app.file_issue(&c.resident, &body).await.expect(201);
    let id = res.id();
    assert_eq!(res.header("location"), Some(format!("/api/v1/issues/{id}")));
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    let b = &res.body;
    assert_eq!(b["status"], "submitted");
    assert_eq!(b["category"], "fire_escape_blocked");
    assert_eq!(b["category_name"], "消防通道堵塞");
    assert_eq!(b["description"], "3栋楼道堆满纸箱，堵住了消防通道");
    assert_eq!(b["source"], "app");
    assert_eq!(b["reporter_id"], c.resident.id);
    assert_eq!(b["street_id"], d.street);
    assert_eq!(b["community_id"], d.community_a);
    assert_eq!(b["grid_id"], d.grid_a);
    assert_eq!(b["property_company_id"], d.company_1);
    assert_eq!(b["urgency"], "emergency");
    assert_eq!(b["suggestion"]["level"], "property");
    assert_eq!(b["suggestion"]["handler"]["id"], d.company_1);
    // Emergency: respond within 2 h, resolve within 24 h (立行立改).
    assert_eq!(b["response_due"], "2026-09-01T02:00:00Z");
    assert_eq!(b["resolution_due"], "2026-09-02T00:00:00Z");
    assert!(b["level"].is_null());
    assert_eq!(b["version"], 1);
    assert_eq!(b["overdue"], false);
    assert_eq!(b["is_public"], false);
    // Sent without `coord_system`: GCJ-02 from a Chinese map SDK, stored as WGS-84 (a few
    // hundred metres away), and answered in both.
    assert!(
        (b["lat"].as_f64().unwrap() - 27.8587).abs() < 0.01,
        "{}",
        b["lat"]
    );
    assert!((b["lat_gcj02"].as_f64().unwrap() - 27.8587).abs() < 1e-7);
    // What GET answers is what POST answered.
    // GET adds the reporter's contact (the reporter sees their own number in full).
    let mut got = app.issue(&c.resident, id).await.expect(200).body;
    let reporter = got.as_object_mut().unwrap().remove("reporter").unwrap();
    assert_eq!(reporter["phone"], c.resident.phone.as_str());
    assert_eq!(reporter["phone_masked"], false);
    let mut filed = res.body.clone();
    let filed_reporter = filed.as_object_mut().unwrap().remove("reporter").unwrap();
    assert!(filed_reporter.is_null(), "POST /issues carries no contact");
    assert_eq!(got, filed);
    app.assert_timeline(&c.resident, id, "created").await;

    // An explicit urgency and `other` (no suggested level).
    let mut other = issue_body("other", d.compound_a, None);
    other["urgency"] = json!("urgent");
    let res = app.file_issue(&c.resident, &other).await.expect(201);
    assert!(res.body["suggestion"]["level"].is_null());
    assert_eq!(res.body["urgency"], "urgent");
    assert!(res.body["grid_id"].is_null());
    // The dispatcher must choose a level for `other`.
    let id = res.id();
    app.triage(&c.dispatcher, id)
        .send()
        .await
        .expect_problem(422, "validation_failed");
    app.act(&c.dispatcher, id, "triage", &json!({"level": "property"}))
        .await
        .expect(200);
}

#[actix_web::test]
async fn who_may_file_what() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let in_a = d.issue_body("small_ads");
    let in_b = issue_body("small_ads", d.compound_b, Some(d.building_b1));
    let with_source = |body: &Value, source: &str| {
        let mut b = body.clone();
        b["source"] = json!(source);
        b
    };
    let cases: Vec<(&linli_tests::Session, Value, u16)> = vec![
        (&c.resident, in_a.clone(), 201),
        (&c.resident, with_source(&in_a, "app"), 201),
        // Residents file for their own compound only, and only through the app.
        (&c.resident, in_b.clone(), 403),
        (&c.resident, with_source(&in_a, "patrol"), 403),
        // 巡查: grid workers in their grid, officials and mediators in their community.
        (&c.grid_worker, with_source(&in_a, "patrol"), 201),
        (&c.grid_worker, in_a.clone(), 403),
        (&c.grid_worker, with_source(&in_b, "patrol"), 403),
        (&c.official, with_source(&in_a, "patrol"), 201),
        (&c.official, with_source(&in_b, "patrol"), 403),
        (&c.mediator, with_source(&in_a, "patrol"), 201),
        // The centre takes hotline calls and meeting items in its street.
        (&c.dispatcher, with_source(&in_b, "hotline"), 201),
        (&c.dispatcher, with_source(&in_a, "meeting"), 201),
        (&c.dispatcher, in_a.clone(), 403),
        (&c.property_1, in_a.clone(), 403),
        (&c.committee, in_a.clone(), 403),
        (&c.auditor, with_source(&in_a, "hotline"), 403),
        (&c.admin, in_a.clone(), 403),
    ];
    for (who, body, status) in cases {
        let before = app.count("issues");
        let res = app.file_issue(who, &body).await;
        assert_eq!(
            res.status, status,
            "{} filing {body}: {}",
            who.role, res.text
        );
        let grown = if status == 201 { 1 } else { 0 };
        assert_eq!(app.count("issues"), before + grown);
        if status == 201 {
            assert_eq!(res.body["source"], body["source"].as_str().unwrap_or("app"));
        } else {
            assert_eq!(res.code(), "forbidden");
        }
    }
    app.post("/api/v1/issues", None, &in_a)
        .await
        .expect_problem(401, "missing_token");
}

#[actix_web::test]
async fn idempotent_retry_returns_the_stored_response() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let body = d.issue_body("water_leak");
    let mut token_owned = c.resident.access_token.clone();
    let mut token = Some(token_owned.as_str());
    let key = [("Idempotency-Key", "2b0f3c1e-retry-1")];
    let first = app
        .request(Method::POST, "/api/v1/issues", token, Some(&body), &key)
        .await
        .expect(201);
    let issues = app.count("issues");
    let events = app.count("issue_events");

    // Later, with the clock moved and keys in another order: the same answer, no new issue.
    app.clock.advance(chrono::Duration::hours(3));
    token_owned = fresh_token(&app, &c.resident).await;
    token = Some(token_owned.as_str());
    let reordered: Value = serde_json::from_str(&format!(
        "{{\"is_public\": true, \"building_id\": {}, \"compound_id\": {}, \"description\": {}, \"category\": \"water_leak\"}}",
        d.building_a1, d.compound_a, body["description"]
    ))
    .unwrap();
    let again = app
        .request(
            Method::POST,
            "/api/v1/issues",
            token,
            Some(&reordered),
            &key,
        )
        .await
        .expect(201);
    assert_eq!(again.text, first.text);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(app.count("issues"), issues);
    assert_eq!(app.count("issue_events"), events);

    // The same key with another body is refused.
    let mut other = body.clone();
    other["description"] = json!("另一处漏水，在车库C区");
    app.request(Method::POST, "/api/v1/issues", token, Some(&other), &key)
        .await
        .expect_problem(422, "idempotency_key_reused");
    assert_eq!(app.count("issues"), issues);

    // Keys are per user: the neighbour's identical key files its own issue.
    let neighbour = fresh_token(&app, &c.neighbour).await;
    let res = app
        .request(
            Method::POST,
            "/api/v1/issues",
            Some(&neighbour),
            Some(&body),
            &key,
        )
        .await
        .expect(201);
    assert_ne!(res.id(), first.id());
    assert_eq!(app.count("issues"), issues + 1);

    // Without a key, each POST files one.
    app.request(Method::POST, "/api/v1/issues", token, Some(&body), &[])
        .await
        .expect(201);
    assert_eq!(app.count("issues"), issues + 2);

    // A failed request stores nothing: the key stays free for the corrected retry.
    let fresh = [("Idempotency-Key", "retry-after-fix")];
    let mut bad = body.clone();
    bad["description"] = json!("短");
    app.request(Method::POST, "/api/v1/issues", token, Some(&bad), &fresh)
        .await
        .expect_problem(422, "validation_failed");
    app.request(Method::POST, "/api/v1/issues", token, Some(&body), &fresh)
        .await
        .expect(201);

    // Kept at least 24 hours, forgotten some time after.
    app.clock.advance(chrono::Duration::hours(20));
    token_owned = fresh_token(&app, &c.resident).await;
    token = Some(token_owned.as_str());
    let res = app
        .request(Method::POST, "/api/v1/issues", token, Some(&body), &key)
        .await
        .expect(201);
    assert_eq!(res.id(), first.id());
    app.clock.advance(chrono::Duration::hours(2));
    token_owned = fresh_token(&app, &c.resident).await;
    token = Some(token_owned.as_str());
    let res = app
        .request(Method::POST, "/api/v1/issues", token, Some(&body), &key)
        .await
        .expect(201);
    assert_ne!(res.id(), first.id());

    // A bad key is a 400.
    let long = "k".repeat(300);
    for bad_key in ["", "has space", long.as_str()] {
        app.request(
            Method::POST,
            "/api/v1/issues",
            token,
            Some(&body),
            &[("Idempotency-Key", bad_key)],
        )
        .await
        .expect_problem(400, "invalid_idempotency_key");
    }
}

#[actix_web::test]
async fn concurrent_requests_with_one_key_file_one_issue() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let body = d.issue_body("elevator_fault");
    let token = Some(c.resident.access_token.as_str());
    let key = [("Idempotency-Key", "concurrent-key")];
    let before = app.count("issues");
    let (a, b) = futures_util::future::join(
        app.request(Method::POST, "/api/v1/issues", token, Some(&body), &key),
        app.request(Method::POST, "/api/v1/issues", token, Some(&body), &key),
    )
    .await;
    assert_eq!(app.count("issues"), before + 1);
    let ok: Vec<_> = [&a, &b].into_iter().filter(|r| r.status == 201).collect();
    assert!(!ok.is_empty(), "{} / {}", a.text, b.text);
    for r in [&a, &b] {
        match r.status {
            201 => assert_eq!(r.text, ok[0].text),
            409 => assert_eq!(r.code(), "idempotency_conflict"),
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
}

#[actix_web::test]
async fn categories_are_public() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/categories", None).await.expect(200);
    let list = res.body.as_array().unwrap();
    assert_eq!(list.len(), 18);
    let leak = list.iter().find(|c| c["code"] == "water_leak").unwrap();
    assert_eq!(leak["name_zh"], "漏水");
    assert_eq!(leak["name_en"], "Water leak");
    assert_eq!(leak["default_level"], "property");
    assert_eq!(leak["default_urgency"], "urgent");
    let other = list.iter().find(|c| c["code"] == "other").unwrap();
    assert!(other["default_level"].is_null());
}

#[actix_web::test]
async fn bad_input_changes_nothing() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let good = d.issue_body("water_leak");
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = good.clone();
        b.as_object_mut().unwrap().remove(k);
        b
    };
    let with_both = |(k1, v1): (&str, Value), (k2, v2): (&str, Value)| {
        let mut b = with(k1, v1);
        b[k2] = v2;
        b
    };
    // Bodies that do not parse: 400 `invalid_body`.
    let unreadable = [
        (with("category", json!(7)), "category of the wrong type"),
        (
            with("is_public", json!("yes")),
            "is_public of the wrong type",
        ),
        (
            with("compound_id", json!("one")),
            "compound_id of the wrong type",
        ),
        (with("lat", json!("north")), "lat of the wrong type"),
        (without("description"), "missing description"),
        (without("is_public"), "missing is_public"),
        (with("colour", json!("red")), "unknown field"),
    ];
    // Bodies that parse but break a rule: 422 `validation_failed`.
    let invalid = [
        (with("category", json!("ufo_sighting")), "unknown category"),
        (
            with("description", json!("四个字符")),
            "description of 4 characters",
        ),
        (with("description", json!("       ")), "blank description"),
        (
            with("description", json!("长".repeat(2001))),
            "description of 2001 characters",
        ),
        (with("compound_id", json!(999_999)), "unknown compound"),
        (with("building_id", json!(999_999)), "unknown building"),
        (
            with("building_id", json!(d.building_b1)),
            "building of another compound",
        ),
        (
            with("building_id", json!(d.building_a2)),
            "building of a sibling compound",
        ),
        (
            with_both(("lat", json!(91.0)), ("lon", json!(112.0))),
            "latitude beyond 90",
        ),
        (
            with_both(("lon", json!(181.0)), ("lat", json!(27.0))),
            "longitude beyond 180",
        ),
        (with("lat", json!(27.0)), "lat without lon"),
        (with("source", json!("carrier_pigeon")), "unknown source"),
        (with("urgency", json!("whenever")), "unknown urgency"),
        (with("unit", json!("u".repeat(65))), "unit too long"),
    ];
    let cases = (unreadable
        .into_iter()
        .map(|(body, what)| (body, 400, "invalid_body", what)))
    .chain(
        invalid
            .into_iter()
            .map(|(body, what)| (body, 422, "validation_failed", what)),
    );
    let issues = app.count("issues");
    let events = app.count("issue_events");
    for (body, status, code, what) in cases {
        let res = app.file_issue(&c.resident, &body).await;
        assert_eq!(res.status, status, "{what}: {}", res.text);
        assert_eq!(res.code(), code, "{what}: {}", res.text);
        assert_eq!(
            res.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{what}"
        );
        assert_eq!(app.count("issues"), issues, "{what}");
        assert_eq!(app.count("issue_events"), events, "{what}");
    }
    // A description of exactly 5 and of 2000 characters is fine.
    app.file_issue(&c.resident, &with("description", json!("五个字符呀")))
        .await
        .expect(201);
    app.file_issue(&c.resident, &with("description", json!("长".repeat(2000))))
        .await
        .expect(201);
}

#[actix_web::test]
async fn bad_transition_input_changes_nothing() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "small_ads").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    app.accept_and_rectify(&c.grid_worker, id, "好", "已清理")
        .await;
    let cases: Vec<(&linli_tests::Session, &str, Value, u16, &str)> = vec![
        (
            &c.resident,
            "confirmation",
            json!({"resolved": true, "satisfaction": 0}),
            422,
            "validation_failed",
        ),
        (
            &c.resident,
            "confirmation",
            json!({"resolved": true, "satisfaction": 6}),
            422,
            "validation_failed",
        ),
        (
            &c.resident,
            "confirmation",
            json!({"resolved": true, "satisfaction": "five"}),
            400,
            "invalid_body",
        ),
        (
            &c.resident,
            "confirmation",
            json!({"resolved": "yes", "satisfaction": 5}),
            400,
            "invalid_body",
        ),
        (
            &c.resident,
            "confirmation",
            json!({"resolved": true, "satisfaction": 5, "tip": 1}),
            400,
            "invalid_body",
        ),
        (
            &c.resident,
            "confirmation",
            json!({"resolved": true, "satisfaction": 5, "comment": "x".repeat(2001)}),
            422,
            "validation_failed",
        ),
        (
            &c.dispatcher,
            "triage",
            json!({"level": "galaxy"}),
            422,
            "validation_failed",
        ),
        (
            &c.official,
            "revisit",
            json!({"outcome": "maybe", "notes": "x"}),
            422,
            "validation_failed",
        ),
        (
            &c.official,
            "revisit",
            json!({"outcome": "confirmed", "notes": ""}),
            422,
            "validation_failed",
        ),
        (
            &c.grid_worker,
            "rectification",
            json!({"notes": "再来", "photo_ids": [12345]}),
            422,
            "validation_failed",
        ),
        (
            &c.official,
            "deliberation",
            json!({"held_at": "yesterday", "venue": "v", "attendees": ["a"], "decision": "d", "outcome": "close"}),
            422,
            "validation_failed",
        ),
        (
            &c.official,
            "deliberation",
            json!({"held_at": "2026-08-31T00:00:00Z", "venue": "v", "attendees": [], "decision": "d", "outcome": "close"}),
            422,
            "validation_failed",
        ),
        (
            &c.official,
            "deliberation",
            json!({"held_at": "2026-08-31T00:00:00Z", "venue": "v", "attendees": ["a"], "decision": "d", "outcome": "ignore"}),
            422,
            "validation_failed",
        ),
        (
            &c.mediator,
            "mediation",
            json!({"settled": true}),
            400,
            "invalid_body",
        ),
    ];
    let events = app.count("issue_events");
    let version = app.issue(&c.resident, id).await.expect(200).body["version"].clone();
    for (who, action, body, status, code) in cases {
        let res = app.act(who, id, action, &body).await;
        assert_eq!(res.status, status, "{action} {body}: {}", res.text);
        assert_eq!(res.code(), code, "{action} {body}: {}", res.text);
        assert_eq!(app.count("issue_events"), events, "{action} {body}");
    }
    assert_eq!(app.issue(&c.resident, id).await.body["version"], version);
    // Unknown and non-numeric ids are 404.
    app.confirm(&c.resident, 999_999)
        .rating(5)
        .send()
        .await
        .expect_problem(404, "not_found");
    app.post_as(&c.resident, "/api/v1/issues/abc/confirmation", &json!({}))
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn map_coordinates_are_stored_in_wgs84_whichever_datum_the_phone_gives() {
    let (app, c) = TestApp::with_cast().await;
    // 岳塘区 in GCJ-02 (as 高德 gives it) and the same place in WGS-84 (GPS), from the
    // conversion's reference values: about 500 m apart.
    let (gcj_lat, gcj_lon) = (27.859_000, 112.946_000);
    let mut body = c.district.issue_body("water_leak");
    body["lat"] = json!(gcj_lat);
    body["lon"] = json!(gcj_lon);
    let by_default = app.file_issue(&c.resident, &body).await.expect(201).body;
    body["coord_system"] = json!("gcj02");
    let said_gcj = app.file_issue(&c.resident, &body).await.expect(201).body;
    for b in [&by_default, &said_gcj] {
        // What the phone sent, back through the conversion both ways (within 1 cm).
        assert!((b["lat_gcj02"].as_f64().unwrap() - gcj_lat).abs() < 1e-7);
        assert!((b["lon_gcj02"].as_f64().unwrap() - gcj_lon).abs() < 1e-7);
        let (lat, lon) = (b["lat"].as_f64().unwrap(), b["lon"].as_f64().unwrap());
        // Stored a few hundred metres from where GCJ-02 puts it: the datum's shift in 湘潭.
        let point = |lat, lon| linli_domain::geo::LatLng::parse(lat, lon).unwrap();
        let shift = point(lat, lon).distance_m(point(gcj_lat, gcj_lon));
        assert!((200.0..800.0).contains(&shift), "{shift} m");
    }
    assert_eq!(by_default["lat"], said_gcj["lat"]);

    // Given in WGS-84, stored as given; the GCJ-02 answer is the forward transform.
    body["coord_system"] = json!("wgs84");
    body["lat"] = by_default["lat"].clone();
    body["lon"] = by_default["lon"].clone();
    let wgs = app.file_issue(&c.resident, &body).await.expect(201).body;
    assert_eq!(wgs["lat"], by_default["lat"]);
    assert!((wgs["lat_gcj02"].as_f64().unwrap() - gcj_lat).abs() < 1e-7);
    assert!((wgs["lon_gcj02"].as_f64().unwrap() - gcj_lon).abs() < 1e-7);

    body["coord_system"] = json!("bd09");
    let res = app
        .file_issue(&c.resident, &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "coord_system");
}
