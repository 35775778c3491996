//! Fresh databases for tests: a temporary SQLite file, or — when `LINLI_TEST_DATABASE_URL`
//! names a PostgreSQL server — a new database on it, dropped afterwards. Used by the repository
//! tests here and by the end-to-end harness in `tests/`.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU32, Ordering},
};

use diesel::{Connection, PgConnection, RunQueryDsl};

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
}

impl TestDatabase {
    /// # Panics
    /// When `LINLI_TEST_DATABASE_URL` names a PostgreSQL server that cannot be reached: a
    /// requested PostgreSQL run must fail loudly, never silently fall back to SQLite.
    #[allow(clippy::expect_used, clippy::unwrap_used)]
    pub fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("linli-test-{}", unique()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        match postgres_base_url() {
            None => Self {
                url: dir.join("linli.db").to_string_lossy().into_owned(),
                dir,
                pg_drop: None,
            },
            Some(base) => {
                let name = format!("linli_test_{}", unique());
                let mut admin = PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!(
                        "LINLI_TEST_DATABASE_URL is set but PostgreSQL is unreachable at {base}: {e}"
                    )
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("CREATE DATABASE");
                let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
                Self {
                    url: format!("{prefix}/{name}"),
                    dir,
                    pg_drop: Some((base, name)),
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
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
