//! GET /issues/similar: before filing, a resident sees the open public cases of the same
//! compound and category, newest first with their support counts, and may support one instead.

use linli_tests::{TestApp, serde_json::json};

#[actix_web::test]
async fn a_resident_sees_the_open_public_cases_like_theirs_and_supports_one() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let older = app.resident_files_direct(&c, "water_leak", true);
    let newer = app.resident_files_direct(&c, "water_leak", true);
    let private = app.resident_files_direct(&c, "water_leak", false);
    let other_kind = app.resident_files_direct(&c, "street_lamp", true);
    let withdrawn = app.resident_files_direct(&c, "water_leak", true);
    app.act(&c.resident, withdrawn, "withdraw", &json!({}))
        .await
        .expect(200);
    let elsewhere = app.file_issue_direct(
        &c.outsider,
        d.compound_b,
        Some(d.building_b1),
        "water_leak",
        true,
    );

    let path = format!(
        "/api/v1/issues/similar?compound_id={}&category=water_leak",
        d.compound_a
    );
    let res = app.get_as(&c.neighbour, &path).await.expect(200);
    assert_eq!(
        res.ids(),
        [newer, older],
        "private {private}, {other_kind}, {withdrawn}, {elsewhere} left out"
    );
    assert_eq!(res.body["items"][0]["support_count"], 0);

    // "Me too" instead of a second report; the count shows on the next look.
    let support = format!("/api/v1/issues/{older}/support");
    app.post_as(&c.neighbour, &support, &json!({}))
        .await
        .expect(200);
    let res = app.get_as(&c.neighbour, &path).await.expect(200);
    assert_eq!(res.body["items"][1]["support_count"], 1);

    // Paged like every list.
    let first = app
        .get_as(&c.neighbour, &format!("{path}&limit=1"))
        .await
        .expect(200);
    assert_eq!(first.ids(), [newer]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(&c.neighbour, &format!("{path}&limit=1&cursor={cursor}"))
        .await
        .expect(200);
    assert_eq!(rest.ids(), [older]);

    // Another compound's resident learns nothing of compound A; staff see their scope.
    assert!(
        app.get_as(&c.outsider, &path)
            .await
            .expect(200)
            .ids()
            .is_empty()
    );
    assert_eq!(
        app.get_as(&c.dispatcher, &path).await.expect(200).ids(),
        [newer, older]
    );
    let path_b = format!(
        "/api/v1/issues/similar?compound_id={}&category=water_leak",
        d.compound_b
    );
    assert_eq!(
        app.get_as(&c.outsider, &path_b).await.expect(200).ids(),
        [elsewhere]
    );
}

#[actix_web::test]
async fn similar_needs_a_compound_and_a_known_category() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let path = format!(
        "/api/v1/issues/similar?compound_id={}&category=bogus",
        d.compound_a
    );
    let res = app
        .get_as(&c.resident, &path)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "category");
    app.get_as(&c.resident, "/api/v1/issues/similar?category=water_leak")
        .await
        .expect_problem(400, "invalid_query");
    app.get(
        "/api/v1/issues/similar?compound_id=1&category=water_leak",
        None,
    )
    .await
    .expect_problem(401, "missing_token");
}
