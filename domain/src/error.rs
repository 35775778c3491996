//! Domain errors: each variant has a stable snake_case code the API maps to a status.

use crate::issue::IssueStatus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A value failed to parse (phone number, description, satisfaction, ...).
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The command is not allowed in the issue's current state.
    #[error("cannot {command} an issue that is {from}")]
    IllegalTransition {
        command: &'static str,
        from: IssueStatus,
    },
    /// The caller's role or scope does not allow the command.
    #[error("{0}")]
    Forbidden(String),
}

impl DomainError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "validation_failed",
            Self::IllegalTransition { .. } => "illegal_transition",
            Self::Forbidden(_) => "forbidden",
        }
    }
}
