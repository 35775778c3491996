//! Photos, comments, "me too" (附议) and notifications through HTTP. Issues are put into the
//! needed state through the domain and the shared command path (`linli_tests::direct`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use linli_tests::{BOUNDARY, PNG, Resp, Session, TestApp, multipart, serde_json::json};

/// Blobs in the photo store.
pub(crate) fn stored_blobs(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() { walk(&p) } else { 1 }
                })
                .sum()
        })
    }
    walk(&app.state.config.data_dir.join("photos"))
}

#[actix_web::test]
async fn a_photo_is_judged_by_content_and_served_to_those_who_may_see_the_issue() {
    let (app, cast) = TestApp::with_cast().await;
    // A private issue: only the reporter and staff in scope see it.
    let issue = app.resident_files_direct(&cast, "water_leak", false);

    let res = app
        .upload(&cast.resident, issue, "image/jpeg", &PNG)
        .await
        .expect(201);
    assert_eq!(res.body["issue_id"], issue);
    // Judged by content (a PNG declared as JPEG is accepted as the PNG it is), and stored
    // re-encoded as a JPEG.
    assert_eq!(res.body["content_type"], "image/jpeg");
    let size = res.body["size_bytes"].as_u64().unwrap();
    let url = format!("/api/v1/photos/{}", res.id());
    assert!(res.body["url"].as_str().unwrap().starts_with(&url));
    assert_eq!(res.header("location").as_deref(), Some(url.as_str()));
    assert_eq!(app.count("photos"), 1);

    let got = app.get_as(&cast.resident, &url).await.expect(200);
    assert_eq!(got.header("content-type").as_deref(), Some("image/jpeg"));
    assert_eq!(got.header("cache-control").as_deref(), Some("private"));
    assert_eq!(
        got.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    drop(got);
    let mut raw = app
        .client
        .get(app.url(&url))
        .insert_header((
            "Authorization",
            format!("Bearer {}", cast.resident.access_token),
        ))
        .send()
        .await
        .unwrap();
    let bytes = raw.body().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG comes back");
    assert_eq!(bytes.len() as u64, size, "of the size the response said");

    // The street's dispatcher and the auditor may see it; a neighbour, a resident of another
    // compound and a company not handling it may not — and cannot tell it exists.
    for who in [&cast.dispatcher, &cast.auditor] {
        app.get_as(who, &url).await.expect(200);
    }
    for who in [
        &cast.neighbour,
        &cast.outsider,
        &cast.property_1,
        &cast.admin,
    ] {
        app.get_as(who, &url).await.expect_problem(404, "not_found");
    }
    app.get_as(&cast.resident, "/api/v1/photos/999999")
        .await
        .expect_problem(404, "not_found");
    app.get(&url, None)
        .await
        .expect_problem(401, "missing_token");

    let list = app
        .get_as(&cast.resident, &format!("/api/v1/issues/{issue}/photos"))
        .await
        .expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    app.get_as(&cast.neighbour, &format!("/api/v1/issues/{issue}/photos"))
        .await
        .expect_problem(404, "not_found");

    // Once the property company handles it, its staff add rectification evidence.
    app.upload(&cast.property_1, issue, "image/png", &PNG)
        .await
        .expect_problem(404, "not_found");
    app.triage_direct(issue, &cast.dispatcher);
    app.upload(&cast.property_1, issue, "image/png", &PNG)
        .await
        .expect(201);
    app.get_as(&cast.property_1, &url).await.expect(200);
    assert_eq!(app.count("photos"), 2);
}

#[actix_web::test]
async fn who_may_not_upload() {
    let (app, cast) = TestApp::with_cast().await;
    let public = app.resident_files_direct(&cast, "street_lamp", true);
    for (who, id, status, code) in [
        // A neighbour sees the public issue but did not report it.
        (&cast.neighbour, public, 403, "forbidden"),
        (&cast.outsider, public, 404, "not_found"),
        (&cast.auditor, public, 403, "forbidden"),
        (&cast.admin, public, 403, "forbidden"),
        (&cast.resident, 999_999, 404, "not_found"),
    ] {
        app.upload(who, id, "image/png", &PNG)
            .await
            .expect_problem(status, code);
    }
    // Staff who see it (the community official) may add photos, e.g. from a patrol.
    app.upload(&cast.official, public, "image/png", &PNG)
        .await
        .expect(201);
    assert_eq!(app.count("photos"), 1);
}

#[actix_web::test]
async fn bad_uploads_are_refused_and_store_nothing() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    let path = format!("/api/v1/issues/{issue}/photos");
    let token = cast.resident.access_token.clone();

    // Not an image, whatever it claims to be.
    let script = b"<html><script>alert(1)</script></html>";
    let webp_header_only = b"RIFF\0\0\0\0WEBX";
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    for (declared, bytes) in [
        ("image/png", &script[..]),
        ("text/plain", &b"just some text"[..]),
        ("image/webp", &webp_header_only[..]),
        ("image/gif", &gif[..]),
        ("image/png", &b""[..]),
    ] {
        app.upload(&cast.resident, issue, declared, bytes)
            .await
            .expect_problem(422, "unsupported_image");
    }

    // Larger than 10 MB (a valid PNG head followed by padding).
    let padded = |len: usize| {
        let mut bytes = PNG.to_vec();
        bytes.resize(len, 0);
        bytes
    };
    let huge = padded(11 * 1024 * 1024);
    for bytes in [&padded(10 * 1024 * 1024 + 1), &huge] {
        app.upload(&cast.resident, issue, "image/png", bytes)
            .await
            .expect_problem(413, "payload_too_large");
    }

    // A chunked body announces no length: it is cut off while streaming.
    let (ct, body) = multipart(&[("file", Some("big.png"), "image/png", &huge)]);
    let chunks: Vec<Result<actix_web::web::Bytes, std::io::Error>> = body
        .chunks(256 * 1024)
        .map(|c| Ok(actix_web::web::Bytes::copy_from_slice(c)))
        .collect();
    let mut res = app
        .client
        .post(app.url(&path))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .insert_header(("Content-Type", ct))
        .send_stream(futures_util::stream::iter(chunks))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    let problem: serde_json::Value = serde_json::from_slice(&res.body().await.unwrap()).unwrap();
    assert_eq!(problem["code"], "payload_too_large");

    // No `file` field, two of them, not multipart at all, a broken body.
    let no_file = multipart(&[("photo", Some("a.png"), "image/png", &PNG)]);
    let two_files = multipart(&[
        ("file", Some("a.png"), "image/png", &PNG),
        ("file", Some("b.png"), "image/png", &PNG),
    ]);
    let garbage = (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        b"--not-the-boundary\r\ngarbage".to_vec(),
    );
    for ((ct, body), status, code) in [
        (no_file, 422, "validation_failed"),
        (two_files, 422, "validation_failed"),
        (
            ("image/png".into(), PNG.to_vec()),
            415,
            "unsupported_media_type",
        ),
        (
            ("application/json".into(), b"{}".to_vec()),
            415,
            "unsupported_media_type",
        ),
        (garbage, 400, "malformed_multipart"),
    ] {
        app.send_raw(Method::POST, &path, Some(&token), &ct, body)
            .await
            .expect_problem(status, code);
    }

    assert_eq!(app.count("photos"), 0);
    assert_eq!(stored_blobs(&app), 0);

    // A good one still works afterwards.
    app.upload(&cast.resident, issue, "image/png", &PNG)
        .await
        .expect(201);
    assert_eq!(stored_blobs(&app), 2, "the original and its thumbnail");
}

#[actix_web::test]
async fn an_issue_takes_at_most_nine_photos() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "greening", false);
    for _ in 0..7 {
        app.upload(&cast.resident, issue, "image/png", &PNG)
            .await
            .expect(201);
    }
    // Three at once for the last two places: exactly two get in.
    let (a, b, c) = futures_util::future::join3(
        app.upload(&cast.resident, issue, "image/png", &PNG),
        app.upload(&cast.resident, issue, "image/png", &PNG),
        app.upload(&cast.resident, issue, "image/png", &PNG),
    )
    .await;
    let mut statuses = [a.status, b.status, c.status];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [201, 201, 409],
        "{} / {} / {}",
        a.text,
        b.text,
        c.text
    );
    app.upload(&cast.resident, issue, "image/png", &PNG)
        .await
        .expect_problem(409, "too_many_photos");
    assert_eq!(app.count("photos"), 9);
    // Identical bytes are stored once (an original and its thumbnail).
    assert_eq!(stored_blobs(&app), 2);
    let list = app
        .get_as(&cast.resident, &format!("/api/v1/issues/{issue}/photos"))
        .await
        .expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 9);
}

#[actix_web::test]
async fn internal_comments_stay_among_staff() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    app.triage_direct(issue, &cast.dispatcher);
    let path = format!("/api/v1/issues/{issue}/comments");

    let res = app
        .post_as(&cast.neighbour, &path, &json!({"body": "  我家也漏水了  "}))
        .await
        .expect(201);
    assert_eq!(res.body["body"], "我家也漏水了");
    assert_eq!(res.body["internal"], false);
    assert_eq!(res.body["author_id"], cast.neighbour.id);
    assert_eq!(res.body["author_role"], "resident");
    for body in [
        json!({"body": "水管老化，需要更换整段", "internal": true}),
        json!({"body": "师傅下午两点到", "internal": false}),
    ] {
        app.post_as(&cast.property_1, &path, &body)
            .await
            .expect(201);
    }

    // Residents cannot write internal notes; auditors only read; admins see no cases;
    // someone who cannot see the issue cannot tell it exists.
    let before = app.count("comments");
    for (who, body, status, code) in [
        (
            &cast.resident,
            json!({"body": "内部？", "internal": true}),
            403,
            "forbidden",
        ),
        (&cast.auditor, json!({"body": "审计意见"}), 403, "forbidden"),
        (&cast.admin, json!({"body": "管理员"}), 403, "forbidden"),
        (&cast.outsider, json!({"body": "路过"}), 404, "not_found"),
    ] {
        app.post_as(who, &path, &body)
            .await
            .expect_problem(status, code);
    }
    // Bad bodies.
    for (body, status, code) in [
        (json!({"body": "   "}), 422, "validation_failed"),
        (json!({"body": "x".repeat(2001)}), 422, "validation_failed"),
        (json!({"body": "ok", "extra": 1}), 400, "invalid_body"),
        (json!({"internal": false}), 400, "invalid_body"),
        (json!({"body": 5}), 400, "invalid_body"),
    ] {
        let res = app
            .post_as(&cast.resident, &path, &body)
            .await
            .expect_problem(status, code);
        if status == 422 {
            assert_eq!(res.body["field"], "body");
        }
    }
    assert_eq!(app.count("comments"), before);

    let bodies = |res: Resp| -> Vec<String> {
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["body"].as_str().unwrap().to_owned())
            .collect()
    };
    let for_resident = bodies(app.get_as(&cast.resident, &path).await.expect(200));
    assert_eq!(for_resident, ["我家也漏水了", "师傅下午两点到"]);
    let for_staff = bodies(app.get_as(&cast.property_1, &path).await.expect(200));
    assert_eq!(
        for_staff,
        ["我家也漏水了", "水管老化，需要更换整段", "师傅下午两点到"]
    );
    let for_auditor = bodies(app.get_as(&cast.auditor, &path).await.expect(200));
    assert_eq!(for_auditor.len(), 3);
    app.get_as(&cast.outsider, &path)
        .await
        .expect_problem(404, "not_found");

    // Paging, oldest first.
    let page = app
        .get_as(&cast.property_1, &format!("{path}?limit=2"))
        .await
        .expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .get_as(&cast.property_1, &format!("{path}?limit=2&cursor={cursor}"))
        .await
        .expect(200);
    assert_eq!(bodies(rest), ["师傅下午两点到"]);
    for query in ["cursor=nonsense", "limit=0"] {
        app.get_as(&cast.property_1, &format!("{path}?{query}"))
            .await
            .expect_problem(400, "invalid_query");
    }
}

#[actix_web::test]
async fn a_neighbour_supports_a_public_issue_once() {
    let (app, cast) = TestApp::with_cast().await;
    let d = cast.district;
    let public = app.resident_files_direct(&cast, "street_lamp", true);
    let private = app.resident_files_direct(&cast, "water_leak", false);
    let support = |id: i64| format!("/api/v1/issues/{id}/support");

    let res = app
        .post_as(&cast.neighbour, &support(public), &json!({}))
        .await
        .expect(200);
    assert_eq!(res.body["id"], public);
    assert_eq!(res.body["support_count"], 1);
    for (who, id, status, code) in [
        (&cast.neighbour, public, 409, "already_supported"),
        (&cast.resident, public, 409, "own_issue"),
        // Another compound's resident cannot see it; a private issue is invisible to neighbours.
        (&cast.outsider, public, 404, "not_found"),
        (&cast.neighbour, private, 404, "not_found"),
        (&cast.neighbour, 999_999, 404, "not_found"),
        // "Me too" is a resident's voice.
        (&cast.property_1, public, 403, "forbidden"),
        (&cast.official, public, 403, "forbidden"),
        (&cast.auditor, public, 403, "forbidden"),
    ] {
        app.post_as(who, &support(id), &json!({}))
            .await
            .expect_problem(status, code);
    }

    let third = app.resident(d.compound_a, Some(d.building_a1)).await;
    let res = app
        .post_as(&third, &support(public), &json!({}))
        .await
        .expect(200);
    assert_eq!(res.body["support_count"], 2);
    assert_eq!(app.count("supports"), 2);

    // Concurrent double taps count once.
    let fourth = app.resident(d.compound_a, Some(d.building_a1)).await;
    let path = support(public);
    let (a, b) = futures_util::future::join(
        app.post_as(&fourth, &path, &json!({})),
        app.post_as(&fourth, &path, &json!({})),
    )
    .await;
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.text, b.text);
    assert_eq!(app.count("supports"), 3);
    assert_eq!(support_count(&app, public), 3);

    // A closed issue takes no more support.
    app.triage_direct(public, &cast.dispatcher);
    app.rectify_direct(public, &cast.property_1, Some(&cast.committee));
    app.confirm_direct(public, &cast.resident, 5);
    let fifth = app.resident(d.compound_a, Some(d.building_a1)).await;
    app.post_as(&fifth, &support(public), &json!({}))
        .await
        .expect_problem(409, "issue_not_open");
}

fn support_count(app: &TestApp, issue: i64) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        support_count: i32,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.conn();
    let n: N = diesel::sql_query(format!(
        "SELECT support_count FROM issues WHERE id = {issue}"
    ))
    .get_result(&mut *conn as &mut linli_infra::DbConn)
    .unwrap();
    i64::from(n.support_count)
}

#[actix_web::test]
async fn notifications_reach_the_reporter_and_the_assignee() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    let list = |who: &Session, query: &str| {
        let path = format!("/api/v1/notifications{query}");
        let token = who.access_token.clone();
        let app = &app;
        async move { app.get(&path, Some(&token)).await.expect(200) }
    };

    // Filing tells the street's dispatcher, not the reporter.
    let res = list(&cast.dispatcher, "").await;
    assert_eq!(res.body["items"][0]["kind"], "created");
    assert_eq!(
        list(&cast.resident, "").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    app.triage_direct(issue, &cast.dispatcher);
    // The reporter learns their issue moved; the property company gets the assignment.
    let res = list(&cast.resident, "").await;
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", res.text);
    assert_eq!(items[0]["kind"], "triaged");
    assert_eq!(items[0]["issue_id"], issue);
    assert!(items[0]["event_id"].as_i64().is_some());
    assert!(items[0]["read_at"].is_null());
    let res = list(&cast.property_1, "").await;
    assert_eq!(res.body["items"][0]["kind"], "triaged");
    assert_eq!(res.body["items"][0]["issue_id"], issue);
    // Others hear nothing; the dispatcher is not told of their own action.
    assert_eq!(
        list(&cast.property_2, "").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        list(&cast.neighbour, "").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        list(&cast.dispatcher, "").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Mark read: only one's own.
    let id = list(&cast.resident, "").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let read = |who: &Session, id: i64| {
        let token = who.access_token.clone();
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/notifications/{id}/read"),
                Some(&token),
                &json!({}),
            )
            .await
        }
    };
    read(&cast.property_1, id)
        .await
        .expect_problem(404, "not_found");
    read(&cast.resident, 999_999)
        .await
        .expect_problem(404, "not_found");
    let res = read(&cast.resident, id).await.expect(200);
    let read_at = res.body["read_at"].as_str().unwrap().to_owned();
    // Idempotent: the first read time stays.
    app.clock.advance(chrono::Duration::minutes(1));
    let again = read(&cast.resident, id).await.expect(200);
    assert_eq!(again.body["read_at"].as_str(), Some(read_at.as_str()));
    assert_eq!(
        list(&cast.resident, "?unread=true").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        list(&cast.resident, "?unread=false").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Answering and rectifying add more for the reporter; newest first, paged.
    app.rectify_direct(issue, &cast.property_1, None);
    let res = list(&cast.resident, "?limit=1").await;
    assert_eq!(res.body["items"][0]["kind"], "rectified");
    let cursor = res.body["next_cursor"].as_str().unwrap().to_owned();
    let res = list(&cast.resident, &format!("?limit=1&cursor={cursor}")).await;
    assert_eq!(res.body["items"][0]["kind"], "answered");
    let res = list(&cast.resident, "?limit=100").await;
    let kinds: Vec<&str> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["rectified", "answered", "triaged"]);
    assert!(res.body["next_cursor"].is_null());
    // Rectified at the property level goes to the committee for supervision.
    assert_eq!(
        list(&cast.committee, "").await.body["items"][0]["kind"],
        "rectified"
    );

    app.get_as(&cast.resident, "/api/v1/notifications?cursor=zz")
        .await
        .expect_problem(400, "invalid_query");
    app.get_as(&cast.resident, "/api/v1/notifications?limit=101")
        .await
        .expect_problem(400, "invalid_query");
    app.get_as(&cast.resident, "/api/v1/notifications?unread=maybe")
        .await
        .expect_problem(400, "invalid_query");
    app.get("/api/v1/notifications", None)
        .await
        .expect_problem(401, "missing_token");
}

#[actix_web::test]
async fn the_new_endpoints_are_in_the_spec() {
    let app = TestApp::new().await;
    let spec = app
        .get("/api-docs/openapi.json", None)
        .await
        .expect(200)
        .body;
    for (path, method, op) in [
        ("/api/v1/issues/{id}/photos", "post", "upload_issue_photo"),
        ("/api/v1/issues/{id}/photos", "get", "list_issue_photos"),
        ("/api/v1/photos/{id}", "get", "get_photo"),
        ("/api/v1/issues/{id}/comments", "post", "add_comment"),
        ("/api/v1/issues/{id}/comments", "get", "list_comments"),
        ("/api/v1/issues/{id}/support", "post", "support_issue"),
        ("/api/v1/notifications", "get", "list_notifications"),
        (
            "/api/v1/notifications/{id}/read",
            "post",
            "mark_notification_read",
        ),
        ("/api/v1/revisits/due", "get", "list_due_revisits"),
    ] {
        let op_doc = &spec["paths"][path][method];
        assert_eq!(op_doc["operationId"], op, "{method} {path}");
        assert!(op_doc["security"].is_array(), "{op} has no security");
        let responses = op_doc["responses"].as_object().unwrap();
        for (status, r) in responses {
            if status.starts_with('4') {
                assert!(
                    r["content"]["application/problem+json"].is_object(),
                    "{op} {status} is not a problem document"
                );
            }
        }
    }
    let upload = &spec["paths"]["/api/v1/issues/{id}/photos"]["post"]["requestBody"]["content"];
    assert!(upload["multipart/form-data"].is_object(), "{upload}");
}
