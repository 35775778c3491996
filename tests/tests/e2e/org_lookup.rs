//! GET /org/…: dispatchers, officials and handlers look up the units they work with, within
//! their scope; residents cannot.

use linli_tests::{Session, TestApp};

async fn ids(app: &TestApp, who: &Session, what: &str) -> Vec<i64> {
    let res = app
        .get_as(who, &format!("/api/v1/org/{what}?limit=100"))
        .await
        .expect(200);
    res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_dispatcher_lists_the_companies_and_grids_it_assigns_to_and_a_resident_cannot() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    // The street's dispatcher: everything in the street.
    assert_eq!(
        ids(&app, &c.dispatcher, "property-companies").await,
        [d.company_1, d.company_2]
    );
    assert_eq!(
        ids(&app, &c.dispatcher, "grids").await,
        [d.grid_a, d.grid_b]
    );
    assert_eq!(
        ids(&app, &c.dispatcher, "compounds").await,
        [d.compound_a, d.compound_a2, d.compound_b]
    );
    assert_eq!(ids(&app, &c.dispatcher, "streets").await, [d.street]);
    let res = app
        .get_as(&c.dispatcher, "/api/v1/org/compounds")
        .await
        .expect(200);
    assert_eq!(
        res.body["items"][0]["property_company_id"], d.company_1,
        "who manages what"
    );

    // Residents pick from /directory instead; no token, no lookup.
    for what in [
        "streets",
        "communities",
        "grids",
        "compounds",
        "buildings",
        "property-companies",
    ] {
        let path = format!("/api/v1/org/{what}");
        app.get_as(&c.resident, &path)
            .await
            .expect_problem(403, "forbidden");
        app.get(&path, None)
            .await
            .expect_problem(401, "missing_token");
    }
}

#[actix_web::test]
async fn handlers_and_officials_see_only_what_their_scope_reaches() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    // Company 1 manages compound A only.
    assert_eq!(ids(&app, &c.property_1, "compounds").await, [d.compound_a]);
    assert_eq!(ids(&app, &c.property_1, "buildings").await, [d.building_a1]);
    assert_eq!(
        ids(&app, &c.property_1, "property-companies").await,
        [d.company_1]
    );
    assert_eq!(
        ids(&app, &c.property_1, "communities").await,
        [d.community_a]
    );
    // Company 2 manages A2 (community A) and B (community B).
    assert_eq!(
        ids(&app, &c.property_2, "communities").await,
        [d.community_a, d.community_b]
    );
    // Grid A covers buildings of compounds A and A2.
    assert_eq!(ids(&app, &c.grid_worker, "grids").await, [d.grid_a]);
    assert_eq!(
        ids(&app, &c.grid_worker, "buildings").await,
        [d.building_a1, d.building_a2]
    );
    assert_eq!(
        ids(&app, &c.grid_worker, "compounds").await,
        [d.compound_a, d.compound_a2]
    );
    // Community B's official: community B's compound and grid.
    assert_eq!(ids(&app, &c.official_b, "compounds").await, [d.compound_b]);
    assert_eq!(ids(&app, &c.official_b, "grids").await, [d.grid_b]);
    assert_eq!(
        ids(&app, &c.official_b, "property-companies").await,
        [d.company_2]
    );
    // The owners' committee: its compound.
    assert_eq!(ids(&app, &c.committee, "compounds").await, [d.compound_a]);
    assert_eq!(ids(&app, &c.committee, "streets").await, [d.street]);

    // Keyset pages like every list.
    let first = app
        .get_as(&c.dispatcher, "/api/v1/org/compounds?limit=2")
        .await
        .expect(200);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let path = format!("/api/v1/org/compounds?limit=2&cursor={cursor}");
    let rest = app.get_as(&c.dispatcher, &path).await.expect(200);
    assert_eq!(rest.body["items"][0]["id"], d.compound_b);
    assert!(rest.body["next_cursor"].is_null());
    app.get_as(&c.dispatcher, "/api/v1/org/compounds?limit=0")
        .await
        .expect_problem(400, "invalid_query");
}
