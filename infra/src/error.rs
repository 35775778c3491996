//! The narrow error vocabulary of the storage layer.

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (duplicate phone, duplicate name, ...).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row changed since the caller read it (optimistic concurrency).
    #[error("stale version")]
    StaleVersion,
    /// A referenced row does not exist.
    #[error("unknown reference: {0}")]
    BadReference(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("connection pool error: {0}")]
    Pool(String),
    #[error("migration error: {0}")]
    Migration(String),
    #[error("data error: {0}")]
    Corrupt(String),
    /// A bounded queue (password hashing) is full: try again after this many seconds.
    #[error("{what} is busy; try again in {retry_after} seconds")]
    Overloaded {
        what: &'static str,
        retry_after: u64,
    },
}

impl RepoError {
    /// Map unique / foreign-key violations to typed errors; keep the rest as database errors.
    pub fn from_write(e: diesel::result::Error, what: &str) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict(format!("{what} already exists"))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                Self::BadReference(what.to_owned())
            }
            Error::NotFound => Self::NotFound,
            other => Self::Database(other),
        }
    }
}

pub type RepoResult<T> = Result<T, RepoError>;

/// An update by primary key changed `n` rows: one, or the row does not exist.
pub fn one_row(n: usize) -> RepoResult<()> {
    if n == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}
