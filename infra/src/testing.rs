//! Fresh databases for tests: a temporary SQLite file, or — when `LINLI_TEST_DATABASE_URL`
//! names a PostgreSQL server — a new database on it, dropped afterwards. Used by the repository
//! tests here and by the end-to-end harness in `tests/`.
//!
//! [`TestDatabase::migrated`] copies a template migrated once per process (the SQLite file's
//! bytes; `CREATE DATABASE … TEMPLATE` on PostgreSQL), so a test does not pay for the
//! migrations again; [`TestDatabase::new`] is empty, for tests of migrating itself.

use std::{
    path::PathBuf,
    sync::{
        Mutex, OnceLock,
        atomic::{AtomicU32, Ordering},
    },
};

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use crate::{DbConn, db};

/// The PostgreSQL server to test against, if any (`postgres://…/postgres`).
pub fn postgres_base_url() -> Option<String> {
    std::env::var("LINLI_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique() -> String {
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        rand::random::<u32>()
    )
}

/// A database for one test; removed when dropped.
pub struct TestDatabase {
    /// Connection URL (a file path for SQLite).
    pub url: String,
    /// A private temporary directory (SQLite file, photos, secrets).
    pub dir: PathBuf,
    pg_drop: Option<(String, String)>,
    /// Whether this database holds a reference on the process's PostgreSQL template.
    pg_template_ref: bool,
}

impl TestDatabase {
    /// An empty database (no migrations applied).
    ///
    /// # Panics
    /// When `LINLI_TEST_DATABASE_URL` names a PostgreSQL server that cannot be reached: a
    /// requested PostgreSQL run must fail loudly, never silently fall back to SQLite.
    pub fn new() -> Self {
        Self::create(postgres_base_url(), false)
    }

    /// An empty database on the PostgreSQL server `postgres` (`postgres://…/postgres`), or a
    /// SQLite file for `None`, whatever `LINLI_TEST_DATABASE_URL` says (benchmarks run both).
    pub fn empty_on(postgres: Option<&str>) -> Self {
        Self::create(postgres.map(str::to_owned), false)
    }

    /// A database with every migration applied, copied from the process's template.
    ///
    /// # Panics
    /// Like [`TestDatabase::new`], and when the template cannot be migrated.
    pub fn migrated() -> Self {
        Self::create(postgres_base_url(), true)
    }

    #[allow(clippy::expect_used, clippy::unwrap_used)]
    fn create(postgres: Option<String>, migrated: bool) -> Self {
        let dir = std::env::temp_dir().join(format!("linli-test-{}", unique()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        match postgres {
            None => {
                let path = dir.join("linli.db");
                if migrated {
                    std::fs::write(&path, sqlite_template()).expect("copy the SQLite template");
                }
                Self {
                    url: path.to_string_lossy().into_owned(),
                    dir,
                    pg_drop: None,
                    pg_template_ref: false,
                }
            }
            Some(base) => {
                let name = format!("linli_test_{}", unique());
                let mut admin = pg_admin(&base);
                let pg_template_ref = if migrated {
                    let mut template = pg_template();
                    let source = template.acquire(&base, &mut admin);
                    // Under the lock: PostgreSQL refuses to copy a template another session is
                    // connected to, and a concurrent first `acquire` may still be migrating it.
                    diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {source}"))
                        .execute(&mut admin)
                        .expect("CREATE DATABASE … TEMPLATE");
                    true
                } else {
                    diesel::sql_query(format!("CREATE DATABASE {name}"))
                        .execute(&mut admin)
                        .expect("CREATE DATABASE");
                    false
                };
                Self {
                    url: with_database(&base, &name),
                    dir,
                    pg_drop: Some((base, name)),
                    pg_template_ref,
                }
            }
        }
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg_drop.take()
            && let Ok(mut admin) = PgConnection::establish(&base)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
            if self.pg_template_ref {
                pg_template().release(&mut admin);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn pg_admin(base: &str) -> PgConnection {
    PgConnection::establish(base).unwrap_or_else(|e| {
        panic!("LINLI_TEST_DATABASE_URL is set but PostgreSQL is unreachable at {base}: {e}")
    })
}

/// `base` (`postgres://…/postgres`) with another database name.
#[allow(clippy::expect_used)]
fn with_database(base: &str, name: &str) -> String {
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
    format!("{prefix}/{name}")
}

/// The migrated SQLite file's bytes, built once per process in a scratch directory that is
/// removed straight away (nothing is left behind when the process ends).
#[allow(clippy::expect_used)]
fn sqlite_template() -> &'static [u8] {
    static TEMPLATE: OnceLock<Vec<u8>> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("linli-template-{}", unique()));
        std::fs::create_dir_all(&dir).expect("template directory");
        let path = dir.join("template.db");
        {
            let conn = SqliteConnection::establish(&path.to_string_lossy())
                .expect("open the SQLite template");
            let mut conn = DbConn::Sqlite(conn);
            db::migrate(&mut conn).expect("migrate the SQLite template");
            // A rollback journal, not WAL: the whole database is in the one file once the
            // connection closes, so a byte copy is complete.
            diesel::sql_query("PRAGMA journal_mode = DELETE")
                .execute(&mut conn)
                .expect("journal mode");
        }
        let bytes = std::fs::read(&path).expect("read the SQLite template");
        let _ = std::fs::remove_dir_all(&dir);
        bytes
    })
}

/// The process's PostgreSQL template database, shared by the live migrated test databases and
/// dropped with the last of them (so no template outlives the run, as no test database does).
#[derive(Default)]
struct PgTemplate {
    name: Option<String>,
    live: usize,
}

fn pg_template() -> std::sync::MutexGuard<'static, PgTemplate> {
    static TEMPLATE: Mutex<PgTemplate> = Mutex::new(PgTemplate {
        name: None,
        live: 0,
    });
    // A test that panicked while holding the lock left the state consistent enough to go on.
    TEMPLATE.lock().unwrap_or_else(|e| e.into_inner())
}

impl PgTemplate {
    /// The template's name, created and migrated first if no live database holds it.
    #[allow(clippy::expect_used)]
    fn acquire(&mut self, base: &str, admin: &mut PgConnection) -> String {
        let name = match &self.name {
            Some(name) => name.clone(),
            None => {
                let name = format!("linli_template_{}", unique());
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(admin)
                    .expect("CREATE DATABASE (template)");
                let conn = PgConnection::establish(&with_database(base, &name))
                    .expect("connect to the template");
                // The connection closes at the end of this block: a template must be idle.
                db::migrate(&mut DbConn::Pg(conn)).expect("migrate the PostgreSQL template");
                self.name = Some(name.clone());
                name
            }
        };
        self.live += 1;
        name
    }

    fn release(&mut self, admin: &mut PgConnection) {
        self.live = self.live.saturating_sub(1);
        if self.live == 0
            && let Some(name) = self.name.take()
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(admin);
        }
    }
}
