//! The district's evaluation cycle (星级物业评选): the district office's assessment schemes,
//! rating runs over a quarter, publication (红黑榜) and appeals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use linli_domain::{
    category::CategoryCode,
    ids::{CommunityId, CompoundId, PropertyCompanyId, StreetId, UserId},
    issue::{Command, Place, Source},
};
use linli_infra::{DbConn, repo, time::to_millis};
use linli_tests::{
    BadInput, District, Session, TestApp, Variants,
    history::{History, hours, july},
    serde_json::{Value, json},
};

const SCHEMES: &str = "/api/v1/assessment-schemes";
const RATINGS: &str = "/api/v1/ratings";
const EPS: f64 = 1e-9;

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

// ------------------------------------------------------------------ rating runs

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
}

/// The seeded district, a third company with one compound in community B, and the people.
struct Quarter {
    d: District,
    company_3: i64,
    office: Session,
    auditor: Session,
    /// Residents of compound A (company 1) and A2 (company 2).
    resident_a: Session,
    resident_a2: Session,
    property_1: Session,
    property_2: Session,
    property_3: Session,
}

/// The hand-built 2026Q3 (district time, UTC+8). Water leaks are urgent: respond within 12 h,
/// resolve within 72 h. Times are hours after filing; "happy" = triaged 1 h, answered 2 h,
/// rectified 24 h, passed by the owners' committee 30 h, then confirmed.
///
/// Company 1 (compound A):
/// - C1 filed 2026-06-30T23:30Z = 07:30 on 1 July in Beijing (2026Q3; 2026Q2 in UTC), happy,
///   rated 5 at 36 h by its resident; C2 (2 July) happy, rated 4; C3 (3 July) happy, rated 5;
/// - C4 (4 July) happy, never rated: auto-confirmed at 200 h (resolved, unverified);
/// - S1 (5 July) a patrol case the grid worker filed, happy, and rated 1 by that grid worker:
///   left out of 满意率;
/// - X filed 2026-09-30T16:30Z = 00:30 on 1 October in Beijing (2026Q4), rated 1 by its
///   resident: outside the quarter.
/// - Assessments 90 and 100.
///
/// Company 2 (compound A2):
/// - D1 (1 July) rectified late at 100 h (due 72 h), passed 101 h, rated 2 at 110 h;
/// - D2 (2 July) rectified 24 h, sent back 30 h, rectified again 40 h, passed 41 h, rated 3;
/// - D3 (3 July) triaged, never answered: open past its deadlines (overdue and due).
/// - Assessment 50.
///
/// Company 3 (compound C): one happy case rated 5, assessment 100 — one rating, below the
/// scheme's minimum of 2.
async fn build_quarter(app: &TestApp) -> Quarter {
    let d = app.seed_district();
    let now = to_millis(app.now());
    let (company_3, compound_c) = {
        let mut conn = app.conn();
        let c: &mut DbConn = &mut conn;
        let company = repo::org::create_property_company(c, "新城物业", now)
            .unwrap()
            .id;
        let compound = repo::org::create_compound(
            c,
            CommunityId(d.community_b),
            "新城小区",
            PropertyCompanyId(company),
            now,
        )
        .unwrap()
        .id;
        (company, compound)
    };
    let office = app.staff("district_office", None).await;
    let official_a = app.staff("community_official", Some(d.community_a)).await;
    let official_b = app.staff("community_official", Some(d.community_b)).await;
    let grid_worker = app.staff("grid_worker", Some(d.grid_a)).await;
    let resident_a = app.resident(d.compound_a, Some(d.building_a1)).await;
    let resident_a2 = app.resident(d.compound_a2, Some(d.building_a2)).await;
    let resident_c = app.resident(compound_c, None).await;
    for (official, company, compound, score) in [
        (&official_a, d.company_1, d.compound_a, 90),
        (&official_a, d.company_1, d.compound_a, 100),
        (&official_a, d.company_2, d.compound_a2, 50),
        (&official_b, company_3, compound_c, 100),
    ] {
        app.post_as(
            official,
            "/api/v1/assessments",
            &json!({"property_company_id": company, "compound_id": compound,
                    "period": "2026Q3", "score": score, "notes": "日常工作考核"}),
        )
        .await
        .expect(201);
    }

    let mut conn = app.conn();
    let mut h = History {
        conn: &mut conn,
        config: app.state.config.workflow.clone(),
        reporter: UserId(resident_a.id),
    };
    let (a, a2) = (d.place(d.compound_a), d.place(d.compound_a2));
    let leak = CategoryCode::WATER_LEAK;
    h.happy(a, utc(2026, 6, 30, 23, 30), 36, 5);
    h.happy(a, july(2), 36, 4);
    h.happy(a, july(3), 36, 5);
    let mut c4 = h.file(a, leak, july(4));
    h.handle(&mut c4, 1, 2, 24);
    h.supervise(&mut c4, hours(30), true);
    h.step(&mut c4, hours(200), Command::AutoConfirm);
    let mut s1 = h.file_as(UserId(grid_worker.id), Source::Patrol, a, leak, july(5));
    h.handle(&mut s1, 1, 2, 24);
    h.supervise(&mut s1, hours(30), true);
    h.confirm(&mut s1, hours(36), 1);
    h.happy(a, utc(2026, 9, 30, 16, 30), 36, 1);

    h.reporter = UserId(resident_a2.id);
    let mut d1 = h.file(a2, leak, july(1));
    h.handle(&mut d1, 1, 2, 100);
    h.supervise(&mut d1, hours(101), true);
    h.confirm(&mut d1, hours(110), 2);
    let mut d2 = h.file(a2, leak, july(2));
    h.handle(&mut d2, 1, 2, 24);
    h.send_back_and_redo(&mut d2, 30, 40, 41);
    h.confirm(&mut d2, hours(50), 3);
    let mut d3 = h.file(a2, leak, july(3));
    h.triage(&mut d3, hours(1));

    h.reporter = UserId(resident_c.id);
    let c_place = Place {
        street_id: StreetId(d.street),
        community_id: CommunityId(d.community_b),
        compound_id: CompoundId(compound_c),
        building_id: None,
        grid_id: None,
        property_company_id: PropertyCompanyId(company_3),
    };
    h.happy(c_place, july(6), 36, 5);
    drop(conn);

    Quarter {
        company_3,
        office,
        auditor: app.staff("auditor", None).await,
        resident_a,
        resident_a2,
        property_1: app.staff("property_staff", Some(d.company_1)).await,
        property_2: app.staff("property_staff", Some(d.company_2)).await,
        property_3: app.staff("property_staff", Some(company_3)).await,
        d,
    }
}

/// The scheme of 2026 the tests use: the defaults, with a minimum of 2 rated and 2 handled
/// cases.
fn small_sample_scheme() -> Value {
    json!({"year": 2026, "scheme": {
        "min_samples": {"assessments": 1, "rated_cases": 2, "handled_cases": 2}
    }})
}

/// Move the clock to `to` and give everyone fresh tokens.
async fn set_clock(app: &TestApp, q: &mut Quarter, to: DateTime<Utc>) {
    app.clock.set(to);
    for s in [
        &mut q.office,
        &mut q.auditor,
        &mut q.resident_a,
        &mut q.resident_a2,
        &mut q.property_1,
        &mut q.property_2,
        &mut q.property_3,
    ] {
        app.relogin(s).await;
    }
}

/// The hand-built quarter with the small-sample scheme, and its draft computed on
/// 2026-10-10 (after the quarter, so X, filed on 1 October Beijing time, exists).
async fn draft_the_quarter(app: &TestApp) -> (Quarter, Value) {
    let mut q = build_quarter(app).await;
    app.post_as(&q.office, SCHEMES, &small_sample_scheme())
        .await
        .expect(201);
    set_clock(app, &mut q, utc(2026, 10, 10, 0, 0)).await;
    let draft = app
        .post_as(&q.office, RATINGS, &json!({"period": "2026q3"}))
        .await
        .expect(201);
    (q, draft.body)
}

fn company(run: &Value, id: i64) -> &Value {
    run["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["property_company_id"] == id)
        .unwrap_or_else(|| panic!("no company {id} in {run}"))
}

#[track_caller]
fn close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((a - expected).abs() < EPS, "expected {expected}, got {a}");
}

fn ids(run: &Value) -> Vec<i64> {
    run["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property_company_id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_hand_computed_quarter_published_frozen_and_public() {
    let app = TestApp::new().await;
    let (q, draft) = draft_the_quarter(&app).await;
    let d = q.d;
    let run = &draft;
    assert_eq!(run["period"], "2026Q3");
    assert_eq!(run["status"], "draft");
    assert_eq!(run["revision"], Value::Null);
    assert_eq!(run["scheme"]["weights"]["satisfaction"], 40);

    // Company 1: daily work = (90 + 100) / 2 = 95.
    // 满意率 on the residents' own ratings only: C1 5, C2 4, C3 5 → 3 of 3 satisfied = 100
    // (S1's staff rating of 1 is left out; C4 was never rated; X is in 2026Q4). Were S1
    // counted it would be 75 and the company only 良好.
    // 综合管理: on time 5/5, first pass 5/5, no revisit (its 20 shared out), overdue 0/5 → 100.
    // Score 0.3 × 95 + 0.4 × 100 + 0.3 × 100 = 98.5 → 优秀, ★5, red list.
    let c1 = company(run, d.company_1);
    close(&c1["daily_work"]["score"], 95.0);
    assert_eq!(c1["daily_work"]["sample"], 2);
    assert_eq!(c1["daily_work"]["weight"], 30);
    close(&c1["satisfaction"]["score"], 100.0);
    assert_eq!(c1["satisfaction"]["sample"], 3);
    close(&c1["management"]["score"], 100.0);
    assert_eq!(c1["management"]["sample"], 5);
    close(&c1["score"], 98.5);
    assert_eq!(c1["grade"], "excellent");
    assert_eq!(c1["stars"], 5);
    assert_eq!(c1["list"], "red");
    let inputs = &c1["inputs"];
    assert_eq!(inputs["handled"], 5);
    assert_eq!(inputs["resident_rated"], 3);
    assert_eq!(inputs["staff_rated_excluded"], 1);
    assert_eq!(inputs["resolved_unverified"], 1);
    assert_eq!(inputs["revisits"], 0);

    // Company 2: daily work 50.
    // 满意率: D1 rated 2, D2 rated 3 → (0 + 0.9) / 2 = 45.
    // 综合管理: due 3 (D1, D2 closed; D3 open past its deadline), on time 1 (D2: 40 h ≤ 72 h;
    // D1 at 100 h is late) → 1/3; supervised 2, first pass 1 → 1/2; no revisit; overdue 1 of
    // 3 handled → 2/3. (40 × 1/3 + 20 × 1/2 + 20 × 2/3) / 80 = 36.67 / 80 → 45.83.
    // Score 0.3 × 50 + 0.4 × 45 + 0.3 × 45.83 = 46.749 → 46.75 → 较差, ★1, black list.
    let c2 = company(run, d.company_2);
    close(&c2["daily_work"]["score"], 50.0);
    close(&c2["satisfaction"]["score"], 45.0);
    close(&c2["management"]["score"], 45.83);
    close(&c2["score"], 46.75);
    assert_eq!(c2["grade"], "poor");
    assert_eq!(c2["stars"], 1);
    assert_eq!(c2["list"], "black");
    assert_eq!(c2["inputs"]["overdue"], 1);
    assert_eq!(c2["inputs"]["due"], 3);
    assert_eq!(c2["inputs"]["rectified_on_time"], 1);
    assert_eq!(c2["inputs"]["first_pass"], 1);

    // Company 3: one rating, below the minimum of 2 → 未评定: components shown, no score.
    let c3 = company(run, q.company_3);
    close(&c3["satisfaction"]["score"], 100.0);
    assert_eq!(c3["satisfaction"]["sample"], 1);
    assert_eq!(c3["grade"], "not_rated");
    assert_eq!(c3["score"], Value::Null);
    assert_eq!(c3["stars"], Value::Null);
    assert_eq!(c3["list"], Value::Null);
    // Best first, the unrated last.
    assert_eq!(ids(run), [d.company_1, d.company_2, q.company_3]);

    // A draft is the office's and the auditors'; nothing is published yet.
    let id = run["id"].as_i64().unwrap();
    app.get_as(&q.auditor, &format!("{RATINGS}/{id}"))
        .await
        .expect(200);
    for other in [&q.resident_a, &q.property_1] {
        app.get_as(other, &format!("{RATINGS}/{id}"))
            .await
            .expect_problem(404, "not_found");
        app.get_as(other, &format!("{RATINGS}/published?period=2026Q3"))
            .await
            .expect_problem(404, "not_found");
    }
    for other in [&q.auditor, &q.property_1] {
        app.post_as(other, &format!("{RATINGS}/{id}/publish"), &json!({}))
            .await
            .expect_problem(403, "forbidden");
    }
    let published = app
        .post_as(&q.office, &format!("{RATINGS}/{id}/publish"), &json!({}))
        .await
        .expect(200);
    assert_eq!(published.body["status"], "published");
    assert_eq!(published.body["revision"], 1);
    assert_eq!(published.body["revisions"][0]["id"], id);
    app.post_as(&q.office, &format!("{RATINGS}/{id}/publish"), &json!({}))
        .await
        .expect_problem(409, "conflict");

    // Later: a new scheme version (satisfaction weighs 50) and a new well-rated case of
    // company 2 in the quarter. A new draft sees both; the published rating does not move.
    let mut conn = app.conn();
    let mut h = History {
        conn: &mut conn,
        config: app.state.config.workflow.clone(),
        reporter: UserId(q.resident_a2.id),
    };
    h.happy(d.place(d.compound_a2), july(20), 36, 5);
    drop(conn);
    app.post_as(
        &q.office,
        SCHEMES,
        &json!({"year": 2026, "scheme": {
            "weights": {"daily_work": 20, "satisfaction": 50, "management": 30},
            "min_samples": {"assessments": 1, "rated_cases": 2, "handled_cases": 2}
        }}),
    )
    .await
    .expect(201);
    let again = app
        .post_as(&q.office, RATINGS, &json!({"period": "2026Q3"}))
        .await
        .expect(201);
    assert_eq!(again.body["scheme"]["weights"]["satisfaction"], 50);
    let c2_again = company(&again.body, d.company_2);
    assert_eq!(c2_again["satisfaction"]["sample"], 3);
    assert_ne!(c2_again["score"], c2["score"]);
    let second = again.body["id"].as_i64().unwrap();
    app.post_as(
        &q.office,
        &format!("{RATINGS}/{second}/publish"),
        &json!({}),
    )
    .await
    .expect_problem(409, "conflict");

    // Public: everyone signed in reads the published rating, unchanged.
    let public = app
        .get_as(
            &q.resident_a2,
            &format!("{RATINGS}/published?period=2026Q3"),
        )
        .await
        .expect(200);
    assert_eq!(public.body["id"], id);
    assert_eq!(public.body["scheme"]["weights"]["satisfaction"], 40);
    close(&company(&public.body, d.company_2)["score"], 46.75);
    assert_eq!(company(&public.body, d.company_2)["list"], "black");
    // The resident's own compound's company first; no breakdowns for a resident.
    assert_eq!(ids(&public.body), [d.company_2, d.company_1, q.company_3]);
    for c in public.body["companies"].as_array().unwrap() {
        assert_eq!(c["inputs"], Value::Null);
    }
    let mine = app
        .get_as(&q.resident_a, &format!("{RATINGS}/published?period=2026Q3"))
        .await
        .expect(200);
    assert_eq!(ids(&mine.body), [d.company_1, d.company_2, q.company_3]);
    // A company's staff see their own full breakdown, not the others'.
    let staff_view = app
        .get_as(&q.property_2, &format!("{RATINGS}/published?period=2026Q3"))
        .await
        .expect(200);
    assert_eq!(
        company(&staff_view.body, d.company_2)["inputs"]["handled"],
        3
    );
    assert_eq!(
        company(&staff_view.body, d.company_1)["inputs"],
        Value::Null
    );
    let full = app
        .get_as(&q.auditor, &format!("{RATINGS}/{id}"))
        .await
        .expect(200);
    assert_eq!(
        company(&full.body, q.company_3)["inputs"]["resident_rated"],
        1
    );
    assert_eq!(full.body, {
        let mut p = published.body.clone();
        p["revisions"] = full.body["revisions"].clone();
        p
    });
    app.get_as(&q.property_3, &format!("{RATINGS}/published?period=2026Q2"))
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn rating_runs_need_the_office_a_scheme_and_a_quarter() {
    let (app, c) = TestApp::with_cast().await;
    let office = app.staff("district_office", None).await;
    for other in [
        &c.auditor,
        &c.official,
        &c.property_1,
        &c.resident,
        &c.admin,
    ] {
        app.post_as(other, RATINGS, &json!({"period": "2026Q3"}))
            .await
            .expect_problem(403, "forbidden");
    }
    // No scheme for 2026 yet.
    let res = app
        .post_as(&office, RATINGS, &json!({"period": "2026Q3"}))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "period");
    app.post_as(&office, SCHEMES, &json!({"year": 2026}))
        .await
        .expect(201);
    for bad in ["2026Q5", "2026-07", "", "Q3"] {
        app.post_as(&office, RATINGS, &json!({"period": bad}))
            .await
            .expect_problem(422, "validation_failed");
    }
    app.post_as(&office, RATINGS, &json!({"period": "2026Q3", "x": 1}))
        .await
        .expect_problem(400, "invalid_body");
    assert_eq!(app.count("rating_runs"), 0);
    // With no data at all every company is 未评定, never a made-up score.
    let run = app
        .post_as(&office, RATINGS, &json!({"period": "2026Q3"}))
        .await
        .expect(201);
    for company in run.body["companies"].as_array().unwrap() {
        assert_eq!(company["grade"], "not_rated");
        assert_eq!(company["stars"], Value::Null);
    }
    app.get_as(&office, &format!("{RATINGS}/999"))
        .await
        .expect_problem(404, "not_found");
    app.post_as(&office, &format!("{RATINGS}/999/publish"), &json!({}))
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn appeals_within_seven_days_upheld_or_amended_as_a_new_revision() {
    let app = TestApp::new().await;
    let (mut q, draft) = draft_the_quarter(&app).await;
    let d = q.d;
    let first = draft["id"].as_i64().unwrap();
    let appeals = format!("{RATINGS}/{first}/appeals");
    let reason = json!({"reason": "D1 的整改时间记录有误，请复核"});
    // Not before publication (a draft is not theirs to see).
    app.post_as(&q.property_2, &appeals, &reason)
        .await
        .expect_problem(404, "not_found");
    app.post_as(&q.office, &format!("{RATINGS}/{first}/publish"), &json!({}))
        .await
        .expect(200);

    // Company 2 objects; once pending, not twice. Others cannot object for it.
    let appeal = app
        .post_as(&q.property_2, &appeals, &reason)
        .await
        .expect(201);
    assert_eq!(appeal.body["status"], "pending");
    assert_eq!(appeal.body["property_company_id"], d.company_2);
    app.post_as(&q.property_2, &appeals, &reason)
        .await
        .expect_problem(409, "conflict");
    for other in [&q.resident_a2, &q.office, &q.auditor] {
        app.post_as(other, &appeals, &reason)
            .await
            .expect_problem(403, "forbidden");
    }
    app.post_as(&q.property_1, &appeals, &json!({"reason": ""}))
        .await
        .expect_problem(422, "validation_failed");
    // Company 1 objects too; the office upholds its result.
    let upheld = app
        .post_as(&q.property_1, &appeals, &json!({"reason": "请复核满意度"}))
        .await
        .expect(201);
    let decide = |id: &Value| format!("/api/v1/rating-appeals/{id}/decision");
    for bad in [
        json!({"decision": "amend", "note": "更正"}),
        json!({"decision": "amend", "note": "更正", "components": {"management": 101}}),
        json!({"decision": "uphold", "note": ""}),
    ] {
        app.post_as(&q.office, &decide(&appeal.body["id"]), &bad)
            .await
            .expect_problem(422, "validation_failed");
    }
    app.post_as(
        &q.property_2,
        &decide(&appeal.body["id"]),
        &json!({"decision": "uphold", "note": "维持"}),
    )
    .await
    .expect_problem(403, "forbidden");
    let res = app
        .post_as(
            &q.office,
            &decide(&upheld.body["id"]),
            &json!({"decision": "uphold", "note": "经核实，维持原评定"}),
        )
        .await
        .expect(200);
    assert_eq!(res.body["status"], "upheld");
    assert_eq!(res.body["revision_id"], Value::Null);

    // Company 2's daily work corrected to 90 and 综合管理 to 80: 0.3 × 90 + 0.4 × 45 +
    // 0.3 × 80 = 27 + 18 + 24 = 69 → 合格, ★3, off the black list; a new revision.
    let amended = app
        .post_as(
            &q.office,
            &decide(&appeal.body["id"]),
            &json!({"decision": "amend", "note": "经核实予以更正",
                    "components": {"daily_work": 90, "management": 80}}),
        )
        .await
        .expect(200);
    assert_eq!(amended.body["status"], "amended");
    let second = amended.body["revision_id"].as_i64().unwrap();
    app.post_as(
        &q.office,
        &decide(&appeal.body["id"]),
        &json!({"decision": "uphold", "note": "再次"}),
    )
    .await
    .expect_problem(409, "conflict");

    let public = app
        .get_as(&q.resident_a, &format!("{RATINGS}/published?period=2026Q3"))
        .await
        .expect(200);
    assert_eq!(public.body["id"], second);
    assert_eq!(public.body["revision"], 2);
    assert_eq!(public.body["amends_id"], first);
    let c2 = company(&public.body, d.company_2);
    close(&c2["score"], 69.0);
    close(&c2["satisfaction"]["score"], 45.0);
    assert_eq!(c2["grade"], "qualified");
    assert_eq!(c2["stars"], 3);
    assert_eq!(c2["list"], Value::Null);
    // Company 1 is untouched; the history shows both revisions.
    close(&company(&public.body, d.company_1)["score"], 98.5);
    let history: Vec<(i64, String)> = public.body["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [(1, "superseded".to_owned()), (2, "published".to_owned())]
    );
    // The first revision is still readable, as it was.
    let old = app
        .get_as(&q.resident_a, &format!("{RATINGS}/{first}"))
        .await
        .expect(200);
    assert_eq!(old.body["status"], "superseded");
    close(&company(&old.body, d.company_2)["score"], 46.75);
    // The superseded revision takes no more appeals; the new one does, for 7 days.
    app.post_as(&q.property_3, &appeals, &reason)
        .await
        .expect_problem(409, "conflict");
    let later = format!("{RATINGS}/{second}/appeals");
    set_clock(&app, &mut q, utc(2026, 10, 18, 0, 0)).await;
    app.post_as(&q.property_3, &later, &reason)
        .await
        .expect_problem(409, "conflict");

    // Who reads the appeals: the office and auditors all, a company its own.
    let all = app.get_as(&q.auditor, &appeals).await.expect(200);
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let own = app.get_as(&q.property_2, &appeals).await.expect(200);
    assert_eq!(own.body.as_array().unwrap().len(), 1);
    assert_eq!(own.body[0]["revision_id"], second);
    app.get_as(&q.resident_a, &appeals)
        .await
        .expect_problem(403, "forbidden");
}
