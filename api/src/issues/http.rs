//! HTTP helpers the issue handlers share: `ETag` / `If-Match`, parsing person-written text into
//! domain values under the request's field name, and the 200 answer of a workflow step.

use crate::application::ProblemCode;
use actix_web::{HttpRequest, HttpResponse, http::header};
use linli_domain::{DomainError, values::Note};

use crate::{
    application::issues::IssueView,
    error::{ApiError, ApiResult},
    issues::dto::IssueResponse,
};

/// `ETag` value of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`); `*` or absent → `None`.
pub fn if_match(req: &HttpRequest) -> ApiResult<Option<i64>> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value
        .to_str()
        .map_err(|_| {
            ApiError::bad_request(ProblemCode::InvalidIfMatch, "If-Match must be an ETag")
        })?
        .trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(
                ProblemCode::InvalidIfMatch,
                "If-Match must be the ETag of the issue, e.g. \"3\"",
            )
        })
}

/// Re-label a domain validation error with the request's field name.
pub fn relabel(field: &'static str, e: DomainError) -> ApiError {
    match e {
        DomainError::Invalid { message, .. } => ApiError::validation(field, message),
        other => other.into(),
    }
}

/// A required person-written text (1 to 2000 characters, trimmed, no control characters).
pub fn note(field: &'static str, raw: &str) -> ApiResult<Note> {
    Note::parse(raw).map_err(|e| relabel(field, e))
}

/// An optional person-written text; blank counts as absent.
pub fn opt_note(field: &'static str, raw: Option<&str>) -> ApiResult<Option<Note>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => note(field, s).map(Some),
    }
}

/// 200 with the issue after a workflow step and its new `ETag`.
pub fn stepped(view: &IssueView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.issue.version)))
        .json(IssueResponse::new(&view.issue, view.support_count, view.at))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_optional_notes_are_absent() {
        assert_eq!(opt_note("reason", Some("   ")).ok(), Some(None));
        assert!(note("notes", "").is_err());
        assert!(note("notes", "a\u{0}b").is_err());
    }
}
