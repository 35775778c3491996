//! Fair clocks on a working-day calendar (issue 12, items 6 and 7): a handler's deadlines run
//! from its own assignment, normal cases count working days of the district office's calendar
//! (the State Council's 2026 holidays and 调休 make-up days seeded), and the summary's rates
//! judge each handler by its own clock.

use chrono::{DateTime, Duration, Utc};
use linli_tests::{
    Cast, Session, TestApp,
    serde_json::{Value, json},
};

/// An RFC 3339 instant (e.g. local Shanghai time `2026-09-30T10:00:00+08:00`).
fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The cast, with the clock set to `start` first (so that its tokens are fresh).
async fn cast_at(start: &str) -> (TestApp, Cast) {
    let app = TestApp::new().await;
    app.clock.set(at(start));
    let cast = app.cast().await;
    (app, cast)
}

/// An instant of an issue response (`response_due`, `suggestion.response_due`, ...).
fn instant(v: &Value) -> DateTime<Utc> {
    at(v.as_str().unwrap_or_else(|| panic!("not an instant: {v}")))
}

/// The issue's current deadlines are these instants.
#[track_caller]
fn assert_due(issue: &Value, response: &str, resolution: &str) {
    assert_eq!(instant(&issue["response_due"]), at(response), "{issue}");
    assert_eq!(instant(&issue["resolution_due"]), at(resolution), "{issue}");
}

/// The issue as JSON, for its deadlines.
async fn issue_json(app: &TestApp, who: &Session, id: i64) -> Value {
    app.issue(who, id).await.expect(200).body
}

/// The data of the events of `kind` in the issue's timeline, oldest first.
async fn event_data(app: &TestApp, who: &Session, id: i64, kind: &str) -> Vec<Value> {
    app.events(who, id)
        .await
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| e["data"].clone())
        .collect()
}

/// File a normal-urgency property case (a street lamp) and triage it right away.
async fn normal_case_triaged(app: &TestApp, cast: &Cast) -> (i64, Value) {
    let id = app.resident_files(cast, "street_lamp").await;
    app.triage(&cast.dispatcher, id).await;
    (id, issue_json(app, &cast.dispatcher, id).await)
}

#[actix_web::test]
async fn a_case_filed_on_30_september_skips_the_national_day_holiday() {
    let (app, mut cast) = cast_at("2026-09-30T10:00:00+08:00").await;
    let (id, issue) = normal_case_triaged(&app, &cast).await;
    assert_eq!(issue["urgency"], "normal");
    // 1 working day: 1–7 October are 国庆节, so Thursday 8 October, due when it ends; 5:
    // 8 (Thu), 9 (Fri), 10 (Saturday, worked), 12 (Mon), 13 (Tue) October.
    assert_due(
        &issue,
        "2026-10-09T00:00:00+08:00",
        "2026-10-14T00:00:00+08:00",
    );
    // The dispatcher's queue was judged by the same calendar from the filing.
    assert_eq!(
        instant(&issue["suggestion"]["response_due"]),
        at("2026-10-09T00:00:00+08:00")
    );

    // Filed late at night (still 30 September in Shanghai, though 15:30 UTC): the same
    // deadline; filed during the holiday, counting starts the day after it: the same again.
    for when in ["2026-09-30T23:30:00+08:00", "2026-10-03T09:00:00+08:00"] {
        app.clock.set(at(when));
        cast.relogin(&app).await;
        let (_, other) = normal_case_triaged(&app, &cast).await;
        assert_eq!(
            instant(&other["response_due"]),
            at("2026-10-09T00:00:00+08:00"),
            "{when}"
        );
    }

    // Not overdue through the holiday; overdue once Thursday 8 October ends unanswered.
    app.clock.set(at("2026-10-08T23:59:00+08:00"));
    cast.relogin(&app).await;
    assert_eq!(
        issue_json(&app, &cast.dispatcher, id).await["overdue"],
        false
    );
    app.clock.set(at("2026-10-09T00:01:00+08:00"));
    cast.relogin(&app).await;
    assert_eq!(
        issue_json(&app, &cast.dispatcher, id).await["overdue"],
        true
    );
}

#[actix_web::test]
async fn sunday_20_september_is_a_working_day() {
    // Friday 18 September, 15:00 in Shanghai.
    let (app, cast) = cast_at("2026-09-18T15:00:00+08:00").await;
    let (_, issue) = normal_case_triaged(&app, &cast).await;
    // 1 working day: Sunday 20 September is worked (调休 for 国庆节); 5: 20, 21, 22, 23, 24
    // September (25–27 are 中秋节).
    assert_due(
        &issue,
        "2026-09-21T00:00:00+08:00",
        "2026-09-25T00:00:00+08:00",
    );
    // Emergency and urgent cases count clock hours, holidays or not: a water leak is urgent.
    let leak = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, leak).await;
    let leak = issue_json(&app, &cast.dispatcher, leak).await;
    assert_eq!(
        instant(&leak["response_due"]),
        at("2026-09-18T15:00:00+08:00") + Duration::hours(12)
    );
    assert_eq!(
        instant(&leak["resolution_due"]),
        at("2026-09-18T15:00:00+08:00") + Duration::hours(72)
    );
}

/// The summary row of `key` grouped by level, by the auditor, for issues filed around now.
async fn level_row(app: &TestApp, cast: &Cast, key: &str) -> Value {
    let day = |d: i64| (app.now() + Duration::days(d)).format("%Y-%m-%d");
    let res = app
        .get_as(
            &cast.auditor,
            &format!(
                "/api/v1/reports/summary?from={}&to={}&group_by=level",
                day(-10),
                day(2)
            ),
        )
        .await
        .expect(200);
    res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .cloned()
        .unwrap_or_else(|| panic!("no {key} row: {}", res.body))
}

#[actix_web::test]
async fn a_reassigned_case_runs_on_the_new_handlers_clock() {
    // Tuesday 1 September, 09:00 in Shanghai. A water leak is urgent: 12 h to respond, 72 h to
    // resolve, on the clock.
    let start = "2026-09-01T09:00:00+08:00";
    let (app, mut cast) = cast_at(start).await;
    let t = |hours: i64| at(start) + Duration::hours(hours);
    let id = app.resident_files(&cast, "water_leak").await;
    app.clock.set(t(1));
    cast.relogin(&app).await;
    app.triage(&cast.dispatcher, id).await;
    let triaged = issue_json(&app, &cast.dispatcher, id).await;
    assert_eq!(instant(&triaged["response_due"]), t(1 + 12));
    assert_eq!(instant(&triaged["resolution_due"]), t(1 + 72));

    // The company never answers; the case is overdue, and at hour 20 the dispatcher hands it to
    // the grid. The grid's clock starts then.
    app.clock.set(t(20));
    cast.relogin(&app).await;
    assert_eq!(
        issue_json(&app, &cast.dispatcher, id).await["overdue"],
        true
    );
    let moved = app
        .reassign(&cast.dispatcher, id, "物业迟迟未响应，改由网格员处理")
        .with("level", "grid")
        .await;
    assert_eq!(moved.status, "triaged");
    assert_eq!(moved.escalation_step, 0);
    let issue = issue_json(&app, &cast.dispatcher, id).await;
    assert_eq!(instant(&issue["response_due"]), t(20 + 12));
    assert_eq!(instant(&issue["resolution_due"]), t(20 + 72));
    assert_eq!(issue["overdue"], false);
    assert_eq!(issue["responded_at"], Value::Null);

    // Each assignment's clock stays in the timeline.
    let triage_clock =
        &event_data(&app, &cast.dispatcher, id, "triaged").await[0]["decision"]["deadlines"];
    assert_eq!(instant(&triage_clock["response_due"]), t(1 + 12));
    let reassign_clock =
        &event_data(&app, &cast.dispatcher, id, "reassigned").await[0]["decision"]["deadlines"];
    assert_eq!(instant(&reassign_clock["response_due"]), t(20 + 12));
    assert_eq!(instant(&reassign_clock["resolution_due"]), t(20 + 72));

    // The grid answers at hour 25: on time by its own clock (the company's deadline, hour 13,
    // had long passed).
    app.clock.set(t(25));
    cast.relogin(&app).await;
    app.answer(&cast.grid_worker, id, "网格员已到场").await;
    // Past the company's resolution deadline (hour 73) the grid is not overdue; past its own
    // (hour 92) it is.
    app.clock.set(t(80));
    cast.relogin(&app).await;
    assert_eq!(
        issue_json(&app, &cast.dispatcher, id).await["overdue"],
        false
    );
    app.clock.set(t(93));
    cast.relogin(&app).await;
    assert_eq!(
        issue_json(&app, &cast.dispatcher, id).await["overdue"],
        true
    );

    // A second case reassigned at hour 94 that the grid answers late, at hour 107 (due 106).
    let late = app.resident_files(&cast, "water_leak").await;
    app.triage(&cast.dispatcher, late).await;
    app.clock.set(t(94));
    cast.relogin(&app).await;
    app.reassign(&cast.dispatcher, late, "改由网格员处理")
        .with("level", "grid")
        .await;
    app.clock.set(t(107));
    cast.relogin(&app).await;
    app.answer(&cast.grid_worker, late, "网格员已到场").await;

    // 响应率 of the grid level: each case judged by the grid's own clock, 1 of 2 on time.
    let grid = level_row(&app, &cast, "grid").await;
    assert_eq!(grid["triaged"], 2, "{grid}");
    assert_eq!(grid["responded_on_time"], 1, "{grid}");
    assert_eq!(grid["response_rate"], 0.5, "{grid}");
    // Open past the grid's resolution deadline (hour 92): due, not resolved; the second case
    // is not due until hour 166.
    assert_eq!(grid["due"], 1, "{grid}");
    assert_eq!(grid["overdue_open"], 1, "{grid}");
}

#[actix_web::test]
async fn a_meeting_hands_over_work_with_its_own_deadline() {
    let start = "2026-09-01T09:00:00+08:00";
    let (app, mut cast) = cast_at(start).await;
    // 加装电梯: the community deliberates it, a month later, on Saturday 3 October (国庆节);
    // the meeting gives the company until the end of the year.
    let id = app.resident_files(&cast, "elevator_installation").await;
    app.triage(&cast.dispatcher, id).await;
    app.clock.set(at(start) + Duration::days(32));
    cast.relogin(&app).await;
    let own = at("2026-12-31T00:00:00+08:00");
    let body = json!({
        "held_at": (app.now() - Duration::hours(2)).to_rfc3339(),
        "venue": "东坪社区议事厅",
        "attendees": ["社区书记", "物业经理", "业委会主任"],
        "decision": "同意加装电梯，由物业组织施工",
        "outcome": "assign_property",
        "resolution_due": own.to_rfc3339(),
    });
    // Not overdue on arrival: the company's response clock starts at the meeting; its one
    // working day is Thursday 8 October, the first after the holiday.
    let view = app.deliberate(&cast.official, id, &body).await;
    assert_eq!(view.status, "triaged");
    let issue = issue_json(&app, &cast.property_1, id).await;
    assert_eq!(issue["overdue"], false);
    assert_eq!(instant(&issue["resolution_due"]), own);
    assert_eq!(
        instant(&issue["response_due"]),
        at("2026-10-09T00:00:00+08:00")
    );
    let data = &event_data(&app, &cast.official, id, "deliberated").await[0];
    assert_eq!(instant(&data["deadlines"]["resolution_due"]), own);

    // A deadline before the handover, or with a closing decision, is refused.
    let id2 = app.resident_files(&cast, "elevator_installation").await;
    app.triage(&cast.dispatcher, id2).await;
    app.deliberate(
        &cast.official,
        id2,
        &json!({
            "held_at": (app.now() - Duration::hours(2)).to_rfc3339(),
            "venue": "东坪社区议事厅",
            "attendees": ["社区书记"],
            "decision": "同意",
            "outcome": "assign_property",
            "resolution_due": (app.now() - Duration::hours(1)).to_rfc3339(),
        }),
    )
    .problem(422, "validation_failed")
    .await;
    app.deliberate(
        &cast.official,
        id2,
        &json!({
            "held_at": (app.now() - Duration::hours(2)).to_rfc3339(),
            "venue": "东坪社区议事厅",
            "attendees": ["社区书记"],
            "decision": "不同意",
            "outcome": "close",
            "resolution_due": own.to_rfc3339(),
        }),
    )
    .problem(422, "validation_failed")
    .await;
}

#[actix_web::test]
async fn the_district_office_maintains_the_calendar() {
    // Friday 27 November 2026, 10:00 in Shanghai.
    let (app, cast) = cast_at("2026-11-27T10:00:00+08:00").await;
    let office = app.staff("district_office", None).await;
    let path = "/api/v1/calendar/2026";

    // The official 2026 calendar is seeded; staff read it, residents do not.
    let seeded = app.get_as(&cast.dispatcher, path).await.expect(200).body;
    assert_eq!(seeded["year"], 2026);
    assert_eq!(seeded["configured"], true);
    assert_eq!(seeded["updated_by"], Value::Null);
    let holidays = seeded["holidays"].as_array().unwrap();
    assert_eq!(holidays.len(), 33);
    assert!(holidays.contains(&json!("2026-10-01")));
    assert_eq!(
        seeded["make_up_working_days"],
        json!([
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10"
        ])
    );
    app.get_as(&cast.resident, path)
        .await
        .expect_problem(403, "forbidden");
    let plain = app
        .get_as(&cast.auditor, "/api/v1/calendar/2027")
        .await
        .expect(200)
        .body;
    assert_eq!(plain["configured"], false);
    assert_eq!(plain["holidays"], json!([]));

    // Before any change: Monday 30 November is the first working day after the filing.
    let (before, issue) = normal_case_triaged(&app, &cast).await;
    assert_eq!(
        instant(&issue["response_due"]),
        at("2026-12-01T00:00:00+08:00")
    );

    // Only the district office sets it.
    let mut body = json!({
        "holidays": seeded["holidays"],
        "make_up_working_days": seeded["make_up_working_days"],
    });
    body["holidays"]
        .as_array_mut()
        .unwrap()
        .push(json!("2026-11-30"));
    for who in [&cast.dispatcher, &cast.auditor, &cast.admin, &cast.official] {
        app.put(path, Some(&who.access_token), &body)
            .await
            .expect_problem(403, "forbidden");
    }

    // Bad bodies change nothing: a stable code for each.
    let with = |field: &str, dates: Value| {
        let mut b = body.clone();
        b[field] = dates;
        b
    };
    for (bad, year, status, code) in [
        (
            with("holidays", json!(["2027-01-01"])),
            2026,
            422,
            "validation_failed",
        ),
        // Friday 9 October is a weekday: a working day already.
        (
            with("make_up_working_days", json!(["2026-10-09"])),
            2026,
            422,
            "validation_failed",
        ),
        // Saturday 10 October both off and worked.
        (
            with("holidays", json!(["2026-10-01", "2026-10-10"])),
            2026,
            422,
            "validation_failed",
        ),
        (body.clone(), 1969, 422, "validation_failed"),
        (
            with("holidays", json!(["30 November"])),
            2026,
            400,
            "invalid_body",
        ),
        (
            with("holidays", json!("2026-11-30")),
            2026,
            400,
            "invalid_body",
        ),
        (
            json!({"holidays": [], "make_up_working_days": [], "year": 2026}),
            2026,
            400,
            "invalid_body",
        ),
        (json!({"holidays": []}), 2026, 400, "invalid_body"),
    ] {
        let res = app
            .put(
                &format!("/api/v1/calendar/{year}"),
                Some(&office.access_token),
                &bad,
            )
            .await;
        assert_eq!(res.status, status, "{bad}: {}", res.text);
        assert_eq!(res.code(), code, "{bad}: {}", res.text);
        assert_eq!(
            res.header("content-type").as_deref(),
            Some("application/problem+json")
        );
    }
    let unchanged = app.get_as(&cast.dispatcher, path).await.expect(200).body;
    assert_eq!(unchanged["holidays"], seeded["holidays"]);

    // The office makes Monday 30 November a day off (a local holiday).
    let saved = app
        .put(path, Some(&office.access_token), &body)
        .await
        .expect(200)
        .body;
    assert_eq!(saved["configured"], true);
    assert_eq!(saved["updated_by"], office.id);
    assert_eq!(saved["holidays"].as_array().unwrap().len(), 34);
    let read = app.get_as(&cast.dispatcher, path).await.expect(200).body;
    assert_eq!(read["holidays"], saved["holidays"]);

    // Deadlines set from now on skip it; the ones already set stay.
    let (_, after) = normal_case_triaged(&app, &cast).await;
    assert_eq!(
        instant(&after["response_due"]),
        at("2026-12-02T00:00:00+08:00")
    );
    let kept = issue_json(&app, &cast.dispatcher, before).await;
    assert_eq!(
        instant(&kept["response_due"]),
        at("2026-12-01T00:00:00+08:00")
    );

    // A year that had no data.
    let next = app
        .put(
            "/api/v1/calendar/2027",
            Some(&office.access_token),
            &json!({"holidays": ["2027-01-01"], "make_up_working_days": []}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(next["year"], 2027);
    assert_eq!(next["configured"], true);
    let read = app
        .get_as(&cast.dispatcher, "/api/v1/calendar/2027")
        .await
        .expect(200)
        .body;
    assert_eq!(read["holidays"], json!(["2027-01-01"]));
}
