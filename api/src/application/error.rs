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
    Conflict { code: &'static str, detail: String },
    /// Not authenticated, or the credentials are wrong.
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// Authenticated, but refused with a specific code (e.g. `wrong_password`).
    #[error("{detail}")]
    Refused { code: &'static str, detail: String },
    /// Understood, but cannot be done as asked (a specific 422 code).
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
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

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
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
            RepoError::Conflict(detail) => Self::conflict("conflict", detail),
            RepoError::StaleVersion => Self::conflict(
                "concurrent_update",
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
