//! CORS for configured origins only: a browser page on an allowed origin may preflight and read
//! the headers the API sends; any other origin gets no CORS headers.

use actix_web::http::Method;
use linli_tests::TestApp;

const APP_ORIGIN: &str = "https://app.linli.example.cn";

async fn preflight(app: &TestApp, origin: &str) -> linli_tests::Resp {
    let headers = [
        ("Origin", origin),
        ("Access-Control-Request-Method", "POST"),
        (
            "Access-Control-Request-Headers",
            "authorization, if-match, idempotency-key, content-type",
        ),
    ];
    app.request(
        Method::OPTIONS,
        "/api/v1/issues/1/triage",
        None,
        None,
        &headers,
    )
    .await
}

#[actix_web::test]
async fn an_allowed_origin_may_preflight_and_read_the_api_headers() {
    let app = TestApp::with_config(|c| c.cors_origins = vec![APP_ORIGIN.into()]).await;
    let res = preflight(&app, APP_ORIGIN).await;
    assert!(res.status < 300, "{}: {}", res.status, res.text);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(APP_ORIGIN)
    );
    let allowed = res
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for h in [
        "authorization",
        "if-match",
        "idempotency-key",
        "content-type",
    ] {
        assert!(allowed.contains(h), "{h} not allowed: {allowed}");
    }
    let methods = res.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("POST"), "{methods}");
    // The preflight passed the same layers as any response.
    assert!(res.header("x-request-id").is_some());
    assert_eq!(
        res.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );

    // The actual request: the page may read ETag, Location, Retry-After, RateLimit headers.
    let res = app
        .request(
            Method::GET,
            "/api/v1/categories",
            None,
            None,
            &[("Origin", APP_ORIGIN)],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(APP_ORIGIN)
    );
    let exposed = res
        .header("access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    for h in [
        "etag",
        "location",
        "retry-after",
        "ratelimit",
        "ratelimit-policy",
        "x-request-id",
    ] {
        assert!(
            exposed.split(',').any(|e| e.trim() == h),
            "{h} not exposed: {exposed}"
        );
    }
}

#[actix_web::test]
async fn another_origin_or_no_configuration_gets_no_cors_headers() {
    let app = TestApp::with_config(|c| c.cors_origins = vec![APP_ORIGIN.into()]).await;
    let res = preflight(&app, "https://evil.example.com").await;
    assert_eq!(
        res.header("access-control-allow-origin"),
        None,
        "{}",
        res.text
    );
    let res = app
        .request(
            Method::GET,
            "/api/v1/categories",
            None,
            None,
            &[("Origin", "https://evil.example.com")],
        )
        .await;
    assert_eq!(res.status, 200, "a non-browser client is served as before");
    assert_eq!(res.header("access-control-allow-origin"), None);

    // Off by default: even the origin above gets nothing.
    let app = TestApp::new().await;
    let res = preflight(&app, APP_ORIGIN).await;
    assert_eq!(res.header("access-control-allow-origin"), None);
    let res = app
        .request(
            Method::GET,
            "/api/v1/categories",
            None,
            None,
            &[("Origin", APP_ORIGIN)],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), None);
}
