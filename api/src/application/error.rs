//! The application layer's error: what a use case can fail with, with no HTTP in it. The api
//! maps every variant to a status and a stable `code` (`crate::error::ApiError`).

use linli_domain::DomainError;
use linli_infra::RepoError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A rule of the domain refused (invalid value, illegal transition, forbidden).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A field of the input does not fit (`field` names it as the client sent it).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Missing, or not visible to the caller (the two are never told apart).
    #[error("not found")]
    NotFound,
    /// The caller's expected version (`If-Match`) is not the current one.
    #[error("the resource changed since you read it")]
    StaleVersion,
    /// A rule about existing data refused (duplicate, concurrent change, ...).
    #[error("{detail}")]
    Conflict { code: ProblemCode, detail: String },
    /// Not authenticated, or the credentials are wrong.
    #[error("{detail}")]
    Unauthorized { code: ProblemCode, detail: String },
    /// Authenticated, but refused with a specific code (e.g. `wrong_password`).
    #[error("{detail}")]
    Refused { code: ProblemCode, detail: String },
    /// Understood, but cannot be done as asked (a specific 422 code).
    #[error("{detail}")]
    Unprocessable { code: ProblemCode, detail: String },
    /// A per-account quota is used up until the next period; retry after this many seconds.
    #[error("the quota of {limit} per day is used up; try again in {retry_after} seconds")]
    QuotaExceeded { limit: u32, retry_after: i64 },
    /// A limit was reached; try again after this many seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: i64 },
    /// A dependency (the database pool) is not available right now.
    #[error("{0}")]
    Unavailable(String),
    /// A bounded queue (password hashing) is full; try again after this many seconds.
    #[error("{detail}")]
    Overloaded { detail: String, retry_after: u64 },
    /// Anything else; the source is kept for the log, never sent to a client.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type AppResult<T> = Result<T, AppError>;

/// The stable, machine-readable `code` of every problem document the API sends. Clients switch
/// on it; the HTTP status alone does not tell, e.g., `illegal_transition` from `phone_taken`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 409: the extension request was already approved or refused.
    AlreadyDecided,
    /// 409: the caller already added "me too" to this issue.
    AlreadySupported,
    /// 400: the request could not be understood at all.
    BadRequest,
    /// 409: an admin tried to change their own role.
    CannotChangeOwnRole,
    /// 409: an admin tried to disable their own account.
    CannotDisableSelf,
    /// 409: another request changed the resource meanwhile; reload and retry.
    ConcurrentUpdate,
    /// 409: a rule about existing data refused (duplicate name, same company, ...).
    Conflict,
    /// 403: authenticated, but the role or scope does not allow it.
    Forbidden,
    /// 429: the resident filed as many issues today as the district allows (`Retry-After`: the
    /// district's next midnight).
    FilingQuotaExceeded,
    /// 401: the token's session was revoked (logout, password change) or the account disabled.
    SessionRevoked,
    /// 409: a request with this Idempotency-Key is still being processed.
    IdempotencyConflict,
    /// 422: the Idempotency-Key was used with a different body.
    IdempotencyKeyReused,
    /// 409: the issue is not in a state that allows this step.
    IllegalTransition,
    /// 422: the image has more pixels than can be decoded safely (a decompression bomb).
    ImageTooLarge,
    /// 500: a bug; it has been logged.
    InternalError,
    /// 400: the JSON is well-formed but does not fit the schema (missing or unknown field, wrong type).
    InvalidBody,
    /// 401: wrong phone number or password.
    InvalidCredentials,
    /// 400: the Idempotency-Key header is not 1 to 128 visible ASCII characters.
    InvalidIdempotencyKey,
    /// 400: the If-Match header is not an ETag.
    InvalidIfMatch,
    /// 400: a query parameter is malformed or out of range (limit, cursor, filter).
    InvalidQuery,
    /// 401: the refresh token is unknown, expired or revoked.
    InvalidRefreshToken,
    /// 403: a signed photo URL was altered (id, size, expiry or signature): not a URL the server
    /// made.
    InvalidPhotoUrl,
    /// 422: the invitation code is unknown, expired, used up or for another compound.
    InvalidInvitation,
    /// 422: the SMS code is wrong, expired, used up or was never sent (request a new one).
    InvalidSmsCode,
    /// 401: the event-stream ticket is unknown, used or expired.
    InvalidTicket,
    /// 401: the access token is malformed, forged or revoked.
    InvalidToken,
    /// 409: the issue is closed, rejected or withdrawn.
    IssueNotOpen,
    /// 400: the body is not valid JSON.
    MalformedJson,
    /// 400: the multipart body could not be read.
    MalformedMultipart,
    /// 409: merging would make a chain: the target was itself merged into another case, or
    /// duplicates were merged into the case being merged.
    MergeChain,
    /// 422: a case cannot be merged into itself.
    MergeIntoItself,
    /// 409: the case to merge into is closed, rejected or withdrawn.
    MergeTargetClosed,
    /// 405: the path exists but not with this method (see `Allow`).
    MethodNotAllowed,
    /// 401: no bearer access token was sent.
    MissingToken,
    /// 404: no such resource, or not visible to the caller (never told apart).
    NotFound,
    /// 503: a bounded queue is full; retry after `Retry-After` seconds.
    Overloaded,
    /// 409: residents cannot add "me too" to their own issue.
    OwnIssue,
    /// 413: the body is larger than allowed.
    PayloadTooLarge,
    /// 409: the phone number is already registered.
    PhoneTaken,
    /// 403: a signed photo URL has expired; list the photos again for fresh URLs.
    PhotoUrlExpired,
    /// 401: a rotated refresh token was presented again; the whole session family is revoked.
    RefreshTokenReused,
    /// 408: the body did not arrive in time.
    RequestTimeout,
    /// 503: the database is not reachable right now.
    ServiceUnavailable,
    /// 412: If-Match names an older version of the issue.
    StaleVersion,
    /// 401: the access token has expired; refresh it.
    TokenExpired,
    /// 429: this address holds too many connections.
    TooManyConnections,
    /// 409: the issue already has the most photos allowed.
    TooManyPhotos,
    /// 429: too many attempts or requests; retry after `Retry-After` seconds.
    TooManyRequests,
    /// 401: authentication required.
    Unauthorized,
    /// 422: the upload is not a JPEG, PNG or WebP image that can be decoded.
    UnsupportedImage,
    /// 415: the body is not sent with the content type the operation takes.
    UnsupportedMediaType,
    /// 422: a field does not satisfy its rule; `field` names it.
    ValidationFailed,
    /// 403: the compound has not verified this resident yet (业主认证).
    VerificationRequired,
    /// 403: the current password is wrong.
    WrongPassword,
}

impl ProblemCode {
    pub const ALL: [ProblemCode; 54] = [
        ProblemCode::AlreadyDecided,
        ProblemCode::AlreadySupported,
        ProblemCode::BadRequest,
        ProblemCode::CannotChangeOwnRole,
        ProblemCode::CannotDisableSelf,
        ProblemCode::ConcurrentUpdate,
        ProblemCode::Conflict,
        ProblemCode::Forbidden,
        ProblemCode::FilingQuotaExceeded,
        ProblemCode::SessionRevoked,
        ProblemCode::IdempotencyConflict,
        ProblemCode::IdempotencyKeyReused,
        ProblemCode::IllegalTransition,
        ProblemCode::ImageTooLarge,
        ProblemCode::InternalError,
        ProblemCode::InvalidBody,
        ProblemCode::InvalidCredentials,
        ProblemCode::InvalidIdempotencyKey,
        ProblemCode::InvalidIfMatch,
        ProblemCode::InvalidQuery,
        ProblemCode::InvalidRefreshToken,
        ProblemCode::InvalidPhotoUrl,
        ProblemCode::InvalidInvitation,
        ProblemCode::InvalidSmsCode,
        ProblemCode::InvalidTicket,
        ProblemCode::InvalidToken,
        ProblemCode::IssueNotOpen,
        ProblemCode::MalformedJson,
        ProblemCode::MalformedMultipart,
        ProblemCode::MergeChain,
        ProblemCode::MergeIntoItself,
        ProblemCode::MergeTargetClosed,
        ProblemCode::MethodNotAllowed,
        ProblemCode::MissingToken,
        ProblemCode::NotFound,
        ProblemCode::Overloaded,
        ProblemCode::OwnIssue,
        ProblemCode::PayloadTooLarge,
        ProblemCode::PhoneTaken,
        ProblemCode::PhotoUrlExpired,
        ProblemCode::RefreshTokenReused,
        ProblemCode::RequestTimeout,
        ProblemCode::ServiceUnavailable,
        ProblemCode::StaleVersion,
        ProblemCode::TokenExpired,
        ProblemCode::TooManyConnections,
        ProblemCode::TooManyPhotos,
        ProblemCode::TooManyRequests,
        ProblemCode::Unauthorized,
        ProblemCode::UnsupportedImage,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::ValidationFailed,
        ProblemCode::VerificationRequired,
        ProblemCode::WrongPassword,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlreadyDecided => "already_decided",
            Self::AlreadySupported => "already_supported",
            Self::BadRequest => "bad_request",
            Self::CannotChangeOwnRole => "cannot_change_own_role",
            Self::CannotDisableSelf => "cannot_disable_self",
            Self::ConcurrentUpdate => "concurrent_update",
            Self::Conflict => "conflict",
            Self::Forbidden => "forbidden",
            Self::FilingQuotaExceeded => "filing_quota_exceeded",
            Self::SessionRevoked => "session_revoked",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IllegalTransition => "illegal_transition",
            Self::ImageTooLarge => "image_too_large",
            Self::InternalError => "internal_error",
            Self::InvalidBody => "invalid_body",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidIdempotencyKey => "invalid_idempotency_key",
            Self::InvalidIfMatch => "invalid_if_match",
            Self::InvalidQuery => "invalid_query",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::InvalidPhotoUrl => "invalid_photo_url",
            Self::InvalidInvitation => "invalid_invitation",
            Self::InvalidSmsCode => "invalid_sms_code",
            Self::InvalidTicket => "invalid_ticket",
            Self::InvalidToken => "invalid_token",
            Self::IssueNotOpen => "issue_not_open",
            Self::MalformedJson => "malformed_json",
            Self::MalformedMultipart => "malformed_multipart",
            Self::MergeChain => "merge_chain",
            Self::MergeIntoItself => "merge_into_itself",
            Self::MergeTargetClosed => "merge_target_closed",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::MissingToken => "missing_token",
            Self::NotFound => "not_found",
            Self::Overloaded => "overloaded",
            Self::OwnIssue => "own_issue",
            Self::PayloadTooLarge => "payload_too_large",
            Self::PhoneTaken => "phone_taken",
            Self::PhotoUrlExpired => "photo_url_expired",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::RequestTimeout => "request_timeout",
            Self::ServiceUnavailable => "service_unavailable",
            Self::StaleVersion => "stale_version",
            Self::TokenExpired => "token_expired",
            Self::TooManyConnections => "too_many_connections",
            Self::TooManyPhotos => "too_many_photos",
            Self::TooManyRequests => "too_many_requests",
            Self::Unauthorized => "unauthorized",
            Self::UnsupportedImage => "unsupported_image",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::VerificationRequired => "verification_required",
            Self::WrongPassword => "wrong_password",
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string().into())
    }
}

impl From<RepoError> for AppError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => Self::NotFound,
            RepoError::Conflict(detail) => Self::conflict(ProblemCode::Conflict, detail),
            RepoError::StaleVersion => Self::conflict(
                ProblemCode::ConcurrentUpdate,
                "the resource was changed by another request; reload and retry",
            ),
            RepoError::BadReference(field) => {
                Self::validation(field, "refers to something that does not exist")
            }
            RepoError::Pool(detail) => Self::Unavailable(detail),
            e @ RepoError::Overloaded { retry_after, .. } => Self::Overloaded {
                detail: e.to_string(),
                retry_after,
            },
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        Self::from(RepoError::from(e))
    }
}
