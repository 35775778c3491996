//! Verified residents (业主认证) through HTTP: a self-registered resident files and follows their
//! own issues but sees no neighbour's public issue and adds no "me too" until the compound's
//! property staff or owners' committee verify them, or until they register with an invitation
//! code; who may verify whom, and what the queue shows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use linli_tests::{Session, TestApp, serde_json::json};

async fn verify(app: &TestApp, who: &Session, resident: i64, approved: bool) -> linli_tests::Resp {
    app.post_as(
        who,
        &format!("/api/v1/residents/{resident}/verification"),
        &json!({"approved": approved, "note": "核对房产证"}),
    )
    .await
}

#[actix_web::test]
async fn an_unverified_resident_sees_only_their_own_issues_until_verified() {
    let (app, c) = TestApp::with_cast().await;
    let d = &c.district;
    let public = app.file(&c.neighbour, "water_leak", d).await;
    let newcomer = app.registered_resident(d.compound_a, None).await;
    let me = app.get_as(&newcomer, "/api/v1/me").await.expect(200);
    assert_eq!(me.body["verification"], "pending");

    // Their own issue: filed, listed, read.
    let own = app.file(&newcomer, "sanitation", d).await;
    assert_eq!(app.list_ids(&newcomer, "").await, vec![own]);
    app.issue(&newcomer, own).await;
    // The neighbour's public issue: as if it did not exist; "me too" refused.
    app.get_as(&newcomer, &format!("/api/v1/issues/{public}"))
        .await
        .expect_problem(404, "not_found");
    app.get_as(&newcomer, &format!("/api/v1/issues/{public}/events"))
        .await
        .expect_problem(404, "not_found");
    app.post_as(
        &newcomer,
        &format!("/api/v1/issues/{public}/support"),
        &json!({}),
    )
    .await
    .expect_problem(403, "verification_required");

    // The compound's property staff verify; the very next request sees it.
    let res = verify(&app, &c.property_1, newcomer.id, true)
        .await
        .expect(200);
    assert_eq!(res.body["verification"], "verified");
    assert_eq!(res.body["verification_note"], "核对房产证");
    let me = app.get_as(&newcomer, "/api/v1/me").await.expect(200);
    assert_eq!(me.body["verification"], "verified");
    let mut seen = app.list_ids(&newcomer, "").await;
    seen.sort_unstable();
    assert_eq!(seen, vec![public, own]);
    app.get_as(&newcomer, &format!("/api/v1/issues/{public}"))
        .await
        .expect(200);
    let backed = app
        .post_as(
            &newcomer,
            &format!("/api/v1/issues/{public}/support"),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(backed.body["support_count"], 1);

    // Turned down again by the owners' committee: back to their own issues.
    let res = verify(&app, &c.committee, newcomer.id, false)
        .await
        .expect(200);
    assert_eq!(res.body["verification"], "rejected");
    assert_eq!(app.list_ids(&newcomer, "").await, vec![own]);
}

#[actix_web::test]
async fn only_the_compounds_own_verifiers_verify_its_residents() {
    let (app, c) = TestApp::with_cast().await;
    let d = &c.district;
    let newcomer = app.registered_resident(d.compound_a, None).await;
    // Staff of another compound: as if the resident did not exist.
    for other in [&c.property_2, &c.committee_b] {
        verify(&app, other, newcomer.id, true)
            .await
            .expect_problem(404, "not_found");
    }
    // Residents and other roles: not theirs to do.
    for who in [
        &c.resident,
        &c.dispatcher,
        &c.official,
        &c.admin,
        &c.auditor,
    ] {
        verify(&app, who, newcomer.id, true)
            .await
            .expect_problem(403, "forbidden");
        app.get_as(who, "/api/v1/residents?verification=pending")
            .await
            .expect_problem(403, "forbidden");
    }
    // Staff are no residents to verify.
    verify(&app, &c.property_1, c.dispatcher.id, true)
        .await
        .expect_problem(404, "not_found");
    verify(&app, &c.property_1, 999_999, true)
        .await
        .expect_problem(404, "not_found");
    let me = app.get_as(&newcomer, "/api/v1/me").await.expect(200);
    assert_eq!(me.body["verification"], "pending");
}

#[actix_web::test]
async fn the_queue_shows_the_callers_compounds_pending_residents() {
    let (app, c) = TestApp::with_cast().await;
    let d = &c.district;
    let first = app.registered_resident(d.compound_a, None).await;
    let second = app.registered_resident(d.compound_a, None).await;
    let elsewhere = app.registered_resident(d.compound_b, None).await;
    let path = "/api/v1/residents?verification=pending&limit=1";
    // Property staff: in id order, one per page, full numbers.
    let page = app.get_as(&c.property_1, path).await.expect(200);
    assert_eq!(page.body["items"][0]["id"], first.id);
    assert_eq!(page.body["items"][0]["phone"], first.phone);
    assert_eq!(page.body["items"][0]["phone_masked"], false);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let page = app
        .get_as(&c.property_1, &format!("{path}&cursor={cursor}"))
        .await
        .expect(200);
    assert_eq!(page.body["items"][0]["id"], second.id);
    assert!(page.body["next_cursor"].is_null());
    // The owners' committee: the same queue, numbers masked.
    let page = app
        .get_as(&c.committee, "/api/v1/residents?verification=pending")
        .await
        .expect(200);
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["phone_masked"], true);
    assert!(!page.text.contains(&first.phone), "{}", page.text);
    // Another compound's staff see only theirs.
    let page = app
        .get_as(&c.property_2, "/api/v1/residents?verification=pending")
        .await
        .expect(200);
    let ids: Vec<i64> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![elsewhere.id]);
    // Verified residents leave the queue; the verified filter and no filter list them.
    verify(&app, &c.property_1, first.id, true)
        .await
        .expect(200);
    let page = app
        .get_as(&c.property_1, "/api/v1/residents?verification=pending")
        .await
        .expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    let page = app
        .get_as(&c.property_1, "/api/v1/residents?verification=verified")
        .await
        .expect(200);
    // The cast's residents of compound A (registered before: verified) and the newcomer.
    let verified: Vec<i64> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(verified, vec![c.resident.id, c.neighbour.id, first.id]);
    app.get_as(&c.property_1, "/api/v1/residents?verification=maybe")
        .await
        .expect_problem(422, "validation_failed");
}

#[actix_web::test]
async fn an_invitation_code_registers_a_verified_resident() {
    let (app, c) = TestApp::with_cast().await;
    let d = &c.district;
    let public = app.file(&c.neighbour, "water_leak", d).await;
    let res = app
        .post_as(
            &c.property_1,
            "/api/v1/invitations",
            &json!({"building_id": d.building_a1, "max_uses": 1}),
        )
        .await
        .expect(201);
    let code = res.body["code"].as_str().unwrap().to_owned();
    assert_eq!(res.body["compound_id"], d.compound_a);
    // Typed in lower case, without the dash.
    let typed = code.replace('-', "").to_lowercase();
    let invited = app.registered_resident(d.compound_a, Some(&typed)).await;
    let me = app.get_as(&invited, "/api/v1/me").await.expect(200);
    assert_eq!(me.body["verification"], "verified");
    assert_eq!(me.body["building_id"], d.building_a1);
    app.get_as(&invited, &format!("/api/v1/issues/{public}"))
        .await
        .expect(200);

    // Used up: refused before the SMS code is spent, and nothing is created.
    let phone = app.next_phone();
    let sms = app.sms_code(&phone, "register").await;
    let mut body = json!({
        "phone": phone, "password": "Invited-twice-9", "display_name": "第二位",
        "compound_id": d.compound_a, "invitation_code": code, "sms_code": sms,
    });
    let users = app.count("users");
    app.post("/api/v1/auth/register", None, &body)
        .await
        .expect_problem(422, "invalid_invitation");
    // For another compound: refused too.
    body["compound_id"] = json!(d.compound_b);
    app.post("/api/v1/auth/register", None, &body)
        .await
        .expect_problem(422, "invalid_invitation");
    assert_eq!(app.count("users"), users);
    // Without it the same code registers a pending resident.
    body["compound_id"] = json!(d.compound_a);
    body["invitation_code"] = json!(null);
    app.post("/api/v1/auth/register", None, &body)
        .await
        .expect(202);

    // Who may print codes, for which buildings.
    for (who, status, code) in [
        (&c.property_2, 422, "validation_failed"),
        (&c.committee_b, 422, "validation_failed"),
        (&c.resident, 403, "forbidden"),
        (&c.dispatcher, 403, "forbidden"),
    ] {
        app.post_as(
            who,
            "/api/v1/invitations",
            &json!({"building_id": d.building_a1}),
        )
        .await
        .expect_problem(status, code);
    }
    let res = app
        .post_as(
            &c.committee,
            "/api/v1/invitations",
            &json!({"building_id": d.building_a1}),
        )
        .await
        .expect(201);
    assert!(res.body["max_uses"].is_null());
    for bad in [
        json!({"max_uses": 0}),
        json!({"expires_at": "2020-01-01T00:00:00Z"}),
    ] {
        let mut body = bad.clone();
        body["building_id"] = json!(d.building_a1);
        app.post_as(&c.property_1, "/api/v1/invitations", &body)
            .await
            .expect_problem(422, "validation_failed");
    }
}

#[actix_web::test]
async fn the_demo_district_has_residents_waiting_for_verification() {
    let app = TestApp::new().await;
    let accounts = linli_api::demo::seed_if_empty(&app.state).unwrap().unwrap();
    let mut pending = 0;
    for staff in accounts.iter().filter(|a| a.role == "property_staff") {
        let login = app.login(&staff.phone, &staff.password).await.expect(200);
        let page = app
            .get(
                "/api/v1/residents?verification=pending",
                login.body["access_token"].as_str(),
            )
            .await
            .expect(200);
        pending += page.body["items"].as_array().unwrap().len();
    }
    assert_eq!(pending, 4);
    assert_eq!(app.count("invitations"), 1);
}
