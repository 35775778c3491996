//! The public directory: a new resident finds their community by a fragment of its name, picks
//! compound and building, and registers, with no admin and no token.

use linli_tests::{PASSWORD, TestApp, serde_json::json};

/// `fragment` percent-encoded for a query string.
fn q(fragment: &str) -> String {
    fragment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn names(page: &linli_tests::Resp) -> Vec<&str> {
    let items = page.body["items"].as_array().unwrap();
    items.iter().map(|i| i["name"].as_str().unwrap()).collect()
}

#[actix_web::test]
async fn a_new_resident_finds_their_building_and_signs_up_without_an_admin() {
    let (app, d) = TestApp::with_district().await;
    let found = app
        .get(
            &format!("/api/v1/directory/communities?q={}", q("东坪")),
            None,
        )
        .await
        .expect(200);
    assert_eq!(names(&found), ["东坪社区"]);
    assert_eq!(found.body["items"][0]["street_name"], "岳塘街道");
    let community = found.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(community, d.community_a);

    let path = format!("/api/v1/directory/communities/{community}/compounds");
    let compounds = app.get(&path, None).await.expect(200);
    assert_eq!(names(&compounds), ["西江俪园", "书香人家"]);
    assert!(compounds.body["items"][0].get("street_name").is_none());
    let compound = compounds.body["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/directory/compounds/{compound}/buildings");
    let buildings = app.get(&path, None).await.expect(200);
    assert_eq!(names(&buildings), ["1栋"]);
    let building = buildings.body["items"][0]["id"].as_i64().unwrap();

    let phone = app.next_phone();
    let body = json!({"phone": phone, "password": PASSWORD, "display_name": "刘阿姨",
                      "compound_id": compound, "building_id": building, "unit": "3单元 502"});
    app.register(&body).await.expect(202);
    let token = app.login(&phone, PASSWORD).await.expect(200).body["access_token"].clone();
    let me = app.get("/api/v1/me", token.as_str()).await.expect(200);
    assert_eq!(me.body["compound_id"], compound);
    assert_eq!(me.body["building_id"], building);
}

#[actix_web::test]
async fn the_directory_pages_searches_literally_and_names_unknown_parents() {
    let (app, d) = TestApp::with_district().await;
    let all = app
        .get("/api/v1/directory/communities", None)
        .await
        .expect(200);
    assert_eq!(names(&all), ["东坪社区", "宝塔社区"]);
    assert_eq!(all.body["next_cursor"], json!(null));
    let first = app
        .get("/api/v1/directory/communities?limit=1", None)
        .await
        .expect(200);
    assert_eq!(names(&first), ["东坪社区"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let path = format!("/api/v1/directory/communities?limit=1&cursor={cursor}");
    assert_eq!(names(&app.get(&path, None).await.expect(200)), ["宝塔社区"]);

    // `%` and `_` are matched as themselves, not as wildcards.
    for fragment in ["%", "_", "社区%"] {
        let path = format!("/api/v1/directory/communities?q={}", q(fragment));
        let found = app.get(&path, None).await.expect(200);
        assert!(names(&found).is_empty(), "{fragment}");
    }
    let path = format!(
        "/api/v1/directory/communities/{}/compounds?q={}",
        d.community_a,
        q("书香")
    );
    assert_eq!(names(&app.get(&path, None).await.expect(200)), ["书香人家"]);

    app.get("/api/v1/directory/communities/9999/compounds", None)
        .await
        .expect_problem(404, "not_found");
    app.get("/api/v1/directory/compounds/9999/buildings", None)
        .await
        .expect_problem(404, "not_found");
    let long = "东".repeat(51);
    let path = format!("/api/v1/directory/communities?q={}", q(&long));
    app.get(&path, None)
        .await
        .expect_problem(400, "invalid_query");
    app.get("/api/v1/directory/communities?limit=0", None)
        .await
        .expect_problem(400, "invalid_query");
}
