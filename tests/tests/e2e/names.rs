//! Names beside ids: issues name their street, community, compound, building, grid, company and
//! handler; timelines, comments and notifications name the people behind them, residents masked
//! for other residents.

use linli_tests::{Session, TestApp};
use serde_json::{Value, json};

fn resident_name(s: &Session) -> String {
    format!("居民{}", s.phone)
}

fn staff_name(s: &Session) -> String {
    format!("{} {}", s.role, s.phone)
}

/// How another resident sees a resident's name.
fn masked(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().unwrap();
    format!("{first}{}", "*".repeat(chars.count()))
}

fn assert_place_names(issue: &Value) {
    assert_eq!(issue["street_name"], "岳塘街道");
    assert_eq!(issue["community_name"], "东坪社区");
    assert_eq!(issue["compound_name"], "西江俪园");
    assert_eq!(issue["building_name"], "1栋");
    assert_eq!(issue["grid_name"], "东坪一网格");
    assert_eq!(issue["property_company_name"], "红管家物业");
}

#[actix_web::test]
async fn issues_carry_the_names_of_the_units_they_refer_to() {
    let (app, cast) = TestApp::with_cast().await;
    let leak = app.resident_files(&cast, "water_leak").await;
    let filed = app.issue(&cast.resident, leak).await.expect(200).body;
    assert_place_names(&filed);
    assert_eq!(filed["handler"], Value::Null);
    assert_eq!(filed["suggestion"]["handler"]["name"], "红管家物业");

    app.triage(&cast.dispatcher, leak).await;
    let triaged = app.issue(&cast.property_1, leak).await.expect(200).body;
    assert_place_names(&triaged);
    assert_eq!(triaged["handler"]["name"], "红管家物业");

    // Other handlers are named too: the grid, and the community for its mediators.
    let to_grid = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, to_grid)
        .with("level", "grid")
        .reason("网格员就近处理")
        .await;
    let to_mediators = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, to_mediators)
        .with("level", "mediation")
        .reason("邻里纠纷")
        .await;

    // The list names them the same way, in one page.
    let page = app
        .get(
            "/api/v1/issues?limit=10",
            Some(&cast.dispatcher.access_token),
        )
        .await
        .expect(200)
        .body;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        assert_place_names(item);
    }
    let handler_of = |id: i64| {
        items.iter().find(|i| i["id"] == id).unwrap()["handler"]["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(handler_of(leak), "红管家物业");
    assert_eq!(handler_of(to_grid), "东坪一网格");
    assert_eq!(handler_of(to_mediators), "东坪社区");
}

#[actix_web::test]
async fn people_are_named_as_the_caller_may_see_them() {
    let (app, cast) = TestApp::with_cast().await;
    let id = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, id).await;
    for who in [&cast.resident, &cast.neighbour] {
        app.post(
            &format!("/api/v1/issues/{id}/comments"),
            Some(&who.access_token),
            &json!({"body": "楼道又漏水了"}),
        )
        .await
        .expect(201);
    }
    let reporter = resident_name(&cast.resident);
    let neighbour = resident_name(&cast.neighbour);
    let dispatcher = staff_name(&cast.dispatcher);

    // The timeline: staff in full for everyone; the reporter masked for the neighbour only.
    for (who, reporter_shown) in [
        (&cast.dispatcher, reporter.clone()),
        (&cast.resident, reporter.clone()),
        (&cast.neighbour, masked(&reporter)),
    ] {
        let events = app.events(who, id).await;
        let names: Vec<&str> = events
            .iter()
            .map(|e| e["actor_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, [reporter_shown.as_str(), dispatcher.as_str()]);
    }

    // Comments likewise: each resident sees their own name, and the other's masked.
    for (who, names) in [
        (&cast.dispatcher, [reporter.clone(), neighbour.clone()]),
        (&cast.resident, [reporter.clone(), masked(&neighbour)]),
        (&cast.neighbour, [masked(&reporter), neighbour.clone()]),
    ] {
        let page = app
            .get(
                &format!("/api/v1/issues/{id}/comments"),
                Some(&who.access_token),
            )
            .await
            .expect(200)
            .body;
        let shown: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["author_name"].as_str().unwrap())
            .collect();
        assert_eq!(shown, names, "comments as {}", who.role);
    }

    // The reporter's notification of the triage names the dispatcher and the compound, in the
    // list and when marked read.
    let page = app
        .get("/api/v1/notifications", Some(&cast.resident.access_token))
        .await
        .expect(200)
        .body;
    let triaged = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "triaged")
        .unwrap()
        .clone();
    assert_eq!(triaged["actor_name"], dispatcher.as_str());
    assert_eq!(triaged["actor_id"], cast.dispatcher.id);
    assert_eq!(triaged["compound_name"], "西江俪园");
    let read = app
        .post(
            &format!("/api/v1/notifications/{}/read", triaged["id"]),
            Some(&cast.resident.access_token),
            &json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(read["actor_name"], dispatcher.as_str());
    assert_eq!(read["compound_name"], "西江俪园");
    assert!(read["read_at"].is_string());
}
