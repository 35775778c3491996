//! /auth: resident registration, login, refresh-token rotation, logout; /me.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use linli_domain::{
    ids::{BuildingId, CompoundId},
    issue::UnitText,
    values::{DisplayName, NewPassword, PhoneNumber},
};

use crate::{
    application::auth::Registration,
    auth::{
        Caller,
        dto::{
            ChangePasswordRequest, LoginRequest, RefreshRequest, RegisterRequest, TokenResponse,
            UserResponse,
        },
    },
    error::{ApiError, ApiResult, Problem},
    ratelimit,
    responses::{Malformed, TooManyAttempts, Unauthenticated},
    state::AppState,
};

impl TryFrom<RegisterRequest> for Registration {
    type Error = ApiError;

    fn try_from(body: RegisterRequest) -> ApiResult<Self> {
        Ok(Self {
            phone: PhoneNumber::parse(&body.phone)?,
            password: NewPassword::parse(&body.password)?,
            display_name: DisplayName::parse(&body.display_name)?,
            unit: UnitText::parse_optional(body.unit.as_deref())?.map(UnitText::into_string),
            compound: CompoundId(body.compound_id),
            building: body.building_id.map(BuildingId),
        })
    }
}

/// Register a resident account.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created", body = UserResponse),
        (status = 409, description = "Phone already registered (`phone_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone, weak password, unknown compound or building", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let registration = Registration::try_from(body.into_inner())?;
    let user = state.call(move |app| app.register(registration)).await?;
    Ok(HttpResponse::Created().json(UserResponse::from_row(&user)))
}

/// Log in with phone and password.
///
/// Unknown phones and wrong passwords get the same answer in about the same time. After
/// `LINLI_LOGIN_MAX_FAILURES` failures within the window the phone is locked for that client
/// address (429 with `Retry-After`), across all server processes; the owner logging in from
/// another address is not locked out.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong phone or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a mainland mobile number (`validation_failed`, field `phone`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password checks are waiting (`overloaded`), or the database is unreachable (`service_unavailable`); retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
        TooManyAttempts, Malformed,
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let LoginRequest { phone, password } = body.into_inner();
    // Only a parseable number costs a database row and a hash; anything else is 422.
    let phone = PhoneNumber::parse(&phone)?;
    let hops = ratelimit::trusted_hops(&state.config.rate_limits);
    let client = ratelimit::client_ip(req.peer_addr().map(|a| a.ip()), req.headers(), hops)
        .map(|ip| ratelimit::address_key(ip).to_string());
    let tokens = state
        .call(move |app| app.login(&phone, &password, client.as_deref()))
        .await?;
    Ok(web::Json(tokens.into()))
}

/// Exchange a refresh token for a new pair (rotation).
///
/// Each refresh token works once. Presenting one that was already used revokes its whole
/// family, including the tokens issued after it (`refresh_token_reused`).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "Unknown, expired or revoked refresh token (`invalid_refresh_token`), or one already used (`refresh_token_reused`: the whole session family is revoked)", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let token = body.into_inner().refresh_token;
    let tokens = state.call(move |app| app.refresh(&token)).await?;
    Ok(web::Json(tokens.into()))
}

/// Log out: revoke the refresh token's family.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Logged out (also when the token was unknown)"), Malformed)
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let token = body.into_inner().refresh_token;
    state.call(move |app| app.logout(&token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's account.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The caller", body = UserResponse), Unauthenticated)
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<UserResponse>> {
    let id = caller.user_id();
    let user = state.call(move |app| app.account(id)).await?;
    Ok(web::Json(UserResponse::from_row(&user)))
}

/// Change the caller's password. Every refresh token of the account is revoked: all devices
/// log in again (access tokens run out within their 15 minutes). A wrong current password
/// counts as a failed login for the phone's limit.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed; log in again on every device"),
        (status = 403, description = "The current password is wrong (`wrong_password`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too short or too common", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another password change of this account won the race (`concurrent_update`); log in again", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, TooManyAttempts, Malformed,
    )
)]
#[put("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    let new = NewPassword::parse(&new_password)
        .map_err(|e| ApiError::validation("new_password", e.to_string()))?;
    let user = caller.user_id();
    state
        .call(move |app| app.change_password(user, &current_password, new))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
