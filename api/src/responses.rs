//! Named sets of the error responses many operations share, for `#[utoipa::path]`.
//!
//! An operation spells out its success response and the errors that are its own (a 409 with
//! its specific `code`, a 422 naming its fields) as tuples, and names the shared rows by set:
//!
//! ```text
//! responses(
//!     (status = 201, description = "Street created", body = StreetResponse),
//!     (status = 409, description = "A street with this name exists (`conflict`)", body = Problem, content_type = "application/problem+json"),
//!     AdminOnly,
//!     Malformed,
//! )
//! ```
//!
//! utoipa copies each set's rows into the operation (no `$ref`), so the spec reads as if the
//! rows were written out. Rows are keyed by status: a row given later replaces an earlier one
//! with the same status, so put a set first if an operation needs its own text for one of the
//! set's statuses. Every row is a [`Problem`] as `application/problem+json`; the schema itself
//! is registered once in `ApiDoc`. These types are never constructed: they exist for the spec.

use utoipa::IntoResponses;

use crate::error::Problem;

/// 401 only: operations any signed-in account may call (`/me`, the issue endpoints).
#[derive(IntoResponses)]
pub enum Unauthenticated {
    /// Missing or invalid token (`missing_token`, `invalid_token`)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
}

/// 401 and 403: every `/admin` operation (role `admin` only).
#[derive(IntoResponses)]
pub enum AdminOnly {
    /// Missing or invalid token (`missing_token`, `invalid_token`)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// Not an admin (`forbidden`)
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// 401 and 403: the reports (auditors, community officials, dispatchers).
#[derive(IntoResponses)]
pub enum ReportReaders {
    /// Missing or invalid token (`missing_token`, `invalid_token`)
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// Not an auditor, community official or dispatcher (`forbidden`)
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// 404: the id in the path names nothing the caller may see (the two are never told apart).
#[derive(IntoResponses)]
pub enum NotFound {
    /// No such resource, or not visible to the caller (`not_found`)
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// 400 on a query string: an unknown parameter, or a `cursor` / `limit` out of range.
#[derive(IntoResponses)]
pub enum InvalidQuery {
    /// Unknown query parameter, or an invalid `cursor` or `limit` (`invalid_query`)
    #[response(status = 400, content_type = "application/problem+json")]
    InvalidQuery(Problem),
}

/// 412: an operation that takes `If-Match` and finds the resource changed since.
#[derive(IntoResponses)]
pub enum StaleVersion {
    /// If-Match is stale (`stale_version`)
    #[response(status = 412, content_type = "application/problem+json")]
    StaleVersion(Problem),
}

/// 429 with `Retry-After`: password attempts over the limit.
#[derive(IntoResponses)]
pub enum TooManyAttempts {
    /// Too many failed attempts; see `Retry-After` (`too_many_requests`)
    #[response(
        status = 429,
        content_type = "application/problem+json",
        headers(("Retry-After" = i64, description = "Seconds to wait"))
    )]
    TooManyAttempts(Problem),
}

/// Any other 4XX of an operation with a body: malformed JSON (`malformed_json`), a body that
/// does not fit (`invalid_body`), the wrong content type (`unsupported_media_type`) or size.
#[derive(IntoResponses)]
pub enum Malformed {
    /// Malformed request
    #[response(status = "4XX", content_type = "application/problem+json")]
    Malformed(Problem),
}

/// 400, 401, 404 and 412: every workflow step (`POST /issues/{id}/<step>` with `If-Match`).
/// Each step adds its own 403 (who may take it), 409 (from which state) and 422 (its body).
#[derive(IntoResponses)]
pub enum StepErrors {
    /// Malformed If-Match, or a malformed body where the step takes one
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(Problem),
    /// No valid access token
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// No such issue, or not visible
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// If-Match is stale (`stale_version`)
    #[response(status = 412, content_type = "application/problem+json")]
    StaleVersion(Problem),
}

/// 404 on `/issues/{id}/...`: the issue does not exist, or the caller may not see it.
#[derive(IntoResponses)]
pub enum IssueNotFound {
    /// No such issue visible to the caller
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// 403: operations of the district office (区级主管部门) alone.
#[derive(IntoResponses)]
pub enum DistrictOfficeOnly {
    /// Not the district office (`forbidden`)
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
}

/// 400, 413 and 415 of a photo upload (one image in the multipart field `file`).
#[derive(IntoResponses)]
pub enum PhotoUpload {
    /// Unreadable multipart body (`malformed_multipart`)
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(Problem),
    /// Larger than 10 MB (`payload_too_large`)
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// Not multipart/form-data (`unsupported_media_type`)
    #[response(status = 415, content_type = "application/problem+json")]
    NotMultipart(Problem),
}
