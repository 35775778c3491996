//! Liveness and readiness probes.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, ApiResult, Problem},
    state::AppState,
};

/// The answer of a health probe.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct HealthResponse {
    /// Always `ok` (failures are 503 problem documents).
    pub status: String,
}

/// The process is alive.
#[utoipa::path(tag = "health", responses((status = 200, body = HealthResponse)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse {
        status: "ok".into(),
    })
}

/// The database is reachable and fully migrated.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = HealthResponse),
        (status = 503, description = "Database unreachable or not migrated", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let ready = state
        .run(|conn| {
            linli_infra::db::is_ready(conn).map_err(|e| ApiError::Unavailable(e.to_string()))
        })
        .await?;
    if ready {
        Ok(HttpResponse::Ok().json(HealthResponse {
            status: "ok".into(),
        }))
    } else {
        Err(ApiError::Unavailable(
            "database migrations are pending".into(),
        ))
    }
}
