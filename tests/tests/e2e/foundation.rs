//! The server's foundation through HTTP: health, readiness, request ids, and that every error —
//! unknown route, wrong method, malformed JSON, wrong content type, oversized body — is an
//! RFC 9457 problem document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use linli_tests::{TestApp, serde_json::json};

#[actix_web::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    let res = app.get("/healthz", None).await.expect(200);
    assert_eq!(res.body["status"], "ok");
    let res = app.get("/readyz", None).await.expect(200);
    assert_eq!(res.body["status"], "ok");
}

#[actix_web::test]
async fn every_response_has_a_request_id_and_echoes_the_clients() {
    let app = TestApp::new().await;
    let res = app.get("/healthz", None).await;
    let generated = res.header("x-request-id").expect("generated request id");
    assert!(generated.len() >= 16);
    let res = app
        .request(
            Method::GET,
            "/no/such/route",
            None,
            None,
            &[("X-Request-Id", "abc-123")],
        )
        .await;
    assert_eq!(res.header("x-request-id").as_deref(), Some("abc-123"));
}

#[actix_web::test]
async fn errors_are_problem_documents() {
    let app = TestApp::new().await;
    app.get("/no/such/route", None)
        .await
        .expect_problem(404, "not_found");
    let res = app
        .request(Method::DELETE, "/api/v1/auth/login", None, None, &[])
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("POST"));
    app.send_raw(
        Method::POST,
        "/api/v1/auth/login",
        None,
        "application/json",
        b"{not json".to_vec(),
    )
    .await
    .expect_problem(400, "malformed_json");
    app.send_raw(
        Method::POST,
        "/api/v1/auth/login",
        None,
        "text/plain",
        b"phone=1".to_vec(),
    )
    .await
    .expect_problem(415, "unsupported_media_type");
    let huge = format!(
        "{{\"phone\":\"{}\",\"password\":\"x\"}}",
        "1".repeat(200 * 1024)
    );
    app.send_raw(
        Method::POST,
        "/api/v1/auth/login",
        None,
        "application/json",
        huge.into_bytes(),
    )
    .await
    .expect_problem(413, "payload_too_large");
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"phone": 13800000000_i64, "password": "x"}),
    )
    .await
    .expect_problem(400, "invalid_body");
    let res = app
        .get("/api/v1/me", None)
        .await
        .expect_problem(401, "missing_token");
    for key in ["type", "title", "status", "detail", "code"] {
        assert!(
            res.body.get(key).is_some(),
            "problem lacks {key}: {}",
            res.text
        );
    }
}

#[actix_web::test]
async fn the_served_spec_is_the_generated_one_and_the_docs_ui_works_offline() {
    let app = TestApp::new().await;
    let res = app.get("/api-docs/openapi.json", None).await.expect(200);
    let generated: linli_tests::serde_json::Value =
        linli_tests::serde_json::from_str(&linli_api::openapi_json()).unwrap();
    assert_eq!(res.body, generated);
    assert!(res.body["paths"]["/api/v1/auth/login"]["post"].is_object());

    let page = app.get("/docs/", None).await.expect(200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    // The assets are vendored into the binary: no network needed.
    let css = app.get("/docs/swagger-ui.css", None).await.expect(200);
    assert!(css.text.len() > 1000);
    let init = app
        .get("/docs/swagger-initializer.js", None)
        .await
        .expect(200);
    assert!(
        init.text.contains("/api-docs/openapi.json"),
        "{}",
        init.text
    );
}

#[actix_web::test]
async fn readiness_fails_while_a_migration_is_pending() {
    use diesel::RunQueryDsl;
    let app = TestApp::new().await;
    app.get("/readyz", None).await.expect(200);
    // Forget that the newest migration ran: the schema is now "behind" the binary.
    let mut conn = app.conn();
    diesel::sql_query(
        "DELETE FROM __diesel_schema_migrations WHERE version = \
         (SELECT MAX(version) FROM __diesel_schema_migrations)",
    )
    .execute(&mut *conn)
    .unwrap();
    drop(conn);
    app.get("/readyz", None)
        .await
        .expect_problem(503, "service_unavailable");
    app.get("/healthz", None).await.expect(200);
}

/// A server with the demo district seeded, and an access token of its auditor (who reads
/// everything).
pub(crate) async fn demo_as_auditor() -> (TestApp, String) {
    let app = TestApp::new().await;
    let accounts = linli_api::demo::seed_if_empty(&app.state).unwrap().unwrap();
    let auditor = accounts.iter().find(|a| a.role == "auditor").unwrap();
    let login = app
        .login(&auditor.phone, &auditor.password)
        .await
        .expect(200);
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    (app, token)
}

#[actix_web::test]
async fn the_demo_district_makes_every_report_non_trivial() {
    let (app, token) = demo_as_auditor().await;
    let from = (app.now() - chrono::Duration::days(183))
        .format("%Y-%m-%d")
        .to_string();
    let to = (app.now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    for group in [
        "community",
        "compound",
        "property_company",
        "category",
        "level",
    ] {
        let res = app
            .get(
                &format!("/api/v1/reports/summary?from={from}&to={to}&group_by={group}"),
                Some(&token),
            )
            .await
            .expect(200);
        let rows = res.body["rows"].as_array().unwrap();
        assert!(rows.len() >= 2, "{group}: {}", res.text);
        let total: i64 = rows.iter().map(|r| r["total"].as_i64().unwrap()).sum();
        assert!(total >= 200, "{group}: {total}");
        assert!(
            rows.iter().any(|r| r["response_rate"]
                .as_f64()
                .is_some_and(|x| x > 0.0 && x < 1.0)
                && r["satisfaction_rate"].as_f64().is_some_and(|x| x > 0.0)),
            "{group}: {}",
            res.text
        );
    }
    let q = |d: chrono::DateTime<chrono::Utc>| {
        use chrono::Datelike;
        format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1)
    };
    for period in [q(app.now()), q(app.now() - chrono::Duration::days(92))] {
        let res = app
            .get(
                &format!("/api/v1/reports/property-ratings?period={period}"),
                Some(&token),
            )
            .await
            .expect(200);
        let rows = res.body["companies"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{period}: {}", res.text);
        assert!(
            rows.iter().all(|r| r["stars"].as_i64().is_some()),
            "{}",
            res.text
        );
    }
}

#[actix_web::test]
async fn every_secured_operation_refuses_a_missing_or_bad_token_first() {
    let app = TestApp::new().await;
    let spec: linli_tests::serde_json::Value =
        linli_tests::serde_json::from_str(&linli_api::openapi_json()).unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // The category catalogue is public; only with `compound_id` does it need the
            // token (tested in `notices`).
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty())
                && op["operationId"] != "list_categories";
            if !secured {
                continue;
            }
            let concrete = path.replace("{id}", "1");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // An empty body: the token must be judged before the body is.
            let body = json!({});
            let body = (method == Method::POST || method == Method::PUT).then_some(&body);
            for token in [None, Some("not-a-jwt")] {
                let res = app
                    .request(method.clone(), &concrete, token, body, &[])
                    .await;
                assert_eq!(
                    res.status, 401,
                    "{method} {path} with {token:?}: {}",
                    res.text
                );
                assert!(
                    ["missing_token", "invalid_token"].contains(&res.code()),
                    "{method} {path}: {}",
                    res.text
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} secured operations");
}

/// Every page of a keyset-paginated list (`items` + `next_cursor`) at `path` (which has a query).
async fn all_pages(app: &TestApp, path: &str, token: &str) -> Vec<linli_tests::serde_json::Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let res = app.get(&url, Some(token)).await.expect(200);
        items.extend(res.body["items"].as_array().unwrap().iter().cloned());
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

#[actix_web::test]
async fn the_demo_history_notifies_residents_of_their_issues_state_changes() {
    let app = TestApp::new().await;
    let accounts = linli_api::demo::seed_if_empty(&app.state).unwrap().unwrap();
    let mut checked = 0;
    for resident in accounts.iter().filter(|a| a.role == "resident").take(3) {
        let login = app
            .login(&resident.phone, &resident.password)
            .await
            .expect(200);
        let token = login.body["access_token"].as_str().unwrap().to_owned();
        // What happened to the resident's own issues that somebody else did and that moved
        // the issue on: each of these must have reached them.
        let mut expected = std::collections::BTreeSet::new();
        for issue in all_pages(&app, "/api/v1/issues?mine=true&limit=100", &token).await {
            let me = issue["reporter_id"].as_i64().unwrap();
            let id = issue["id"].as_i64().unwrap();
            let events = app
                .get(&format!("/api/v1/issues/{id}/events"), Some(&token))
                .await
                .expect(200);
            for e in events.body.as_array().unwrap() {
                let moved = !e["from"].is_null() && e["from"] != e["to"];
                if moved && e["actor_id"].as_i64() != Some(me) {
                    expected.insert(e["id"].as_i64().unwrap());
                }
            }
        }
        let notified: std::collections::BTreeSet<i64> =
            all_pages(&app, "/api/v1/notifications?limit=100", &token)
                .await
                .iter()
                .filter_map(|n| n["event_id"].as_i64())
                .collect();
        let missing: Vec<_> = expected.difference(&notified).collect();
        assert!(
            missing.is_empty(),
            "{}: no notification for events {missing:?}",
            resident.phone
        );
        checked += expected.len();
    }
    assert!(
        checked > 0,
        "the demo residents' issues never changed state"
    );
}
