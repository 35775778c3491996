//! /auth: SMS codes, resident registration, login, refresh-token rotation, logout, password
//! reset; /me.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use linli_domain::{
    ids::{BuildingId, CompoundId},
    issue::UnitText,
    values::{DisplayName, NewPassword, PhoneNumber},
};

use crate::{
    application::auth::{Credential, Registration},
    auth::{
        Caller,
        dto::{
            ChangePasswordRequest, LoginRequest, PasswordResetRequest, RefreshRequest,
            RegisterRequest, RegistrationAccepted, SmsCodeRequest, SmsCodeSent, TokenResponse,
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
            sms_code: body.sms_code,
            invitation_code: body.invitation_code,
        })
    }
}

/// Send a verification code (验证码) by SMS.
///
/// A 6-digit code for `purpose`, valid 5 minutes, at most 5 tries. The answer is the same
/// whether the number is registered or not. One code per number per 60 s and 10 per day (any
/// purpose), counted across all server processes: beyond that 429 `too_many_requests` with
/// `Retry-After`. 503 `service_unavailable` when the SMS gateway does not take the message.
#[utoipa::path(
    tag = "auth",
    request_body = SmsCodeRequest,
    responses(
        (status = 202, description = "A code is on its way", body = SmsCodeSent),
        (status = 422, description = "Not a mainland mobile number (`validation_failed`, field `phone`)", body = Problem, content_type = "application/problem+json"),
        TooManyAttempts, Malformed,
    )
)]
#[post("/auth/sms-codes")]
pub async fn request_sms_code(
    state: web::Data<AppState>,
    body: web::Json<SmsCodeRequest>,
) -> ApiResult<HttpResponse> {
    let SmsCodeRequest { phone, purpose } = body.into_inner();
    let phone = PhoneNumber::parse(&phone)?;
    // On the blocking pool: the gateway call must not hold up the async worker.
    let sent = state
        .call(move |app| app.request_sms_code(&phone, purpose.into()))
        .await?;
    Ok(HttpResponse::Accepted().json(SmsCodeSent {
        expires_in: sent.expires_in,
        resend_after: sent.resend_after,
    }))
}

/// Register a resident account with a code sent to the phone (purpose `register`).
///
/// 202 with the same body whether the number was new or already registered: a registered
/// account is left exactly as it was (its owner logs in, or resets the password by SMS), so
/// the answer tells nobody which numbers are registered, and only the phone's holder gets this
/// far. With an `invitation_code` the new resident is verified at once; otherwise `pending`
/// until the compound's property staff or owners' committee verify them.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "Registered (or the number was registered already: nothing changed)", body = RegistrationAccepted),
        (status = 422, description = "Invalid phone, weak password, unknown compound or building (`validation_failed`); wrong, expired or used-up SMS code (`invalid_sms_code`); unknown, expired or used-up invitation code, or one for another compound or building (`invalid_invitation`)", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let registration = Registration::try_from(body.into_inner())?;
    let phone = registration.phone.as_str().to_owned();
    state.call(move |app| app.register(registration)).await?;
    Ok(HttpResponse::Accepted().json(RegistrationAccepted { phone }))
}

/// Log in with the phone and its password, or a code sent to it (purpose `login`).
///
/// Unknown phones and wrong passwords or codes get the same answer in about the same time.
/// Failed passwords count per phone and client address: from the third on, each next try waits
/// `LINLI_LOGIN_DELAY_SECS`, doubled per failure, and after `LINLI_LOGIN_MAX_FAILURES` the
/// address is locked out of the phone for the window (429 with `Retry-After`), across all server
/// processes. The owner is never locked out: another address, or an SMS code, still works.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong phone, password or code (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a mainland mobile number, or not exactly one of `password` and `sms_code` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
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
    let LoginRequest {
        phone,
        password,
        sms_code,
    } = body.into_inner();
    // Only a parseable number costs a database row and a hash; anything else is 422.
    let phone = PhoneNumber::parse(&phone)?;
    let credential = match (password, sms_code) {
        (Some(password), None) => Credential::Password(password),
        (None, Some(code)) => Credential::SmsCode(code),
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "sms_code",
                "send a password or a code, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::validation(
                "password",
                "send a password or a code",
            ));
        }
    };
    let hops = ratelimit::trusted_hops(&state.config.rate_limits);
    let client = ratelimit::client_ip(req.peer_addr().map(|a| a.ip()), req.headers(), hops)
        .map(|ip| ratelimit::address_key(ip).to_string());
    let tokens = state
        .call(move |app| app.login(&phone, &credential, client.as_deref()))
        .await?;
    Ok(web::Json(tokens.into()))
}

/// Set a new password with a code sent to the phone (purpose `reset_password`).
///
/// Every session of the account ends at once, on every device. The answer is the same whether
/// the number is registered or not.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 204, description = "Password set; log in again on every device"),
        (status = 422, description = "Invalid phone or weak password (`validation_failed`); wrong, expired or used-up code (`invalid_sms_code`)", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[post("/auth/password-reset")]
pub async fn reset_password(
    state: web::Data<AppState>,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let PasswordResetRequest {
        phone,
        sms_code,
        new_password,
    } = body.into_inner();
    let phone = PhoneNumber::parse(&phone)?;
    let new = NewPassword::parse(&new_password)
        .map_err(|e| ApiError::validation("new_password", e.to_string()))?;
    state
        .call(move |app| app.reset_password(&phone, &sms_code, new))
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
