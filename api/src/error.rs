//! One error type for the HTTP layer, rendered as RFC 9457 `application/problem+json` with a
//! stable snake_case `code`. Causes of 5xx errors are logged, never sent.

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use linli_domain::DomainError;
use linli_infra::RepoError;

pub use crate::application::ProblemCode;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:linli:problem:validation_failed",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "description: must be at least 5 characters",
    "code": "validation_failed",
    "field": "description"
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:linli:problem:{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The HTTP reason phrase of `status`.
    pub title: String,
    /// The HTTP status code, e.g. 422.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `illegal_transition`, `stale_version`.
    /// Each operation lists the codes it can answer with, per status.
    pub code: ProblemCode,
    /// The offending field, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: ProblemCode, detail: String },
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{detail}")]
    Unauthorized { code: ProblemCode, detail: String },
    #[error("{0}")]
    Forbidden(String),
    /// 403 with a more specific code than `forbidden` (e.g. `wrong_password`).
    #[error("{detail}")]
    Refused { code: ProblemCode, detail: String },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("{detail}")]
    Conflict { code: ProblemCode, detail: String },
    #[error("the resource changed since you read it")]
    StaleVersion,
    #[error("{detail}")]
    PayloadTooLarge { detail: String },
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("{detail}")]
    Unprocessable { code: ProblemCode, detail: String },
    #[error("too many failed attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: i64 },
    /// 429 `filing_quota_exceeded` with `Retry-After`.
    #[error("{detail}")]
    QuotaExceeded { detail: String, retry_after: i64 },
    #[error("{0}")]
    Unavailable(String),
    /// 503 with `Retry-After`: a bounded queue is full (password hashing under a login flood).
    #[error("{detail}")]
    Overloaded { detail: String, retry_after: u64 },
    /// 408: the request body did not arrive in time (the connection is closed).
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// 429: this client address holds too many connections (the connection is closed).
    #[error("too many connections from your address; close some and retry")]
    TooManyConnections,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn bad_request(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    pub fn unauthorized(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Forbidden(detail.into())
    }

    pub fn conflict(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    pub fn code(&self) -> ProblemCode {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Conflict { code, .. }
            | Self::Refused { code, .. }
            | Self::Unprocessable { code, .. } => *code,
            Self::Validation { .. } => ProblemCode::ValidationFailed,
            Self::Forbidden(_) => ProblemCode::Forbidden,
            Self::NotFound => ProblemCode::NotFound,
            Self::MethodNotAllowed { .. } => ProblemCode::MethodNotAllowed,
            Self::StaleVersion => ProblemCode::StaleVersion,
            Self::PayloadTooLarge { .. } => ProblemCode::PayloadTooLarge,
            Self::UnsupportedMediaType { .. } => ProblemCode::UnsupportedMediaType,
            Self::TooManyRequests { .. } => ProblemCode::TooManyRequests,
            Self::QuotaExceeded { .. } => ProblemCode::FilingQuotaExceeded,
            Self::Unavailable(_) => ProblemCode::ServiceUnavailable,
            Self::Overloaded { .. } => ProblemCode::Overloaded,
            Self::RequestTimeout => ProblemCode::RequestTimeout,
            Self::TooManyConnections => ProblemCode::TooManyConnections,
            Self::Internal(_) => ProblemCode::InternalError,
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            Self::Internal(_) => "an internal error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        Problem {
            type_: format!("urn:linli:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code(),
            field: match self {
                Self::Validation { field, .. } => Some(field.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation { .. } | Self::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::Refused { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::StaleVersion => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. }
            | Self::QuotaExceeded { .. }
            | Self::TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Unavailable(_) | Self::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            Self::TooManyRequests { retry_after } | Self::QuotaExceeded { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            Self::Overloaded { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            Self::TooManyConnections => {
                res.insert_header((header::RETRY_AFTER, "1"));
            }
            Self::MethodNotAllowed { allow } => {
                res.insert_header((header::ALLOW, allow.clone()));
            }
            Self::Unauthorized { .. } => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, message } => Self::validation(field, message),
            DomainError::IllegalTransition { .. } => {
                Self::conflict(ProblemCode::IllegalTransition, e.to_string())
            }
            DomainError::Forbidden(msg) => Self::Forbidden(msg),
        }
    }
}

impl From<RepoError> for ApiError {
    fn from(e: RepoError) -> Self {
        crate::application::AppError::from(e).into()
    }
}

impl From<crate::application::AppError> for ApiError {
    fn from(e: crate::application::AppError) -> Self {
        use crate::application::AppError as A;
        match e {
            A::Domain(d) => d.into(),
            A::Validation { field, message } => Self::Validation { field, message },
            A::NotFound => Self::NotFound,
            A::StaleVersion => Self::StaleVersion,
            A::Conflict { code, detail } => Self::Conflict { code, detail },
            A::Unauthorized { code, detail } => Self::Unauthorized { code, detail },
            A::Refused { code, detail } => Self::Refused { code, detail },
            A::Unprocessable { code, detail } => Self::Unprocessable { code, detail },
            A::TooManyRequests { retry_after } => Self::TooManyRequests { retry_after },
            e @ A::QuotaExceeded { retry_after, .. } => Self::QuotaExceeded {
                detail: e.to_string(),
                retry_after,
            },
            A::Unavailable(detail) => Self::Unavailable(detail),
            A::Overloaded {
                detail,
                retry_after,
            } => Self::Overloaded {
                detail,
                retry_after,
            },
            A::Internal(source) => Self::Internal(source.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
