//! One connection type for both databases, the r2d2 pool, per-connection SQLite pragmas and
//! the embedded migrations (one folder per dialect).

use std::time::Duration;

use diesel::{
    Connection, PgConnection, RunQueryDsl, SqliteConnection,
    r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::RepoError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either database; repositories take `&mut DbConn` and run the same code.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

impl Dialect {
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

impl DbConn {
    pub fn dialect(&self) -> Dialect {
        match self {
            Self::Pg(_) => Dialect::Postgres,
            Self::Sqlite(_) => Dialect::Sqlite,
        }
    }
}

/// Opens connections of the dialect the URL names. MultiConnection's own `establish` would try
/// PostgreSQL first and then open *any* string as a SQLite file, so an unreachable PostgreSQL
/// would silently become a stray SQLite file; we choose the dialect explicitly.
#[derive(Debug)]
pub struct Manager {
    target: String,
    dialect: Dialect,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        match self.dialect {
            Dialect::Postgres => PgConnection::establish(&self.target).map(DbConn::Pg),
            Dialect::Sqlite => SqliteConnection::establish(&self.target).map(DbConn::Sqlite),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping()
            .map(|_| ())
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

#[derive(Debug)]
struct Customizer {
    dialect: Dialect,
}

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for Customizer {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if self.dialect == Dialect::Sqlite {
            // WAL lets readers run beside the writer; busy_timeout waits for the write lock
            // instead of failing; foreign keys are off by default in SQLite. busy_timeout goes
            // first: switching a fresh file to WAL takes a lock, and the pool opens several
            // connections at once ("database is locked" at start-up otherwise).
            for pragma in [
                "PRAGMA busy_timeout = 5000",
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = NORMAL",
            ] {
                diesel::sql_query(pragma)
                    .execute(conn)
                    .map_err(diesel::r2d2::Error::QueryError)?;
            }
        }
        Ok(())
    }
}

/// Strip a `sqlite://` prefix; make sure the parent directory of a SQLite file exists.
fn sqlite_path(url: &str) -> Result<String, RepoError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
        .to_owned();
    if let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| RepoError::Pool(format!("cannot create {}: {e}", parent.display())))?;
    }
    Ok(path)
}

/// Build the pool for `url` (`postgres://…` or a SQLite file path) and check one connection.
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, RepoError> {
    let dialect = Dialect::of_url(url);
    let target = match dialect {
        Dialect::Postgres => url.to_owned(),
        Dialect::Sqlite => sqlite_path(url)?,
    };
    let manager = Manager { target, dialect };
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(Customizer { dialect }))
        .build(manager)
        .map_err(|e| RepoError::Pool(e.to_string()))
}

/// Take a connection from the pool (blocking: call it inside `web::block`).
pub fn get(pool: &DbPool) -> Result<PooledConn, RepoError> {
    pool.get().map_err(|e| RepoError::Pool(e.to_string()))
}

fn migrations_for(conn: &DbConn) -> EmbeddedMigrations {
    match conn.dialect() {
        Dialect::Postgres => POSTGRES_MIGRATIONS,
        Dialect::Sqlite => SQLITE_MIGRATIONS,
    }
}

/// Apply pending migrations; returns how many ran.
pub fn migrate(conn: &mut DbConn) -> Result<usize, RepoError> {
    let migrations = migrations_for(conn);
    let done = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(migrations).map(|v| v.len()),
        DbConn::Sqlite(c) => c.run_pending_migrations(migrations).map(|v| v.len()),
    };
    done.map_err(|e| RepoError::Migration(e.to_string()))
}

/// Whether the database is reachable and has every migration applied.
pub fn is_ready(conn: &mut DbConn) -> Result<bool, RepoError> {
    let migrations = migrations_for(conn);
    let pending = match conn {
        DbConn::Pg(c) => c.has_pending_migration(migrations),
        DbConn::Sqlite(c) => c.has_pending_migration(migrations),
    };
    pending
        .map(|p| !p)
        .map_err(|e| RepoError::Migration(e.to_string()))
}

/// Run `f` in one write transaction (the unit of work of one command).
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front
/// (waiting up to `busy_timeout`), so a read-then-write command can never fail half-way with
/// `SQLITE_BUSY` because another writer committed in between. PostgreSQL uses a plain
/// transaction; commands there rely on conditional updates and row locks.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConn as Connection>::TransactionManager;
    match conn {
        DbConn::Pg(_) => conn.transaction(f),
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    Manager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    Manager::rollback_transaction(conn)?;
                    Err(e)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_follows_the_url() {
        assert_eq!(Dialect::of_url("postgres://u@h/db"), Dialect::Postgres);
        assert_eq!(Dialect::of_url("postgresql://u@h/db"), Dialect::Postgres);
        assert_eq!(Dialect::of_url("./data/linli.db"), Dialect::Sqlite);
    }
}
