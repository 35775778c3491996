//! One connection type for both databases, the r2d2 pools (readers and the single SQLite
//! writer), per-connection SQLite pragmas and the embedded migrations (one folder per dialect).

use std::{
    ops::Deref,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

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
    if dialect == Dialect::Sqlite {
        // WAL is a property of the file: switch it once here, alone, so the pool's connections
        // (opened at once) find it set. Each switching it itself raced for the lock the switch
        // takes, and SQLite answers that race "database is locked" without waiting.
        let mut conn = SqliteConnection::establish(&target)
            .map_err(|e| RepoError::Pool(format!("cannot open {target}: {e}")))?;
        for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL"] {
            diesel::sql_query(pragma)
                .execute(&mut conn)
                .map_err(|e| RepoError::Pool(format!("{pragma} on {target}: {e}")))?;
        }
    }
    let manager = Manager { target, dialect };
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        // A checkout test would run `SELECT 1` (parsed anew each time on SQLite) before every
        // unit of work; a broken connection is detected on return instead (`has_broken`).
        .test_on_check_out(false)
        .connection_customizer(Box::new(Customizer { dialect }))
        .build(manager)
        .map_err(|e| RepoError::Pool(e.to_string()))
}

/// The database: a pool of read connections and the pool every write transaction goes through.
///
/// SQLite has one write lock per file: several pooled writers would only queue on its busy
/// handler (sleeping and retrying, p99 in the seconds under load). So on SQLite the writer is
/// ONE connection and r2d2 queues its callers in process (a condition variable, no sleeping);
/// readers run beside it thanks to WAL. PostgreSQL handles concurrent writers itself (and
/// concurrent commits share their WAL flushes), so there both are the same pool.
///
/// It derefs to the reader pool, so `db::get(&database)` takes a read connection.
#[derive(Clone)]
pub struct Database {
    readers: DbPool,
    writer: DbPool,
    dialect: Dialect,
    queue: Arc<Waiting>,
}

/// Callers currently waiting for a connection (for the metrics).
#[derive(Default)]
struct Waiting {
    readers: AtomicUsize,
    writer: AtomicUsize,
}

/// A snapshot of one pool for the metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub in_use: u32,
    pub idle: u32,
    pub waiting: usize,
}

/// Decrements its counter when the wait is over, even on a timeout.
struct WaitGuard<'a>(&'a AtomicUsize);

impl<'a> WaitGuard<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter)
    }
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn stats(pool: &DbPool, waiting: &AtomicUsize) -> PoolStats {
    let state = pool.state();
    PoolStats {
        in_use: state.connections.saturating_sub(state.idle_connections),
        idle: state.idle_connections,
        waiting: waiting.load(Ordering::Relaxed),
    }
}

impl Database {
    /// Open the pools for `url`: `readers` read connections, and on SQLite one writer.
    pub fn open(url: &str, readers: u32) -> Result<Self, RepoError> {
        let dialect = Dialect::of_url(url);
        let pool = connect(url, readers.max(1))?;
        let writer = match dialect {
            Dialect::Postgres => pool.clone(),
            Dialect::Sqlite => connect(url, 1)?,
        };
        Ok(Self {
            readers: pool,
            writer,
            dialect,
            queue: Arc::default(),
        })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The pool of read connections.
    pub fn readers(&self) -> &DbPool {
        &self.readers
    }

    /// The pool every write goes through (one connection on SQLite).
    pub fn writer(&self) -> &DbPool {
        &self.writer
    }

    /// A read connection (blocking: call it off the async worker).
    pub fn read_conn(&self) -> Result<PooledConn, RepoError> {
        let _waiting = WaitGuard::enter(&self.queue.readers);
        get(&self.readers)
    }

    /// The write connection (blocking; on SQLite this waits for the one writer).
    pub fn write_conn(&self) -> Result<PooledConn, RepoError> {
        let _waiting = WaitGuard::enter(&self.queue.writer);
        get(&self.writer)
    }

    /// Run `f` in one write transaction on the writer: the unit of work of one command.
    pub fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<diesel::result::Error> + From<RepoError>,
    {
        let mut conn = self.write_conn()?;
        write_transaction(&mut conn, f)
    }

    pub fn reader_stats(&self) -> PoolStats {
        stats(&self.readers, &self.queue.readers)
    }

    /// On PostgreSQL the writer is the reader pool: only its waiting count differs.
    pub fn writer_stats(&self) -> PoolStats {
        stats(&self.writer, &self.queue.writer)
    }
}

impl Deref for Database {
    type Target = DbPool;

    fn deref(&self) -> &DbPool {
        &self.readers
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
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
