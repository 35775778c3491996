//! The request and response bodies of /auth and /me; `UserResponse` is also what /admin/users
//! shows of an account.

use chrono::{DateTime, Utc};
use linli_domain::auth::{ScopeKind, Verification};
use linli_infra::{repo::users::UserRow, sms::SmsPurpose, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::application::auth::Tokens;

/// Body of POST /auth/register: a resident's self-registration, with the code sent to the
/// phone for `register`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+86 138 0000 0001", "sms_code": "482915", "password": "correct-horse-42", "display_name": "王阿姨", "compound_id": 1, "building_id": 1, "unit": "2单元 301"}))]
pub struct RegisterRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    #[schema(pattern = r"^\+?[0-9 -]{11,20}$")]
    pub phone: String,
    /// At least 8 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Name shown to staff and neighbours (e.g. 王阿姨), 1 to 64 characters.
    #[schema(min_length = 1, max_length = 64)]
    pub display_name: String,
    /// The resident's home compound.
    #[schema(minimum = 1)]
    pub compound_id: i64,
    /// A building of that compound.
    #[schema(minimum = 1)]
    pub building_id: Option<i64>,
    /// Unit and door, free text (e.g. `2单元 301`).
    #[schema(max_length = 64)]
    pub unit: Option<String>,
    /// The 6-digit code from POST /auth/sms-codes (purpose `register`).
    #[schema(pattern = r"^[0-9]{6}$")]
    pub sms_code: String,
    /// An invitation code the compound's property staff printed for the building (e.g.
    /// `K7MX3-QPA9W`): the resident is verified at once. Without it the resident is `pending`
    /// until the compound verifies them.
    #[schema(max_length = 32)]
    pub invitation_code: Option<String>,
}

/// The answer to POST /auth/register: the same whether the number was new or registered
/// already (a registered account is left as it was), so it tells nobody who is registered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"phone": "13800000001"}))]
pub struct RegistrationAccepted {
    /// The number as normalised (11 digits): log in with it.
    pub phone: String,
}

/// What a verification code is for.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    Register,
    Login,
    ResetPassword,
}

impl From<CodePurpose> for SmsPurpose {
    fn from(p: CodePurpose) -> Self {
        match p {
            CodePurpose::Register => Self::Register,
            CodePurpose::Login => Self::Login,
            CodePurpose::ResetPassword => Self::ResetPassword,
        }
    }
}

/// Body of POST /auth/sms-codes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13800000001", "purpose": "login"}))]
pub struct SmsCodeRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    #[schema(pattern = r"^\+?[0-9 -]{11,20}$")]
    pub phone: String,
    /// What the code will be used for; a code works for its purpose only.
    pub purpose: CodePurpose,
}

/// The answer to POST /auth/sms-codes: the same for every number.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"expires_in": 300, "resend_after": 60}))]
pub struct SmsCodeSent {
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds before another code may be requested for this number.
    pub resend_after: i64,
}

/// Body of POST /auth/password-reset.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13800000001", "sms_code": "482915", "new_password": "another-horse-43"}))]
pub struct PasswordResetRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    #[schema(pattern = r"^\+?[0-9 -]{11,20}$")]
    pub phone: String,
    /// The 6-digit code from POST /auth/sms-codes (purpose `reset_password`).
    #[schema(pattern = r"^[0-9]{6}$")]
    pub sms_code: String,
    /// At least 8 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// Body of POST /auth/login: the phone number and either its password or a code sent to it
/// for `login` (exactly one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13800000001", "password": "correct-horse-42"}))]
pub struct LoginRequest {
    /// The registered mobile number; spaces, dashes and `+86` are accepted.
    #[schema(pattern = r"^\+?[0-9 -]{11,20}$")]
    pub phone: String,
    /// The account's password.
    pub password: Option<String>,
    /// The 6-digit code from POST /auth/sms-codes (purpose `login`).
    #[schema(pattern = r"^[0-9]{6}$")]
    pub sms_code: Option<String>,
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
    #[schema(value_type = crate::auth::dto::TokenType)]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// The caller's own account. Phone numbers of others are never shown here.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "phone": "13800000001", "display_name": "王阿姨", "role": "resident",
    "scope_id": 1, "scope_kind": "compound", "compound_id": 1, "building_id": 1, "unit": "2单元 301",
    "created_at": "2026-09-01T00:00:00Z", "disabled_at": null, "verification": "verified"
}))]
pub struct UserResponse {
    /// User id.
    pub id: i64,
    /// Mobile number, 11 digits (`138****0001` where masked, e.g. residents in admin lists).
    #[schema(pattern = r"^1[3-9][0-9]([0-9]{4}|\*{4})[0-9]{4}$")]
    pub phone: String,
    /// Name shown to others, e.g. 王阿姨.
    pub display_name: String,
    /// The account's role.
    #[schema(value_type = linli_domain::auth::Role)]
    pub role: String,
    /// What the role's scope names (compound, grid, street, company, community or building);
    /// null when district-wide.
    pub scope_id: Option<i64>,
    /// What kind of unit `scope_id` names (`grid` for a building leader over a grid, 片长);
    /// null when district-wide.
    pub scope_kind: Option<ScopeKind>,
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
    /// Residents: whether the compound verified them (业主认证); null for staff. An unverified
    /// resident files and follows their own issues only.
    pub verification: Option<Verification>,
}

impl UserResponse {
    pub fn from_row(row: &UserRow) -> Self {
        Self {
            id: row.id,
            phone: row.phone.clone(),
            display_name: row.display_name.clone(),
            role: row.role.clone(),
            scope_id: row.scope_id,
            scope_kind: row.role_and_scope().ok().and_then(|(_, s)| s.kind()),
            compound_id: row.compound_id,
            building_id: row.building_id,
            unit: row.unit.clone(),
            created_at: from_millis(row.created_at).unwrap_or_default(),
            disabled_at: row.disabled_at.and_then(|t| from_millis(t).ok()),
            verification: row
                .verification
                .as_deref()
                .and_then(|v| Verification::parse(v).ok()),
        }
    }
}

/// Body of PUT /me/password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct-horse-42", "new_password": "another-horse-43"}))]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// At least 8 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

impl From<Tokens> for TokenResponse {
    fn from(t: Tokens) -> Self {
        Self {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            token_type: "Bearer".into(),
            expires_in: t.expires_in,
        }
    }
}

/// The token type of an access token: always `Bearer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}
