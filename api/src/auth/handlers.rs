//! /auth: resident registration, login, refresh-token rotation, logout; /me.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{
    DbConn, password,
    repo::{login_failures, org, sessions, users},
    time::to_millis,
    tokens,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    state::AppState,
};

/// Body of POST /auth/register: a resident's self-registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+86 138 0000 0001", "password": "correct-horse-42", "display_name": "王阿姨", "compound_id": 1, "building_id": 1, "unit": "2单元 301"}))]
pub struct RegisterRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    pub phone: String,
    /// At least 8 characters, not a common password.
    pub password: String,
    /// Name shown to staff and neighbours (e.g. 王阿姨), 1 to 64 characters.
    pub display_name: String,
    /// The resident's home compound.
    pub compound_id: i64,
    /// A building of that compound.
    pub building_id: Option<i64>,
    /// Unit and door, free text (e.g. `2单元 301`).
    pub unit: Option<String>,
}

/// Body of POST /auth/login: phone number and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13800000001", "password": "correct-horse-42"}))]
pub struct LoginRequest {
    /// The registered mobile number; spaces, dashes and `+86` are accepted.
    pub phone: String,
    /// The account's password.
    pub password: String,
}

/// Body of POST /auth/refresh and POST /auth/logout: a refresh token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "nzwae-JNgFbB6aTyez1Y4GoclPLXsDXoxKFvmy59DFM"}))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh; it is used up by this call.
    pub refresh_token: String,
}

/// An access token and a refresh token, from login or refresh.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3Iiwicm9sZSI6InJlc2lkZW50Iiwic2NvcGVfaWQiOjEsImlzcyI6ImxpbmxpIiwiYXVkIjoibGlubGktYXBpIiwiaWF0IjoxNzg4MjQ5NjAwLCJleHAiOjE3ODgyNTA1MDAsImp0aSI6IlhxMm05UmtUNHZMdzhOY1lwM0hkMUEifQ.4LJ3vY8NImRGMMf-_SbMJyz5n9z5u-Apu-97GsW8sr4",
    "refresh_token": "nzwae-JNgFbB6aTyez1Y4GoclPLXsDXoxKFvmy59DFM",
    "token_type": "Bearer",
    "expires_in": 900
}))]
pub struct TokenResponse {
    /// JWT (HS256) for `Authorization: Bearer …`.
    pub access_token: String,
    /// Opaque; exchange it at /auth/refresh. Single use.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// The caller's own account. Phone numbers of others are never shown here.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "phone": "13800000001", "display_name": "王阿姨", "role": "resident",
    "scope_id": 1, "compound_id": 1, "building_id": 1, "unit": "2单元 301",
    "created_at": "2026-09-01T00:00:00Z"
}))]
pub struct UserResponse {
    /// User id.
    pub id: i64,
    /// Mobile number, 11 digits (`138****0001` where masked, e.g. residents in admin lists).
    pub phone: String,
    /// Name shown to others, e.g. 王阿姨.
    pub display_name: String,
    /// resident, grid_worker, dispatcher, property_staff, committee_member,
    /// community_official, mediator, auditor or admin.
    pub role: String,
    /// What the role's scope names (compound, grid, street, company or community); null when
    /// district-wide.
    pub scope_id: Option<i64>,
    /// Residents: the home compound (小区); null for staff.
    pub compound_id: Option<i64>,
    /// Residents: the home building (楼栋), if given; null for staff.
    pub building_id: Option<i64>,
    /// Residents: unit and door, free text (e.g. `2单元 301`); null otherwise.
    pub unit: Option<String>,
    /// When the account was created, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// Set when an admin disabled the account (no login, no refresh).
    pub disabled_at: Option<DateTime<Utc>>,
}

impl UserResponse {
    pub fn from_row(row: &users::UserRow) -> Self {
        Self {
            id: row.id,
            phone: row.phone.clone(),
            display_name: row.display_name.clone(),
            role: row.role.clone(),
            scope_id: row.scope_id,
            compound_id: row.compound_id,
            building_id: row.building_id,
            unit: row.unit.clone(),
            created_at: linli_infra::time::from_millis(row.created_at).unwrap_or_default(),
            disabled_at: row
                .disabled_at
                .and_then(|t| linli_infra::time::from_millis(t).ok()),
        }
    }
}

/// Issue an access token and a new refresh token (starting a family unless one is given).
pub(crate) fn issue_tokens(
    conn: &mut DbConn,
    state: &AppState,
    user: &users::UserRow,
    family: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<TokenResponse> {
    let access = state
        .signer
        .issue(user.id, &user.role, user.scope_id, now)
        .map_err(ApiError::internal)?;
    let refresh_token = tokens::new_refresh_token();
    let family = family.unwrap_or_else(|| tokens::random_token(16));
    sessions::insert(
        conn,
        user.id,
        &family,
        &tokens::hash_refresh_token(&refresh_token),
        to_millis(now),
        to_millis(now + state.config.refresh_ttl),
    )?;
    Ok(TokenResponse {
        access_token: access,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.signer.access_ttl.num_seconds(),
    })
}

fn opt_text(field: &'static str, raw: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        )),
        Some(s) => Ok(Some(s.to_owned())),
    }
}

/// Register a resident account.
#[utoipa::path(
    tag = "auth",
    operation_id = "register",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created", body = UserResponse),
        (status = 409, description = "Phone already registered (`phone_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone, weak password, unknown compound or building", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let phone = PhoneNumber::parse(&body.phone)?;
    let pw = NewPassword::parse(&body.password)?;
    let name = DisplayName::parse(&body.display_name)?;
    let unit = opt_text("unit", body.unit.as_deref(), 64)?;
    let now = state.now();
    let user = state
        .run(move |conn| {
            // Check what can be checked cheaply before paying for argon2.
            org::find_compound(conn, body.compound_id)
                .map_err(|_| ApiError::validation("compound_id", "no such compound"))?;
            if let Some(b) = body.building_id {
                let building = org::find_building(conn, b)
                    .map_err(|_| ApiError::validation("building_id", "no such building"))?;
                if building.compound_id != body.compound_id {
                    return Err(ApiError::validation(
                        "building_id",
                        "the building is not in that compound",
                    ));
                }
            }
            if users::phone_taken(conn, phone.as_str())? {
                return Err(ApiError::conflict(
                    "phone_taken",
                    "this phone number is already registered",
                ));
            }
            let hash = password::hash(pw.expose()).map_err(ApiError::internal)?;
            users::create(
                conn,
                &users::NewUser {
                    phone: phone.as_str(),
                    password_hash: &hash,
                    display_name: name.as_str(),
                    role: Role::Resident.as_str(),
                    scope_id: Some(body.compound_id),
                    compound_id: Some(body.compound_id),
                    building_id: body.building_id,
                    unit: unit.as_deref(),
                    created_at: to_millis(now),
                },
            )
            .map_err(|e| match e {
                linli_infra::RepoError::Conflict(_) => {
                    ApiError::conflict("phone_taken", "this phone number is already registered")
                }
                other => other.into(),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(UserResponse::from_row(&user)))
}

/// Count a password attempt for `phone` as a failure *before* the password is checked, so that
/// parallel guesses cannot slip past the limit while argon2 runs; a success clears it again.
/// Attempts of one phone are serialised: an advisory lock on PostgreSQL, the write lock of the
/// `BEGIN IMMEDIATE` transaction on SQLite. Call inside a write transaction.
fn reserve_attempt(
    conn: &mut DbConn,
    state: &AppState,
    phone: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let window = state.config.login_window;
    login_failures::lock_phone(conn, phone)?;
    let (failures, oldest) = login_failures::recent(conn, phone, to_millis(now - window))?;
    if failures >= state.config.login_max_failures {
        let unlock = oldest.unwrap_or(to_millis(now)) + window.num_milliseconds();
        let retry_after = ((unlock - to_millis(now)) / 1000).max(1);
        return Err(ApiError::TooManyRequests { retry_after });
    }
    login_failures::record(conn, phone, to_millis(now))?;
    Ok(())
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "wrong phone number or password")
}

/// Log in with phone and password.
///
/// Unknown phones and wrong passwords get the same answer in about the same time. After
/// `LINLI_LOGIN_MAX_FAILURES` failures within the window the phone is locked (429 with
/// `Retry-After`), across all server processes.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong phone or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds to wait"))),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let body = body.into_inner();
    // An unparseable phone is treated like an unknown one: same status, same work.
    let phone = PhoneNumber::parse(&body.phone)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| body.phone.trim().to_owned());
    let now = state.now();
    let window_start = to_millis(now - state.config.login_window);
    // Step 1, one short transaction: reserve the attempt (see `reserve_attempt`).
    let (st, reserve_phone) = (state.clone(), phone.clone());
    state
        .tx(move |conn| reserve_attempt(conn, &st, &reserve_phone, now))
        .await?;
    // Step 2: verify (argon2 on the blocking pool); success forgets the phone's failures.
    let st = state.clone();
    let outcome = state
        .run(move |conn| {
            let user = users::find_by_phone(conn, &phone)?;
            let hash = user
                .as_ref()
                .map(|u| u.password_hash.as_str())
                .unwrap_or_else(|| password::dummy_hash());
            let ok = password::verify(&body.password, hash)
                && user.as_ref().is_some_and(|u| u.disabled_at.is_none());
            match user {
                Some(user) if ok => {
                    login_failures::clear(conn, &phone, window_start)?;
                    Ok(Ok(issue_tokens(conn, &st, &user, None, now)?))
                }
                _ => Ok(Err(bad_credentials())),
            }
        })
        .await?;
    outcome.map(web::Json)
}

/// Exchange a refresh token for a new pair (rotation).
///
/// Each refresh token works once. Presenting one that was already used revokes its whole
/// family, including the tokens issued after it (`refresh_token_reused`).
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let hash = tokens::hash_refresh_token(body.refresh_token.trim());
    let now = state.now();
    let st = state.clone();
    // Reuse revokes the family and must stay revoked even though the request fails, so the
    // revocation is committed and the error returned afterwards.
    let outcome = state
        .tx(move |conn| {
            let invalid = || {
                ApiError::unauthorized("invalid_refresh_token", "the refresh token is not valid")
            };
            let Some(row) = sessions::find_by_hash(conn, &hash)? else {
                return Ok(Err(invalid()));
            };
            if row.revoked_at.is_some() || row.expires_at <= to_millis(now) {
                return Ok(Err(invalid()));
            }
            if row.used_at.is_some() || !sessions::mark_used(conn, row.id, to_millis(now))? {
                sessions::revoke_family(conn, &row.family_id, to_millis(now))?;
                tracing::warn!(
                    user_id = row.user_id,
                    "refresh token reused; family revoked"
                );
                return Ok(Err(ApiError::unauthorized(
                    "refresh_token_reused",
                    "this refresh token was already used; all sessions of this login are revoked",
                )));
            }
            let user = users::find(conn, row.user_id)?;
            if user.disabled_at.is_some() {
                sessions::revoke_family(conn, &row.family_id, to_millis(now))?;
                return Ok(Err(invalid()));
            }
            Ok(Ok(issue_tokens(
                conn,
                &st,
                &user,
                Some(row.family_id),
                now,
            )?))
        })
        .await?;
    outcome.map(web::Json)
}

/// Log out: revoke the refresh token's family.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Logged out (also when the token was unknown)"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let hash = tokens::hash_refresh_token(body.refresh_token.trim());
    let now = state.now();
    state
        .tx(move |conn| {
            if let Some(row) = sessions::find_by_hash(conn, &hash)? {
                sessions::revoke_family(conn, &row.family_id, to_millis(now))?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's account.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<UserResponse>> {
    let id = caller.user_id().0;
    let user = state.run(move |conn| Ok(users::find(conn, id)?)).await?;
    Ok(web::Json(UserResponse::from_row(&user)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct-horse-42", "new_password": "another-horse-43"}))]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// At least 8 characters, not a common password.
    pub new_password: String,
}

/// Change the caller's password. Every refresh token of the account is revoked: all devices
/// log in again (access tokens run out within their 15 minutes). A wrong current password
/// counts as a failed login for the phone's limit.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_password",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed; log in again on every device"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong (`wrong_password`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too short or too common", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds to wait"))),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let new = NewPassword::parse(&body.new_password)
        .map_err(|e| ApiError::validation("new_password", e.to_string()))?;
    let user_id = caller.user_id().0;
    let now = state.now();
    let window_start = to_millis(now - state.config.login_window);
    let st = state.clone();
    let outcome = state
        .run(move |conn| {
            let user = users::find(conn, user_id)?;
            // Same limit as logins: a stolen access token must not become a password oracle.
            linli_infra::db::write_transaction(conn, |conn| {
                reserve_attempt(conn, &st, &user.phone, now)
            })?;
            if !password::verify(&body.current_password, &user.password_hash) {
                return Ok(Err(ApiError::Refused {
                    code: "wrong_password",
                    detail: "the current password is wrong".into(),
                }));
            }
            let hash = password::hash(new.expose()).map_err(ApiError::internal)?;
            linli_infra::db::write_transaction(conn, |conn| {
                users::set_password_hash(conn, user_id, &hash)?;
                sessions::revoke_all_for_user(conn, user_id, to_millis(now))?;
                login_failures::clear(conn, &user.phone, window_start)?;
                Ok::<_, ApiError>(())
            })?;
            Ok(Ok(()))
        })
        .await?;
    outcome.map(|()| HttpResponse::NoContent().finish())
}
