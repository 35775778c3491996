//! Itemised daily-work assessments (日常工作考核): per compound and month, a score per checklist
//! item of the year's scheme with notes, by community officials or the district office.

use actix_web::http::Method;
use linli_infra::test_photos::jpeg;
use linli_tests::{
    PNG, Session, TestApp, multipart,
    serde_json::{Value, json},
};

use super::quarter::{SCHEMES, itemised};

const ASSESSMENTS: &str = "/api/v1/assessments";

#[actix_web::test]
async fn monthly_assessments_are_scored_item_by_item_against_the_scheme() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let office = app.staff("district_office", None).await;
    let good = itemised(d.company_1, d.compound_a, "2026-07", [23, 18, 22, 14, 13]);
    // No scheme for 2026 yet: nothing to score the items by.
    let res = app
        .post_as(&c.official, ASSESSMENTS, &good)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "items");
    app.post_as(&office, SCHEMES, &json!({"year": 2026}))
        .await
        .expect(201);

    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b
    };
    let mut over = good.clone();
    over["items"][0]["points"] = json!(26); // sanitation is worth 25
    let mut unknown = good.clone();
    unknown["items"][0]["key"] = json!("parking");
    let mut missing = good.clone();
    missing["items"].as_array_mut().unwrap().pop();
    for (body, field) in [
        (over, "items"),
        (unknown, "items"),
        (missing, "items"),
        (with("month", json!("2026-13")), "month"),
        (with("period", json!("2026Q4")), "period"),
        (with("score", json!(90)), "score"),
        (with("month", Value::Null), "period"),
    ] {
        let res = app
            .post_as(&c.official, ASSESSMENTS, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field, "{body}");
    }
    assert_eq!(app.count("assessments"), 0);

    // The official of the compound's community, and the district office anywhere.
    let mine = app
        .post_as(&c.official, ASSESSMENTS, &good)
        .await
        .expect(201);
    assert_eq!(mine.body["score"], 90);
    assert_eq!(mine.body["month"], "2026-07");
    assert_eq!(mine.body["period"], "2026Q3");
    assert_eq!(mine.body["items"][0]["key"], "sanitation");
    assert_eq!(mine.body["items"][0]["notes"], "sanitation 检查记录");
    let b = itemised(d.company_2, d.compound_b, "2026-08", [25, 20, 25, 15, 15]);
    app.post_as(&c.official, ASSESSMENTS, &b)
        .await
        .expect_problem(403, "forbidden");
    let by_office = app.post_as(&office, ASSESSMENTS, &b).await.expect(201);
    assert_eq!(by_office.body["score"], 100);
    for who in [&c.auditor, &c.property_1, &c.resident, &c.official_b] {
        app.post_as(who, ASSESSMENTS, &good)
            .await
            .expect_problem(403, "forbidden");
    }
    // Evidence photos: the assessing community's officials and the office add them; the
    // auditor reads them; another community sees nothing.
    let id = mine.id();
    let photo = upload(&app, &c.official, id, &jpeg(64, 48))
        .await
        .expect(201);
    let photo_id = photo.body["id"].as_i64().unwrap();
    upload(&app, &office, id, &PNG).await.expect(201);
    for who in [&c.official_b, &c.auditor, &c.property_1] {
        upload(&app, who, id, &PNG)
            .await
            .expect_problem(403, "forbidden");
    }
    upload(&app, &c.official, id, b"not an image")
        .await
        .expect_problem(422, "unsupported_image");
    let bytes = app
        .get_as(&c.auditor, &format!("{ASSESSMENTS}/{id}/photos/{photo_id}"))
        .await
        .expect(200);
    assert_eq!(bytes.header("content-type").as_deref(), Some("image/jpeg"));
    app.get_as(
        &c.official_b,
        &format!("{ASSESSMENTS}/{id}/photos/{photo_id}"),
    )
    .await
    .expect_problem(403, "forbidden");
    app.get_as(&c.auditor, &format!("{ASSESSMENTS}/{id}/photos/999"))
        .await
        .expect_problem(404, "not_found");
    let listed = app.get_as(&c.official, ASSESSMENTS).await.expect(200);
    assert_eq!(listed.body[0]["photo_ids"].as_array().unwrap().len(), 2);

    // The quarterly form still works.
    app.post_as(
        &c.official,
        ASSESSMENTS,
        &json!({"property_company_id": d.company_1, "compound_id": d.compound_a,
                "period": "2026Q3", "score": 70, "notes": ""}),
    )
    .await
    .expect(201);
    // The office and auditors read them all; an official their community's.
    for who in [&office, &c.auditor] {
        let all = app.get_as(who, ASSESSMENTS).await.expect(200);
        assert_eq!(all.body.as_array().unwrap().len(), 3);
    }
    let theirs = app.get_as(&c.official_b, ASSESSMENTS).await.expect(200);
    assert_eq!(theirs.body.as_array().unwrap().len(), 1);
}

async fn upload(app: &TestApp, who: &Session, id: i64, bytes: &[u8]) -> linli_tests::Resp {
    let (content_type, body) = multipart(&[("file", Some("evidence.jpg"), "image/jpeg", bytes)]);
    app.send_raw(
        Method::POST,
        &format!("{ASSESSMENTS}/{id}/photos"),
        Some(&who.access_token),
        &content_type,
        body,
    )
    .await
}
