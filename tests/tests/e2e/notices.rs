//! The notice board (公告/公示) through HTTP: who posts where, who reads what, pinned first,
//! expiry and withdrawal, and outage notices beside the categories on the filing screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use linli_tests::{
    Resp, Session, TestApp,
    serde_json::{Value, json},
};

fn general(title: &str, compound: i64, pinned: bool) -> Value {
    json!({"title": title, "body": format!("{title}：详见物业服务中心"), "kind": "general",
        "compound_ids": [compound], "pinned": pinned})
}

async fn publish(app: &TestApp, who: &Session, body: &Value) -> Resp {
    app.post_as(who, "/api/v1/notices", body).await
}

async fn withdraw(app: &TestApp, path: &str, who: &Session) -> Resp {
    app.request(
        actix_web::http::Method::DELETE,
        path,
        Some(&who.access_token),
        None,
        &[],
    )
    .await
}

async fn published(app: &TestApp, who: &Session, body: &Value) -> i64 {
    publish(app, who, body).await.expect(201).id()
}

/// The ids on `who`'s board, every page followed, `limit` per page.
async fn board(app: &TestApp, who: &Session, limit: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor = String::new();
    loop {
        let res = app
            .get_as(who, &format!("/api/v1/notices?limit={limit}{cursor}"))
            .await
            .expect(200);
        ids.extend(
            res.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_i64().unwrap()),
        );
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return ids,
        }
    }
}

/// The ids of the outage notices shown beside `category` on `who`'s filing screen.
async fn outages_beside(app: &TestApp, who: &Session, compound: i64, category: &str) -> Vec<i64> {
    let res = app
        .get_as(who, &format!("/api/v1/categories?compound_id={compound}"))
        .await
        .expect(200);
    let row = res
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == category);
    row.unwrap()["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn an_outage_notice_is_shown_beside_the_categories_it_covers_until_it_expires() {
    let (app, mut c) = TestApp::with_cast().await;
    let d = c.district;
    let ends = app.now() + Duration::hours(4);
    let res = publish(
        &app,
        &c.property_1,
        &json!({"title": "停水通知", "body": "因管网维修，今天14:00-18:00停水，请提前储水。",
            "kind": "outage", "compound_ids": [d.compound_a], "pinned": true,
            "expires_at": ends.to_rfc3339(), "categories": ["water_leak", "public_utilities"]}),
    )
    .await
    .expect(201);
    let outage = res.id();
    assert_eq!(
        res.header("location").as_deref(),
        Some(format!("/api/v1/notices/{outage}").as_str())
    );
    assert_eq!(res.body["publisher_name"], "红管家物业");
    // Shown in the district's time zone, the same instant.
    let shown = res.body["expires_at"].as_str().unwrap();
    assert!(shown.ends_with("+08:00"), "{shown}");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(shown).unwrap(),
        ends.with_timezone(&chrono::FixedOffset::east_opt(0).unwrap())
    );

    // Beside the categories it covers, not the others, for residents and staff in scope.
    for who in [&c.resident, &c.property_1, &c.official, &c.grid_worker] {
        assert_eq!(
            outages_beside(&app, who, d.compound_a, "water_leak").await,
            vec![outage]
        );
        assert_eq!(
            outages_beside(&app, who, d.compound_a, "public_utilities").await,
            vec![outage]
        );
        assert!(
            outages_beside(&app, who, d.compound_a, "elevator_fault")
                .await
                .is_empty()
        );
    }
    // Not in the compound next door, which has no outage.
    assert!(
        outages_beside(&app, &c.official, d.compound_a2, "water_leak")
            .await
            .is_empty()
    );
    // Another compound's resident, a company that does not manage it: as if it did not exist.
    for who in [&c.outsider, &c.property_2] {
        app.get_as(
            who,
            &format!("/api/v1/categories?compound_id={}", d.compound_a),
        )
        .await
        .expect_problem(404, "not_found");
    }
    app.get(
        "/api/v1/categories?compound_id=999999",
        Some(&c.resident.access_token),
    )
    .await
    .expect_problem(404, "not_found");
    // With a compound a token is needed; without one the catalogue stays public and plain.
    app.get(
        &format!("/api/v1/categories?compound_id={}", d.compound_a),
        None,
    )
    .await
    .expect_problem(401, "missing_token");
    let plain = app.get("/api/v1/categories", None).await.expect(200);
    assert!(plain.body[0].get("notices").is_none(), "{}", plain.text);

    // Four hours later the outage is over: gone from the filing screen and the board.
    app.clock.advance(Duration::hours(4) + Duration::minutes(1));
    c.relogin(&app).await;
    assert!(
        outages_beside(&app, &c.resident, d.compound_a, "water_leak")
            .await
            .is_empty()
    );
    assert!(board(&app, &c.resident, 20).await.is_empty());
    app.get_as(&c.resident, &format!("/api/v1/notices/{outage}"))
        .await
        .expect_problem(404, "not_found");
    // Its publisher still finds it, no longer in force.
    let old = app
        .get_as(&c.property_1, &format!("/api/v1/notices/{outage}"))
        .await
        .expect(200);
    assert_eq!(old.body["in_force"], false);
}

#[actix_web::test]
async fn residents_read_their_compounds_board_pinned_first_then_newest() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let first = published(
        &app,
        &c.property_1,
        &general("绿化修剪", d.compound_a, false),
    )
    .await;
    // The community's officials post to every compound of the community at once.
    let pinned = published(
        &app,
        &c.official,
        &json!({"title": "居民议事会", "body": "周六上午九点社区议事厅", "kind": "meeting",
            "community_id": d.community_a, "pinned": true}),
    )
    .await;
    let latest = published(
        &app,
        &c.property_1,
        &general("物业费公示", d.compound_a, false),
    )
    .await;
    let elsewhere = published(
        &app,
        &c.property_2,
        &general("文和园停车", d.compound_b, false),
    )
    .await;

    let expected = vec![pinned, latest, first];
    assert_eq!(board(&app, &c.resident, 20).await, expected);
    // The same order, a page at a time.
    assert_eq!(board(&app, &c.resident, 1).await, expected);
    assert_eq!(board(&app, &c.committee, 2).await, expected);
    // Staff read their scope: company 2 manages A2 (the community's notice) and B.
    assert_eq!(
        board(&app, &c.property_2, 20).await,
        vec![pinned, elsewhere]
    );
    assert_eq!(board(&app, &c.official, 20).await, expected);
    assert_eq!(
        board(&app, &c.auditor, 20).await,
        vec![pinned, elsewhere, latest, first]
    );
    // Another compound's resident sees only their own compound's board.
    assert_eq!(board(&app, &c.outsider, 20).await, vec![elsewhere]);
    for id in [first, pinned] {
        app.get_as(&c.outsider, &format!("/api/v1/notices/{id}"))
            .await
            .expect_problem(404, "not_found");
    }
    let one = app
        .get_as(&c.resident, &format!("/api/v1/notices/{pinned}"))
        .await
        .expect(200);
    let mut compounds = vec![d.compound_a, d.compound_a2];
    compounds.sort_unstable();
    assert_eq!(one.body["compound_ids"], json!(compounds));
    assert_eq!(one.body["publisher_kind"], "community");
    // The admin manages accounts, not notices.
    app.get_as(&c.admin, "/api/v1/notices")
        .await
        .expect_problem(403, "forbidden");
}

#[actix_web::test]
async fn only_publishers_within_reach_post_and_only_the_publisher_withdraws() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let body = general("电梯年检", d.compound_a, false);
    // Another company, another community, roles that publish nothing.
    for who in [
        &c.property_2,
        &c.official_b,
        &c.resident,
        &c.admin,
        &c.mediator,
    ] {
        publish(&app, who, &body)
            .await
            .expect_problem(403, "forbidden");
    }
    // A community that is not all theirs: company 1 does not manage compound A2.
    publish(
        &app,
        &c.property_1,
        &json!({"title": "通知", "body": "内容", "kind": "general", "community_id": d.community_a}),
    )
    .await
    .expect_problem(403, "forbidden");
    let past = (app.now() - Duration::hours(1)).to_rfc3339();
    let later = (app.now() + Duration::hours(1)).to_rfc3339();
    for (bad, field) in [
        (
            json!({"title": "停电", "body": "停电", "kind": "outage", "compound_ids": [d.compound_a],
            "expires_at": later}),
            "categories",
        ),
        (
            json!({"title": "停电", "body": "停电", "kind": "outage", "compound_ids": [d.compound_a],
            "categories": ["street_lamp"]}),
            "expires_at",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "general", "compound_ids": [d.compound_a],
            "categories": ["water_leak"]}),
            "categories",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "party", "compound_ids": [d.compound_a]}),
            "kind",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "general", "compound_ids": [d.compound_a],
            "expires_at": past}),
            "expires_at",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "general", "compound_ids": [d.compound_a],
            "community_id": d.community_a}),
            "compound_ids",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "general", "compound_ids": []}),
            "compound_ids",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "general", "compound_ids": [999999]}),
            "compound_ids",
        ),
        (
            json!({"title": " ", "body": "内容", "kind": "general", "compound_ids": [d.compound_a]}),
            "title",
        ),
        (
            json!({"title": "通知", "body": "内容", "kind": "outage", "compound_ids": [d.compound_a],
            "expires_at": later, "categories": ["no_water"]}),
            "categories",
        ),
    ] {
        let res = publish(&app, &c.property_1, &bad)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{bad}: {}", res.text);
    }
    assert_eq!(app.count("notices"), 0);
    let id = published(&app, &c.property_1, &body).await;
    let path = format!("/api/v1/notices/{id}");
    // The community official and the resident read it but did not publish it; company 2
    // cannot even see it.
    withdraw(&app, &path, &c.official)
        .await
        .expect_problem(403, "forbidden");
    withdraw(&app, &path, &c.property_2)
        .await
        .expect_problem(404, "not_found");
    withdraw(&app, &path, &c.resident)
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(board(&app, &c.resident, 20).await, vec![id]);
    let res = withdraw(&app, &path, &c.property_1).await.expect(200);
    assert_eq!(res.body["in_force"], false);
    assert!(res.body["withdrawn_at"].is_string());
    // Twice changes nothing.
    withdraw(&app, &path, &c.property_1).await.expect(200);
    assert!(board(&app, &c.resident, 20).await.is_empty());
    app.get_as(&c.resident, &path)
        .await
        .expect_problem(404, "not_found");
    // The district office (物管办) posts anywhere in the district, a whole community included.
    let office = app.staff("district_office", None).await;
    let community = json!({"title": "季度考核结果公示", "body": "详见红黑榜", "kind": "rating",
                           "community_id": d.community_b});
    publish(&app, &office, &community).await.expect(201);
    publish(&app, &office, &body).await.expect(201);
}

#[actix_web::test]
async fn the_demo_district_has_a_pinned_outage_and_a_general_notice() {
    let app = TestApp::new().await;
    let accounts = linli_api::demo::seed_if_empty(&app.state).unwrap().unwrap();
    let mut boards = 0;
    for resident in accounts.iter().filter(|a| a.role == "resident") {
        let login = app
            .login(&resident.phone, &resident.password)
            .await
            .expect(200);
        let token = login.body["access_token"].as_str().unwrap().to_owned();
        let res = app.get("/api/v1/notices", Some(&token)).await.expect(200);
        // The published ratings (公示) are on every board, beside the compound's own notices.
        let all = res.body["items"].as_array().unwrap();
        assert!(all.iter().any(|n| n["kind"] == "rating"));
        let items: Vec<&Value> = all.iter().filter(|n| n["kind"] != "rating").collect();
        if items.is_empty() {
            continue;
        }
        boards += 1;
        let kinds: Vec<_> = items
            .iter()
            .map(|n| (n["kind"].clone(), n["pinned"].clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (json!("outage"), json!(true)),
                // The demo's published joint meeting (see the meetings tests), posted after.
                (json!("meeting"), json!(false)),
                (json!("general"), json!(false))
            ]
        );
        let compound = items[0]["compound_ids"][0].as_i64().unwrap();
        let catalogue = app
            .get(
                &format!("/api/v1/categories?compound_id={compound}"),
                Some(&token),
            )
            .await
            .expect(200);
        let water = catalogue
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "water_leak");
        assert_eq!(water.unwrap()["notices"][0]["id"], items[0]["id"]);
    }
    assert!(boards > 0, "no demo resident has notices");
}
