//! The category catalogue as data: the seeded categories (电梯困人 with its 30-minute response,
//! 燃气泄漏 with its stop notice, 二次供水), the district office's edits and the routing of new
//! issues by the edited entry, who may edit, and a table of bad bodies that change nothing.

use chrono::Duration;
use linli_tests::{
    Session, TestApp, Variants,
    serde_json::{Value, json},
};

/// The catalogue as anyone sees it (no token).
async fn catalogue(app: &TestApp) -> Vec<Value> {
    let res = app.get("/api/v1/categories", None).await.expect(200);
    res.body.as_array().unwrap().clone()
}

fn entry<'a>(all: &'a [Value], code: &str) -> &'a Value {
    all.iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {all:?}"))
}

#[actix_web::test]
async fn the_seeded_catalogue_has_the_lift_entrapment_gas_leak_and_water_tank() {
    let (app, c) = TestApp::with_cast().await;
    let all = catalogue(&app).await;
    let gas = entry(&all, "gas_leak");
    assert_eq!(gas["name_zh"], "燃气泄漏");
    assert_eq!(gas["default_urgency"], "emergency");
    assert_eq!(
        gas["stop_notice"],
        "燃气泄漏请立即拨打119并撤离，不要在此报修"
    );
    assert_eq!(gas["kinds"], json!(["complaint", "help"]));
    let lift = entry(&all, "elevator_entrapment");
    assert_eq!(lift["name_zh"], "电梯困人");
    assert_eq!(lift["default_urgency"], "emergency");
    assert_eq!(lift["response_minutes"], 30);
    assert!(lift["stop_notice"].is_null());
    let tank = entry(&all, "water_tank");
    assert_eq!(tank["name_zh"], "二次供水/水箱");
    assert_eq!(tank["default_urgency"], "urgent");
    assert_eq!(entry(&all, "water_leak")["photos_expected"], true);
    assert!(entry(&all, "other")["default_level"].is_null());
    assert_eq!(all.len(), 18);

    // With a compound: the same entries, each with the outage notices covering it.
    let path = format!("/api/v1/categories?compound_id={}", c.district.compound_a);
    let res = app
        .get(&path, Some(&c.resident.access_token))
        .await
        .expect(200);
    let for_compound = res.body.as_array().unwrap();
    assert_eq!(for_compound.len(), 18);
    let gas = entry(for_compound, "gas_leak");
    assert!(gas["stop_notice"].as_str().unwrap().contains("119"));
    assert_eq!(gas["notices"], json!([]));

    // The labels name the categories from the catalogue, and the request types.
    let labels = app.get("/api/v1/labels?lang=en", None).await.expect(200);
    assert_eq!(
        labels.body["categories"]["elevator_entrapment"],
        "People trapped in a lift"
    );
    assert_eq!(labels.body["kinds"]["consultation"], "Consultation");
}

#[actix_web::test]
async fn a_lift_entrapment_is_overdue_thirty_minutes_after_filing() {
    let (app, mut c) = TestApp::with_cast().await;
    let filed = app
        .file_issue(&c.resident, &c.district.issue_body("elevator_entrapment"))
        .await
        .expect(201);
    let id = filed.id();
    let b = &filed.body;
    assert_eq!(b["category_name"], "电梯困人");
    assert_eq!(b["urgency"], "emergency");
    assert_eq!(b["suggestion"]["level"], "property");
    // Filed at 2026-09-01T00:00:00Z: rescue within 30 minutes, resolution the emergency's 24 h.
    assert_eq!(b["response_due"], "2026-09-01T00:30:00Z");
    assert_eq!(b["resolution_due"], "2026-09-02T00:00:00Z");

    app.clock.advance(Duration::minutes(29));
    c.relogin(&app).await;
    assert_eq!(
        app.issue(&c.dispatcher, id).await.expect(200).body["overdue"],
        false
    );
    assert!(
        !app.list_ids(&c.dispatcher, "&overdue=true")
            .await
            .contains(&id)
    );

    app.clock.advance(Duration::minutes(2));
    c.relogin(&app).await;
    assert_eq!(
        app.issue(&c.dispatcher, id).await.expect(200).body["overdue"],
        true
    );
    assert!(
        app.list_ids(&c.dispatcher, "&overdue=true")
            .await
            .contains(&id)
    );
    // A water leak filed at the same time is nowhere near its 12-hour response deadline.
    let leak = app.resident_files(&c, "water_leak").await;
    app.clock.advance(Duration::minutes(31));
    c.relogin(&app).await;
    assert_eq!(
        app.issue(&c.dispatcher, leak).await.expect(200).body["overdue"],
        false
    );
}

fn pet_nuisance() -> Value {
    json!({
        "code": "pet_nuisance",
        "name_zh": "宠物扰民",
        "name_en": "Pet nuisance",
        "kinds": ["complaint", "suggestion"],
        "default_level": "grid",
        "default_urgency": "normal",
    })
}

async fn post_category(app: &TestApp, who: &Session, body: &Value) -> linli_tests::Resp {
    app.post("/api/v1/categories", Some(&who.access_token), body)
        .await
}

async fn put_category(app: &TestApp, who: &Session, code: &str, body: &Value) -> linli_tests::Resp {
    app.put(
        &format!("/api/v1/categories/{code}"),
        Some(&who.access_token),
        body,
    )
    .await
}

#[actix_web::test]
async fn the_district_office_adds_and_edits_a_category_and_routing_follows() {
    let (app, c) = TestApp::with_cast().await;
    let office = app.staff("district_office", None).await;
    let created = post_category(&app, &office, &pet_nuisance())
        .await
        .expect(201);
    assert_eq!(
        created.header("location").as_deref(),
        Some("/api/v1/categories/pet_nuisance")
    );
    assert_eq!(created.body["default_level"], "grid");
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["photos_expected"], false);
    let all = catalogue(&app).await;
    assert_eq!(all.last().unwrap()["code"], "pet_nuisance");

    // Routed by the new entry at once: the building's grid, normal urgency.
    let first = app
        .file_issue(&c.resident, &c.district.issue_body("pet_nuisance"))
        .await
        .expect(201);
    assert_eq!(first.body["category_name"], "宠物扰民");
    assert_eq!(first.body["suggestion"]["level"], "grid");
    assert_eq!(first.body["urgency"], "normal");

    // The office moves it to the property company, urgent, to be resolved within 10 hours.
    let mut edited = pet_nuisance();
    edited["default_level"] = json!("property");
    edited["default_urgency"] = json!("urgent");
    edited["resolution_minutes"] = json!(600);
    edited["stop_notice"] = json!("如遇犬只伤人请拨打110");
    let res = put_category(&app, &office, "pet_nuisance", &edited)
        .await
        .expect(200);
    assert_eq!(res.body["default_level"], "property");
    assert_eq!(res.body["resolution_minutes"], 600);
    // Its place in the catalogue stays.
    assert_eq!(
        catalogue(&app).await.last().unwrap()["stop_notice"],
        "如遇犬只伤人请拨打110"
    );

    let second = app
        .file_issue(&c.resident, &c.district.issue_body("pet_nuisance"))
        .await
        .expect(201);
    let b = &second.body;
    assert_eq!(b["suggestion"]["level"], "property");
    assert_eq!(b["suggestion"]["handler"]["id"], c.district.company_1);
    assert_eq!(b["urgency"], "urgent");
    assert_eq!(b["response_due"], "2026-09-01T12:00:00Z");
    assert_eq!(b["resolution_due"], "2026-09-01T10:00:00Z");
    // An issue already filed keeps the routing it was filed with.
    let again = app.issue(&c.dispatcher, first.id()).await.expect(200);
    assert_eq!(again.body["suggestion"]["level"], "grid");
    // A suggestion is a request type it takes; a praise is not.
    let mut praise = c.district.issue_body("pet_nuisance");
    praise["kind"] = json!("praise");
    let res = app.file_issue(&c.resident, &praise).await;
    let res = res.expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "kind");

    // A seeded category is edited the same way (the code in the body may repeat the path's).
    let lamp = entry(&catalogue(&app).await, "street_lamp").clone();
    let mut lamp_body = json!({
        "code": "street_lamp", "name_zh": lamp["name_zh"], "name_en": lamp["name_en"],
        "kinds": lamp["kinds"], "default_level": "grid", "default_urgency": "urgent",
    });
    put_category(&app, &office, "street_lamp", &lamp_body)
        .await
        .expect(200);
    let filed = app.file(&c.resident, "street_lamp", &c.district).await;
    let issue = app.view(&c.dispatcher, filed).await;
    assert_eq!(issue.suggestion.level.as_deref(), Some("grid"));
    assert_eq!(issue.suggestion.urgency, "urgent");

    // Retired: gone from the catalogue, no new issues, the old ones keep their code and name.
    lamp_body["active"] = json!(false);
    let res = put_category(&app, &office, "street_lamp", &lamp_body)
        .await
        .expect(200);
    assert_eq!(res.body["active"], false);
    assert!(
        catalogue(&app)
            .await
            .iter()
            .all(|e| e["code"] != "street_lamp")
    );
    let res = app
        .file_issue(&c.resident, &c.district.issue_body("street_lamp"))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "category");
    let old = app.issue(&c.dispatcher, filed).await.expect(200);
    assert_eq!(old.body["category_name"], "路灯损坏");
}

#[actix_web::test]
async fn only_the_district_office_edits_the_catalogue() {
    let (app, c) = TestApp::with_cast().await;
    let before = catalogue(&app).await;
    for who in [
        &c.resident,
        &c.dispatcher,
        &c.official,
        &c.auditor,
        &c.admin,
    ] {
        post_category(&app, who, &pet_nuisance())
            .await
            .expect_problem(403, "forbidden");
        put_category(&app, who, "water_leak", &pet_nuisance())
            .await
            .expect_problem(403, "forbidden");
    }
    app.post("/api/v1/categories", None, &pet_nuisance())
        .await
        .expect_problem(401, "missing_token");
    assert_eq!(catalogue(&app).await, before);
}

#[actix_web::test]
async fn bad_category_bodies_are_refused_and_change_nothing() {
    let (app, _c) = TestApp::with_cast().await;
    let office = app.staff("district_office", None).await;
    let before = catalogue(&app).await;
    let good = Variants(pet_nuisance());
    let long_name = "名".repeat(41);
    let table = [
        good.invalid("code", json!("Pet Nuisance")),
        good.invalid("code", json!("p")),
        good.invalid("code", Value::Null),
        good.invalid("name_zh", json!("  ")),
        good.invalid("name_zh", json!(long_name)),
        good.invalid("name_en", json!("")),
        good.invalid("kinds", json!([])),
        good.invalid("kinds", json!(["problem"])),
        good.invalid("default_level", json!("city")),
        good.invalid("default_urgency", json!("asap")),
        good.invalid("stop_notice", json!("")),
        good.invalid("response_minutes", json!(0)),
        good.invalid("resolution_minutes", json!(200_000)),
        (
            json!({"code": "pet_nuisance", "name_zh": "宠物扰民", "name_en": "Pet nuisance",
                "kinds": ["complaint"], "default_urgency": "normal",
                "response_minutes": 60, "resolution_minutes": 30}),
            422,
            "validation_failed",
            Some("resolution_minutes"),
        ),
        good.refused("colour", json!("red"), 400, "invalid_body"),
        good.refused("kinds", json!("complaint"), 400, "invalid_body"),
        good.refused("code", json!("water_leak"), 409, "conflict"),
    ];
    for (body, status, code, field) in table {
        let res = post_category(&app, &office, &body).await;
        let res = res.expect_problem(status, code);
        if let Some(field) = field {
            assert_eq!(res.body["field"], field, "{body}: {}", res.text);
        }
    }
    // PUT: the code cannot change; an unknown category is not found.
    let mut unnamed = pet_nuisance();
    unnamed["code"] = Value::Null;
    put_category(&app, &office, "pet_nuisance", &unnamed)
        .await
        .expect_problem(404, "not_found");
    put_category(&app, &office, "No_Such", &unnamed)
        .await
        .expect_problem(404, "not_found");
    let res = put_category(&app, &office, "water_leak", &pet_nuisance()).await;
    assert_eq!(
        res.expect_problem(422, "validation_failed").body["field"],
        "code"
    );
    assert_eq!(catalogue(&app).await, before);
}
