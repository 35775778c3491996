//! SMS verification codes through HTTP, read from the `file:` sender the way the phone's holder
//! reads them: registration, login and password reset by code, the send limits, the five
//! tries, and answers that never tell which numbers are registered.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use chrono::Duration;
use linli_tests::{
    PASSWORD, Resp, TestApp,
    serde_json::{Value, json},
};

fn register_body(phone: &str, compound_id: i64, password: &str) -> Value {
    json!({
        "phone": phone,
        "password": password,
        "display_name": "李师傅",
        "compound_id": compound_id,
    })
}

async fn login_by_code(app: &TestApp, phone: &str, code: &str) -> Resp {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"phone": phone, "sms_code": code}),
    )
    .await
}

#[actix_web::test]
async fn a_resident_registers_and_logs_in_by_sms_code() {
    let (app, d) = TestApp::with_district().await;
    let phone = "13800000021";
    // The code request answers the same for every number, and the file holds one JSON line.
    let sent = app
        .post(
            "/api/v1/auth/sms-codes",
            None,
            &json!({"phone": "+86 138-0000-0021", "purpose": "register"}),
        )
        .await
        .expect(202);
    assert_eq!(sent.body, json!({"expires_in": 300, "resend_after": 60}));
    let code = app.sent_sms_code(phone, "register").unwrap();
    assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
    // The database keeps no code, only its keyed hash.
    assert_eq!(app.count("sms_codes"), 1);

    let mut body = register_body(phone, d.compound_a, "Li-shifu-pass-88");
    // A login code is no registration code.
    body["sms_code"] = json!("000000");
    let wrong = app
        .post("/api/v1/auth/register", None, &body)
        .await
        .expect_problem(422, "invalid_sms_code");
    assert!(!wrong.text.contains(&code));
    body["sms_code"] = json!(code);
    app.post("/api/v1/auth/register", None, &body)
        .await
        .expect(202);
    // The code is used up.
    app.post("/api/v1/auth/register", None, &body)
        .await
        .expect_problem(422, "invalid_sms_code");

    // Logging in by code, a minute later (one code per minute).
    app.clock.advance(Duration::seconds(61));
    let code = app.sms_code(phone, "login").await;
    let res = login_by_code(&app, phone, &code).await.expect(200);
    let me = app
        .get("/api/v1/me", res.body["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me.body["phone"], phone);
    assert_eq!(me.body["display_name"], "李师傅");
    // Once only.
    login_by_code(&app, phone, &code)
        .await
        .expect_problem(401, "invalid_credentials");
    // And the password chosen at registration works too.
    app.login(phone, "Li-shifu-pass-88").await.expect(200);
}

#[actix_web::test]
async fn a_login_takes_exactly_one_of_password_and_code() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, None).await;
    for (body, field) in [
        (json!({"phone": me.phone}), "password"),
        (
            json!({"phone": me.phone, "password": PASSWORD, "sms_code": "123456"}),
            "sms_code",
        ),
    ] {
        let res = app
            .post("/api/v1/auth/login", None, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field);
    }
    app.post(
        "/api/v1/auth/sms-codes",
        None,
        &json!({"phone": me.phone, "purpose": "admin"}),
    )
    .await
    .expect_problem(400, "invalid_body");
    let res = app
        .post(
            "/api/v1/auth/sms-codes",
            None,
            &json!({"phone": "12345", "purpose": "login"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "phone");
    assert_eq!(app.count("sms_codes"), 0);
}

#[actix_web::test]
async fn five_wrong_codes_kill_the_code() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, None).await;
    let code = app.sms_code(&me.phone, "login").await;
    let wrong = if code == "999999" { "000000" } else { "999999" };
    for _ in 0..5 {
        login_by_code(&app, &me.phone, wrong)
            .await
            .expect_problem(401, "invalid_credentials");
    }
    // Even the right code is refused now.
    login_by_code(&app, &me.phone, &code)
        .await
        .expect_problem(401, "invalid_credentials");
    // A new code (after the resend interval) works.
    app.clock.advance(Duration::seconds(60));
    let code = app.sms_code(&me.phone, "login").await;
    login_by_code(&app, &me.phone, &code).await.expect(200);
}

#[actix_web::test]
async fn codes_are_sent_once_a_minute_and_ten_times_a_day() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, None).await;
    let app = &app;
    let request = |purpose: &'static str| {
        let body = json!({"phone": me.phone, "purpose": purpose});
        async move { app.post("/api/v1/auth/sms-codes", None, &body).await }
    };
    request("login").await.expect(202);
    app.clock.advance(Duration::seconds(20));
    // Within 60 s, for any purpose: 429 with the seconds left.
    let res = request("reset_password")
        .await
        .expect_problem(429, "too_many_requests");
    assert_eq!(res.header("retry-after").as_deref(), Some("40"));
    app.clock.advance(Duration::seconds(40));
    request("reset_password").await.expect(202);
    for _ in 0..8 {
        app.clock.advance(Duration::minutes(10));
        request("login").await.expect(202);
    }
    // Ten codes in the last 24 hours: the eleventh waits until the first is a day old.
    app.clock.advance(Duration::minutes(10));
    let res = request("login")
        .await
        .expect_problem(429, "too_many_requests");
    let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
    let first_leaves =
        (Duration::days(1) - Duration::seconds(60) - Duration::minutes(90)).num_seconds();
    assert_eq!(retry, first_leaves);
    assert_eq!(app.count("sms_codes"), 10);
    // Another number is not affected.
    let other = app.resident(d.compound_a, None).await;
    app.sms_code(&other.phone, "login").await;
}

#[actix_web::test]
async fn the_code_limits_are_the_districts_configuration() {
    let app = TestApp::with_config(|c| {
        c.sms_policy.resend_interval_ms = 0;
        c.sms_policy.daily_limit = 2;
    })
    .await;
    let body = json!({"phone": app.next_phone(), "purpose": "register"});
    app.post("/api/v1/auth/sms-codes", None, &body)
        .await
        .expect(202);
    app.post("/api/v1/auth/sms-codes", None, &body)
        .await
        .expect(202);
    let res = app.post("/api/v1/auth/sms-codes", None, &body).await;
    res.expect_problem(429, "too_many_requests");
}

#[actix_web::test]
async fn registering_a_taken_number_answers_like_a_new_one_and_changes_nothing() {
    let (app, d) = TestApp::with_district().await;
    let owner = app.resident(d.compound_a, None).await;
    let stranger = "13800000031";
    // Asking for codes tells nothing either.
    let a = app
        .post(
            "/api/v1/auth/sms-codes",
            None,
            &json!({"phone": owner.phone, "purpose": "register"}),
        )
        .await
        .expect(202);
    let b = app
        .post(
            "/api/v1/auth/sms-codes",
            None,
            &json!({"phone": stranger, "purpose": "register"}),
        )
        .await
        .expect(202);
    assert_eq!(a.body, b.body);

    let app = &app;
    let register = |phone: &str| {
        let mut body = register_body(phone, d.compound_b, "Taken-or-not-77");
        body["sms_code"] = json!(app.sent_sms_code(phone, "register").unwrap());
        async move { app.post("/api/v1/auth/register", None, &body).await }
    };
    let users = app.count("users");
    let taken = register(&owner.phone).await;
    let new = register(stranger).await;
    assert_eq!(taken.status, 202);
    assert_eq!(new.status, 202);
    // Same shape, the normalised number the only difference.
    assert_eq!(taken.body, json!({"phone": owner.phone}));
    assert_eq!(new.body, json!({"phone": stranger}));
    assert_eq!(app.count("users"), users + 1);
    // The owner's account is untouched: old password, old compound.
    let login = app.login(&owner.phone, &owner.password).await.expect(200);
    let me = app
        .get("/api/v1/me", login.body["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me.body["compound_id"], d.compound_a);
    app.login(&owner.phone, "Taken-or-not-77")
        .await
        .expect_problem(401, "invalid_credentials");
}

#[actix_web::test]
async fn a_password_reset_by_code_ends_every_session() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, None).await;
    app.get("/api/v1/me", Some(&me.access_token))
        .await
        .expect(200);
    let code = app.sms_code(&me.phone, "reset_password").await;
    let app = &app;
    let reset = |code: &str, password: &str| {
        let body = json!({"phone": me.phone, "sms_code": code, "new_password": password});
        async move { app.post("/api/v1/auth/password-reset", None, &body).await }
    };
    let res = reset(&code, "short")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "new_password");
    // A login code does not reset.
    app.clock.advance(Duration::seconds(60));
    let login_code = app.sms_code(&me.phone, "login").await;
    reset(&login_code, "Reset-by-code-55")
        .await
        .expect_problem(422, "invalid_sms_code");
    reset(&code, "Reset-by-code-55").await.expect(204);
    app.get("/api/v1/me", Some(&me.access_token))
        .await
        .expect_problem(401, "session_revoked");
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": me.refresh_token}),
    )
    .await
    .expect_problem(401, "invalid_refresh_token");
    app.login(&me.phone, &me.password)
        .await
        .expect_problem(401, "invalid_credentials");
    app.login(&me.phone, "Reset-by-code-55").await.expect(200);
    // An unregistered number with its code answers the same, and nothing is created.
    let users = app.count("users");
    let nobody = "13800000041";
    let code = app.sms_code(nobody, "reset_password").await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"phone": nobody, "sms_code": code, "new_password": "Reset-by-code-55"}),
    )
    .await
    .expect(204);
    assert_eq!(app.count("users"), users);
}

/// A request as if from `address` (the server trusts one proxy hop in these tests).
async fn from(app: &TestApp, path: &str, body: Value, address: &str) -> Resp {
    app.request(
        Method::POST,
        path,
        None,
        Some(&body),
        &[("X-Forwarded-For", address)],
    )
    .await
}

#[actix_web::test]
async fn the_owner_of_a_sprayed_phone_still_logs_in_by_code_and_from_elsewhere() {
    let app = TestApp::with_config(|c| {
        c.rate_limits = vec![
            ("LINLI_RATE_LIMIT_AUTH", "60/60".into()),
            ("LINLI_TRUSTED_PROXY_HOPS", "1".into()),
        ]
    })
    .await;
    let d = app.seed_district();
    let owner = app.resident(d.compound_a, None).await;
    let attacker = "203.0.113.9";
    // The attacker guesses until the delay, then the lock, holds them back.
    let mut refused = None;
    for i in 0..10 {
        let res = from(
            &app,
            "/api/v1/auth/login",
            json!({"phone": owner.phone, "password": format!("guess-number-{i}")}),
            attacker,
        )
        .await;
        if res.status == 429 {
            refused = Some(res);
            break;
        }
        assert_eq!(res.status, 401, "{}", res.text);
    }
    let refused = refused.expect("the guesses were never slowed down");
    assert!(refused.header("retry-after").is_some());
    // The owner, from home, with the password...
    from(
        &app,
        "/api/v1/auth/login",
        json!({"phone": owner.phone, "password": owner.password}),
        "198.51.100.30",
    )
    .await
    .expect(200);
    // ...and even from the attacker's address (a shared NAT), by SMS code.
    let code = app.sms_code(&owner.phone, "login").await;
    from(
        &app,
        "/api/v1/auth/login",
        json!({"phone": owner.phone, "sms_code": code}),
        attacker,
    )
    .await
    .expect(200);
}

#[actix_web::test]
async fn failed_passwords_meet_a_growing_delay() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, None).await;
    let guess = || app.login(&me.phone, "not-my-password-1");
    for _ in 0..3 {
        guess().await.expect_problem(401, "invalid_credentials");
    }
    // From the third failure on, each try waits: 10 s, then 20 s.
    let res = guess().await.expect_problem(429, "too_many_requests");
    assert_eq!(res.header("retry-after").as_deref(), Some("10"));
    app.clock.advance(Duration::seconds(10));
    guess().await.expect_problem(401, "invalid_credentials");
    let res = app
        .login(&me.phone, &me.password)
        .await
        .expect_problem(429, "too_many_requests");
    assert_eq!(res.header("retry-after").as_deref(), Some("20"));
    app.clock.advance(Duration::seconds(20));
    // The right password after the wait: in, and the count starts afresh.
    app.login(&me.phone, &me.password).await.expect(200);
    guess().await.expect_problem(401, "invalid_credentials");
}
