//! Satisfaction surveys (社会满意度调查): who sets them, who answers (verified residents of a
//! surveyed compound, once), and the anonymous results each viewer may read.

use std::collections::BTreeSet;

use linli_tests::{
    BadInput, TestApp,
    serde_json::{Value, json},
};

use super::quarter::{SURVEYS, answer, close, survey_body, utc};

/// Every key anywhere in `v`.
fn keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

fn group(rows: &Value, id: i64) -> &Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no group {id} in {rows}"))
}

fn question<'a>(tally: &'a Value, id: &str) -> &'a Value {
    tally["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap()
}

#[actix_web::test]
async fn surveys_are_set_by_the_office_or_a_community_for_its_compounds() {
    let (app, c) = TestApp::with_cast().await;
    let d = &c.district;
    let office = app.staff("district_office", None).await;
    let body = survey_body(&[d.compound_a, d.compound_a2]);

    // A community official surveys their own community only.
    app.post_as(
        &c.official,
        SURVEYS,
        &survey_body(&[d.compound_a, d.compound_b]),
    )
    .await
    .expect_problem(403, "forbidden");
    let own = app.post_as(&c.official, SURVEYS, &body).await.expect(201);
    assert_eq!(own.body["community_id"], d.community_a);
    for other in [
        &c.auditor,
        &c.property_1,
        &c.resident,
        &c.dispatcher,
        &c.admin,
    ] {
        app.post_as(other, SURVEYS, &body)
            .await
            .expect_problem(403, "forbidden");
    }

    let with = |key: &str, value: Value| {
        let mut b = body.clone();
        b[key] = value;
        b
    };
    let text_only = json!([{"id": "advice", "text": "建议", "kind": "text"}]);
    let no_options = json!([
        {"id": "overall", "text": "总体", "kind": "rating_1_5"},
        {"id": "fee", "text": "物业费", "kind": "single_choice"}
    ]);
    let twice = json!([
        {"id": "overall", "text": "总体", "kind": "rating_1_5"},
        {"id": "overall", "text": "再问", "kind": "rating_1_5"}
    ]);
    let cases: Vec<BadInput> = vec![
        (
            with("title", json!("")),
            422,
            "validation_failed",
            Some("title"),
        ),
        (
            with("period", json!("2026-07")),
            422,
            "validation_failed",
            Some("period"),
        ),
        (
            with("compound_ids", json!([])),
            422,
            "validation_failed",
            Some("compound_ids"),
        ),
        (
            with("compound_ids", json!([999_999])),
            422,
            "validation_failed",
            Some("compound_ids"),
        ),
        (
            with("closes_at", json!("2026-08-01T00:00:00Z")),
            422,
            "validation_failed",
            Some("closes_at"),
        ),
        (
            with("questions", text_only),
            422,
            "validation_failed",
            Some("questions"),
        ),
        (
            with("questions", no_options),
            422,
            "validation_failed",
            Some("questions"),
        ),
        (
            with("questions", twice),
            422,
            "validation_failed",
            Some("questions"),
        ),
        (with("extra", json!(1)), 400, "invalid_body", None),
    ];
    for (bad, status, code, field) in cases {
        let res = app
            .post_as(&office, SURVEYS, &bad)
            .await
            .expect_problem(status, code);
        if let Some(f) = field {
            assert_eq!(res.body["field"], f, "{bad}");
        }
    }
    assert_eq!(app.count("surveys"), 1);
    let res = app.post_as(&office, SURVEYS, &body).await.expect(201);
    assert_eq!(res.body["community_id"], Value::Null);
    assert_eq!(
        res.body["compound_ids"],
        json!([d.compound_a, d.compound_a2])
    );
    assert_eq!(res.body["open"], true);
    assert_eq!(res.body["questions"][2]["options"], json!(["合理", "偏高"]));
}

#[actix_web::test]
async fn verified_residents_answer_once_and_results_are_anonymous() {
    let (app, mut c) = TestApp::with_cast().await;
    let d = c.district;
    let office = app.staff("district_office", None).await;
    let mut resident_a2 = app.resident(d.compound_a2, Some(d.building_a2)).await;
    let id = app
        .post_as(
            &office,
            SURVEYS,
            &survey_body(&[d.compound_a, d.compound_a2]),
        )
        .await
        .expect(201)
        .id();
    let responses = format!("{SURVEYS}/{id}/responses");

    // Open surveys a resident may answer: their compound's only.
    let open = app
        .get_as(&c.resident, &format!("{SURVEYS}?open=true"))
        .await
        .expect(200);
    assert_eq!(open.ids(), [id]);
    assert_eq!(open.body["items"][0]["answered"], false);
    let outsider = app
        .get_as(&c.outsider, &format!("{SURVEYS}?open=true"))
        .await
        .expect(200);
    assert!(outsider.ids().is_empty());

    // Bad answers change nothing.
    for bad in [
        json!({"answers": {"overall": 6, "service": 4, "fee": "合理"}}),
        json!({"answers": {"overall": 5, "service": 4, "fee": "免费"}}),
        json!({"answers": {"overall": 5, "fee": "合理"}}),
        json!({"answers": {"overall": 5, "service": 4, "fee": "合理", "other": 1}}),
        json!({"answers": {"overall": "5", "service": 4, "fee": "合理"}}),
    ] {
        app.post_as(&c.resident, &responses, &bad)
            .await
            .expect_problem(422, "validation_failed");
    }
    assert_eq!(app.count("survey_responses"), 0);

    answer(&app, &c.resident, id, 5, 4, "合理", "希望多修剪绿化")
        .await
        .expect(201);
    // Twice → 409, and still one answer.
    answer(&app, &c.resident, id, 1, 1, "偏高", "")
        .await
        .expect_problem(409, "conflict");
    answer(&app, &c.neighbour, id, 3, 2, "偏高", "")
        .await
        .expect(201);
    answer(&app, &resident_a2, id, 1, 2, "偏高", "电梯经常坏")
        .await
        .expect(201);
    assert_eq!(app.count("survey_responses"), 3);
    // Not verified (业主认证 pending), another compound, staff: refused.
    let pending = app.registered_resident(d.compound_a, None).await;
    answer(&app, &pending, id, 5, 5, "合理", "")
        .await
        .expect_problem(403, "verification_required");
    answer(&app, &c.outsider, id, 5, 5, "合理", "")
        .await
        .expect_problem(404, "not_found");
    answer(&app, &c.property_1, id, 5, 5, "合理", "")
        .await
        .expect_problem(403, "forbidden");
    let mine = app
        .get_as(&c.resident, &format!("{SURVEYS}/{id}"))
        .await
        .expect(200);
    assert_eq!(mine.body["answered"], true);
    app.get_as(&c.outsider, &format!("{SURVEYS}/{id}"))
        .await
        .expect_problem(404, "not_found");

    // The office's results: per compound and company, with free text, and no one's id.
    let results = format!("{SURVEYS}/{id}/results");
    let full = app.get_as(&office, &results).await.expect(200).body;
    let a = group(&full["compounds"], d.compound_a);
    // Verified residents of A: `resident` and `neighbour` (the pending one is not invited).
    assert_eq!(a["invitations"], 2);
    assert_eq!(a["responses"], 2);
    close(&a["response_rate"], 1.0);
    assert_eq!(a["property_company_id"], d.company_1);
    let overall = question(&a["tally"], "overall");
    close(&overall["mean"], 4.0);
    assert_eq!(
        overall["distribution"],
        json!({"1": 0, "2": 0, "3": 1, "4": 0, "5": 1})
    );
    assert_eq!(
        question(&a["tally"], "fee")["distribution"],
        json!({"合理": 1, "偏高": 1})
    );
    // Ratings 5, 4, 3, 2: (2 + 0.9) / 4.
    close(&a["tally"]["satisfaction_rate"], 0.725);
    assert_eq!(
        question(&a["tally"], "advice")["texts"],
        json!(["希望多修剪绿化"])
    );
    let company_2 = group(&full["companies"], d.company_2);
    assert_eq!(company_2["responses"], 1);
    close(&company_2["tally"]["satisfaction_rate"], 0.0);
    // Everything: ratings 5, 4, 3, 2, 1, 2 → 2.9 / 6.
    assert_eq!(full["overall"]["responses"], 3);
    assert_eq!(full["overall"]["invitations"], 3);
    close(&full["overall"]["tally"]["satisfaction_rate"], 0.4833);
    let mut seen = BTreeSet::new();
    keys(&full, &mut seen);
    for personal in [
        "user_id",
        "resident_id",
        "respondent_id",
        "reporter_id",
        "phone",
    ] {
        assert!(!seen.contains(personal), "{personal} in {full}");
    }

    // The rated company's staff: their compounds only, never free text.
    let staff = app.get_as(&c.property_2, &results).await.expect(200).body;
    assert_eq!(staff["texts_hidden"], true);
    assert_eq!(staff["compounds"].as_array().unwrap().len(), 1);
    assert_eq!(staff["compounds"][0]["id"], d.compound_a2);
    assert_eq!(
        question(&staff["overall"]["tally"], "advice")["texts"],
        Value::Null
    );
    assert!(!staff.to_string().contains("电梯经常坏"));
    // A community official sees their community's compounds with text; another community's
    // official, a resident and the admin do not see the results.
    let official = app.get_as(&c.official, &results).await.expect(200).body;
    assert_eq!(official["compounds"].as_array().unwrap().len(), 2);
    assert!(official.to_string().contains("电梯经常坏"));
    app.get_as(&c.auditor, &results).await.expect(200);
    app.get_as(&c.official_b, &results)
        .await
        .expect_problem(404, "not_found");
    for who in [&c.resident, &c.admin] {
        app.get_as(who, &results)
            .await
            .expect_problem(403, "forbidden");
    }

    // Once closed: no longer open, no more answers.
    app.clock.set(utc(2026, 9, 21, 0, 0));
    app.relogin(&mut c.resident).await;
    app.relogin(&mut resident_a2).await;
    let open = app
        .get_as(&c.resident, &format!("{SURVEYS}?open=true"))
        .await
        .expect(200);
    assert!(open.ids().is_empty());
    let all = app.get_as(&c.resident, SURVEYS).await.expect(200);
    assert_eq!(all.ids(), [id]);
    assert_eq!(all.body["items"][0]["open"], false);
    let late = app.resident(d.compound_a2, Some(d.building_a2)).await;
    answer(&app, &late, id, 5, 5, "合理", "")
        .await
        .expect_problem(409, "conflict");
}
