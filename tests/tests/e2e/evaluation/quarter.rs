//! The hand-built quarter the rating, survey and order tests share: its cases, daily-work
//! assessments (itemised and quarterly), a satisfaction survey and its answers.

use chrono::{DateTime, TimeZone, Utc};
use linli_domain::{
    category::CategoryCode,
    ids::{CommunityId, CompoundId, PropertyCompanyId, StreetId, UserId},
    issue::{Command, Place, Source},
};
use linli_infra::{DbConn, repo, time::to_millis};
use linli_tests::{
    District, Session, TestApp,
    history::{History, hours, july},
    serde_json::{Value, json},
};

pub const SCHEMES: &str = "/api/v1/assessment-schemes";
pub const RATINGS: &str = "/api/v1/ratings";
pub const SURVEYS: &str = "/api/v1/surveys";
const EPS: f64 = 1e-9;

pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
}

/// The seeded district, a third company with one compound in community B, and the people.
pub struct Quarter {
    pub d: District,
    pub company_3: i64,
    pub office: Session,
    pub auditor: Session,
    pub official_a: Session,
    /// Residents of compound A (company 1) and A2 (company 2), verified.
    pub resident_a: Session,
    pub resident_a2: Session,
    pub property_1: Session,
    pub property_2: Session,
    pub property_3: Session,
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
/// - Daily work itemised by month: July 90 (23 + 18 + 22 + 14 + 13), August 100.
/// - Survey: two residents answer overall 5 / service 4 and 5 / 5: all satisfied → 100.
///
/// Company 2 (compound A2):
/// - D1 (1 July) rectified late at 100 h (due 72 h), passed 101 h, rated 2 at 110 h;
/// - D2 (2 July) rectified 24 h, sent back 30 h, rectified again 40 h, passed 41 h, rated 3;
/// - D3 (3 July) triaged, never answered: open past its deadlines (overdue and due).
/// - Assessment 50 (the quarterly form).
/// - Survey: overall 3 / service 2 and 3 / 1 → (0 + 0.9 × 2) ÷ 4 = 45.
///
/// Company 3 (compound C): one happy case rated 5, assessment 100, one survey answer 5 / 5 —
/// one rating and one answer, below the scheme's minimum of 2.
pub async fn build_quarter(app: &TestApp) -> Quarter {
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
    app.post_as(&office, SCHEMES, &small_sample_scheme())
        .await
        .expect(201);
    let official_a = app.staff("community_official", Some(d.community_a)).await;
    let official_b = app.staff("community_official", Some(d.community_b)).await;
    let grid_worker = app.staff("grid_worker", Some(d.grid_a)).await;
    let resident_a = app.resident(d.compound_a, Some(d.building_a1)).await;
    let resident_a2 = app.resident(d.compound_a2, Some(d.building_a2)).await;
    let resident_c = app.resident(compound_c, None).await;
    for (month, points) in [
        ("2026-07", [23, 18, 22, 14, 13]),
        ("2026-08", [25, 20, 25, 15, 15]),
    ] {
        app.post_as(
            &official_a,
            "/api/v1/assessments",
            &itemised(d.company_1, d.compound_a, month, points),
        )
        .await
        .expect(201);
    }
    for (official, company, compound, score) in [
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
    let survey = app
        .post_as(
            &office,
            SURVEYS,
            &survey_body(&[d.compound_a, d.compound_a2, compound_c]),
        )
        .await
        .expect(201)
        .id();
    let resident_a_2 = app.resident(d.compound_a, Some(d.building_a1)).await;
    let resident_a2_2 = app.resident(d.compound_a2, Some(d.building_a2)).await;
    for (who, overall, service) in [
        (&resident_a, 5, 4),
        (&resident_a_2, 5, 5),
        (&resident_a2, 3, 2),
        (&resident_a2_2, 3, 1),
        (&resident_c, 5, 5),
    ] {
        answer(app, who, survey, overall, service, "合理", "")
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
        official_a,
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
/// cases and 2 survey answers.
pub fn small_sample_scheme() -> Value {
    json!({"year": 2026, "scheme": {
        "min_samples": {"assessments": 1, "rated_cases": 2, "handled_cases": 2,
                        "survey_responses": 2}
    }})
}

/// An itemised monthly assessment by the default checklist (points in its order).
pub fn itemised(company: i64, compound: i64, month: &str, points: [u32; 5]) -> Value {
    let keys = ["sanitation", "order", "facilities", "greening", "service"];
    let items: Vec<Value> = keys
        .iter()
        .zip(points)
        .map(|(k, p)| json!({"key": k, "points": p, "notes": format!("{k} 检查记录")}))
        .collect();
    json!({"property_company_id": company, "compound_id": compound, "month": month,
           "items": items, "notes": "月度日常工作考核"})
}

/// The 2026Q3 survey over `compounds`, open 25 August to 20 September (UTC): two ratings, a
/// choice and free text.
pub fn survey_body(compounds: &[i64]) -> Value {
    json!({
        "title": "2026年第三季度物业服务满意度调查", "period": "2026Q3",
        "compound_ids": compounds,
        "opens_at": "2026-08-25T00:00:00Z", "closes_at": "2026-09-20T00:00:00Z",
        "questions": [
            {"id": "overall", "text": "您对物业服务总体是否满意？", "kind": "rating_1_5"},
            {"id": "service", "text": "您对报修响应是否满意？", "kind": "rating_1_5"},
            {"id": "fee", "text": "物业费标准是否合理？", "kind": "single_choice",
             "options": ["合理", "偏高"]},
            {"id": "advice", "text": "您的建议", "kind": "text"}
        ]
    })
}

/// `who` answers `survey`.
pub async fn answer(
    app: &TestApp,
    who: &Session,
    survey: i64,
    overall: i64,
    service: i64,
    fee: &str,
    advice: &str,
) -> linli_tests::Resp {
    let mut answers = json!({"overall": overall, "service": service, "fee": fee});
    if !advice.is_empty() {
        answers["advice"] = json!(advice);
    }
    app.post_as(
        who,
        &format!("{SURVEYS}/{survey}/responses"),
        &json!({ "answers": answers }),
    )
    .await
}

/// Move the clock to `to` and give everyone fresh tokens.
pub async fn set_clock(app: &TestApp, q: &mut Quarter, to: DateTime<Utc>) {
    app.clock.set(to);
    for s in [
        &mut q.office,
        &mut q.auditor,
        &mut q.official_a,
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
pub async fn draft_the_quarter(app: &TestApp) -> (Quarter, Value) {
    let mut q = build_quarter(app).await;
    set_clock(app, &mut q, utc(2026, 10, 10, 0, 0)).await;
    let draft = app
        .post_as(&q.office, RATINGS, &json!({"period": "2026q3"}))
        .await
        .expect(201);
    (q, draft.body)
}

pub fn company(run: &Value, id: i64) -> &Value {
    run["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["property_company_id"] == id)
        .unwrap_or_else(|| panic!("no company {id} in {run}"))
}

#[track_caller]
pub fn close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((a - expected).abs() < EPS, "expected {expected}, got {a}");
}

pub fn ids(run: &Value) -> Vec<i64> {
    run["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property_company_id"].as_i64().unwrap())
        .collect()
}
