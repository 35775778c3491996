//! Linli's infrastructure: diesel storage on SQLite or PostgreSQL behind one code path,
//! repositories that turn domain commands into rows, password hashing and token signing.

pub mod codes;
pub mod db;
pub mod error;
pub mod images;
pub mod limiter;
pub mod password;
pub mod push;
pub mod repo;
pub mod schema;
pub mod signing;
pub mod sms;
pub mod test_photos;
pub mod testing;
pub mod time;
pub mod tokens;

pub use db::{Database, DbConn, DbPool};
pub use error::RepoError;
