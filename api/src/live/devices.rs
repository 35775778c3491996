//! Phones registered for push: `POST /me/devices` and `DELETE /me/devices/{token}`.

use actix_web::{HttpResponse, delete, post, web};
use chrono::{DateTime, Utc};
use linli_domain::device::{DeviceToken, Platform};
use linli_infra::{repo::devices::DeviceRow, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    responses::Unauthenticated,
    state::AppState,
};

/// The push ecosystem of a phone.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DevicePlatform {
    Ios,
    Android,
    /// HarmonyOS (鸿蒙).
    Harmony,
}

impl From<DevicePlatform> for Platform {
    fn from(p: DevicePlatform) -> Self {
        match p {
            DevicePlatform::Ios => Self::Ios,
            DevicePlatform::Android => Self::Android,
            DevicePlatform::Harmony => Self::Harmony,
        }
    }
}

impl DevicePlatform {
    fn from_stored(raw: &str) -> Self {
        match Platform::parse(raw) {
            Ok(Platform::Ios) => Self::Ios,
            Ok(Platform::Harmony) => Self::Harmony,
            _ => Self::Android,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "0f3a9c1e…", "platform": "android"}))]
pub struct RegisterDeviceRequest {
    /// The device token the vendor push SDK gave the app (1–512 visible ASCII characters).
    #[schema(min_length = 1, max_length = 512)]
    pub token: String,
    pub platform: DevicePlatform,
}

/// A phone registered for push.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "token": "0f3a9c1e…", "platform": "android",
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z"
}))]
pub struct DeviceResponse {
    pub token: String,
    pub platform: DevicePlatform,
    /// First registration, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// Last registration (apps register again at every start).
    pub updated_at: DateTime<Utc>,
}

impl DeviceResponse {
    fn from_row(row: DeviceRow) -> Self {
        Self {
            platform: DevicePlatform::from_stored(&row.platform),
            created_at: from_millis(row.created_at).unwrap_or_default(),
            updated_at: from_millis(row.updated_at).unwrap_or_default(),
            token: row.token,
        }
    }
}

/// Register the caller's phone for push notifications. Registering a token again refreshes
/// it; a token registered by another account moves to the caller (the phone changed hands).
#[utoipa::path(
    tag = "live",
    request_body = RegisterDeviceRequest,
    responses(
        (status = 201, description = "The device, registered", body = DeviceResponse),
        (status = 400, description = "Malformed body or unknown platform (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
        (status = 422, description = "Invalid device token (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/devices")]
pub async fn register_device(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RegisterDeviceRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let token = DeviceToken::parse(&body.token)?;
    let platform = Platform::from(body.platform);
    let user = caller.user_id();
    let row = state
        .call(move |app| app.register_device(user, token, platform))
        .await?;
    Ok(HttpResponse::Created().json(DeviceResponse::from_row(row)))
}

/// Stop pushing to one of the caller's phones (e.g. on logout).
#[utoipa::path(
    tag = "live",
    params(("token" = String, Path, description = "The device token")),
    responses(
        (status = 204, description = "Removed"),
        Unauthenticated,
        (status = 404, description = "The caller has no such device", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/devices/{token}")]
pub async fn remove_device(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let token = DeviceToken::parse(&path.into_inner()).map_err(|_| ApiError::NotFound)?;
    let user = caller.user_id();
    state
        .call(move |app| app.remove_device(user, token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
