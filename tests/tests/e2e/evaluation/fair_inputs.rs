//! Fair inputs: residents give reasons with a poor rating or "not resolved", counted per
//! company; staff ratings of cases staff filed are left out of 满意率 and marked; an
//! auto-confirmed case counts as resolved but unverified.

use linli_domain::{
    category::CategoryCode,
    ids::UserId,
    issue::{Command, Source},
};
use linli_tests::{
    TestApp,
    history::{History, hours, july},
    serde_json::{Value, json},
};

fn row<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {report}"))
}

#[actix_web::test]
async fn reasons_staff_ratings_and_unverified_closes_are_counted_apart() {
    let (app, c) = TestApp::with_cast().await;
    let d = c.district;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = app.file(&c.resident, "water_leak", &d).await;
        app.triage_direct(id, &c.dispatcher);
        app.rectify_direct(id, &c.property_1, Some(&c.committee));
        ids.push(id);
    }
    let reasons = |r: &[&str]| json!(r);
    // Reasons go with a rating of 1–2 or "not resolved" only, each once; refused changes nothing.
    app.confirm(&c.resident, ids[0])
        .rating(5)
        .with("reasons", reasons(&["slow"]))
        .problem(422, "validation_failed")
        .await;
    app.confirm(&c.resident, ids[0])
        .rating(1)
        .with("reasons", reasons(&["slow", "slow"]))
        .problem(422, "validation_failed")
        .await;
    app.confirm(&c.resident, ids[0])
        .rating(1)
        .with("reasons", reasons(&["late"]))
        .problem(400, "invalid_body")
        .await;
    assert_eq!(app.count("dissatisfaction_reasons"), 0);
    app.confirm(&c.resident, ids[0])
        .rating(2)
        .with("reasons", reasons(&["slow", "attitude"]))
        .expect(200)
        .await;
    app.confirm(&c.resident, ids[1])
        .not_resolved()
        .with("reasons", reasons(&["not_fixed"]))
        .expect(200)
        .await;
    app.confirm(&c.resident, ids[2])
        .rating(1)
        .with("reasons", reasons(&["poor_quality", "slow"]))
        .expect(200)
        .await;

    // A patrol case the grid worker filed and rated 5 (staff rating their colleagues), and a
    // resident's case nobody rated (auto-confirmed).
    {
        let mut conn = app.conn();
        let mut h = History {
            conn: &mut conn,
            config: app.state.config.workflow.clone(),
            reporter: UserId(c.resident.id),
        };
        let place = d.place(d.compound_a);
        let mut patrol = h.file_as(
            UserId(c.grid_worker.id),
            Source::Patrol,
            place,
            CategoryCode::WATER_LEAK,
            july(5),
        );
        h.handle(&mut patrol, 1, 2, 24);
        h.supervise(&mut patrol, hours(30), true);
        h.confirm(&mut patrol, hours(36), 5);
        let mut silent = h.file(place, CategoryCode::WATER_LEAK, july(6));
        h.handle(&mut silent, 1, 2, 24);
        h.supervise(&mut silent, hours(30), true);
        h.step(&mut silent, hours(200), Command::AutoConfirm);
    }

    let q3 = "from=2026-07-01&to=2026-10-01";
    let summary = app
        .get_as(
            &c.auditor,
            &format!("/api/v1/reports/summary?{q3}&group_by=property_company"),
        )
        .await
        .expect(200);
    let company_1 = row(&summary.body, &d.company_1.to_string());
    // 满意率 on the residents' own ratings: 2 and 1 → 0; the grid worker's 5 is marked apart.
    assert_eq!(company_1["rated"], 2);
    assert_eq!(company_1["satisfied"], 0);
    assert_eq!(company_1["staff_rated_excluded"], 1);
    assert_eq!(company_1["satisfaction_rate"], 0.0);
    // Resolved: the two rated, the patrol case and the auto-confirmed one (unverified).
    assert_eq!(company_1["resolved"], 4);
    assert_eq!(company_1["resolved_unverified"], 1);

    let ratings = app
        .get_as(&c.auditor, "/api/v1/reports/property-ratings?period=2026Q3")
        .await
        .expect(200);
    let rating = ratings.body["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["property_company_id"] == d.company_1)
        .unwrap();
    assert_eq!(rating["reasons_slow"], 2);
    assert_eq!(rating["reasons_attitude"], 1);
    assert_eq!(rating["reasons_not_fixed"], 1);
    assert_eq!(rating["reasons_poor_quality"], 1);
    assert_eq!(rating["reasons_other"], 0);
    assert_eq!(rating["staff_rated_excluded"], 1);
    assert_eq!(rating["resolved_unverified"], 1);
}
