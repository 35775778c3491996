//! Cross-origin access for the browser front ends a district names in `LINLI_CORS_ORIGINS`
//! (a web app on another host calling the API with its bearer token). With no origins
//! configured the layer is off: no CORS headers, and a preflight is answered like any other
//! `OPTIONS` request. A request from an origin not on the list is served without CORS headers,
//! so the browser withholds the answer from that page; clients that are not browsers are
//! unaffected either way.

use actix_cors::Cors;
use actix_web::http::Method;

/// The request headers the API reads besides the simple ones.
const ALLOWED_HEADERS: [&str; 7] = [
    "Authorization",
    "Content-Type",
    "Accept",
    "Accept-Language",
    "If-Match",
    "Idempotency-Key",
    "Last-Event-ID",
];

/// The response headers a page may read besides the simple ones.
const EXPOSED_HEADERS: [&str; 8] = [
    "ETag",
    "Location",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    "X-Request-Id",
    "Idempotent-Replayed",
    "Content-Disposition",
];

/// The CORS layer for `origins` (validated by the configuration).
pub fn layer(origins: &[String]) -> Cors {
    let methods = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
    ];
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(methods)
        .allowed_headers(ALLOWED_HEADERS)
        .expose_headers(EXPOSED_HEADERS)
        .max_age(600)
        .block_on_origin_mismatch(false)
}
