//! Request ids, request logging, and the guarantee that every error leaves as
//! `application/problem+json`, whoever produced it (actix itself included).

use crate::{application::ProblemCode, messages, state::AppState};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use linli_domain::labels::Lang;
use tracing::Instrument;

use crate::error::ApiError;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, available to handlers as a request extension.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get(&REQUEST_ID)?.to_str().ok()?.trim();
    let ok = !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| v.to_owned())
}

/// An error status whose body is not a problem document becomes one with the matching code.
fn problem_for_status(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            detail: "the request body is too large".into(),
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType {
            detail: "unsupported content type".into(),
        },
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed {
            allow: String::new(),
        },
        StatusCode::UNAUTHORIZED => {
            ApiError::unauthorized(ProblemCode::Unauthorized, "authentication required")
        }
        StatusCode::FORBIDDEN => ApiError::forbidden("forbidden"),
        s if s.is_client_error() => ApiError::bad_request(
            ProblemCode::BadRequest,
            "the request could not be understood",
        ),
        s => ApiError::internal(format!("unhandled error status {s}")),
    }
}

/// The language a request prefers among those Linli speaks (`Accept-Language`), else the
/// district's default.
fn language(req: &ServiceRequest) -> Lang {
    let default = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.default_language)
        .unwrap_or_default();
    messages::preferred(req.headers(), default)
}

/// A problem document with its `title` and `detail` in `lang` (see [`messages`]), saying so in
/// `Content-Language`.
async fn in_language(
    res: ServiceResponse<BoxBody>,
    lang: Lang,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (req, res) = res.into_parts();
    let retry_after = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (mut head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let body =
        messages::localise(&bytes, lang, retry_after.as_deref()).unwrap_or_else(|| bytes.to_vec());
    let headers = head.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(body))))
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let lang = language(&req);
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path()
    );
    let started = std::time::Instant::now();
    // Handlers and extractors turn their errors into responses already; an `Err` here can only
    // come from actix internals and is rendered by actix (the request was consumed).
    let mut res = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if status.as_u16() >= 400 && !is_problem {
        let (req, old) = res.into_parts();
        let mut replacement: HttpResponse =
            actix_web::ResponseError::error_response(&problem_for_status(status));
        // Keep headers such as Allow or Retry-After that actix set.
        for (name, value) in old.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                replacement
                    .headers_mut()
                    .insert(name.clone(), value.clone());
            }
        }
        res = ServiceResponse::new(req, replacement);
    }
    if status.as_u16() >= 400 {
        res = in_language(res, lang).await?;
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "handled"
        );
    });
    Ok(res)
}
