//! The district's evaluation cycle (星级物业评选): the district office's assessment schemes,
//! rating runs over a quarter, publication (红黑榜) and appeals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use linli_tests::{
    BadInput, TestApp, Variants,
    serde_json::{Value, json},
};

const SCHEMES: &str = "/api/v1/assessment-schemes";

#[actix_web::test]
async fn the_district_office_sets_a_scheme_per_year_with_defaults_and_versions() {
    let (app, c) = TestApp::with_cast().await;
    let office = app.staff("district_office", None).await;

    // Only the year: every part takes the district's default.
    let first = app
        .post_as(&office, SCHEMES, &json!({"year": 2026}))
        .await
        .expect(201);
    assert_eq!(first.body["version"], 1);
    let s = &first.body["scheme"];
    assert_eq!(
        s["weights"],
        json!({"daily_work": 30, "satisfaction": 40, "management": 30})
    );
    assert_eq!(
        s["grade_thresholds"],
        json!({"excellent": 90, "good": 80, "qualified": 60})
    );
    assert_eq!(
        s["stars"],
        json!({"excellent": 5, "good": 4, "qualified": 3, "poor": 1})
    );
    let points: u64 = s["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["max_points"].as_u64().unwrap())
        .sum();
    assert_eq!(points, 100);

    // A change is a new version; the old one stays listed.
    let second = app
        .post_as(
            &office,
            SCHEMES,
            &json!({"year": 2026, "scheme": {"weights": {"daily_work": 20, "satisfaction": 50, "management": 30}}}),
        )
        .await
        .expect(201);
    assert_eq!(second.body["version"], 2);
    assert_eq!(second.body["scheme"]["weights"]["satisfaction"], 50);
    app.post_as(&office, SCHEMES, &json!({"year": 2027}))
        .await
        .expect(201);

    // The office and auditors read them, newest first; nobody else.
    for reader in [&office, &c.auditor] {
        let list = app
            .get_as(reader, &format!("{SCHEMES}?year=2026"))
            .await
            .expect(200);
        let versions: Vec<i64> = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        assert_eq!(versions, [2, 1]);
        let all = app.get_as(reader, SCHEMES).await.expect(200);
        assert_eq!(all.body.as_array().unwrap().len(), 3);
        assert_eq!(all.body[0]["year"], 2027);
    }
    for other in [
        &c.official,
        &c.property_1,
        &c.dispatcher,
        &c.resident,
        &c.admin,
    ] {
        app.get_as(other, SCHEMES)
            .await
            .expect_problem(403, "forbidden");
    }
    for other in [&c.auditor, &c.official, &c.property_1, &c.admin] {
        app.post_as(other, SCHEMES, &json!({"year": 2026}))
            .await
            .expect_problem(403, "forbidden");
    }
}

#[actix_web::test]
async fn bad_schemes_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let office = app.staff("district_office", None).await;
    let body = Variants(json!({"year": 2026, "scheme": {}}));
    let scheme = |v: Value| json!({"year": 2026, "scheme": v});
    let field = |body: Value, name: &'static str| -> BadInput {
        (body, 422, "validation_failed", Some(name))
    };
    let items = |points: [u32; 2]| {
        json!({"checklist": [
            {"key": "sanitation", "name": "环境卫生", "max_points": points[0]},
            {"key": "order", "name": "秩序维护", "max_points": points[1]},
        ]})
    };
    let cases: Vec<BadInput> = vec![
        body.invalid("year", json!(1999)),
        field(
            scheme(json!({"weights": {"daily_work": 30, "satisfaction": 40, "management": 40}})),
            "weights",
        ),
        field(
            scheme(
                json!({"management_weights": {"on_time_rectification": 50, "committee_first_pass": 20, "no_recurrence": 20, "not_overdue": 20}}),
            ),
            "management_weights",
        ),
        field(
            scheme(json!({"grade_thresholds": {"excellent": 80, "good": 90, "qualified": 60}})),
            "grade_thresholds",
        ),
        field(
            scheme(json!({"grade_thresholds": {"excellent": 90, "good": 80, "qualified": 80}})),
            "grade_thresholds",
        ),
        field(
            scheme(json!({"stars": {"excellent": 5, "good": 4, "qualified": 5, "poor": 1}})),
            "stars",
        ),
        field(
            scheme(json!({"stars": {"excellent": 6, "good": 4, "qualified": 3, "poor": 1}})),
            "stars",
        ),
        field(scheme(items([50, 40])), "checklist"),
        field(scheme(json!({"checklist": []})), "checklist"),
        (
            scheme(json!({"weights": {"daily_work": 30}})),
            400,
            "invalid_body",
            None,
        ),
        (scheme(json!({"colour": "red"})), 400, "invalid_body", None),
    ];
    for (body, status, code, field) in cases {
        let res = app
            .post_as(&office, SCHEMES, &body)
            .await
            .expect_problem(status, code);
        if let Some(f) = field {
            assert_eq!(res.body["field"], f, "{body}: {}", res.text);
        }
    }
    app.post_as(&office, SCHEMES, &scheme(items([60, 40])))
        .await
        .expect(201);
    assert_eq!(app.count("assessment_schemes"), 1);
}
