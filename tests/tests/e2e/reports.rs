//! Reports on a hand-built history: the three rates, medians, property-company ratings with a
//! red and a black company, the CSV twins of the JSON, scope and roles, bad input.
//!
//! The history is written through the application layer's one command path (`intake::file`,
//! `issues::execute`, on behalf of the system) with chosen timestamps, so every expected number
//! below is computed by hand in the comments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use chrono::{DateTime, TimeZone, Utc};
use linli_domain::{
    category::CategoryCode,
    ids::{CommunityId, CompoundId, PropertyCompanyId, StreetId, UserId},
    issue::{
        Command, DeliberationMinutes, DeliberationOutcome, Place, RevisitOutcome, WorkflowConfig,
    },
    values::{DisplayName, OrgName},
};
use linli_infra::{DbConn, repo, time::to_millis};
use linli_tests::{
    District, Resp, Session, TestApp,
    history::{History, hours, july, note},
    serde_json::Value,
    serde_json::json,
};

const EPS: f64 = 1e-12;

/// The seeded district plus a second street with its own community, compound and company.
struct World {
    d: District,
    street_2: i64,
    community_c: i64,
    compound_c: i64,
    company_3: i64,
}

/// The hand-made history (times are hours after each issue's creation; the report runs at the
/// test clock, 2026-09-01 00:00 UTC; a handler's clock starts at its triage; water leaks are
/// urgent: respond within 12 h, resolve within 72 h; street lamps, stairwell clutter,
/// sanitation and charging piles are normal: 1 and 5 working days, each deadline at the end of
/// a working day in Shanghai; `july(d)` is 08:00 there).
///
/// Community A (street 1):
/// - I1–I5, compound A (company 1), water leaks on the happy path, closed at 36, 48, 60, 40,
///   44 h, rated 5, 5, 4, 5, 4; I4 and I5 confirmed at the revisit. I1 is created exactly at
///   2026-07-01 00:00 (the window includes its start).
/// - I6, compound A2 (company 2), water leak: answered late (20 h), rectified 30 h, sent back
///   32 h, rectified again late (100 h), passed 101 h, rated 2 at 110 h.
/// - I10, compound A2 (company 2), street lamp: answered 10 h, rectified 48 h, passed 49 h, "not
///   resolved" at 72 h (reopened), rectified 96 h, passed 97 h, rated 4 at 120 h.
/// - I11, compound A, stairwell clutter (grid), filed on Saturday 11 July: answered at 30 h, on
///   time (its one working day is Monday the 13th, due 64 h after filing), rectified 48 h,
///   auto-confirmed at 216 h (not resolved by our definition).
/// - I13, compound A, sanitation, never triaged: overdue and due.
///
/// Community B (street 1), compound B (company 2):
/// - I7 water leak: answered 5 h, rectified 10 h, passed 11 h, rated 3 at 12 h, recurred at the
///   revisit (20 days): open again, its rating cleared.
/// - I8 water leak: triaged, never answered.
/// - I9 water leak: answered 3 h, rectified 50 h, sent back 51 h, rectified 60 h, passed 61 h,
///   rated 3 at 70 h, confirmed at the revisit.
/// - I12 charging pile (community level): deliberation closes it at 120 h (late response).
/// - I15 sanitation, withdrawn at 1 h.
///
/// Community C (street 2): I16, sanitation, never triaged.
///
/// Outside the window: I14 (June, company 1, rated 1) and I17 (2026-10-01 00:00, the
/// window's exclusive end).
async fn build_world(app: &TestApp) -> World {
    let d = app.seed_district();
    let now = to_millis(app.now());
    let mut conn = app.conn();
    let c: &mut DbConn = &mut conn;
    let street_2 = repo::org::create_street(c, "建设路街道", now).unwrap().id;
    let community_c = repo::org::create_community(c, StreetId(street_2), "霞城社区", now)
        .unwrap()
        .id;
    let company_3 = repo::org::create_property_company(c, "外街物业", now)
        .unwrap()
        .id;
    let compound_c = repo::org::create_compound(
        c,
        CommunityId(community_c),
        "霞光小区",
        PropertyCompanyId(company_3),
        now,
    )
    .unwrap()
    .id;
    let reporter = repo::users::create(
        c,
        &repo::users::NewUser {
            phone: "13700000001",
            password_hash: "x",
            display_name: "报告居民",
            role: "resident",
            scope_id: Some(d.compound_a),
            scope_kind: None,
            compound_id: Some(d.compound_a),
            building_id: None,
            unit: None,
            created_at: now,
            verification: Some("verified"),
        },
    )
    .unwrap()
    .id;
    let mut h = History {
        conn: c,
        config: WorkflowConfig::default(),
        reporter: UserId(reporter),
    };
    let a = d.place(d.compound_a);
    let a2 = d.place(d.compound_a2);
    let b = d.place(d.compound_b);

    // Community A, company 1: I1–I5.
    h.happy(a, july(1), 36, 5);
    h.happy(a, july(2), 48, 5);
    h.happy(a, july(3), 60, 4);
    let mut i4 = h.happy(a, july(4), 40, 5);
    h.revisit(&mut i4, hours(20 * 24), RevisitOutcome::Confirmed);
    let mut i5 = h.happy(a, july(5), 44, 4);
    h.revisit(&mut i5, hours(20 * 24), RevisitOutcome::Confirmed);

    // I6: compound A2, late answer, sent back, late rectification, rated 2.
    let mut i6 = h.file(a2, CategoryCode::WATER_LEAK, july(6));
    h.handle(&mut i6, 1, 20, 30);
    h.send_back_and_redo(&mut i6, 32, 100, 101);
    h.confirm(&mut i6, hours(110), 2);

    // I7: compound B, rated 3, recurred at the revisit.
    let mut i7 = h.file(b, CategoryCode::WATER_LEAK, july(7));
    h.handle(&mut i7, 1, 5, 10);
    h.supervise(&mut i7, hours(11), true);
    h.confirm(&mut i7, hours(12), 3);
    h.revisit(&mut i7, hours(20 * 24), RevisitOutcome::Recurred);

    // I8: compound B, triaged, never answered.
    let mut i8 = h.file(b, CategoryCode::WATER_LEAK, july(8));
    h.triage(&mut i8, hours(1));

    // I9: compound B, sent back once, rated 3, confirmed at the revisit.
    let mut i9 = h.file(b, CategoryCode::WATER_LEAK, july(9));
    h.handle(&mut i9, 2, 3, 50);
    h.send_back_and_redo(&mut i9, 51, 60, 61);
    h.confirm(&mut i9, hours(70), 3);
    h.revisit(&mut i9, hours(20 * 24), RevisitOutcome::Confirmed);

    // I10: compound A2, street lamp, "not resolved" once, rated 4.
    let mut i10 = h.file(a2, CategoryCode::STREET_LAMP, july(10));
    h.handle(&mut i10, 1, 10, 48);
    h.supervise(&mut i10, hours(49), true);
    h.not_resolved(&mut i10, hours(72));
    h.rectify(&mut i10, hours(96));
    h.supervise(&mut i10, hours(97), true);
    h.confirm(&mut i10, hours(120), 4);

    // I11: compound A, grid level, late answer, auto-confirmed.
    let mut i11 = h.file(a, CategoryCode::STAIRWELL_CLUTTER, july(11));
    h.handle(&mut i11, 1, 30, 48);
    h.step(&mut i11, hours(216), Command::AutoConfirm);

    // I12: compound B, community level, closed by the deliberation meeting at 120 h.
    let mut i12 = h.file(b, CategoryCode::CHARGING_PILE, july(12));
    h.triage(&mut i12, hours(1));
    let held_at = i12.created_at + hours(118);
    h.step(
        &mut i12,
        hours(120),
        Command::RecordDeliberation(DeliberationMinutes {
            held_at,
            venue: OrgName::parse("社区议事厅").unwrap(),
            attendees: vec![
                DisplayName::parse("社区书记").unwrap(),
                DisplayName::parse("业委会主任").unwrap(),
            ],
            decision: note("在地面停车场统一建设充电桩"),
            outcome: DeliberationOutcome::Close,
            meeting_id: None,
        }),
    );

    // I13: compound A, never triaged.
    h.file(a, CategoryCode::SANITATION, july(13));

    // I14: June (outside), company 1, rated 1 — would spoil company 1 if counted.
    let june = Utc.with_ymd_and_hms(2026, 6, 20, 0, 0, 0).single().unwrap();
    let mut i14 = h.file(a, CategoryCode::WATER_LEAK, june);
    h.handle(&mut i14, 1, 50, 200);
    h.send_back_and_redo(&mut i14, 201, 300, 301);
    h.confirm(&mut i14, hours(310), 1);

    // I15: compound B, withdrawn.
    let mut i15 = h.file(b, CategoryCode::SANITATION, july(15));
    h.step(&mut i15, hours(1), Command::Withdraw);

    // I16: street 2, never triaged.
    let c_place = Place {
        street_id: StreetId(street_2),
        community_id: CommunityId(community_c),
        compound_id: CompoundId(compound_c),
        building_id: None,
        grid_id: None,
        property_company_id: PropertyCompanyId(company_3),
    };
    h.file(c_place, CategoryCode::SANITATION, july(16));

    // I17: exactly at the window's (exclusive) end.
    let october = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).single().unwrap();
    h.file(a, CategoryCode::WATER_LEAK, october);

    World {
        d,
        street_2,
        community_c,
        compound_c,
        company_3,
    }
}

// ------------------------------------------------------------------ small helpers

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[track_caller]
fn close(actual: &Value, expected: f64) {
    let a = num(actual);
    assert!((a - expected).abs() < EPS, "expected {expected}, got {a}");
}

fn row<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {report}"))
}

fn company(report: &Value, id: i64) -> &Value {
    report["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["property_company_id"] == id)
        .unwrap_or_else(|| panic!("no company {id} in {report}"))
}

async fn get_csv(app: &TestApp, path: &str, token: &str) -> Resp {
    app.request(
        Method::GET,
        path,
        Some(token),
        None,
        &[("Accept", "text/csv")],
    )
    .await
    .expect(200)
}

/// Parse a CSV download: checks the BOM and the content type, returns header and records.
fn parse_csv(res: &Resp) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let disposition = res.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment; filename="),
        "{disposition}"
    );
    let text = res
        .text
        .strip_prefix('\u{FEFF}')
        .unwrap_or_else(|| panic!("no BOM: {:?}", &res.text[..20.min(res.text.len())]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, records)
}

/// Every CSV cell equals the JSON field of the same name (numbers parsed, null = empty).
fn assert_csv_matches_json(header: &[String], records: &[Vec<String>], rows: &[Value]) {
    assert_eq!(records.len(), rows.len());
    for (record, json) in records.iter().zip(rows) {
        for (name, cell) in header.iter().zip(record) {
            let value = &json[name.as_str()];
            match value {
                Value::Null => assert_eq!(cell, "", "{name}"),
                Value::Number(n) => {
                    let parsed: f64 = cell.parse().unwrap_or_else(|_| panic!("{name}: {cell}"));
                    assert_eq!(parsed, n.as_f64().unwrap(), "{name}");
                }
                Value::String(s) => assert_eq!(cell, s, "{name}"),
                other => panic!("{name}: unexpected {other}"),
            }
        }
    }
}

const Q3: &str = "from=2026-07-01&to=2026-10-01";

// ------------------------------------------------------------------ the rates

#[actix_web::test]
async fn summary_rates_match_the_hand_computed_history() {
    let app = TestApp::new().await;
    let w = build_world(&app).await;
    let auditor = app.staff("auditor", None).await;
    let res = app
        .get_as(
            &auditor,
            &format!("/api/v1/reports/summary?{Q3}&group_by=community"),
        )
        .await
        .expect(200);
    let report = &res.body;
    assert_eq!(report["group_by"], "community");
    assert_eq!(report["rows"].as_array().unwrap().len(), 3, "{report}");

    // Community A: I1–I6, I10, I11, I13.
    let a = row(report, &w.d.community_a.to_string());
    assert_eq!(a["name"], "东坪社区");
    assert_eq!(a["total"], 9);
    // Triaged: all but I13 = 8. On time: I1–I5 (2 h ≤ 1 + 12 h), I10 (10 h; filed on Friday
    // 10 July, due when Monday the 13th ends: 112 h) and I11 (30 h ≤ 64 h, see above) = 7;
    // I6 (20 h > 1 + 12 h) was late.
    assert_eq!(a["triaged"], 8);
    assert_eq!(a["responded_on_time"], 7);
    close(&a["response_rate"], 7.0 / 8.0);
    // Resolved: I1–I6 and I10 confirmed, and I11 auto-confirmed (resolved but unverified) = 8.
    // Due: the 8 closed (I1–I6, I10, I11) + I13 open past its 5-working-day deadline = 9.
    assert_eq!(a["resolved"], 8);
    assert_eq!(a["resolved_unverified"], 1);
    assert_eq!(a["due"], 9);
    close(&a["resolution_rate"], 8.0 / 9.0);
    // Ratings 5, 5, 4, 5, 4, 2, 4: 7 rated, 6 of them 4–5, no 3.
    assert_eq!(a["rated"], 7);
    assert_eq!(a["satisfied"], 6);
    assert_eq!(a["rated_three"], 0);
    close(&a["satisfaction_rate"], 6.0 / 7.0);
    close(
        &a["composite"],
        0.1 * (7.0 / 8.0) + 0.5 * (8.0 / 9.0) + 0.4 * (6.0 / 7.0),
    );
    assert_eq!(a["overdue_open"], 1); // I13
    assert_eq!(a["reopened"], 1); // I10
    assert_eq!(a["sent_back"], 1); // I6
    // Closed after 36, 40, 44, 48, 60, 110, 120, 216 h: median (48 + 60) / 2.
    close(&a["median_resolution_hours"], 54.0);

    // Community B: I7, I8, I9, I12, I15.
    let b = row(report, &w.d.community_b.to_string());
    assert_eq!(b["name"], "宝塔社区");
    assert_eq!(b["total"], 5);
    // Triaged I7, I8, I9, I12; on time I7 (5 h), I9 (3 h); I8 never, I12 at 120 h.
    assert_eq!(b["triaged"], 4);
    assert_eq!(b["responded_on_time"], 2);
    close(&b["response_rate"], 0.5);
    // Resolved: I9 (confirmed), I12 (deliberation). Due: I9, I12 closed; I7 (reopened) and I8
    // open past 72 h. I15 is withdrawn: neither.
    assert_eq!(b["resolved"], 2);
    assert_eq!(b["due"], 4);
    close(&b["resolution_rate"], 0.5);
    // Only I9 keeps a rating (3; I7's was cleared when it recurred): 0.9 / 1.
    assert_eq!(b["rated"], 1);
    assert_eq!(b["satisfied"], 0);
    assert_eq!(b["rated_three"], 1);
    close(&b["satisfaction_rate"], 0.9);
    close(&b["composite"], 0.1 * 0.5 + 0.5 * 0.5 + 0.4 * 0.9);
    assert_eq!(b["overdue_open"], 2); // I7, I8
    assert_eq!(b["reopened"], 1); // I7
    assert_eq!(b["sent_back"], 1); // I9
    // Closed: I9 after 70 h, I12 after 120 h.
    close(&b["median_resolution_hours"], 95.0);

    // Community C: I16 only — nothing triaged or rated: those rates are null, not NaN.
    let c = row(report, &w.community_c.to_string());
    assert_eq!(c["total"], 1);
    assert_eq!(c["response_rate"], Value::Null);
    assert_eq!(c["satisfaction_rate"], Value::Null);
    assert_eq!(c["composite"], Value::Null);
    assert_eq!(c["median_resolution_hours"], Value::Null);
    close(&c["resolution_rate"], 0.0); // due (past 5 working days), not resolved
    assert_eq!(c["overdue_open"], 1);

    // The same report as CSV parses back to the same numbers.
    let csv = get_csv(
        &app,
        &format!("/api/v1/reports/summary?{Q3}&group_by=community"),
        &auditor.access_token,
    )
    .await;
    let (header, records) = parse_csv(&csv);
    assert_eq!(header[..3], ["key", "name", "total"]);
    assert!(header.contains(&"composite".to_owned()));
    assert_csv_matches_json(&header, &records, report["rows"].as_array().unwrap());
    assert!(csv.text.contains("东坪社区"));

    // By level: property I1–I10 = 10, grid I11, community I12, untriaged I13, I15, I16.
    let res = app
        .get_as(
            &auditor,
            &format!("/api/v1/reports/summary?{Q3}&group_by=level"),
        )
        .await
        .expect(200);
    let keys: Vec<&str> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["grid", "property", "community", "untriaged"]);
    assert_eq!(row(&res.body, "property")["total"], 10);
    assert_eq!(row(&res.body, "grid")["total"], 1);
    assert_eq!(row(&res.body, "community")["total"], 1);
    assert_eq!(row(&res.body, "untriaged")["total"], 3);
    assert_eq!(row(&res.body, "untriaged")["name"], "未分流");

    // By category: Chinese names from the catalogue.
    let res = app
        .get_as(
            &auditor,
            &format!("/api/v1/reports/summary?{Q3}&group_by=category"),
        )
        .await
        .expect(200);
    let leak = row(&res.body, "water_leak");
    assert_eq!(leak["name"], "漏水");
    assert_eq!(leak["total"], 9); // I1–I9 (I14 and I17 are outside the window)
    assert_eq!(row(&res.body, "street_lamp")["name"], "路灯损坏");
}

// ------------------------------------------------------------------ ratings and assessments

async fn assess(
    app: &TestApp,
    official: &Session,
    company: i64,
    compound: i64,
    score: i64,
) -> Resp {
    app.post_as(
        official,
        "/api/v1/assessments",
        &json!({
            "property_company_id": company,
            "compound_id": compound,
            "period": "2026Q3",
            "score": score,
            "notes": "日常工作考核",
        }),
    )
    .await
}

#[actix_web::test]
async fn a_red_and_a_black_company_from_the_history() {
    let app = TestApp::new().await;
    let w = build_world(&app).await;
    let d = w.d;
    let official_a = app.staff("community_official", Some(d.community_a)).await;
    let official_b = app.staff("community_official", Some(d.community_b)).await;
    // Company 1: 90 and 100 (mean 95). Company 2: 50 in A2, 40 in B (mean 45).
    let res = assess(&app, &official_a, d.company_1, d.compound_a, 90)
        .await
        .expect(201);
    assert_eq!(res.body["property_company_name"], "红管家物业");
    assert_eq!(res.body["compound_name"], "西江俪园");
    assert_eq!(res.body["period"], "2026Q3");
    assess(&app, &official_a, d.company_1, d.compound_a, 100)
        .await
        .expect(201);
    assess(&app, &official_a, d.company_2, d.compound_a2, 50)
        .await
        .expect(201);
    assess(&app, &official_b, d.company_2, d.compound_b, 40)
        .await
        .expect(201);

    let auditor = app.staff("auditor", None).await;
    let res = app
        .get_as(&auditor, "/api/v1/reports/property-ratings?period=2026Q3")
        .await
        .expect(200);
    let report = &res.body;
    assert_eq!(report["period"], "2026Q3");
    // Company 3 handles nothing and has no assessment: not listed. Best first.
    let ids: Vec<i64> = report["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property_company_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [d.company_1, d.company_2]);

    // Company 1 handles I1–I5 (I14 is June): all closed and rectified at 24 h ≤ 1 + 72 h → 1.0;
    // ratings 5, 5, 4, 5, 4 → 1.0; five supervised, none sent back → 1.0; two revisits, both
    // confirmed → 0.0; assessment 95.
    // score = 100 × (0.4 + 0.3 + 0.15) + 0.15 × 95 − 0 = 99.25 → ★5, red list.
    let c1 = company(report, d.company_1);
    assert_eq!(c1["name"], "红管家物业");
    assert_eq!(c1["handled"], 5);
    close(&c1["on_time_rectification_rate"], 1.0);
    close(&c1["satisfaction_rate"], 1.0);
    close(&c1["committee_first_pass_rate"], 1.0);
    close(&c1["revisit_recurrence_rate"], 0.0);
    close(&c1["mean_assessment_score"], 95.0);
    close(&c1["score"], 99.25);
    assert_eq!(c1["stars"], 5);
    assert_eq!(c1["list"], "red");

    // Company 2 handles I6, I7, I8, I9, I10.
    // Due: all five (I6, I9, I10 closed; I7, I8 open past their deadlines). Rectified on time:
    // I7 (10 h), I9 (60 h ≤ 2 + 72 h), I10 (96 h ≤ 256 h: five working days from its reopening
    // on Monday 13 July) = 3; I6 (100 h > 1 + 72 h) late, I8 never → 3/5.
    // Ratings: I6 2, I9 3, I10 4 (I7's cleared) → (1 + 0.9) / 3.
    // Supervised: I6 (sent back), I7, I9 (sent back), I10 → first pass I7, I10 → 2/4.
    // Revisits: I7 recurred, I9 confirmed → 1/2. Assessment mean 45.
    // score = 100 × (0.4 × 1.9/3 + 0.3 × 0.6 + 0.15 × 0.5) + 0.15 × 45 − 20 × 0.5
    //       = 50.8333… + 6.75 − 10 = 47.5833… → 47.58 → ★1, black list.
    let c2 = company(report, d.company_2);
    assert_eq!(c2["handled"], 5);
    assert_eq!(c2["due"], 5);
    assert_eq!(c2["rectified_on_time"], 3);
    close(&c2["on_time_rectification_rate"], 0.6);
    close(&c2["satisfaction_rate"], 1.9 / 3.0);
    assert_eq!(c2["supervised"], 4);
    assert_eq!(c2["first_pass"], 2);
    close(&c2["committee_first_pass_rate"], 0.5);
    assert_eq!(c2["revisits"], 2);
    assert_eq!(c2["recurred"], 1);
    close(&c2["revisit_recurrence_rate"], 0.5);
    close(&c2["mean_assessment_score"], 45.0);
    assert_eq!(c2["assessments"], 2);
    close(&c2["score"], 47.58);
    assert_eq!(c2["stars"], 1);
    assert_eq!(c2["list"], "black");

    // The CSV twin.
    let csv = get_csv(
        &app,
        "/api/v1/reports/property-ratings?period=2026Q3",
        &auditor.access_token,
    )
    .await;
    let (header, records) = parse_csv(&csv);
    assert_eq!(header[0], "property_company_id");
    assert!(header.contains(&"list".to_owned()));
    assert_csv_matches_json(&header, &records, report["companies"].as_array().unwrap());

    // Official A sees company 2 through community A only: I6 and I10.
    // On time: I10 only → 1/2; ratings 2, 4 → 1/2; first pass: I10 of I6, I10 → 1/2; no
    // revisit (null → no penalty); assessment in A: 50.
    // score = 100 × (0.2 + 0.15 + 0.075) + 0.15 × 50 = 50 → black.
    let res = app
        .get_as(
            &official_a,
            "/api/v1/reports/property-ratings?period=2026Q3",
        )
        .await
        .expect(200);
    let c2 = company(&res.body, d.company_2);
    assert_eq!(c2["handled"], 2);
    assert_eq!(c2["revisit_recurrence_rate"], Value::Null);
    close(&c2["score"], 50.0);
    assert_eq!(c2["list"], "black");
    close(&company(&res.body, d.company_1)["score"], 99.25);

    // Another quarter: nothing.
    let res = app
        .get_as(&auditor, "/api/v1/reports/property-ratings?period=2026Q2")
        .await
        .expect(200);
    // Q2 holds I14 (June, company 1): rated 1, late → low, but listed.
    let c1 = company(&res.body, d.company_1);
    assert_eq!(c1["handled"], 1);
    close(&c1["satisfaction_rate"], 0.0);
    assert_eq!(c1["mean_assessment_score"], Value::Null);
}

#[actix_web::test]
async fn assessments_follow_the_rules() {
    let (app, d) = TestApp::with_district().await;
    let official_a = app.staff("community_official", Some(d.community_a)).await;
    // Not in the official's community → 403; not the managing company → 422.
    assess(&app, &official_a, d.company_2, d.compound_b, 80)
        .await
        .expect_problem(403, "forbidden");
    assess(&app, &official_a, d.company_2, d.compound_a, 80)
        .await
        .expect_problem(422, "validation_failed");
    assess(&app, &official_a, d.company_1, 999_999, 80)
        .await
        .expect_problem(422, "validation_failed");
    for score in [-1, 101] {
        let res = assess(&app, &official_a, d.company_1, d.compound_a, score)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "score");
    }
    for period in ["2026Q5", "2026", "Q3", "2026-Q3", ""] {
        let res = app
            .post_as(
                &official_a,
                "/api/v1/assessments",
                &json!({"property_company_id": d.company_1, "compound_id": d.compound_a,
                        "period": period, "score": 80, "notes": ""}),
            )
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "period", "{period}");
    }
    assert_eq!(app.count("assessments"), 0);
    // Others may not assess.
    let auditor = app.staff("auditor", None).await;
    let staff = app.staff("property_staff", Some(d.company_1)).await;
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    for who in [&auditor, &staff, &resident] {
        assess(&app, who, d.company_1, d.compound_a, 80)
            .await
            .expect_problem(403, "forbidden");
    }
    let res = assess(&app, &official_a, d.company_1, d.compound_a, 88)
        .await
        .expect(201);
    assert!(res.header("location").is_some());
    assert_eq!(res.body["score"], 88);
    assert_eq!(res.body["assessor_id"], official_a.id);

    // Listing: auditors all, officials their community, others 403.
    let official_b = app.staff("community_official", Some(d.community_b)).await;
    assess(&app, &official_b, d.company_2, d.compound_b, 70)
        .await
        .expect(201);
    let all = app
        .get_as(&auditor, "/api/v1/assessments?period=2026Q3")
        .await
        .expect(200);
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let mine = app
        .get_as(&official_b, "/api/v1/assessments")
        .await
        .expect(200);
    let mine = mine.body.as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["compound_id"], d.compound_b);
    let other_quarter = app
        .get_as(&auditor, "/api/v1/assessments?period=2026Q4")
        .await
        .expect(200);
    assert_eq!(other_quarter.body.as_array().unwrap().len(), 0);
    app.get_as(&auditor, "/api/v1/assessments?period=2026Q9")
        .await
        .expect_problem(422, "validation_failed");
    for who in [&staff, &resident] {
        app.get_as(who, "/api/v1/assessments")
            .await
            .expect_problem(403, "forbidden");
    }
}

// ------------------------------------------------------------------ the raw export

#[actix_web::test]
async fn the_issue_export_recomputes_the_rates() {
    let app = TestApp::new().await;
    let w = build_world(&app).await;
    let auditor = app.staff("auditor", None).await;
    let res = app
        .get_as(&auditor, &format!("/api/v1/reports/issues.csv?{Q3}"))
        .await
        .expect(200);
    let (header, records) = parse_csv(&res);
    let expected = "id created_at triaged_at responded_at rectified_at supervised_at closed_at \
                    revisited_at level category category_name property_company community compound \
                    status satisfaction reopen_count sent_back_count";
    for column in expected.split_whitespace() {
        assert!(header.iter().any(|h| h == column), "no column {column}");
    }
    // I1–I13, I15, I16: 15 issues (I14 and I17 are outside the window).
    assert_eq!(records.len(), 15);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (community, triaged, responded, response_due) = (
        col("community"),
        col("triaged_at"),
        col("responded_at"),
        col("response_due"),
    );
    // The response rate of community A again, from the raw rows.
    let time = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    let a_rows: Vec<&Vec<String>> = records
        .iter()
        .filter(|r| r[community] == "东坪社区")
        .collect();
    assert_eq!(a_rows.len(), 9);
    let triaged_n = a_rows.iter().filter(|r| !r[triaged].is_empty()).count();
    let on_time = a_rows
        .iter()
        .filter(|r| {
            !r[triaged].is_empty()
                && !r[responded].is_empty()
                && time(&r[responded]) <= time(&r[response_due])
        })
        .count();
    assert_eq!((on_time, triaged_n), (7, 8));
    // I1 is the first row, created at the window's inclusive start.
    assert_eq!(records[0][col("created_at")], "2026-07-01T00:00:00.000Z");
    assert_eq!(records[0][col("category_name")], "漏水");
    assert_eq!(records[0][col("property_company")], "红管家物业");
    assert_eq!(records[0][col("compound")], "西江俪园");
    assert_eq!(records[0][col("satisfaction")], "5");
    assert_eq!(records[0][col("closure")], "confirmed");
    // The street-2 dispatcher gets its one issue only.
    let dispatcher_2 = app.staff("dispatcher", Some(w.street_2)).await;
    let res = get_csv(
        &app,
        &format!("/api/v1/reports/issues.csv?{Q3}"),
        &dispatcher_2.access_token,
    )
    .await;
    let (_, records) = parse_csv(&res);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0][col("compound")], "霞光小区");
    assert_eq!(
        records[0][col("property_company_id")],
        w.company_3.to_string()
    );
    assert_eq!(records[0][col("compound_id")], w.compound_c.to_string());
}

// ------------------------------------------------------------------ scope, roles, input

#[actix_web::test]
async fn reports_are_scoped_and_forbidden_to_others() {
    let app = TestApp::new().await;
    let w = build_world(&app).await;
    let d = w.d;
    let summary = format!("/api/v1/reports/summary?{Q3}&group_by=compound");

    // An official sees only their community's rows.
    let official_a = app.staff("community_official", Some(d.community_a)).await;
    let res = app.get_as(&official_a, &summary).await.expect(200);
    let keys: Vec<&str> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [d.compound_a.to_string(), d.compound_a2.to_string()]);
    assert_eq!(row(&res.body, &d.compound_a.to_string())["total"], 7); // I1–I5, I11, I13
    assert_eq!(row(&res.body, &d.compound_a2.to_string())["total"], 2); // I6, I10

    // A dispatcher of street 1 sees communities A and B; of street 2, nothing of street 1.
    let by_community = format!("/api/v1/reports/summary?{Q3}&group_by=community");
    let dispatcher_1 = app.staff("dispatcher", Some(d.street)).await;
    let res = app.get_as(&dispatcher_1, &by_community).await.expect(200);
    assert_eq!(res.body["rows"].as_array().unwrap().len(), 2);
    let dispatcher_2 = app.staff("dispatcher", Some(w.street_2)).await;
    let res = app.get_as(&dispatcher_2, &by_community).await.expect(200);
    let rows = res.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["key"], w.community_c.to_string());
    let res = app
        .get_as(
            &dispatcher_2,
            "/api/v1/reports/property-ratings?period=2026Q3",
        )
        .await
        .expect(200);
    assert_eq!(res.body["companies"].as_array().unwrap().len(), 0);
    // A district-wide dispatcher sees all three communities.
    let dispatcher_all = app.staff("dispatcher", None).await;
    let res = app.get_as(&dispatcher_all, &by_community).await.expect(200);
    assert_eq!(res.body["rows"].as_array().unwrap().len(), 3);

    // Residents, property staff and the other roles: 403; no token: 401.
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    let staff = app.staff("property_staff", Some(d.company_1)).await;
    let committee = app.staff("committee_member", Some(d.compound_a)).await;
    let grid = app.staff("grid_worker", Some(d.grid_a)).await;
    let mediator = app.staff("mediator", Some(d.community_a)).await;
    let admin = app.admin().await;
    let paths = [
        by_community.clone(),
        "/api/v1/reports/property-ratings?period=2026Q3".to_owned(),
        format!("/api/v1/reports/issues.csv?{Q3}"),
    ];
    for path in &paths {
        for who in [&resident, &staff, &committee, &grid, &mediator, &admin] {
            app.get_as(who, path).await.expect_problem(403, "forbidden");
        }
        app.get(path, None)
            .await
            .expect_problem(401, "missing_token");
    }
}

#[actix_web::test]
async fn bad_parameters_are_422() {
    let app = TestApp::new().await;
    app.seed_district();
    let auditor = app.staff("auditor", None).await;
    let token = Some(auditor.access_token.as_str());
    let cases: &[(&str, &str)] = &[
        ("/api/v1/reports/summary?to=2026-10-01", "from"),
        ("/api/v1/reports/summary?from=2026-07-01", "to"),
        (
            "/api/v1/reports/summary?from=yesterday&to=2026-10-01",
            "from",
        ),
        (
            "/api/v1/reports/summary?from=2026-07-01&to=2026-13-01",
            "to",
        ),
        (
            "/api/v1/reports/summary?from=2026-10-01&to=2026-07-01",
            "to",
        ),
        (
            "/api/v1/reports/summary?from=2026-07-01&to=2026-07-01",
            "to",
        ),
        (
            "/api/v1/reports/summary?from=2026-07-01&to=2026-10-01&group_by=street",
            "group_by",
        ),
        (
            "/api/v1/reports/summary?from=2026-07-01&to=2026-10-01&group_by=",
            "group_by",
        ),
        ("/api/v1/reports/property-ratings", "period"),
        ("/api/v1/reports/property-ratings?period=2026Q5", "period"),
        ("/api/v1/reports/property-ratings?period=2026-07", "period"),
        ("/api/v1/reports/property-ratings?period=Q3", "period"),
        ("/api/v1/reports/issues.csv?from=2026-07-01", "to"),
        (
            "/api/v1/reports/issues.csv?from=2026-07-01T00:00:00&to=2026-10-01",
            "from",
        ),
    ];
    for (path, field) in cases {
        let res = app.get(path, token).await;
        assert_eq!(res.status, 422, "{path}: {}", res.text);
        assert_eq!(res.code(), "validation_failed", "{path}");
        assert_eq!(res.body["field"], *field, "{path}");
    }
    // RFC 3339 with an offset works; an empty window gives no rows.
    let res = app
        .get(
            "/api/v1/reports/summary?from=2026-07-01T08:00:00%2B08:00&to=2026-07-02T00:00:00Z",
            token,
        )
        .await
        .expect(200);
    assert_eq!(res.body["from"], "2026-07-01T00:00:00Z");
    assert_eq!(res.body["rows"].as_array().unwrap().len(), 0);
    // An empty CSV still has its header row.
    let csv = get_csv(
        &app,
        "/api/v1/reports/summary?from=2026-07-01&to=2026-07-02",
        &auditor.access_token,
    )
    .await;
    let (header, records) = parse_csv(&csv);
    assert_eq!(
        header.join(","),
        "key,name,total,triaged,responded_on_time,resolved,resolved_unverified,due,rated,\
         satisfied,rated_three,staff_rated_excluded,overdue_open,reopened,sent_back,returned,\
         urged,extended,merged,found_and_fixed,median_resolution_hours,response_rate,\
         resolution_rate,satisfaction_rate,composite,return_upheld_rate"
    );
    assert!(records.is_empty());
    // So do an empty export and an empty quarter's ratings.
    let path = "/api/v1/reports/issues.csv?from=2026-07-01&to=2026-07-02";
    let (header, records) = parse_csv(&app.get_as(&auditor, path).await.expect(200));
    assert_eq!(
        header.join(","),
        "id,created_at,triaged_at,responded_at,rectified_at,supervised_at,closed_at,\
         revisited_at,response_due,resolution_due,urgency,level,category,category_name,\
         handler_kind,property_company_id,property_company,community_id,community,compound_id,\
         compound,status,closure,satisfaction,reopen_count,sent_back_count"
    );
    assert!(records.is_empty());
    let path = "/api/v1/reports/property-ratings?period=2020Q1";
    let (header, records) = parse_csv(&get_csv(&app, path, &auditor.access_token).await);
    assert_eq!(
        header.join(","),
        "property_company_id,name,handled,due,rectified_on_time,rated,satisfied,rated_three,\
         staff_rated_excluded,resolved_unverified,reasons_not_fixed,reasons_slow,\
         reasons_poor_quality,reasons_attitude,reasons_other,supervised,first_pass,revisits,\
         recurred,assessments,on_time_rectification_rate,\
         satisfaction_rate,committee_first_pass_rate,revisit_recurrence_rate,\
         mean_assessment_score,score,stars,list"
    );
    assert!(records.is_empty());
}
