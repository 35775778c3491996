//! No input makes the server answer 500: every documented operation, called by several roles
//! with malformed bodies and odd path ids, answers a 4xx problem document (or a success).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use futures_util::{StreamExt, stream};
use linli_tests::{
    TestApp,
    serde_json::{Value, json},
};

#[actix_web::test]
async fn malformed_input_never_causes_a_server_error() {
    let (app, d) = TestApp::with_district().await;
    let sessions = [
        app.admin().await,
        app.staff("dispatcher", None).await,
        app.staff("property_staff", Some(d.company_1)).await,
        app.staff("community_official", Some(d.community_a)).await,
        app.resident(d.compound_a, Some(d.building_a1)).await,
    ];
    // A real issue so that transitions reach their body checks.
    let issue = app
        .post(
            "/api/v1/issues",
            Some(&sessions[4].access_token),
            &json!({"category": "water_leak", "description": "车库漏水了很久", "compound_id": d.compound_a, "is_public": true}),
        )
        .await
        .expect(201)
        .id();

    let spec: Value = linli_tests::serde_json::from_str(&linli_api::openapi_json()).unwrap();
    let bodies = [
        json!(null),
        json!([]),
        json!("text"),
        json!(12),
        json!({}),
        json!({"unknown_field": true}),
        json!({"id": i64::MAX, "name": "", "phone": "", "password": "", "description": "",
               "category": "", "compound_id": i64::MAX, "building_id": -1, "level": "",
               "satisfaction": 99, "lat": 1e308, "lon": -1e308, "since": "yesterday",
               "held_at": "not a time", "attendees": "everyone", "photo_ids": [i64::MIN],
               "score": -5, "period": "2026Q9", "property_company_id": 0, "scope_id": -7,
               "role": "emperor", "outcome": "maybe", "accept": "yes", "passed": null}),
    ];
    let ids = [
        issue.to_string(),
        "0".into(),
        "-1".into(),
        i64::MAX.to_string(),
        "99999999999999999999".into(),
        "abc".into(),
    ];
    let queries = [
        "limit=0",
        "limit=abc",
        "limit=99999999999999999999",
        "cursor=zz",
        "cursor=%FF%FE",
        "from=2026-13-01&to=2026-01-01",
        "from=2026-09-01&to=2026-08-01",
        "period=2026Q0",
        "group_by=street",
        "status=flying",
        "overdue=maybe",
        "created_from=yesterday",
        "compound_id=-1",
        "unread=2",
    ];
    // Every call first, then sent a few at a time: the calls are independent, and waiting for
    // each answer before the next would leave the cores idle.
    let mut calls = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            // An event stream stays open by design; its refusals are tested in `live`.
            if operation["responses"]["200"]["content"]
                .get("text/event-stream")
                .is_some()
            {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let with_body = method == Method::POST || method == Method::PUT;
            let mut paths: Vec<String> = if path.contains("{id}") {
                ids.iter().map(|id| path.replace("{id}", id)).collect()
            } else {
                vec![path.clone()]
            };
            if method == Method::GET {
                let base = paths[0].clone();
                paths.extend(queries.iter().map(|q| format!("{base}?{q}")));
            }
            for concrete in paths {
                for s in &sessions {
                    let candidates: Vec<Option<&Value>> = if with_body {
                        bodies.iter().map(Some).collect()
                    } else {
                        vec![None]
                    };
                    for body in candidates {
                        calls.push((method.clone(), concrete.clone(), s, body));
                    }
                }
            }
        }
    }
    let calls = stream::iter(calls)
        .map(|(method, concrete, s, body)| {
            let app = &app;
            async move {
                let res = app
                    .request(method.clone(), &concrete, Some(&s.access_token), body, &[])
                    .await;
                assert!(
                    res.status < 500,
                    "{method} {concrete} as {} with {body:?}: {} {}",
                    s.role,
                    res.status,
                    res.text
                );
                if res.status >= 400 {
                    assert_eq!(
                        res.header("content-type").as_deref(),
                        Some("application/problem+json"),
                        "{method} {concrete}: {}",
                        res.text
                    );
                }
            }
        })
        .buffer_unordered(4)
        .count()
        .await;
    assert!(calls > 1000, "only {calls} calls");
}
