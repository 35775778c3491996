//! Street officials (issue 12, item 11): a `street_official` sees the cases of its street only,
//! looks at closed ones again (街社"回头看"), urges and decides returns (退单裁定) there; 404
//! outside the street; it does not triage, reassign, merge or decide extensions (the 物管中心's
//! dispatching stays with the dispatchers: the street supervises, the centre dispatches).

use chrono::Duration;
use linli_tests::{Session, TestApp, issue_body, serde_json::json};

/// A closed water leak of compound A, rated `rating` by the cast's resident.
async fn closed_case(app: &TestApp, cast: &linli_tests::Cast, rating: i64) -> i64 {
    let id = app.resident_files(cast, "water_leak").await;
    app.triage(&cast.dispatcher, id).await;
    app.accept_and_rectify(&cast.property_1, id, "收到", "已修好")
        .await;
    app.supervise(&cast.committee, id, true, "核查通过").await;
    app.confirm(&cast.resident, id).rating(rating).await;
    id
}

#[actix_web::test]
async fn a_street_official_acts_within_its_street_only() {
    let (app, mut cast) = TestApp::with_cast().await;
    let d = cast.district;
    let admin = cast.admin.clone();

    // The admin makes street officials: a new account, and a dispatcher's account changed.
    let other_street = app
        .post_as(
            &admin,
            "/api/v1/admin/streets",
            &json!({"name": "霞城街道"}),
        )
        .await
        .expect(201)
        .id();
    let created = app
        .post_as(
            &admin,
            "/api/v1/admin/users",
            &json!({"phone": "13790000001", "password": "Street-pass-2026", "display_name": "刘主任",
                    "role": "street_official", "scope_id": other_street}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["role"], "street_official");
    let elsewhere: Session = app.mint_session(
        created.id(),
        "13790000001",
        "street_official",
        Some(other_street),
    );
    let moved = app.staff("dispatcher", Some(d.street)).await;
    let role = format!("/api/v1/admin/users/{}/role", moved.id);
    app.put(
        &role,
        Some(&admin.access_token),
        &json!({"role": "street_official"}),
    )
    .await
    .expect_problem(422, "validation_failed");
    let changed = app
        .put(
            &role,
            Some(&admin.access_token),
            &json!({"role": "street_official", "scope_id": d.street}),
        )
        .await
        .expect(200);
    assert_eq!(
        (
            changed.body["role"].as_str(),
            changed.body["scope_id"].as_i64()
        ),
        (Some("street_official"), Some(d.street))
    );

    // It sees the street's cases, in both communities, as the street's dispatcher does.
    let a = app.resident_files(&cast, "water_leak").await;
    let b = app
        .file_issue(
            &cast.outsider,
            &issue_body("parking", d.compound_b, Some(d.building_b1)),
        )
        .await
        .expect(201)
        .id();
    let mut listed = app.list_ids(&cast.street_official, "").await;
    listed.sort_unstable();
    let mut dispatchers = app.list_ids(&cast.dispatcher, "").await;
    dispatchers.sort_unstable();
    assert_eq!(listed, dispatchers);
    assert!(listed.contains(&a) && listed.contains(&b));
    app.issue(&cast.street_official, b).await.expect(200);
    // Another street's official sees none of them, by list or by id, and can do nothing to them.
    assert!(app.list_ids(&elsewhere, "").await.is_empty());
    app.issue(&elsewhere, a)
        .await
        .expect_problem(404, "not_found");

    // It does not triage (nor reject, merge): that is the dispatcher's.
    app.triage(&cast.street_official, a)
        .problem(403, "forbidden")
        .await;
    app.reject(&cast.street_official, a, "重复")
        .problem(403, "forbidden")
        .await;
    app.merge(&cast.street_official, a, b)
        .problem(403, "forbidden")
        .await;
    app.triage(&cast.dispatcher, a).await;
    app.answer(&cast.property_1, a, "收到").await;

    // It urges within the street; not elsewhere.
    app.urge(&elsewhere, a, "街道督办")
        .problem(404, "not_found")
        .await;
    let urged = app
        .urge(&cast.street_official, a, "街道督办：请三日内完成")
        .await;
    assert_eq!(urged.urge_count, 1);
    assert!(app.notified(&cast.property_1, a, "urged").await);
    // It does not reassign or decide extensions.
    app.reassign(&cast.street_official, a, "换人")
        .with("level", "grid")
        .problem(403, "forbidden")
        .await;
    let due = app.view(&cast.dispatcher, a).await.resolution_due + Duration::days(3);
    let rid = app
        .request_extension(&cast.property_1, a, due, "等待配件")
        .await
        .expect(201)
        .id();
    app.decide_extension(&cast.street_official, a, rid, true, "同意")
        .problem(403, "forbidden")
        .await;

    // It decides returns (退单裁定) within the street.
    app.return_issue(&cast.property_1, a, "ownership_unclear", "权属不清")
        .await;
    app.decide_return(&elsewhere, a, false, "不成立")
        .problem(404, "not_found")
        .await;
    let back = app
        .decide_return(
            &cast.street_official,
            a,
            false,
            "经街道核实属物业职责，继续办理",
        )
        .await;
    assert_eq!(
        (back.status.as_str(), back.return_count),
        ("in_progress", 1)
    );
    app.assert_timeline(
        &cast.dispatcher,
        a,
        "created triaged answered urged extension_requested returned return_overruled",
    )
    .await;

    // 回头看: the street's official looks at a closed case again; its queue is the street's.
    let closed = closed_case(&app, &cast, 2).await;
    app.revisit(&elsewhere, closed, "confirmed", "回头看")
        .problem(404, "not_found")
        .await;
    app.clock.advance(Duration::days(15));
    cast.relogin(&app).await;
    app.tick();
    let queue = app
        .get_as(&cast.street_official, "/api/v1/revisits/due")
        .await
        .expect(200);
    let queued: Vec<i64> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(queued.contains(&closed), "{queued:?}");
    let revisited = app
        .revisit(
            &cast.street_official,
            closed,
            "confirmed",
            "街道回头看：已修好，居民满意",
        )
        .await;
    assert!(revisited.revisited_at.is_some());
    // Its reports cover the street.
    app.get_as(
        &cast.street_official,
        "/api/v1/reports/summary?from=2026-01-01&to=2027-01-01&group_by=community",
    )
    .await
    .expect(200);
}
