//! Instant revocation beyond logout and disabling: a role change ends every session of the
//! account at once, and a revocation made on one API node reaches another node sharing the
//! PostgreSQL database within the documented bound (5 s).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use actix_web::http::Method;
use linli_tests::{TestApp, live::Node, postgres_base_url, serde_json::json};

#[actix_web::test]
async fn a_role_change_ends_every_session_of_the_account() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let staff = app.staff("dispatcher", Some(d.street)).await;
    app.get_as(&staff, "/api/v1/issues").await.expect(200);
    let path = format!("/api/v1/admin/users/{}/role", staff.id);
    let res = app
        .put(
            &path,
            Some(&admin.access_token),
            &json!({"role": "property_staff", "scope_id": d.company_1}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["role"], "property_staff");
    assert_eq!(res.body["scope_id"], d.company_1);
    // The old token carries the old role: refused on the very next request, and its refresh
    // token with it.
    app.get_as(&staff, "/api/v1/issues")
        .await
        .expect_problem(401, "session_revoked");
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": staff.refresh_token}),
    )
    .await
    .expect_problem(401, "invalid_refresh_token");
    // Logged in again, the account acts in its new role.
    let login = app.login(&staff.phone, &staff.password).await.expect(200);
    let me = app
        .get("/api/v1/me", login.body["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me.body["role"], "property_staff");
    assert_eq!(me.body["scope_id"], d.company_1);
}

#[actix_web::test]
async fn bad_role_changes_are_refused_and_change_nothing() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let staff = app.staff("grid_worker", Some(d.grid_a)).await;
    let resident = app.resident(d.compound_a, None).await;
    let change = |id: i64, body: serde_json::Value| {
        let admin = admin.access_token.clone();
        let app = &app;
        async move {
            app.put(
                &format!("/api/v1/admin/users/{id}/role"),
                Some(&admin),
                &body,
            )
            .await
        }
    };
    for (id, body, status, code) in [
        (
            staff.id,
            json!({"role": "resident", "scope_id": d.compound_a}),
            422,
            "validation_failed",
        ),
        (
            staff.id,
            json!({"role": "dispatcher", "scope_id": 999}),
            422,
            "validation_failed",
        ),
        (
            staff.id,
            json!({"role": "auditor", "scope_id": d.street}),
            422,
            "validation_failed",
        ),
        (staff.id, json!({"role": "mayor"}), 422, "validation_failed"),
        (
            resident.id,
            json!({"role": "committee_member", "scope_id": d.compound_a}),
            422,
            "validation_failed",
        ),
        (
            admin.id,
            json!({"role": "auditor"}),
            409,
            "cannot_change_own_role",
        ),
        (999_999, json!({"role": "auditor"}), 404, "not_found"),
    ] {
        change(id, body).await.expect_problem(status, code);
    }
    // Not an admin: 403, whoever it names.
    app.put(
        &format!("/api/v1/admin/users/{}/role", staff.id),
        Some(&staff.access_token),
        &json!({"role": "auditor"}),
    )
    .await
    .expect_problem(403, "forbidden");
    // Nothing changed: every session still works.
    for s in [&staff, &resident, &admin] {
        app.get_as(s, "/api/v1/me").await.expect(200);
    }
}

/// `GET /me` with `token` on `node` until it answers 401 `session_revoked`; how long it took.
async fn refused_within(app: &TestApp, node: &Node, token: &str, bound: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let res = app
            .request_at(
                &node.base,
                Method::GET,
                "/api/v1/me",
                Some(token),
                None,
                &[],
            )
            .await;
        if res.status == 401 {
            res.expect_problem(401, "session_revoked");
            return start.elapsed();
        }
        res.expect(200);
        assert!(
            start.elapsed() < bound,
            "node B still accepts a revoked token after {:?}",
            start.elapsed()
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn a_revocation_on_one_node_reaches_the_other_within_five_seconds() {
    let (app, d) = TestApp::with_district().await;
    // Two nodes need a database both can write; on SQLite the same process plays node B.
    let node_b = match postgres_base_url() {
        Some(_) => Some(app.second_node().await),
        None => None,
    };
    let node_b = node_b.as_ref();
    let on_b = |token: String| {
        let app = &app;
        async move {
            match node_b {
                Some(node) => {
                    app.request_at(
                        &node.base,
                        Method::GET,
                        "/api/v1/me",
                        Some(&token),
                        None,
                        &[],
                    )
                    .await
                }
                None => app.get("/api/v1/me", Some(&token)).await,
            }
        }
    };
    let bound = Duration::from_secs(5);
    let admin = app.admin().await;

    // Disabling on node A.
    let staff = app.staff("dispatcher", Some(d.street)).await;
    // Node B has just checked the session: its cache holds "live".
    on_b(staff.access_token.clone()).await.expect(200);
    app.post_as(
        &admin,
        &format!("/api/v1/admin/users/{}/disable", staff.id),
        &json!({}),
    )
    .await
    .expect(200);
    app.get_as(&staff, "/api/v1/me")
        .await
        .expect_problem(401, "session_revoked");
    match node_b {
        Some(node) => {
            let took = refused_within(&app, node, &staff.access_token, bound).await;
            assert!(took < bound, "{took:?}");
        }
        None => {
            on_b(staff.access_token.clone())
                .await
                .expect_problem(401, "session_revoked");
        }
    }

    // Logging out on node A.
    let me = app.resident(d.compound_a, None).await;
    on_b(me.access_token.clone()).await.expect(200);
    app.post(
        "/api/v1/auth/logout",
        None,
        &json!({"refresh_token": me.refresh_token}),
    )
    .await
    .expect(204);
    match node_b {
        Some(node) => {
            refused_within(&app, node, &me.access_token, bound).await;
        }
        None => {
            on_b(me.access_token.clone())
                .await
                .expect_problem(401, "session_revoked");
        }
    }
}
