//! Accounts through HTTP: resident registration, login and its rate limit, refresh-token
//! rotation and reuse detection, logout, /me, and every way an access token can be bad.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use chrono::Duration;
use futures_util::future::join;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use linli_infra::tokens::{AUDIENCE, Claims, ISSUER, TokenSigner};
use linli_tests::{
    BadInput, PASSWORD, Resp, TestApp, Variants,
    serde_json::{Value, json},
};

/// Neither a hash nor its algorithm may ever appear in a response.
#[track_caller]
fn assert_no_secrets(res: &Resp) {
    for needle in ["password_hash", "$argon2", "token_hash", "family_id"] {
        assert!(
            !res.text.contains(needle),
            "response leaks {needle}: {}",
            res.text
        );
    }
}

fn register_body(phone: &str, compound_id: i64, building_id: Option<i64>) -> Value {
    json!({
        "phone": phone,
        "password": "correct-horse-42",
        "display_name": "王阿姨",
        "compound_id": compound_id,
        "building_id": building_id,
        "unit": "2单元 301",
    })
}

#[actix_web::test]
async fn a_resident_registers_with_a_normalised_phone_and_logs_in() {
    let (app, d) = TestApp::with_district().await;
    let code = app.sms_code("13800000001", "register").await;
    let mut body = register_body("+86 138 0000 0001", d.compound_a, Some(d.building_a1));
    body["sms_code"] = json!(code);
    let res = app
        .post("/api/v1/auth/register", None, &body)
        .await
        .expect(202);
    assert_no_secrets(&res);
    assert_eq!(res.body, json!({"phone": "13800000001"}));

    let login = app
        .login("138-0000-0001", "correct-horse-42")
        .await
        .expect(200);
    assert_no_secrets(&login);
    assert_eq!(login.body["token_type"], "Bearer");
    assert_eq!(login.body["expires_in"], 900);
    let me = app
        .get("/api/v1/me", login.body["access_token"].as_str())
        .await
        .expect(200);
    assert_no_secrets(&me);
    assert_eq!(me.body["phone"], "13800000001");
    assert_eq!(me.body["display_name"], "王阿姨");
    assert_eq!(me.body["role"], "resident");
    assert_eq!(me.body["compound_id"], d.compound_a);
    assert_eq!(me.body["scope_id"], d.compound_a);
    assert_eq!(me.body["building_id"], d.building_a1);
    assert_eq!(me.body["unit"], "2单元 301");
    // Self-registered: the compound has yet to verify the resident (业主认证).
    assert_eq!(me.body["verification"], "pending");
}

#[actix_web::test]
async fn bad_registrations_are_rejected_and_change_nothing() {
    let (app, d) = TestApp::with_district().await;
    let mut body = register_body("13800000002", d.compound_a, Some(d.building_a1));
    body["sms_code"] = json!(app.sms_code("13800000002", "register").await);
    let body = Variants(body);
    let cases: Vec<BadInput> = vec![
        body.invalid("phone", json!("12800000002")),
        body.invalid("phone", json!("1380000000")),
        body.invalid("phone", json!("138000000021")),
        body.invalid("phone", json!("")),
        body.invalid("password", json!("short7!")),
        body.invalid("password", json!("")),
        body.invalid("password", json!("password123")),
        body.invalid("password", json!("12345678")),
        body.invalid("password", json!("aaaaaaaaaa")),
        body.invalid("display_name", json!("")),
        body.invalid("compound_id", json!(999)),
        body.invalid("building_id", json!(999)),
        // A building of another compound.
        body.invalid("building_id", json!(d.building_b1)),
        body.refused("compound_id", json!("西江俪园"), 400, "invalid_body"),
        body.refused("role", json!("admin"), 400, "invalid_body"),
        body.refused("sms_code", json!(null), 400, "invalid_body"),
        body.refused(
            "invitation_code",
            json!("NOSUCH-CODE"),
            422,
            "invalid_invitation",
        ),
        (
            json!({"phone": "13800000002", "password": "correct-horse-42"}),
            400,
            "invalid_body",
            None,
        ),
    ];
    let users = app.count("users");
    for (body, status, code, field) in &cases {
        let res = app
            .post("/api/v1/auth/register", None, body)
            .await
            .expect_problem(*status, code);
        assert_eq!(res.body["field"].as_str(), *field, "{body}: {}", res.text);
    }
    assert_eq!(app.count("users"), users);
    // None of them spent the code: it still registers.
    app.post("/api/v1/auth/register", None, &body.0)
        .await
        .expect(202);
    assert_eq!(app.count("users"), users + 1);
}

#[actix_web::test]
async fn wrong_password_and_unknown_phone_get_the_same_answer() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let wrong = app
        .login(&resident.phone, "not-the-password")
        .await
        .expect_problem(401, "invalid_credentials");
    let unknown = app
        .login("13999999999", PASSWORD)
        .await
        .expect_problem(401, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
    // Something that is no phone number at all is refused before the database (issue 9): its
    // shape is public knowledge, so the answer tells nothing about who is registered.
    let garbage = app
        .login("not a phone", PASSWORD)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(garbage.body["field"], "phone");
    assert_eq!(wrong.header("www-authenticate").as_deref(), Some("Bearer"));
}

#[actix_web::test]
async fn five_failures_lock_the_phone_until_the_window_passes() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let other = app.resident(d.compound_a, None).await;
    for _ in 0..5 {
        app.login(&resident.phone, "wrong-password-1")
            .await
            .expect_problem(401, "invalid_credentials");
        app.clock.advance(Duration::seconds(30));
    }
    // Locked, even with the right password; the lock is per phone.
    let res = app
        .login(&resident.phone, PASSWORD)
        .await
        .expect_problem(429, "too_many_requests");
    let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
    // The oldest failure was 150 s ago; the window is 15 minutes.
    assert!((740..=760).contains(&retry), "Retry-After {retry}");
    app.login(&other.phone, PASSWORD).await.expect(200);
    // Formatting the number differently does not get round it.
    app.login(&format!("+86 {}", resident.phone), PASSWORD)
        .await
        .expect_problem(429, "too_many_requests");

    app.clock.advance(Duration::seconds(retry + 1));
    let res = app.login(&resident.phone, PASSWORD).await.expect(200);
    assert_no_secrets(&res);
    // A success clears the count: one more failure is an ordinary 401.
    app.login(&resident.phone, "wrong-password-1")
        .await
        .expect_problem(401, "invalid_credentials");
}

#[actix_web::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_family() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let first = resident.refresh_token.clone();
    // A second login is a family of its own.
    let laptop = app.login(&resident.phone, PASSWORD).await.expect(200);

    let res = app
        .post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": first}),
        )
        .await
        .expect(200);
    assert_no_secrets(&res);
    let second = res.body["refresh_token"].as_str().unwrap().to_owned();
    let access = res.body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    assert_ne!(access, resident.access_token);
    app.get("/api/v1/me", Some(&access)).await.expect(200);

    // The first token again: a thief or a replay. The family is revoked.
    for (token, code) in [
        (&first, "refresh_token_reused"),
        (&second, "invalid_refresh_token"),
    ] {
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": token}),
        )
        .await
        .expect_problem(401, code);
    }
    // The other login is untouched.
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": laptop.body["refresh_token"]}),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": "made-up"}),
    )
    .await
    .expect_problem(401, "invalid_refresh_token");
    app.post("/api/v1/auth/refresh", None, &json!({}))
        .await
        .expect_problem(400, "invalid_body");
}

#[actix_web::test]
async fn two_refreshes_racing_with_one_token_yield_one_winner() {
    let (app, d) = TestApp::with_district().await;
    for _ in 0..3 {
        let resident = app.resident(d.compound_a, None).await;
        let body = json!({"refresh_token": resident.refresh_token});
        let (a, b) = join(
            app.post("/api/v1/auth/refresh", None, &body),
            app.post("/api/v1/auth/refresh", None, &body),
        )
        .await;
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 401], "{} / {}", a.text, b.text);
    }
}

#[actix_web::test]
async fn a_refresh_token_expires_after_its_days() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": resident.refresh_token}),
    )
    .await
    .expect_problem(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn logout_revokes_the_refresh_token() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let body = json!({"refresh_token": resident.refresh_token});
    let res = app
        .post("/api/v1/auth/logout", None, &body)
        .await
        .expect(204);
    assert!(res.text.is_empty());
    app.post("/api/v1/auth/refresh", None, &body)
        .await
        .expect_problem(401, "invalid_refresh_token");
    // Unknown tokens and repeated logouts are fine: nothing to reveal.
    app.post("/api/v1/auth/logout", None, &body)
        .await
        .expect(204);
    app.post(
        "/api/v1/auth/logout",
        None,
        &json!({"refresh_token": "made-up"}),
    )
    .await
    .expect(204);
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn claims_for(app: &TestApp, user_id: i64, role: &str, scope_id: Option<i64>) -> Claims {
    let now = app.now().timestamp();
    Claims {
        sub: user_id.to_string(),
        role: role.to_owned(),
        scope_id,
        scope_kind: None,
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + 600,
        jti: "forged".to_owned(),
        sid: None,
    }
}

fn sign(claims: &Claims, alg: Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
}

#[actix_web::test]
async fn every_kind_of_bad_access_token_is_refused() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let secret = app.state.config.jwt_secret.clone().unwrap();
    let secret = secret.as_bytes();
    let good = claims_for(&app, resident.id, "resident", Some(d.compound_a));

    // The control: a token forged with the real secret and claims is accepted, so each
    // refusal below is due to the one thing that differs.
    let control = sign(&good, Algorithm::HS256, secret);
    app.get("/api/v1/me", Some(&control)).await.expect(200);

    let payload = b64(&serde_json::to_vec(&good).unwrap());
    let alg_none = format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), payload);
    let alg_none_signed = format!("{alg_none}{}", control.rsplit('.').next().unwrap());
    let other_secret = TokenSigner::new(
        b"another-secret-another-secret-0123456789",
        Duration::minutes(15),
    )
    .unwrap()
    .issue(
        resident.id,
        "resident",
        Some(d.compound_a),
        None,
        "family",
        app.now(),
    )
    .unwrap();
    let mut wrong_aud = good.clone();
    wrong_aud.aud = "someone-else".into();
    let mut wrong_iss = good.clone();
    wrong_iss.iss = "evil".into();
    let mut admin_role = good.clone();
    admin_role.role = "admin".into();
    admin_role.scope_id = None;
    let mut unknown_role = good.clone();
    unknown_role.role = "superuser".into();
    // A scope kind the role cannot have (only building leaders may be scoped to a grid).
    let mut grid_resident = good.clone();
    grid_resident.scope_kind = Some("grid".into());
    let tampered = {
        // The resident's real token with the payload swapped for an admin one.
        let mut parts: Vec<&str> = resident.access_token.split('.').collect();
        let forged = b64(&serde_json::to_vec(&admin_role).unwrap());
        parts[1] = &forged;
        parts.join(".")
    };
    let cases: Vec<(&str, String)> = vec![
        ("alg none", alg_none),
        ("alg none with a signature", alg_none_signed),
        ("another secret", other_secret),
        (
            "HS512 with the right secret",
            sign(&good, Algorithm::HS512, secret),
        ),
        ("wrong audience", sign(&wrong_aud, Algorithm::HS256, secret)),
        ("wrong issuer", sign(&wrong_iss, Algorithm::HS256, secret)),
        (
            "unknown role",
            sign(&unknown_role, Algorithm::HS256, secret),
        ),
        (
            "resident scoped to a grid",
            sign(&grid_resident, Algorithm::HS256, secret),
        ),
        ("payload swapped", tampered),
        ("garbage", "not.a.jwt".into()),
        ("empty parts", "..".into()),
    ];
    for (what, token) in &cases {
        let res = app.get("/api/v1/me", Some(token)).await;
        assert_eq!(res.status, 401, "{what}: {}", res.text);
        res.expect_problem(401, "invalid_token");
        // Admin endpoints refuse it the same way.
        app.get("/api/v1/admin/streets", Some(token))
            .await
            .expect_problem(401, "invalid_token");
    }
    app.request(
        actix_web::http::Method::GET,
        "/api/v1/me",
        None,
        None,
        &[("Authorization", "Bearer ")],
    )
    .await
    .expect_problem(401, "invalid_token");
}

#[actix_web::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, None).await;
    let token = Some(resident.access_token.as_str());
    app.clock.advance(Duration::minutes(14));
    app.get("/api/v1/me", token).await.expect(200);
    app.clock.advance(Duration::minutes(2));
    app.get("/api/v1/me", token)
        .await
        .expect_problem(401, "token_expired");
    // The refresh token still works and gives a fresh access token.
    let res = app
        .post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": resident.refresh_token}),
        )
        .await
        .expect(200);
    app.get("/api/v1/me", res.body["access_token"].as_str())
        .await
        .expect(200);
}

#[actix_web::test]
async fn passwords_are_stored_as_argon2id_and_never_shown() {
    let (app, d) = TestApp::with_district().await;
    // (Not `app.resident`: its display names contain the phone number.)
    let phone = "13800000009";
    app.register(&register_body(phone, d.compound_a, None))
        .await
        .expect(202);
    let admin = app.admin().await;
    let mut conn = app.conn();
    let row = linli_infra::repo::users::find_by_phone(&mut conn, phone)
        .unwrap()
        .unwrap();
    let id = row.id;
    drop(conn);
    assert!(
        row.password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        row.password_hash
    );
    for path in [
        "/api/v1/me".to_owned(),
        "/api/v1/admin/users".to_owned(),
        format!("/api/v1/admin/users/{id}"),
    ] {
        let res = app.get_as(&admin, &path).await.expect(200);
        assert_no_secrets(&res);
        assert!(
            !res.text.contains(phone),
            "{path} shows the resident's phone: {}",
            res.text
        );
        assert!(
            res.text.contains("138****0009") || path == "/api/v1/me",
            "{}",
            res.text
        );
    }
}

#[actix_web::test]
async fn parallel_guesses_cannot_exceed_the_failed_login_limit() {
    let (app, d) = TestApp::with_district().await;
    let victim = app.resident(d.compound_a, Some(d.building_a1)).await;
    let passwords: Vec<String> = (0..12).map(|i| format!("wrong-guess-{i}")).collect();
    let guesses = passwords.iter().map(|p| app.login(&victim.phone, p));
    let results = futures_util::future::join_all(guesses).await;
    let unauthorized = results.iter().filter(|r| r.status == 401).count();
    let limited = results.iter().filter(|r| r.status == 429).count();
    // Three failures are answered at once; the fourth try must wait (the growing delay).
    assert_eq!(
        unauthorized, 3,
        "exactly the allowed number of guesses were checked"
    );
    assert_eq!(limited, 9);
    // Even the right password is refused while locked.
    app.login(&victim.phone, &victim.password)
        .await
        .expect_problem(429, "too_many_requests");
}

#[actix_web::test]
async fn changing_the_password_logs_out_every_device() {
    let (app, d) = TestApp::with_district().await;
    let me = app.resident(d.compound_a, Some(d.building_a1)).await;
    let other_device = app.login(&me.phone, &me.password).await.expect(200);
    let path = "/api/v1/me/password";
    let t = Some(me.access_token.as_str());

    // Wrong current password, weak new one: refused, nothing changes.
    app.put(
        path,
        t,
        &json!({"current_password": "not-it-at-all", "new_password": "Brand-new-pass-77"}),
    )
    .await
    .expect_problem(403, "wrong_password");
    let res = app
        .put(
            path,
            t,
            &json!({"current_password": me.password, "new_password": "short"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "new_password");
    app.login(&me.phone, &me.password).await.expect(200);

    app.put(
        path,
        t,
        &json!({"current_password": me.password, "new_password": "Brand-new-pass-77"}),
    )
    .await
    .expect(204);
    let second = other_device.body["refresh_token"].as_str().unwrap();
    for refresh in [me.refresh_token.as_str(), second] {
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": refresh}),
        )
        .await
        .expect_problem(401, "invalid_refresh_token");
    }
    app.login(&me.phone, &me.password)
        .await
        .expect_problem(401, "invalid_credentials");
    app.login(&me.phone, "Brand-new-pass-77").await.expect(200);
    app.put(
        path,
        None,
        &json!({"current_password": "x", "new_password": "y"}),
    )
    .await
    .expect_problem(401, "missing_token");
}
