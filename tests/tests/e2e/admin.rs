//! The organisation tree and staff accounts through the admin endpoints, the function-level
//! authorisation matrix, and the demo district of `linli serve --demo`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::Method;
use chrono::Duration;
use diesel::RunQueryDsl;
use linli_infra::DbConn;
use linli_tests::{
    BadInput, Session, TestApp, Variants,
    serde_json::{Value, json},
};

const NON_ADMIN_ROLES: [&str; 12] = [
    "resident",
    "grid_worker",
    "dispatcher",
    "property_staff",
    "committee_member",
    "community_official",
    "mediator",
    "auditor",
    "district_office",
    "street_official",
    "building_leader",
    "volunteer",
];

/// Every admin operation the router documents: (method, path template).
fn admin_operations() -> Vec<(Method, String)> {
    let api = linli_api::openapi();
    let mut ops = Vec::new();
    for (path, item) in &api.paths.paths {
        if !path.starts_with("/api/v1/admin") {
            continue;
        }
        for (method, op) in [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::DELETE, item.delete.is_some()),
        ] {
            if op {
                ops.push((method, path.clone()));
            }
        }
    }
    ops
}

/// A session of `role` with a scope of the right kind in the standard district.
async fn session_of(app: &TestApp, d: &linli_tests::District, role: &str) -> Session {
    match role {
        "resident" => app.resident(d.compound_a, Some(d.building_a1)).await,
        "grid_worker" => app.staff(role, Some(d.grid_a)).await,
        "dispatcher" => app.staff(role, None).await,
        "street_official" => app.staff(role, Some(d.street)).await,
        "property_staff" => app.staff(role, Some(d.company_1)).await,
        "committee_member" => app.staff(role, Some(d.compound_a)).await,
        "community_official" | "mediator" | "volunteer" => {
            app.staff(role, Some(d.community_a)).await
        }
        "building_leader" => app.staff(role, Some(d.building_a1)).await,
        _ => app.staff(role, None).await,
    }
}

fn counts(app: &TestApp) -> [i64; 8] {
    [
        "streets",
        "communities",
        "grids",
        "property_companies",
        "compounds",
        "compound_companies",
        "buildings",
        "users",
    ]
    .map(|t| app.count(t))
}

#[actix_web::test]
async fn an_admin_builds_the_whole_tree_and_reads_it_back() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());

    let res = app
        .post("/api/v1/admin/streets", t, &json!({"name": "  东坪街道 "}))
        .await
        .expect(201);
    let street = res.id();
    assert_eq!(res.body["name"], "东坪街道", "names are trimmed");
    assert_eq!(
        res.header("location").as_deref(),
        Some(format!("/api/v1/admin/streets/{street}").as_str())
    );
    let community = app
        .post(
            "/api/v1/admin/communities",
            t,
            &json!({"street_id": street, "name": "文源社区"}),
        )
        .await
        .expect(201)
        .id();
    let grid = app
        .post(
            "/api/v1/admin/grids",
            t,
            &json!({"community_id": community, "name": "文源一网格"}),
        )
        .await
        .expect(201)
        .id();
    let company = app
        .post(
            "/api/v1/admin/property-companies",
            t,
            &json!({"name": "西雅帝物业"}),
        )
        .await
        .expect(201)
        .id();
    let res = app
        .post(
            "/api/v1/admin/compounds",
            t,
            &json!({"community_id": community, "name": "文和园", "property_company_id": company}),
        )
        .await
        .expect(201);
    let compound = res.id();
    assert_eq!(res.body["committee_name"], "文和园业主委员会");
    assert_eq!(res.body["property_company_id"], company);
    let res = app
        .post(
            "/api/v1/admin/buildings",
            t,
            &json!({"compound_id": compound, "name": "3栋", "grid_id": grid}),
        )
        .await
        .expect(201);
    let building = res.id();
    assert_eq!(res.body["grid_id"], grid);

    // Each by id...
    for (path, id, name) in [
        ("streets", street, "东坪街道"),
        ("communities", community, "文源社区"),
        ("grids", grid, "文源一网格"),
        ("property-companies", company, "西雅帝物业"),
        ("compounds", compound, "文和园"),
        ("buildings", building, "3栋"),
    ] {
        let res = app
            .get(&format!("/api/v1/admin/{path}/{id}"), t)
            .await
            .expect(200);
        assert_eq!(res.body["id"], id);
        assert_eq!(res.body["name"], name);
        assert!(res.body["created_at"].is_string());
        app.get(&format!("/api/v1/admin/{path}/999999"), t)
            .await
            .expect_problem(404, "not_found");
        app.get(&format!("/api/v1/admin/{path}"), t)
            .await
            .expect(200);
    }
    // ... and in lists, with their parent filters.
    let res = app.get("/api/v1/admin/streets", t).await.expect(200);
    assert_eq!(res.body.as_array().unwrap().len(), 1);
    let res = app
        .get(&format!("/api/v1/admin/communities?street_id={street}"), t)
        .await
        .expect(200);
    assert_eq!(res.body[0]["street_id"], street);
    let res = app
        .get(
            &format!("/api/v1/admin/grids?community_id={}", community + 100),
            t,
        )
        .await
        .expect(200);
    assert_eq!(res.body, json!([]));
    let res = app
        .get(
            &format!("/api/v1/admin/compounds?property_company_id={company}"),
            t,
        )
        .await
        .expect(200);
    assert_eq!(res.body[0]["id"], compound);
    let res = app
        .get(
            &format!("/api/v1/admin/buildings?compound_id={compound}&grid_id={grid}"),
            t,
        )
        .await
        .expect(200);
    assert_eq!(res.body[0]["id"], building);
    app.get("/api/v1/admin/buildings?colour=red", t)
        .await
        .expect_problem(400, "invalid_query");

    // The tree is usable at once: a resident registers into it.
    app.resident(compound, Some(building)).await;
}

#[actix_web::test]
async fn the_same_name_twice_is_a_conflict_and_changes_nothing() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    let cases = [
        ("/api/v1/admin/streets", json!({"name": "岳塘街道"})),
        (
            "/api/v1/admin/communities",
            json!({"street_id": d.street, "name": "东坪社区"}),
        ),
        (
            "/api/v1/admin/grids",
            json!({"community_id": d.community_a, "name": "东坪一网格"}),
        ),
        (
            "/api/v1/admin/property-companies",
            json!({"name": "万怡物业"}),
        ),
        (
            "/api/v1/admin/compounds",
            json!({"community_id": d.community_a, "name": "西江俪园", "property_company_id": d.company_2}),
        ),
        (
            "/api/v1/admin/buildings",
            json!({"compound_id": d.compound_a, "name": "1栋", "grid_id": d.grid_a}),
        ),
    ];
    let before = counts(&app);
    for (path, body) in &cases {
        app.post(path, t, body)
            .await
            .expect_problem(409, "conflict");
    }
    assert_eq!(counts(&app), before);
    // The same names elsewhere in the tree are fine.
    app.post(
        "/api/v1/admin/compounds",
        t,
        &json!({"community_id": d.community_b, "name": "西江俪园", "property_company_id": d.company_2}),
    )
    .await
    .expect(201);
    app.post(
        "/api/v1/admin/buildings",
        t,
        &json!({"compound_id": d.compound_b, "name": "2栋", "grid_id": d.grid_b}),
    )
    .await
    .expect(201);
}

#[actix_web::test]
async fn bad_input_is_rejected_with_its_code_and_changes_nothing() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    let long = "区".repeat(101);
    // (path, body, status, code, field)
    let cases: Vec<(&str, Value, u16, &str, Option<&str>)> = vec![
        (
            "/api/v1/admin/streets",
            json!({"name": ""}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/streets",
            json!({"name": "   "}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/streets",
            json!({"name": long}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/streets",
            json!({"name": "东坪\u{0007}街道"}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/streets",
            json!({}),
            400,
            "invalid_body",
            None,
        ),
        (
            "/api/v1/admin/streets",
            json!({"name": 7}),
            400,
            "invalid_body",
            None,
        ),
        (
            "/api/v1/admin/streets",
            json!({"name": "x", "id": 3}),
            400,
            "invalid_body",
            None,
        ),
        (
            "/api/v1/admin/communities",
            json!({"street_id": 999, "name": "新社区"}),
            422,
            "validation_failed",
            Some("street_id"),
        ),
        (
            "/api/v1/admin/communities",
            json!({"street_id": "one", "name": "新社区"}),
            400,
            "invalid_body",
            None,
        ),
        (
            "/api/v1/admin/communities",
            json!({"street_id": d.street, "name": ""}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/grids",
            json!({"community_id": 999, "name": "新网格"}),
            422,
            "validation_failed",
            Some("community_id"),
        ),
        (
            "/api/v1/admin/property-companies",
            json!({"name": ""}),
            422,
            "validation_failed",
            Some("name"),
        ),
        (
            "/api/v1/admin/compounds",
            json!({"community_id": 999, "name": "新小区", "property_company_id": d.company_1}),
            422,
            "validation_failed",
            Some("community_id"),
        ),
        (
            "/api/v1/admin/compounds",
            json!({"community_id": d.community_a, "name": "新小区", "property_company_id": 999}),
            422,
            "validation_failed",
            Some("property_company_id"),
        ),
        (
            "/api/v1/admin/compounds",
            json!({"community_id": d.community_a, "name": "新小区"}),
            400,
            "invalid_body",
            None,
        ),
        (
            "/api/v1/admin/buildings",
            json!({"compound_id": 999, "name": "9栋", "grid_id": d.grid_a}),
            422,
            "validation_failed",
            Some("compound_id"),
        ),
        (
            "/api/v1/admin/buildings",
            json!({"compound_id": d.compound_a, "name": "9栋", "grid_id": 999}),
            422,
            "validation_failed",
            Some("grid_id"),
        ),
        // A building sits in a grid of its compound's own community.
        (
            "/api/v1/admin/buildings",
            json!({"compound_id": d.compound_a, "name": "9栋", "grid_id": d.grid_b}),
            422,
            "validation_failed",
            Some("grid_id"),
        ),
    ];
    let before = counts(&app);
    for (path, body, status, code, field) in &cases {
        let res = app.post(path, t, body).await;
        assert_eq!(res.status, *status, "{path} {body}: {}", res.text);
        let res = res.expect_problem(*status, code);
        assert_eq!(
            res.body["field"].as_str(),
            *field,
            "{path} {body}: {}",
            res.text
        );
    }
    assert_eq!(counts(&app), before, "a rejected request changed something");
}

#[actix_web::test]
async fn a_change_of_company_keeps_the_history() {
    let (app, d) = TestApp::with_district().await;
    // Six weeks later (the compound has been managed by company 1 since the start).
    app.clock.advance(Duration::days(45));
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    let path = format!("/api/v1/admin/compounds/{}/property-company", d.compound_a);
    let history = format!(
        "/api/v1/admin/compounds/{}/property-companies",
        d.compound_a
    );

    let res = app.get(&history, t).await.expect(200);
    assert_eq!(res.body.as_array().unwrap().len(), 1);
    assert_eq!(res.body[0]["property_company_id"], d.company_1);
    assert_eq!(res.body[0]["until"], Value::Null);

    let before = counts(&app);
    let body = Variants(json!({"property_company_id": d.company_2, "since": "2026-09-15"}));
    let cases: Vec<BadInput> = vec![
        body.refused("property_company_id", json!(d.company_1), 409, "conflict"),
        body.invalid("property_company_id", json!(999)),
        body.invalid("since", json!("15/09/2026")),
        // Not after the start of the current assignment (2026-09-01 00:00).
        body.invalid("since", json!("2026-08-01")),
        body.invalid("since", json!("2026-09-01T00:00:00Z")),
        // Not in the future.
        body.invalid("since", json!("2027-01-01")),
        (
            json!({"property_company_id": d.company_2}),
            400,
            "invalid_body",
            None,
        ),
    ];
    for (body, status, code, field) in &cases {
        let res = app.put(&path, t, body).await.expect_problem(*status, code);
        assert_eq!(res.body["field"].as_str(), *field, "{body}: {}", res.text);
    }
    app.put(
        "/api/v1/admin/compounds/999/property-company",
        t,
        &json!({"property_company_id": d.company_2, "since": "2026-09-15"}),
    )
    .await
    .expect_problem(404, "not_found");
    assert_eq!(counts(&app), before);

    let res = app
        .put(
            &path,
            t,
            &json!({"property_company_id": d.company_2, "since": "2026-09-15"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["property_company_id"], d.company_2);
    assert_eq!(res.body["id"], d.compound_a);
    let res = app
        .put(
            &path,
            t,
            &json!({"property_company_id": d.company_1, "since": "2026-10-01T08:00:00+08:00"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["property_company_id"], d.company_1);

    let res = app.get(&history, t).await.expect(200);
    let entries = res.body.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{}", res.text);
    assert_eq!(entries[0]["property_company_id"], d.company_1);
    assert_eq!(entries[0]["until"], "2026-09-15T00:00:00Z");
    assert_eq!(entries[1]["property_company_id"], d.company_2);
    assert_eq!(entries[1]["since"], "2026-09-15T00:00:00Z");
    assert_eq!(entries[1]["until"], "2026-10-01T00:00:00Z");
    assert_eq!(entries[2]["property_company_id"], d.company_1);
    assert_eq!(entries[2]["until"], Value::Null);
    let res = app
        .get(&format!("/api/v1/admin/compounds/{}", d.compound_a), t)
        .await
        .expect(200);
    assert_eq!(res.body["property_company_id"], d.company_1);
    app.get("/api/v1/admin/compounds/999/property-companies", t)
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn staff_accounts_get_a_scope_of_the_kind_their_role_needs() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    // Ids that exist in one table only, so that a wrong kind is also an unknown id.
    for name in [
        "宝塔街道",
        "霞城街道",
        "昭潭街道",
        "荷塘街道",
        "建设街道",
        "书院街道",
    ] {
        app.post("/api/v1/admin/streets", t, &json!({"name": name}))
            .await
            .expect(201);
    }
    let only_street = 7; // streets 1..=7; no community, grid, compound or company has id 7
    assert!(
        app.count("communities") < only_street
            && app.count("compounds") < only_street
            && app.count("buildings") < only_street
    );

    let ok: Vec<(&str, Option<i64>)> = vec![
        ("grid_worker", Some(d.grid_a)),
        ("dispatcher", Some(d.street)),
        ("dispatcher", None),
        ("street_official", Some(d.street)),
        ("property_staff", Some(d.company_2)),
        ("committee_member", Some(d.compound_b)),
        ("community_official", Some(d.community_b)),
        ("mediator", Some(d.community_a)),
        ("auditor", None),
        ("district_office", None),
        ("admin", None),
        // 楼栋长: a building; 红管家: a community.
        ("building_leader", Some(d.building_b1)),
        ("volunteer", Some(d.community_b)),
    ];
    for (n, (role, scope_id)) in ok.iter().enumerate() {
        let phone = format!("137 1000 {:04}", n);
        let res = app
            .post(
                "/api/v1/admin/users",
                t,
                &json!({"phone": phone, "password": "Staff-pass-2026", "display_name": format!("{role} {n}"), "role": role, "scope_id": scope_id}),
            )
            .await
            .expect(201);
        assert_eq!(res.body["role"], *role);
        assert_eq!(res.body["scope_id"].as_i64(), *scope_id);
        assert_eq!(
            res.body["phone"],
            format!("1371000{:04}", n),
            "staff phones are shown"
        );
        assert!(!res.text.contains("password"), "{}", res.text);
        // The account works, with its role and scope in the token.
        let login = app
            .login(&format!("1371000{:04}", n), "Staff-pass-2026")
            .await
            .expect(200);
        let me = app
            .get("/api/v1/me", login.body["access_token"].as_str())
            .await
            .expect(200);
        assert_eq!(me.body["role"], *role);
        assert_eq!(me.body["scope_id"].as_i64(), *scope_id);
    }

    let before = counts(&app);
    let missing = 999;
    // (role, scope_id, field)
    let bad: Vec<(&str, Option<i64>, &str)> = vec![
        ("grid_worker", None, "scope_id"),
        ("grid_worker", Some(only_street), "scope_id"),
        ("dispatcher", Some(missing), "scope_id"),
        ("street_official", None, "scope_id"),
        ("street_official", Some(missing), "scope_id"),
        ("property_staff", None, "scope_id"),
        ("property_staff", Some(only_street), "scope_id"),
        ("committee_member", Some(only_street), "scope_id"),
        ("committee_member", None, "scope_id"),
        ("community_official", Some(only_street), "scope_id"),
        ("mediator", None, "scope_id"),
        ("auditor", Some(d.street), "scope_id"),
        ("district_office", Some(d.street), "scope_id"),
        ("admin", Some(d.street), "scope_id"),
        ("building_leader", None, "scope_id"),
        ("building_leader", Some(only_street), "scope_id"),
        ("volunteer", None, "scope_id"),
        ("volunteer", Some(only_street), "scope_id"),
        ("resident", Some(d.compound_a), "role"),
        ("janitor", None, "role"),
        ("", None, "role"),
    ];
    for (role, scope_id, field) in &bad {
        let res = app
            .post(
                "/api/v1/admin/users",
                t,
                &json!({"phone": "13720000001", "password": "Staff-pass-2026", "display_name": "x", "role": role, "scope_id": scope_id}),
            )
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(
            res.body["field"], *field,
            "{role} {scope_id:?}: {}",
            res.text
        );
    }
    // (body, status, code, field)
    let base = json!({"phone": "13720000001", "password": "Staff-pass-2026", "display_name": "调度员", "role": "dispatcher", "scope_id": null});
    let body = Variants(base);
    let cases: Vec<BadInput> = vec![
        body.invalid("phone", json!("12345")),
        body.refused("phone", json!("+86 1371000 0000"), 409, "phone_taken"),
        body.refused("phone", json!(admin.phone), 409, "phone_taken"),
        body.invalid("password", json!("short")),
        body.invalid("password", json!("password123")),
        body.invalid("display_name", json!(" ")),
        body.refused("scope_id", json!("street"), 400, "invalid_body"),
        body.refused("extra", json!(true), 400, "invalid_body"),
    ];
    for (body, status, code, field) in &cases {
        let res = app
            .post("/api/v1/admin/users", t, body)
            .await
            .expect_problem(*status, code);
        assert_eq!(res.body["field"].as_str(), *field, "{body}: {}", res.text);
    }
    assert_eq!(counts(&app), before, "a rejected request changed something");
}

#[actix_web::test]
async fn the_account_list_pages_by_cursor_and_masks_residents() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    for _ in 0..4 {
        app.staff("grid_worker", Some(d.grid_a)).await;
    }
    app.resident(d.compound_b, None).await;
    let total = app.count("users");
    assert_eq!(total, 7);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/admin/users?limit=3&cursor={c}"),
            None => "/api/v1/admin/users?limit=3".to_owned(),
        };
        let res = app.get(&path, t).await.expect(200);
        pages += 1;
        for item in res.body["items"].as_array().unwrap() {
            seen.push(item["id"].as_i64().unwrap());
            let phone = item["phone"].as_str().unwrap();
            if item["role"] == "resident" {
                assert!(phone.contains("****") && phone.len() == 11, "{phone}");
            } else {
                assert!(phone.chars().all(|c| c.is_ascii_digit()), "{phone}");
            }
            assert!(item.get("password_hash").is_none());
        }
        assert!(!res.text.contains("$argon2"));
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seen, sorted, "in id order, no duplicates");
    assert_eq!(seen.len() as i64, total);

    let res = app
        .get("/api/v1/admin/users?role=resident", t)
        .await
        .expect(200);
    assert_eq!(res.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(res.body["next_cursor"], Value::Null);
    let res = app
        .get(&format!("/api/v1/admin/users/{}", resident.id), t)
        .await
        .expect(200);
    let masked = format!("{}****{}", &resident.phone[..3], &resident.phone[7..]);
    assert_eq!(res.body["phone"], masked);
    assert_eq!(res.body["compound_id"], d.compound_a);
    let res = app
        .get(&format!("/api/v1/admin/users/{}", admin.id), t)
        .await
        .expect(200);
    assert_eq!(res.body["phone"], admin.phone.as_str());
    app.get("/api/v1/admin/users/99999", t)
        .await
        .expect_problem(404, "not_found");

    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "cursor=abc",
        "cursor=-4",
    ] {
        app.get(&format!("/api/v1/admin/users?{query}"), t)
            .await
            .expect_problem(400, "invalid_query");
    }
    let res = app
        .get("/api/v1/admin/users?role=janitor", t)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "role");
}

#[actix_web::test]
async fn every_admin_endpoint_refuses_every_other_role_and_anonymous_callers() {
    let (app, d) = TestApp::with_district().await;
    let ops = admin_operations();
    assert!(ops.len() >= 23, "the admin API lost operations: {ops:?}");
    let before = counts(&app);
    let concrete = |path: &str| path.replace("{id}", &d.compound_a.to_string());
    // A body that would be valid for an admin, so that only the role decides.
    let body = json!({"name": "越权", "street_id": d.street, "community_id": d.community_a});

    for role in NON_ADMIN_ROLES {
        let session = session_of(&app, &d, role).await;
        for (method, path) in &ops {
            let res = app
                .request(
                    method.clone(),
                    &concrete(path),
                    Some(&session.access_token),
                    (*method != Method::GET).then_some(&body),
                    &[],
                )
                .await;
            assert_eq!(res.status, 403, "{role} {method} {path}: {}", res.text);
            res.expect_problem(403, "forbidden");
        }
    }
    // Without a token, or with a malformed one: 401 — even with a bad body.
    let mut protected: Vec<(Method, String)> = ops.clone();
    protected.push((Method::GET, "/api/v1/me".to_owned()));
    let bogus = json!({"bogus": true});
    for (method, path) in &protected {
        let send = (*method != Method::GET).then_some(&bogus);
        let res = app
            .request(method.clone(), &concrete(path), None, send, &[])
            .await;
        assert_eq!(res.status, 401, "{method} {path}: {}", res.text);
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Bearer"));
        res.expect_problem(401, "missing_token");
        app.request(
            method.clone(),
            &concrete(path),
            None,
            send,
            &[("Authorization", "Basic YWRtaW46YWRtaW4=")],
        )
        .await
        .expect_problem(401, "invalid_token");
    }
    // Nothing was created by anybody; the roles' own accounts are the only new rows.
    let after = counts(&app);
    assert_eq!(after[..7], before[..7]);
}

#[actix_web::test]
async fn every_admin_operation_is_documented_with_security_and_problems() {
    let api = linli_api::openapi();
    let json = serde_json::to_value(&api).unwrap();
    let mut ids = BTreeSet::new();
    for (path, item) in json["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/admin") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            assert_eq!(op["tags"], json!(["admin"]), "{method} {path}");
            assert_eq!(op["security"], json!([{"bearer": []}]), "{method} {path}");
            for status in ["401", "403"] {
                let content = &op["responses"][status]["content"];
                assert!(
                    content.get("application/problem+json").is_some(),
                    "{method} {path} lacks a documented {status}"
                );
            }
            assert!(ids.insert(id.clone()), "duplicate operation id {id}");
        }
    }
    for expected in [
        "create_street",
        "list_streets",
        "get_street",
        "create_community",
        "create_grid",
        "create_property_company",
        "create_compound",
        "change_property_company",
        "list_compound_property_companies",
        "create_building",
        "create_user",
        "list_users",
        "get_user",
    ] {
        assert!(ids.contains(expected), "{expected} is not documented");
    }
}

#[derive(diesel::QueryableByName, Debug)]
struct StatusCount {
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName, Debug)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn scalar(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.conn();
    diesel::sql_query(sql)
        .get_result::<Number>(&mut *conn as &mut DbConn)
        .unwrap()
        .n
}

#[actix_web::test]
async fn the_demo_district_is_seeded_once_with_every_role_and_state() {
    let app = TestApp::new().await;
    let started = std::time::Instant::now();
    let accounts = linli_api::demo::seed_if_empty(&app.state)
        .unwrap()
        .expect("an empty database is seeded");
    eprintln!("demo seeded in {:?}", started.elapsed());

    let roles: BTreeSet<&str> = accounts.iter().map(|a| a.role.as_str()).collect();
    for role in NON_ADMIN_ROLES.iter().chain(&["admin"]) {
        assert!(roles.contains(role), "no demo {role}");
    }
    assert!(accounts.iter().filter(|a| a.role == "resident").count() >= 3);
    assert_eq!(app.count("streets"), 2);
    assert_eq!(app.count("property_companies"), 3);
    assert!(app.count("compounds") >= 5);
    assert_eq!(app.count("users"), accounts.len() as i64);
    let area_leaders = "SELECT COUNT(*) AS n FROM users WHERE role = 'building_leader' \
                        AND scope_kind = 'grid'";
    assert_eq!(scalar(&app, area_leaders), 1, "one 片长 over a grid");
    assert_eq!(
        app.count("compound_companies"),
        app.count("compounds") + 1,
        "one compound changed company"
    );

    // Every account logs in through HTTP with the printed password, and is what it says.
    for account in &accounts {
        let res = app.login(&account.phone, &account.password).await;
        assert_eq!(res.status, 200, "{account:?}: {}", res.text);
        let me = app
            .get("/api/v1/me", res.body["access_token"].as_str())
            .await
            .expect(200);
        assert_eq!(me.body["role"], account.role.as_str());
        // Named as people there write it: surname first, then how they are called (王网格员,
        // 陈书记, 李阿姨), never a place or an office before the person.
        let name = me.body["display_name"].as_str().unwrap();
        let first = name.chars().next().unwrap();
        assert!(
            "王李张刘陈杨赵黄周吴徐孙和".contains(first)
                && !name.contains("社区")
                && !name.contains("小区"),
            "{name}"
        );
    }

    // Issues in every state, with history worth reporting on.
    let mut conn = app.conn();
    let rows = diesel::sql_query("SELECT status, COUNT(*) AS n FROM issues GROUP BY status")
        .load::<StatusCount>(&mut *conn as &mut DbConn)
        .unwrap();
    drop(conn);
    let by_status: BTreeMap<String, i64> = rows.into_iter().map(|r| (r.status, r.n)).collect();
    for status in linli_domain::issue::IssueStatus::ALL {
        assert!(
            by_status.get(status.as_str()).copied().unwrap_or(0) > 0,
            "no demo issue is {status}: {by_status:?}"
        );
    }
    eprintln!("demo issues by status: {by_status:?}");
    let total: i64 = by_status.values().sum();
    assert!(total >= 200, "{by_status:?}");
    assert!(by_status["closed"] > total / 2, "{by_status:?}");
    let now = linli_infra::time::to_millis(app.now());
    let start = now - Duration::days(200).num_milliseconds();
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) AS n FROM issue_events WHERE at > {now} OR at < {start}")
        ),
        0,
        "events lie in the two quarters before now"
    );
    for (what, sql) in [
        (
            "sent back by the committee",
            "SELECT COUNT(*) AS n FROM issues WHERE sent_back_count > 0".to_owned(),
        ),
        (
            "reopened",
            "SELECT COUNT(*) AS n FROM issues WHERE reopen_count > 0".to_owned(),
        ),
        (
            "revisited",
            "SELECT COUNT(*) AS n FROM issues WHERE revisited_at IS NOT NULL".to_owned(),
        ),
        (
            "escalated",
            "SELECT COUNT(*) AS n FROM issues WHERE escalation_step > 0".to_owned(),
        ),
        (
            "auto-confirmed",
            "SELECT COUNT(*) AS n FROM issues WHERE closure = 'auto_confirmed'".to_owned(),
        ),
        (
            "closed by deliberation",
            "SELECT COUNT(*) AS n FROM issues WHERE closure = 'deliberation'".to_owned(),
        ),
        (
            "patrol",
            "SELECT COUNT(*) AS n FROM issues WHERE source = 'patrol'".to_owned(),
        ),
        (
            "urged (督办)",
            "SELECT COUNT(*) AS n FROM issues WHERE urge_count > 0".to_owned(),
        ),
        (
            "extended (延期)",
            "SELECT COUNT(*) AS n FROM issues WHERE extension_count > 0".to_owned(),
        ),
        (
            "waiting for an extension decision",
            "SELECT COUNT(*) AS n FROM extension_requests WHERE status = 'pending'".to_owned(),
        ),
        (
            "merged into a primary",
            "SELECT COUNT(*) AS n FROM issues WHERE closure = 'merged'".to_owned(),
        ),
        (
            "following a primary",
            "SELECT COUNT(*) AS n FROM issue_followers".to_owned(),
        ),
        (
            "a hotline case with a 12345 ticket number",
            "SELECT COUNT(*) AS n FROM issues WHERE source = 'hotline' AND ticket_no IS NOT NULL \
             AND caller_phone IS NOT NULL"
                .to_owned(),
        ),
        (
            "a consultation answered and closed",
            "SELECT COUNT(*) AS n FROM issues WHERE kind = 'consultation' AND closure = 'answered'"
                .to_owned(),
        ),
        (
            "a suggestion acknowledged and closed",
            "SELECT COUNT(*) AS n FROM issues WHERE kind = 'suggestion' AND closure = 'acknowledged'"
                .to_owned(),
        ),
        (
            "a praise",
            "SELECT COUNT(*) AS n FROM issues WHERE kind = 'praise'".to_owned(),
        ),
        (
            "a lift entrapment (电梯困人)",
            "SELECT COUNT(*) AS n FROM issues WHERE category = 'elevator_entrapment'".to_owned(),
        ),
        (
            "a water-tank case (二次供水)",
            "SELECT COUNT(*) AS n FROM issues WHERE category = 'water_tank'".to_owned(),
        ),
        (
            "returned and upheld (退单成立)",
            "SELECT COUNT(*) AS n FROM issues WHERE returns_upheld > 0".to_owned(),
        ),
        (
            "reassigned (改派)",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'reassigned'".to_owned(),
        ),
        (
            "handed over by a meeting with its own deadline",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'deliberated' \
             AND data LIKE '%\"resolution_due\":\"%'"
                .to_owned(),
        ),
        (
            "returned and overruled (退单不成立)",
            "SELECT COUNT(*) AS n FROM issues WHERE returns_overruled > 0".to_owned(),
        ),
        (
            "fixed by a building leader (小事居民治)",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'rectified' \
             AND actor_role = 'building_leader'"
                .to_owned(),
        ),
        (
            "declined by a building leader to the grid",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'declined' \
             AND to_status = 'triaged'"
                .to_owned(),
        ),
        (
            "handed to the grid by the scheduler (backstop)",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'backstopped'".to_owned(),
        ),
        (
            "filed by a volunteer (红管家)",
            "SELECT COUNT(*) AS n FROM issue_events WHERE kind = 'created' \
             AND actor_role = 'volunteer'"
                .to_owned(),
        ),
        (
            "overdue and open",
            format!(
                "SELECT COUNT(*) AS n FROM issues WHERE status NOT IN ('closed', 'rejected', 'withdrawn') \
                 AND (resolution_due < {now} OR (responded_at IS NULL AND response_due < {now}))"
            ),
        ),
    ] {
        assert!(scalar(&app, &sql) > 0, "no demo issue is {what}");
    }
    for s in 1..=5 {
        assert!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) AS n FROM issues WHERE satisfaction = {s}")
            ) > 0,
            "nobody rated {s}"
        );
    }
    // Each issue's version is the number of its events.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) AS n FROM issues i WHERE i.version <> \
             (SELECT COUNT(*) FROM issue_events e WHERE e.issue_id = i.id)"
        ),
        0
    );

    // The last full quarter (2026Q2 at the test clock) is rated from this history and
    // published, with a red and a black company; every account can read it.
    let resident = accounts.iter().find(|a| a.role == "resident").unwrap();
    let login = app
        .login(&resident.phone, &resident.password)
        .await
        .expect(200);
    let published = app
        .get(
            "/api/v1/ratings/published?period=2026Q2",
            login.body["access_token"].as_str(),
        )
        .await
        .expect(200);
    let lists: Vec<&Value> = published.body["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["list"])
        .collect();
    assert!(lists.contains(&&json!("red")), "{lists:?}");
    assert!(lists.contains(&&json!("black")), "{lists:?}");
    assert_eq!(app.count("assessment_schemes"), 1);

    // Never twice, never on data.
    let before = counts(&app);
    let issues = app.count("issues");
    assert!(
        linli_api::demo::seed_if_empty(&app.state)
            .unwrap()
            .is_none()
    );
    assert_eq!(counts(&app), before);
    assert_eq!(app.count("issues"), issues);
}

#[actix_web::test]
async fn the_demo_never_touches_a_database_with_an_account() {
    let app = TestApp::new().await;
    app.admin().await;
    assert!(
        linli_api::demo::seed_if_empty(&app.state)
            .unwrap()
            .is_none()
    );
    assert_eq!(app.count("streets"), 0);
    assert_eq!(app.count("users"), 1);
}

#[actix_web::test]
async fn a_disabled_account_can_neither_log_in_nor_refresh_until_enabled() {
    let (app, d) = TestApp::with_district().await;
    let admin = app.admin().await;
    let staff = app.staff("property_staff", Some(d.company_1)).await;
    let t = Some(admin.access_token.as_str());

    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/disable", staff.id),
            t,
            &json!({}),
        )
        .await
        .expect(200);
    assert!(res.body["disabled_at"].is_string(), "{}", res.text);
    app.login(&staff.phone, &staff.password)
        .await
        .expect_problem(401, "invalid_credentials");
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": staff.refresh_token}),
    )
    .await
    .expect_problem(401, "invalid_refresh_token");
    app.post(
        &format!("/api/v1/admin/users/{}/disable", admin.id),
        t,
        &json!({}),
    )
    .await
    .expect_problem(409, "cannot_disable_self");
    app.post("/api/v1/admin/users/99999/disable", t, &json!({}))
        .await
        .expect_problem(404, "not_found");

    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/enable", staff.id),
            t,
            &json!({}),
        )
        .await
        .expect(200);
    assert!(res.body["disabled_at"].is_null());
    app.login(&staff.phone, &staff.password).await.expect(200);
}
