//! Starting the server: state from configuration, migrations, the JWT secret, the HTTP server
//! with graceful shutdown on SIGTERM, and the background scheduler.

use std::{path::Path, sync::Arc};

use linli_infra::{
    Database, db,
    db::Dialect,
    repo::sms_codes::CodeHasher,
    signing::UrlSigner,
    sms::SenderSpec,
    tokens::{TokenSigner, random_token},
};

use crate::{
    application::{Application, sms::SmsCodes},
    clock::{Clock, SystemClock},
    config::Config,
    limits::ConnectionTracker,
    photos::{DbPhotoStore, FsPhotoStore, PhotoStore, PhotoStoreKind},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] linli_infra::RepoError),
    #[error("LINLI_JWT_SECRET: {0}")]
    Secret(String),
    #[error("LINLI_SMS_SENDER: {0}")]
    Sms(#[from] linli_infra::sms::SmsConfigError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// Open the pools and apply pending migrations (through the writer).
pub fn open_database(config: &Config) -> Result<Database, StartError> {
    let database = Database::open(&config.database_url, config.pool_size)?;
    let applied = db::migrate(&mut *database.write_conn()?)?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok(database)
}

/// The signing secret: `LINLI_JWT_SECRET`, or on the SQLite default a random one generated
/// once into the data directory (so a restart does not log everyone out). PostgreSQL
/// deployments run several nodes and must share an explicit secret.
pub fn jwt_secret(config: &Config) -> Result<String, StartError> {
    if let Some(secret) = &config.jwt_secret {
        if secret.len() < 32 {
            return Err(StartError::Secret("must be at least 32 bytes".into()));
        }
        return Ok(secret.clone());
    }
    if Dialect::of_url(&config.database_url) == Dialect::Postgres {
        return Err(StartError::Secret(
            "is required with PostgreSQL (every API node must share it)".into(),
        ));
    }
    let path = config.data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(existing);
        }
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let secret = random_token(48);
    write_private(&path, &secret)?;
    tracing::warn!(
        path = %path.display(),
        "LINLI_JWT_SECRET is not set: generated a random signing secret and stored it in the data directory"
    );
    Ok(secret)
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

pub fn build_state(
    config: Config,
    pool: Database,
    clock: Arc<dyn Clock>,
) -> Result<AppState, StartError> {
    linli_infra::password::configure(config.password_hash_threads, config.password_hash_queue);
    let secret = jwt_secret(&config)?;
    let signer = TokenSigner::new(secret.as_bytes(), config.access_ttl)
        .map_err(|e| StartError::Secret(e.to_string()))?;
    let photos: Arc<dyn PhotoStore> = match config.photo_store {
        PhotoStoreKind::Files => Arc::new(FsPhotoStore::new(config.data_dir.join("photos"))),
        PhotoStoreKind::Database => Arc::new(DbPhotoStore::new(pool.clone())),
    };
    let sms = sms_codes(&config, &secret)?;
    Ok(AppState::new(Application {
        pool,
        signer,
        clock,
        config: Arc::new(config),
        photos,
        photo_urls: UrlSigner::new(secret.as_bytes()),
        sessions: Arc::default(),
        org_names: Arc::default(),
        sms,
    }))
}

/// The SMS sender `LINLI_SMS_SENDER` names (by default a file under the data directory), and
/// the keyed hash of stored codes, derived from the signing secret.
fn sms_codes(config: &Config, secret: &str) -> Result<SmsCodes, StartError> {
    let spec = match &config.sms_sender {
        Some(spec) => SenderSpec::parse(spec)?,
        None => SenderSpec::File(config.data_dir.join("sms.jsonl")),
    };
    if let SenderSpec::File(path) = &spec {
        tracing::warn!(
            path = %path.display(),
            "verification codes are written to a file, not sent (set LINLI_SMS_SENDER=http:URL in production)"
        );
    }
    let sender = spec.build(config.sms_secret.as_deref().map(str::as_bytes))?;
    Ok(SmsCodes {
        sender,
        hasher: CodeHasher::new(secret.as_bytes()),
        policy: config.sms_policy,
    })
}

/// The API server on `listener`, with the per-address connection cap. `signals`: stop on
/// SIGTERM / Ctrl-C (the binary), or only through the server handle (tests, benchmarks).
pub fn start(
    state: AppState,
    listener: std::net::TcpListener,
    signals: bool,
) -> std::io::Result<actix_web::dev::Server> {
    let config = Arc::clone(&state.config);
    let tracker = ConnectionTracker::new(config.max_connections_per_ip);
    let mut server = actix_web::HttpServer::new(move || crate::app(state.clone()))
        .on_connect(tracker.on_connect())
        .shutdown_timeout(30);
    if let Some(w) = config.workers {
        server = server.workers(w);
    }
    if !signals {
        server = server.disable_signals();
    }
    Ok(server.listen(listener)?.run())
}

/// The Prometheus listener on `bind` (one worker; it serves only `GET /metrics`).
pub fn start_metrics(state: AppState, bind: &str) -> std::io::Result<actix_web::dev::Server> {
    Ok(
        actix_web::HttpServer::new(move || crate::metrics::app(state.clone()))
            .workers(1)
            .disable_signals()
            .bind(bind)?
            .run(),
    )
}

/// Run the server until SIGTERM / Ctrl-C (actix drains in-flight requests on either), and the
/// metrics listener beside it when `LINLI_METRICS_BIND` is set.
pub async fn serve(config: Config, state: AppState) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(&config.bind)?;
    let metrics = match &config.metrics_bind {
        Some(bind) => {
            let server = start_metrics(state.clone(), bind)?;
            let handle = server.handle();
            actix_web::rt::spawn(server);
            tracing::info!(%bind, "metrics listening");
            Some(handle)
        }
        None => None,
    };
    tracing::info!(bind = %config.bind, "linli listening");
    let result = start(state, listener, true)?.await;
    if let Some(handle) = metrics {
        handle.stop(true).await;
    }
    result
}

/// Default state for `serve`: the system clock.
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}
