//! Phone-friendly photos through HTTP: stored without their metadata and upright, capped, with a
//! thumbnail; signed URLs that work without a token for a while and for nothing else; bombs and
//! garbage refused; photos stored before thumbnails existed still served.

use chrono::Duration;
use image::GenericImageView;
use linli_infra::{
    DbConn,
    repo::photos::{self, NewPhoto},
    test_photos::{GPS_LATITUDE, contains, exif_with_gps, jpeg, png_claiming, with_exif},
};
use linli_tests::{Cast, PNG, Resp, TestApp};

use crate::workflow_extras::stored_blobs;

/// The width and height of a served JPEG.
fn jpeg_size(res: &Resp) -> (u32, u32) {
    assert_eq!(res.header("content-type").as_deref(), Some("image/jpeg"));
    image::load_from_memory_with_format(&res.bytes, image::ImageFormat::Jpeg)
        .unwrap()
        .dimensions()
}

/// The value of the query parameter `name` of `url`.
fn param(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

/// `url` with the query parameter `name` set to `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let (path, query) = url.split_once('?').unwrap();
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.starts_with(&format!("{name}=")))
        .map(str::to_owned)
        .collect();
    params.push(format!("{name}={value}"));
    format!("{path}?{}", params.join("&"))
}

/// The photo's signed URLs, as listed to `who`.
async fn signed_urls(app: &TestApp, cast: &Cast, issue: i64, photo: i64) -> (String, String) {
    let list = app
        .get_as(&cast.resident, &format!("/api/v1/issues/{issue}/photos"))
        .await
        .expect(200);
    let item = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == photo)
        .unwrap()
        .clone();
    (
        item["url"].as_str().unwrap().to_owned(),
        item["thumbnail_url"].as_str().unwrap().to_owned(),
    )
}

#[actix_web::test]
async fn an_uploaded_jpeg_loses_its_exif_and_comes_back_upright() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", false);
    // 60 × 30 pixels, taken with the phone turned (orientation 6: rotate 90° clockwise to
    // view), with a GPS position.
    let upload = with_exif(&jpeg(60, 30), &exif_with_gps(6));
    assert!(contains(&upload, b"Exif") && contains(&upload, &GPS_LATITUDE));

    let res = app
        .upload(&cast.resident, issue, "image/jpeg", &upload)
        .await
        .expect(201);
    assert_eq!(res.body["content_type"], "image/jpeg");
    let id = res.id();
    let thumbnail_url = res.body["thumbnail_url"].as_str().unwrap().to_owned();

    let path = format!("/api/v1/photos/{id}");
    let original = app.get_as(&cast.resident, &path).await.expect(200);
    let thumbnail = app.get(&thumbnail_url, None).await.expect(200);
    let by_token = app
        .get_as(&cast.resident, &format!("{path}?size=thumb"))
        .await
        .expect(200);
    assert_eq!(by_token.bytes, thumbnail.bytes);
    for served in [&original, &thumbnail] {
        let bytes = &served.bytes;
        assert!(!contains(bytes, b"Exif"), "no EXIF");
        assert!(
            !contains(bytes, &[0xFF, 0xE1]),
            "no APP1 segment (EXIF, XMP)"
        );
        assert!(!contains(bytes, &GPS_LATITUDE), "no GPS position");
        // Upright: the sides are swapped.
        assert_eq!(jpeg_size(served), (30, 60));
    }
    assert_eq!(
        res.body["size_bytes"].as_u64(),
        Some(original.bytes.len() as u64)
    );
}

#[actix_web::test]
async fn originals_are_capped_and_thumbnails_are_small() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", false);
    let res = app
        .upload(&cast.resident, issue, "image/jpeg", &jpeg(3000, 1500))
        .await
        .expect(201);
    let original = app.get(res.body["url"].as_str().unwrap(), None).await;
    assert_eq!(jpeg_size(&original.expect(200)), (2560, 1280));
    let thumb = app
        .get(res.body["thumbnail_url"].as_str().unwrap(), None)
        .await;
    assert_eq!(jpeg_size(&thumb.expect(200)), (400, 200));

    // A PNG is stored as a JPEG too; a small one is not enlarged.
    let res = app
        .upload(&cast.resident, issue, "image/png", &PNG)
        .await
        .expect(201);
    assert_eq!(res.body["content_type"], "image/jpeg");
    let thumb = app
        .get(res.body["thumbnail_url"].as_str().unwrap(), None)
        .await;
    assert_eq!(jpeg_size(&thumb.expect(200)), (1, 1));
}

#[actix_web::test]
async fn a_signed_url_works_without_a_token_for_its_photo_and_size_until_it_expires() {
    let (app, mut cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", false);
    let first = app
        .upload(&cast.resident, issue, "image/jpeg", &jpeg(64, 48))
        .await
        .expect(201)
        .id();
    let second = app
        .upload(&cast.resident, issue, "image/jpeg", &jpeg(48, 64))
        .await
        .expect(201)
        .id();
    let (url, thumb) = signed_urls(&app, &cast, issue, first).await;
    assert!(
        url.starts_with(&format!("/api/v1/photos/{first}?")),
        "{url}"
    );
    assert!(thumb.contains("size=thumb"), "{thumb}");

    // Without a token, as an <img src> would load it.
    let res = app.get(&url, None).await.expect(200);
    assert_eq!(jpeg_size(&res), (64, 48));
    let cache = res.header("cache-control").unwrap();
    let max_age: i64 = cache
        .strip_prefix("private, max-age=")
        .unwrap()
        .parse()
        .unwrap();
    assert!((3600..=3600 + 300).contains(&max_age), "{cache}");
    assert_eq!(
        jpeg_size(&app.get(&thumb, None).await.expect(200)),
        (64, 48)
    );
    // A token does not get in the way.
    app.get_as(&cast.neighbour, &url).await.expect(200);

    // Another photo, another size, another expiry or a changed signature: refused.
    let other_photo = url.replacen(
        &format!("/photos/{first}?"),
        &format!("/photos/{second}?"),
        1,
    );
    let expires: i64 = param(&url, "expires").parse().unwrap();
    let signature = param(&url, "signature");
    let mut flipped: Vec<char> = signature.chars().collect();
    flipped[3] = if flipped[3] == 'A' { 'B' } else { 'A' };
    let flipped: String = flipped.into_iter().collect();
    let without_expiry = url.replacen(&format!("expires={expires}&"), "", 1);
    for altered in [
        other_photo,
        with_param(&url, "size", "thumb"),
        with_param(&thumb, "size", "original"),
        with_param(&url, "expires", &(expires + 3600).to_string()),
        with_param(&url, "signature", &flipped),
        without_expiry,
    ] {
        app.get(&altered, None)
            .await
            .expect_problem(403, "invalid_photo_url");
    }
    // A signed URL for a photo that does not exist is refused the same way.
    app.get(
        &url.replacen(&format!("/photos/{first}?"), "/photos/999999?", 1),
        None,
    )
    .await
    .expect_problem(403, "invalid_photo_url");
    // An unknown size is a bad query, signed or not.
    app.get(&with_param(&url, "size", "large"), None)
        .await
        .expect_problem(400, "invalid_query");
    // The path alone still needs the token.
    app.get(&format!("/api/v1/photos/{first}"), None)
        .await
        .expect_problem(401, "missing_token");

    // Just before the expiry it works; from then on it is refused, with the code that says
    // to list again; the new list signs again.
    let now = app.now().timestamp();
    app.clock.advance(Duration::seconds(expires - now - 1));
    app.get(&url, None).await.expect(200);
    app.clock.advance(Duration::seconds(1));
    app.get(&url, None)
        .await
        .expect_problem(403, "photo_url_expired");
    app.get(&thumb, None)
        .await
        .expect_problem(403, "photo_url_expired");
    app.relogin(&mut cast.resident).await;
    let (fresh, _) = signed_urls(&app, &cast, issue, first).await;
    assert_ne!(fresh, url);
    app.get(&fresh, None).await.expect(200);
}

#[actix_web::test]
async fn photos_of_issues_a_caller_cannot_see_are_never_signed_for_them() {
    let (app, cast) = TestApp::with_cast().await;
    let private = app.resident_files_direct(&cast, "water_leak", false);
    app.upload(&cast.resident, private, "image/jpeg", &jpeg(32, 32))
        .await
        .expect(201);
    for who in [&cast.neighbour, &cast.outsider, &cast.admin] {
        let res = app
            .get_as(who, &format!("/api/v1/issues/{private}/photos"))
            .await
            .expect_problem(404, "not_found");
        assert!(!res.text.contains("signature"), "{}", res.text);
    }
}

#[actix_web::test]
async fn bombs_and_garbage_are_refused_and_store_nothing() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", false);
    // A few dozen bytes claiming 60 000 × 60 000 pixels (10 GB decoded), or 16 000 × 16 000
    // (within each side's limit, 256 million pixels in all).
    for bomb in [png_claiming(60_000, 60_000), png_claiming(16_000, 16_000)] {
        app.upload(&cast.resident, issue, "image/png", &bomb)
            .await
            .expect_problem(422, "image_too_large");
    }
    // A JPEG's first bytes followed by garbage; a JPEG cut off in its headers.
    let mut garbage = vec![0xFF, 0xD8, 0xFF, 0xE0];
    garbage.extend(std::iter::repeat_n(0x5Au8, 4096));
    let cut = jpeg(64, 64)[..40].to_vec();
    for bytes in [garbage, cut] {
        app.upload(&cast.resident, issue, "image/jpeg", &bytes)
            .await
            .expect_problem(422, "unsupported_image");
    }
    assert_eq!(app.count("photos"), 0);
    assert_eq!(stored_blobs(&app), 0);
}

#[actix_web::test]
async fn photos_stored_before_thumbnails_existed_are_still_served() {
    let (app, cast) = TestApp::with_cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", false);
    // As the server stored uploads before: the bytes as sent, no thumbnail. One decodable,
    // one that is not.
    let mut legacy = Vec::new();
    for (bytes, content_type) in [
        (&PNG[..], "image/png"),
        (b"\xFF\xD8\xFFnot a jpeg", "image/jpeg"),
    ] {
        let hash = app.state.photos.put(bytes).unwrap();
        let mut conn = app.conn();
        let row = photos::insert(
            &mut *conn as &mut DbConn,
            &NewPhoto {
                issue_id: issue,
                uploaded_by: cast.resident.id,
                content_hash: &hash,
                content_type,
                size_bytes: bytes.len() as i64,
                created_at: app.now().timestamp_millis(),
                thumbnail_hash: None,
            },
        )
        .unwrap();
        legacy.push((row.id, bytes.to_vec(), content_type));
    }

    for (id, bytes, content_type) in &legacy {
        let (url, thumb) = signed_urls(&app, &cast, issue, *id).await;
        let original = app.get(&url, None).await.expect(200);
        assert_eq!(&original.bytes, bytes, "the original as stored");
        assert_eq!(
            original.header("content-type").as_deref(),
            Some(*content_type)
        );
        let first = app.get(&thumb, None).await.expect(200);
        let again = app
            .get_as(&cast.resident, &format!("/api/v1/photos/{id}?size=thumb"))
            .await
            .expect(200);
        assert_eq!(first.bytes, again.bytes);
        assert_eq!(first.header("etag"), again.header("etag"));
        if *content_type == "image/png" {
            // Made on first request, and kept.
            assert_eq!(jpeg_size(&first), (1, 1));
        } else {
            // Not decodable: the original stands in for its thumbnail.
            assert_eq!(&first.bytes, bytes);
        }
    }
    assert_eq!(
        stored_blobs(&app),
        3,
        "two originals and one thumbnail made late"
    );
}

/// `GET path` on another node with a bearer token: status and body bytes.
async fn fetch_from(node: &linli_tests::live::Node, path: &str, token: &str) -> (u16, Vec<u8>) {
    let mut res = awc::Client::new()
        .get(node.url(path))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .unwrap();
    let bytes = res.body().limit(20 * 1024 * 1024).await.unwrap();
    (res.status().as_u16(), bytes.to_vec())
}

#[actix_web::test]
async fn photos_kept_in_the_database_are_served_by_every_node() {
    use linli_api::photos::PhotoStoreKind;
    let app = TestApp::with_config(|c| c.photo_store = PhotoStoreKind::Database).await;
    let cast = app.cast().await;
    let issue = app.resident_files_direct(&cast, "water_leak", true);
    let photo = app
        .upload(&cast.resident, issue, "image/jpeg", &jpeg(640, 480))
        .await
        .expect(201);
    let id = photo.body["id"].as_i64().unwrap();
    assert_eq!(
        app.count("photo_blobs"),
        2,
        "the original and its thumbnail"
    );
    assert_eq!(stored_blobs(&app), 0, "nothing on this node's disk");

    // A second API node with a disk of its own, on the same database.
    let mut config = (*app.state.config).clone();
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    config.data_dir = std::env::temp_dir().join(format!("linli-node-{}", nonce.as_nanos()));
    std::fs::create_dir_all(&config.data_dir).unwrap();
    let node = linli_tests::live::Node::start(config, app.clock.clone()).await;
    for size in ["", "?size=thumb"] {
        let path = format!("/api/v1/photos/{id}{size}");
        let here = app.get_as(&cast.neighbour, &path).await.expect(200);
        let (status, there) = fetch_from(&node, &path, &cast.neighbour.access_token).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(there, here.bytes, "{path}: the same bytes from either node");
    }
    // Uploaded through the second node, served by the first.
    let other = jpeg(320, 200);
    let (content_type, body) =
        linli_tests::multipart(&[("file", Some("photo.jpg"), "image/jpeg", &other)]);
    let mut res = awc::Client::new()
        .post(node.url(&format!("/api/v1/issues/{issue}/photos")))
        .insert_header((
            "Authorization",
            format!("Bearer {}", cast.resident.access_token),
        ))
        .insert_header(("Content-Type", content_type))
        .send_body(body)
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let body: linli_tests::serde_json::Value = res.json().await.unwrap();
    let second = body["id"].as_i64().unwrap();
    app.get_as(&cast.neighbour, &format!("/api/v1/photos/{second}"))
        .await
        .expect(200);
    node.stop().await;
}
