//! Edges of the HTTP contract: `HEAD` on every `GET` route, report dates that stay valid
//! RFC 3339, and free text that never carries NUL or other control characters.

use crate::raw;
use actix_web::http::Method;
use linli_tests::{
    PASSWORD, TestApp, issue_body,
    serde_json::{Value, json},
};

// ------------------------------------------------------------------ HEAD

#[actix_web::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::new().await;
    let d = app.seed_district();
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    let id = app.file(&resident, "water_leak", &d).await;
    let token = Some(resident.access_token.as_str());
    let path = format!("/api/v1/issues/{id}");

    let get = app.get(&path, token).await.expect(200);
    let head = app
        .request(Method::HEAD, &path, token, None, &[])
        .await
        .expect(200);
    let etag = head.header("etag").expect("HEAD gives the ETag");
    assert_eq!(Some(etag), get.header("etag"));
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.text, "");

    // On the wire: the head of the response and nothing else. A second request on the same
    // connection is answered right after it, so no body bytes came in between.
    let addr = app.base.trim_start_matches("http://");
    let raw = raw::exchange(
        &app.base,
        &format!(
            "HEAD {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n\
             GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
            resident.access_token
        ),
    )
    .await;
    let (first_head, rest) = raw.split_once("\r\n\r\n").expect("a response head");
    assert!(first_head.starts_with("HTTP/1.1 200"), "{raw}");
    assert_eq!(
        raw::header(first_head, "etag"),
        get.header("etag").as_deref(),
        "{raw}"
    );
    // No length is announced for a body that is not sent (and none would be wrong).
    assert!(
        raw::header(first_head, "content-length").is_none_or(|n| n == get.text.len().to_string()),
        "{raw}"
    );
    let (second_head, second_body) = rest
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("the HEAD response carried a body: {raw}"));
    assert!(
        second_head.starts_with("HTTP/1.1 200"),
        "the HEAD response carried a body: {raw}"
    );
    assert!(second_body.contains("\"status\""), "{raw}");

    // Unknown issue: 404 with the problem's headers, no body.
    let res = app
        .request(Method::HEAD, "/api/v1/issues/999999", token, None, &[])
        .await
        .expect(404);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(res.text, "");

    // A POST-only path: 405, and Allow names what is allowed.
    let res = app
        .request(Method::HEAD, "/api/v1/auth/login", None, None, &[])
        .await
        .expect(405);
    assert_eq!(res.header("allow").as_deref(), Some("POST"));
    assert_eq!(res.text, "");

    // A GET route refuses other methods and lists HEAD, which now works.
    let res = app
        .request(Method::DELETE, "/healthz", None, None, &[])
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("GET, HEAD"));
    let res = app
        .request(Method::HEAD, "/healthz", None, None, &[])
        .await
        .expect(200);
    assert_eq!(res.text, "");
    assert!(res.header("content-type").is_some());

    // HEAD of a list and of the spec, unauthenticated HEAD of a protected route.
    app.request(Method::HEAD, "/api/v1/issues", token, None, &[])
        .await
        .expect(200);
    app.request(Method::HEAD, "/api-docs/openapi.json", None, None, &[])
        .await
        .expect(200);
    app.request(Method::HEAD, &path, None, None, &[])
        .await
        .expect(401);

    // Unknown routes stay 404, whatever the method.
    for method in [Method::GET, Method::HEAD] {
        let res = app
            .request(method.clone(), "/api/v1/no-such-route", token, None, &[])
            .await
            .expect(404);
        assert!(res.header("allow").is_none(), "{method}");
    }
    app.get("/api/v1/no-such-route", token)
        .await
        .expect_problem(404, "not_found");
}

// ------------------------------------------------------------------ report dates

/// Every report that takes `from`/`to` (tag `reports` in the spec).
const RANGE_REPORTS: &[&str] = &["/api/v1/reports/summary", "/api/v1/reports/issues.csv"];

/// Every report that takes a `period` in its query.
const PERIOD_REPORTS: &[&str] = &["/api/v1/reports/property-ratings", "/api/v1/assessments"];

#[actix_web::test]
async fn report_dates_out_of_rfc3339_range_are_422_and_change_nothing() {
    let app = TestApp::new().await;
    let c = app.cast().await;
    let d = c.district;
    let auditor = Some(c.auditor.access_token.as_str());

    // (from, to, the field the problem names)
    let bad_ranges: &[(&str, &str, &str)] = &[
        ("-0001-01-01", "2026-10-01", "from"),
        ("0000-01-01", "2026-10-01", "from"),
        ("1969-12-31", "2026-10-01", "from"),
        ("2026-07-01", "10000-01-01", "to"),
        ("2026-07-01", "9999-12-31T23:00:00-05:00", "to"),
        ("2026-13-01", "2026-10-01", "from"),
        ("2026-07-01", "2026-02-30", "to"),
        ("2026-10-01", "2026-07-01", "to"),
        ("2026-07-01", "2026-07-01", "to"),
    ];
    for report in RANGE_REPORTS {
        for (from, to, field) in bad_ranges {
            let path = format!("{report}?from={from}&to={to}");
            let res = app.get(&path, auditor).await;
            let res = res.expect_problem(422, "validation_failed");
            assert_eq!(res.body["field"], *field, "{path}");
        }
    }

    let bad_periods = ["9999Q4", "10000Q1", "-001Q1", "1969Q4", "2026Q5", "2026Q0"];
    for report in PERIOD_REPORTS {
        for period in bad_periods {
            let path = format!("{report}?period={period}");
            let res = app.get(&path, auditor).await;
            let res = res.expect_problem(422, "validation_failed");
            assert_eq!(res.body["field"], "period", "{path}");
        }
    }

    // Filing an assessment for such a quarter is refused and stores nothing.
    let before = app.count("assessments");
    for period in bad_periods {
        let res = app
            .post(
                "/api/v1/assessments",
                Some(&c.official.access_token),
                &json!({"property_company_id": d.company_1, "compound_id": d.compound_a,
                        "period": period, "score": 80, "notes": ""}),
            )
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], "period", "{period}");
    }
    assert_eq!(app.count("assessments"), before);

    // Good values still work, cut at midnight in the district (Asia/Shanghai, UTC+8).
    for report in RANGE_REPORTS {
        let path = format!("{report}?from=2026-07-01&to=2026-10-01");
        app.get(&path, auditor).await.expect(200);
    }
    let res = app
        .get(
            "/api/v1/reports/summary?from=2026-07-01&to=2026-10-01",
            auditor,
        )
        .await
        .expect(200);
    assert_eq!(res.body["from"], "2026-06-30T16:00:00Z");
    assert_eq!(res.body["to"], "2026-09-30T16:00:00Z");
    for report in PERIOD_REPORTS {
        let path = format!("{report}?period=2026Q3");
        app.get(&path, auditor).await.expect(200);
    }
    // The last quarter that ends in year 9999 is still valid and echoed as RFC 3339.
    let res = app
        .get("/api/v1/reports/property-ratings?period=9999Q3", auditor)
        .await
        .expect(200);
    assert_eq!(res.body["period"], "9999Q3");
    assert_eq!(res.body["from"], "9999-06-30T16:00:00Z");
    assert_eq!(res.body["to"], "9999-09-30T16:00:00Z");
    app.post(
        "/api/v1/assessments",
        Some(&c.official.access_token),
        &json!({"property_company_id": d.company_1, "compound_id": d.compound_a,
                "period": "9999Q3", "score": 80, "notes": ""}),
    )
    .await
    .expect(201);
    assert_eq!(app.count("assessments"), before + 1);
}

// ------------------------------------------------------------------ control characters

/// A free-text field sent with a control character in it: path, token, body, the field the
/// problem must name, and the tables that must not change.
type TextCase<'a> = (
    String,
    Option<&'a str>,
    Value,
    &'static str,
    &'static [&'static str],
);

#[actix_web::test]
async fn free_text_with_control_characters_is_422_never_500() {
    let app = TestApp::new().await;
    let c = app.cast().await;
    let d = c.district;
    let id = app.file(&c.resident, "water_leak", &d).await;
    let issue = |action: &str| format!("/api/v1/issues/{id}/{action}");
    let resident = Some(c.resident.access_token.as_str());
    let official = Some(c.official.access_token.as_str());
    let dispatcher = Some(c.dispatcher.access_token.as_str());
    let property = Some(c.property_1.access_token.as_str());
    let committee = Some(c.committee.access_token.as_str());
    let mediator = Some(c.mediator.access_token.as_str());
    const ISSUES: &[&str] = &["issues", "issue_events"];

    for bad in ["\u{0}", "\u{7}"] {
        let text = format!("楼道灯坏了{bad}三天没人修");
        let short = format!("2单元{bad}301");
        let register = |field: &str| {
            let mut body = json!({
                "phone": app.next_phone(), "password": PASSWORD, "display_name": "王阿姨",
                "compound_id": d.compound_a, "building_id": d.building_a1, "unit": "2单元 301",
                "sms_code": "000000",
            });
            body[field] = json!(short);
            body
        };
        let filing = |field: &str| {
            let mut body = issue_body("water_leak", d.compound_a, Some(d.building_a1));
            body[field] = json!(text);
            body
        };
        let login = json!({"phone": format!("1380000{bad}0001"), "password": PASSWORD});
        let assessment = json!({"property_company_id": d.company_1, "compound_id": d.compound_a,
                                "period": "2026Q3", "score": 80, "notes": text});
        let confirmation = json!({"resolved": true, "satisfaction": 5, "comment": text});
        let deliberation = json!({"held_at": "2026-08-31T10:00:00+08:00", "venue": "社区议事厅",
                                  "attendees": ["社区书记"], "decision": text,
                                  "outcome": "assign_property"});
        let (reg, filed) = (
            "/api/v1/auth/register".to_owned(),
            "/api/v1/issues".to_owned(),
        );
        let cases: Vec<TextCase> = vec![
            (reg.clone(), None, register("unit"), "unit", &["users"]),
            (
                reg,
                None,
                register("display_name"),
                "display_name",
                &["users"],
            ),
            (
                "/api/v1/auth/login".into(),
                None,
                login,
                "phone",
                &["login_failures", "refresh_tokens"],
            ),
            (
                "/api/v1/assessments".into(),
                official,
                assessment,
                "notes",
                &["assessments"],
            ),
            (
                filed.clone(),
                resident,
                filing("description"),
                "description",
                ISSUES,
            ),
            (filed.clone(), resident, filing("unit"), "unit", ISSUES),
            (
                filed,
                resident,
                filing("location_text"),
                "location_text",
                ISSUES,
            ),
            (
                issue("comments"),
                resident,
                json!({"body": text}),
                "body",
                &["comments"],
            ),
            (
                issue("reject"),
                dispatcher,
                json!({"reason": text}),
                "reason",
                ISSUES,
            ),
            (
                issue("triage"),
                dispatcher,
                json!({"reason": text}),
                "reason",
                ISSUES,
            ),
            (
                issue("answer"),
                property,
                json!({"message": text, "accept": true}),
                "message",
                ISSUES,
            ),
            (
                issue("rectification"),
                property,
                json!({"notes": text}),
                "notes",
                ISSUES,
            ),
            (
                issue("supervision"),
                committee,
                json!({"passed": true, "notes": text}),
                "notes",
                ISSUES,
            ),
            (
                issue("confirmation"),
                resident,
                confirmation,
                "comment",
                ISSUES,
            ),
            (
                issue("mediation"),
                mediator,
                json!({"settled": true, "notes": text}),
                "notes",
                ISSUES,
            ),
            (
                issue("revisit"),
                official,
                json!({"outcome": "confirmed", "notes": text}),
                "notes",
                ISSUES,
            ),
            (
                issue("deliberation"),
                official,
                deliberation,
                "decision",
                ISSUES,
            ),
        ];
        for (path, token, body, field, tables) in cases {
            let what = format!("{path} {field} {bad:?}");
            let count = || tables.iter().map(|t| app.count(t)).collect::<Vec<_>>();
            let before = count();
            let res = app.post(&path, token, &body).await;
            let res = res.expect_problem(422, "validation_failed");
            assert_eq!(res.body["field"], field, "{what}: {}", res.text);
            assert_eq!(before, count(), "{what} changed {tables:?}");
        }
    }

    // The issue is untouched, and the same texts without the control character are accepted.
    assert_eq!(app.view(&c.resident, id).await.status, "submitted");
    app.post(
        &issue("comments"),
        resident,
        &json!({"body": "楼道灯坏了，三天没人修"}),
    )
    .await
    .expect(201);
    let phone = app.next_phone();
    app.register(
        &json!({"phone": phone, "password": PASSWORD, "display_name": "王阿姨",
                "compound_id": d.compound_a, "building_id": d.building_a1,
                "unit": "2单元 301"}),
    )
    .await
    .expect(202);
    let me = app.login(&phone, PASSWORD).await.expect(200);
    let me = app
        .get("/api/v1/me", me.body["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me.body["unit"], "2单元 301");
    app.login(&c.resident.phone, "wrong-password-2026")
        .await
        .expect_problem(401, "invalid_credentials");
}
