//! Hardening found by the security audit: triage only to the managing company, parallel photo
//! uploads, security headers and a hideable docs UI, CSV formula injection, and password changes
//! serialised per account.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use linli_tests::{PNG, TestApp, serde_json::json};

#[actix_web::test]
async fn triage_hands_property_work_only_to_the_company_managing_the_compound() {
    let app = TestApp::new().await;
    let c = app.cast().await;
    let d = &c.district;
    let id = app.file(&c.resident, "water_leak", d).await;

    // Company 2 manages compounds A2 and B, not A: refused, nothing changes.
    let res = app
        .triage(&c.dispatcher, id)
        .with("level", "property")
        .with("handler_id", d.company_2)
        .with("reason", "换一家物业")
        .problem(422, "validation_failed")
        .await;
    assert_eq!(res.body["field"], "handler_id");
    assert_eq!(app.view(&c.resident, id).await.status, "submitted");
    // Its staff see nothing of the issue.
    app.issue(&c.property_2, id).await.expect(404);

    // The managing company is accepted.
    let view = app
        .triage(&c.dispatcher, id)
        .with("level", "property")
        .with("handler_id", d.company_1)
        .await;
    assert_eq!(view.status, "triaged");
}

#[actix_web::test]
async fn parallel_uploads_of_the_same_photo_all_succeed() {
    let app = TestApp::new().await;
    let c = app.cast().await;
    let id = app.file(&c.resident, "water_leak", &c.district).await;
    let path = format!("/api/v1/issues/{id}/photos");
    let uploads = (0..6).map(|_| app.upload(&c.resident, id, "image/png", &PNG));
    let results = futures_util::future::join_all(uploads).await;
    for res in &results {
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let photos = app
        .get(&path, Some(&c.resident.access_token))
        .await
        .expect(200);
    assert_eq!(photos.body["items"].as_array().unwrap().len(), 6);
    let mut served = Vec::new();
    for photo in photos.body["items"].as_array().unwrap() {
        let url = photo["url"].as_str().unwrap();
        let res = app
            .request(Method::GET, url, Some(&c.resident.access_token), None, &[])
            .await
            .expect(200);
        assert_eq!(res.header("content-type").as_deref(), Some("image/jpeg"));
        served.push(res.text);
    }
    served.dedup();
    assert_eq!(served.len(), 1, "the same photo, re-encoded the same way");
}

#[actix_web::test]
async fn every_response_carries_the_security_headers_and_personal_data_is_not_cached() {
    let app = TestApp::new().await;
    let c = app.cast().await;
    let login = app.login(&c.resident.phone, &c.resident.password).await;
    let me = app.get("/api/v1/me", Some(&c.resident.access_token)).await;
    let error = app
        .get("/api/v1/issues/999999", Some(&c.resident.access_token))
        .await;
    let health = app.get("/healthz", None).await;
    for res in [&login, &me, &error, &health] {
        assert_eq!(
            res.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(
            res.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
        assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(
            res.header("content-security-policy").as_deref(),
            Some("frame-ancestors 'none'")
        );
    }
    for res in [&login, &me, &error] {
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    }
    // The docs UI is served by default...
    app.get("/api-docs/openapi.json", None).await.expect(200);
    app.get("/docs/", None).await.expect(200);
}

#[actix_web::test]
async fn the_docs_ui_and_the_spec_can_be_hidden() {
    let app = TestApp::with_config(|c| c.docs = false).await;
    app.get("/api-docs/openapi.json", None)
        .await
        .expect_problem(404, "not_found");
    app.get("/docs/", None)
        .await
        .expect_problem(404, "not_found");
    app.get("/api/v1/categories", None).await.expect(200);
}

#[actix_web::test]
async fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let app = TestApp::new().await;
    let d = app.seed_district();
    let admin = app.admin().await;
    let evil = "=HYPERLINK(\"http://evil.example\",\"点我\")";
    let compound = app
        .post(
            "/api/v1/admin/compounds",
            Some(&admin.access_token),
            &json!({"community_id": d.community_a, "name": evil, "property_company_id": d.company_1}),
        )
        .await
        .expect(201)
        .id();
    let resident = app.resident(compound, None).await;
    app.file_issue(
        &resident,
        &json!({"category": "sanitation", "description": "垃圾桶满了没人清理", "compound_id": compound, "is_public": false}),
    )
    .await
    .expect(201);
    let auditor = app.staff("auditor", None).await;
    let from = (app.now() - chrono::Duration::days(1)).format("%Y-%m-%d");
    let to = (app.now() + chrono::Duration::days(1)).format("%Y-%m-%d");
    let res = app
        .request(
            Method::GET,
            &format!("/api/v1/reports/summary?from={from}&to={to}&group_by=compound"),
            Some(&auditor.access_token),
            None,
            &[("Accept", "text/csv")],
        )
        .await
        .expect(200);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(res.text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(cells.contains(&format!("'{evil}")), "{}", res.text);
    assert!(!cells.iter().any(|c| c.starts_with('=')), "{}", res.text);
}

#[actix_web::test]
async fn parallel_password_changes_have_one_winner() {
    let app = TestApp::new().await;
    let d = app.seed_district();
    let me = app.resident(d.compound_a, Some(d.building_a1)).await;
    let news: Vec<String> = (0..5).map(|i| format!("Brand-new-pass-{i}7")).collect();
    let bodies: Vec<_> = news
        .iter()
        .map(|new| json!({"current_password": me.password, "new_password": new}))
        .collect();
    let changes = bodies
        .iter()
        .map(|body| app.put("/api/v1/me/password", Some(&me.access_token), body));
    let results = futures_util::future::join_all(changes).await;
    let winners: Vec<usize> = (0..5).filter(|i| results[*i].status == 204).collect();
    assert_eq!(
        winners.len(),
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    // The others are refused: 409 when they raced the winner's write, 403 when they were
    // judged after it (their current password is no longer current), 429 when the attempts
    // already reserved made them wait (the growing delay). Never a second 204.
    for (i, res) in results.iter().enumerate() {
        if !winners.contains(&i) {
            assert!(
                (res.status, res.code()) == (409, "concurrent_update")
                    || (res.status, res.code()) == (403, "wrong_password")
                    || (res.status, res.code()) == (429, "too_many_requests"),
                "{}",
                res.text
            );
        }
    }
    // Exactly the winner's password works now (the winner first: its login clears the
    // failures the others' attempts left).
    app.login(&me.phone, &news[winners[0]]).await.expect(200);
    for (i, new) in news
        .iter()
        .enumerate()
        .filter(|(i, _)| !winners.contains(i))
    {
        assert_eq!(app.login(&me.phone, new).await.status, 401, "password {i}");
        // Past the growing delay of failed passwords.
        app.clock.advance(chrono::Duration::minutes(1));
    }
}

#[actix_web::test]
async fn failed_logins_keep_no_phone_numbers_and_no_junk_and_age_out() {
    let app = TestApp::new().await;
    // Junk is refused before the database: no row, however large.
    for junk in ["not-a-phone", &"8".repeat(60_000), "12345"] {
        app.post(
            "/api/v1/auth/login",
            None,
            &json!({"phone": junk, "password": "whatever-it-is"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    }
    assert_eq!(app.count("login_failures"), 0);

    // A well-formed unknown number counts, under a key that is not the number.
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"phone": "+86 139-0000-0077", "password": "whatever-it-is"}),
    )
    .await
    .expect_problem(401, "invalid_credentials");
    assert_eq!(app.count("login_failures"), 1);
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Text)]
        phone: String,
    }
    let mut conn = app.conn();
    let keys: Vec<Key> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT phone FROM login_failures"),
        &mut *conn as &mut linli_infra::DbConn,
    )
    .unwrap();
    drop(conn);
    assert_eq!(keys.len(), 1);
    assert!(!keys[0].phone.contains("13900000077"));
    assert_eq!(keys[0].phone.len(), 64, "a SHA-256 key");

    // The scheduler forgets failures once the window has passed.
    app.clock
        .advance(app.state.config.login_window + chrono::Duration::minutes(1));
    let report = app.tick();
    assert_eq!(report.login_failures_pruned, 1);
    assert_eq!(app.count("login_failures"), 0);
}

#[actix_web::test]
async fn a_resident_files_at_most_the_daily_quota() {
    let app = TestApp::with_config(|c| c.filing_quota_per_day = 2).await;
    let mut c = app.cast().await;
    let d = &{ c.district };
    app.file(&c.resident, "water_leak", d).await;
    app.file(&c.resident, "street_lamp", d).await;
    let before = app.count("issues");
    let res = app
        .file_issue(
            &c.resident,
            &linli_tests::issue_body("sanitation", d.compound_a, Some(d.building_a1)),
        )
        .await
        .expect_problem(429, "filing_quota_exceeded");
    assert_eq!(
        app.count("issues"),
        before,
        "the refused filing changed nothing"
    );
    // Retry-After points at the district's next midnight (Asia/Shanghai).
    let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
    let tz = linli_domain::period::DistrictTz::default();
    let (_, midnight) = tz.day_bounds(tz.local_date(app.now()));
    assert_eq!(retry, (midnight - app.now()).num_seconds());
    // A neighbour has a quota of their own; staff filing for a patrol have none.
    app.file(&c.neighbour, "water_leak", d).await;
    for _ in 0..3 {
        let mut body =
            linli_tests::issue_body("stairwell_clutter", d.compound_a, Some(d.building_a1));
        body["source"] = json!("patrol");
        app.file_issue(&c.grid_worker, &body).await.expect(201);
    }
    // The next day of the district, the resident may file again.
    app.clock.advance(chrono::Duration::seconds(retry));
    app.relogin(&mut c.resident).await;
    app.file(&c.resident, "sanitation", d).await;
}

#[actix_web::test]
async fn logins_from_one_address_are_rate_limited_and_other_addresses_are_not() {
    let (app, owner) = behind_one_proxy(("LINLI_RATE_LIMIT_AUTH", "5/60")).await;
    // A spray of different phones from one address: five answers, then 429.
    for i in 0..5 {
        let res = login_from(
            &app,
            &format!("1390000{i:04}"),
            "sprayed-pass-1",
            "203.0.113.7",
        )
        .await;
        assert_eq!(res.status, 401, "{}", res.text);
        // A login is an auth request and a write: both policies are reported.
        assert_eq!(
            res.header("ratelimit-policy").as_deref(),
            Some(r#""auth";q=5;w=60, "writes";q=120;w=60"#)
        );
        assert!(res.header("ratelimit").unwrap().starts_with(r#""auth";r="#));
    }
    let refused = login_from(&app, "13900009999", "sprayed-pass-1", "203.0.113.7")
        .await
        .expect_problem(429, "too_many_requests");
    assert!(
        refused
            .header("retry-after")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    assert!(refused.header("ratelimit").is_some());
    // The owner, from another address, still logs in.
    login_from(&app, &owner.phone, &owner.password, "198.51.100.20")
        .await
        .expect(200);
}

/// A server that trusts one proxy hop, with the rate-limit setting `limit`, and a resident of
/// its seeded district.
async fn behind_one_proxy(limit: (&'static str, &str)) -> (TestApp, linli_tests::Session) {
    let app = TestApp::with_config(|c| {
        c.rate_limits = vec![
            (limit.0, limit.1.into()),
            ("LINLI_TRUSTED_PROXY_HOPS", "1".into()),
        ]
    })
    .await;
    let d = app.seed_district();
    let owner = app.resident(d.compound_a, None).await;
    (app, owner)
}

/// A login as if from `address` (the server trusts one proxy hop in these tests).
async fn login_from(
    app: &TestApp,
    phone: &str,
    password: &str,
    address: &str,
) -> linli_tests::Resp {
    app.request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"phone": phone, "password": password})),
        &[("X-Forwarded-For", address)],
    )
    .await
}

#[actix_web::test]
async fn an_account_writes_at_most_its_quota() {
    let app = TestApp::with_config(|c| {
        c.rate_limits = vec![("LINLI_RATE_LIMIT_ACCOUNT_WRITES", "3/60".into())]
    })
    .await;
    let c = app.cast().await;
    // Filing is the account's first write.
    let id = app.file(&c.resident, "water_leak", &c.district).await;
    let comment = json!({"body": "还在漏水"});
    let path = format!("/api/v1/issues/{id}/comments");
    for _ in 0..2 {
        app.post(&path, Some(&c.resident.access_token), &comment)
            .await
            .expect(201);
    }
    app.post(&path, Some(&c.resident.access_token), &comment)
        .await
        .expect_problem(429, "too_many_requests");
    // Reading is not limited, and another account has its own quota.
    app.get(&path, Some(&c.resident.access_token))
        .await
        .expect(200);
    app.post(&path, Some(&c.dispatcher.access_token), &comment)
        .await
        .expect(201);
}

#[actix_web::test]
async fn an_access_token_dies_with_its_session_or_account() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;

    // Logout: the access token of the session ends on the very next request.
    let me = app.resident(d.compound_a, None).await;
    let other = app.login(&me.phone, &me.password).await.expect(200);
    let other_access = other.body["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", Some(&me.access_token))
        .await
        .expect(200);
    app.post(
        "/api/v1/auth/logout",
        None,
        &json!({"refresh_token": me.refresh_token}),
    )
    .await
    .expect(204);
    app.get("/api/v1/me", Some(&me.access_token))
        .await
        .expect_problem(401, "session_revoked");
    // The other device's session is untouched...
    app.get("/api/v1/me", Some(&other_access)).await.expect(200);

    // ...until the password changes: every session ends.
    let fresh = app.login(&me.phone, &me.password).await.expect(200);
    let fresh_access = fresh.body["access_token"].as_str().unwrap().to_owned();
    app.put(
        "/api/v1/me/password",
        Some(&fresh_access),
        &json!({"current_password": me.password, "new_password": "Brand-new-pass-88"}),
    )
    .await
    .expect(204);
    for token in [&other_access, &fresh_access] {
        app.get("/api/v1/me", Some(token))
            .await
            .expect_problem(401, "session_revoked");
    }

    // Disabling: a staff member's token stops at once, for reads and writes alike.
    let dispatcher = app.staff("dispatcher", Some(d.street)).await;
    app.get("/api/v1/issues", Some(&dispatcher.access_token))
        .await
        .expect(200);
    app.post(
        &format!("/api/v1/admin/users/{}/disable", dispatcher.id),
        Some(&admin.access_token),
        &json!({}),
    )
    .await
    .expect(200);
    app.get("/api/v1/issues", Some(&dispatcher.access_token))
        .await
        .expect_problem(401, "session_revoked");
    // Re-enabled, the account logs in again (its old sessions stay revoked).
    app.post(
        &format!("/api/v1/admin/users/{}/enable", dispatcher.id),
        Some(&admin.access_token),
        &json!({}),
    )
    .await
    .expect(200);
    app.get("/api/v1/issues", Some(&dispatcher.access_token))
        .await
        .expect_problem(401, "session_revoked");
    let again = app
        .login(&dispatcher.phone, &dispatcher.password)
        .await
        .expect(200);
    let again = again.body["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/issues", Some(&again)).await.expect(200);
}

#[actix_web::test]
async fn wrong_passwords_from_one_address_never_lock_out_the_owner_elsewhere() {
    let (app, owner) = behind_one_proxy(("LINLI_RATE_LIMITS", "off")).await;
    let attacker = "203.0.113.66";
    for _ in 0..app.state.config.login_max_failures {
        login_from(&app, &owner.phone, "guessed-password-1", attacker)
            .await
            .expect_problem(401, "invalid_credentials");
        // Past the growing delay: the lock after the last failure is what is tested here.
        app.clock.advance(chrono::Duration::minutes(1));
    }
    // The attacker's address is locked out of this phone, even with the right password...
    login_from(&app, &owner.phone, &owner.password, attacker)
        .await
        .expect_problem(429, "too_many_requests");
    // ...while the owner, from their own address, logs in as usual.
    login_from(&app, &owner.phone, &owner.password, "198.51.100.8")
        .await
        .expect(200);
}
