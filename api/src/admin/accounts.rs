//! /admin/users: staff accounts, created by an admin with a role and the scope it names, and
//! given another role later.
//! Residents register themselves (/auth/register) and appear here with masked phones.

use actix_web::{HttpResponse, get, http::header, post, put, web};
use linli_domain::{
    auth::{Role, ScopeKind},
    ids::UserId,
    values::{DisplayName, NewPassword, PhoneNumber, mask_phone},
};
use linli_infra::repo::users::UserRow;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::AdminCaller,
    auth::dto::UserResponse,
    error::{ApiResult, Problem},
    pagination::{Page, PageParams},
    responses::{AdminOnly, InvalidQuery, Malformed, NotFound},
    state::AppState,
};

/// Body of PUT /admin/users/{id}/role: the account's new role and the scope it names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "dispatcher", "scope_id": 1}))]
pub struct ChangeRoleRequest {
    /// Any role but resident (see `CreateUserRequest.role`).
    #[schema(value_type = linli_domain::auth::Role)]
    pub role: String,
    /// What the role's scope names (see `CreateUserRequest.scope_id`).
    #[schema(minimum = 1)]
    pub scope_id: Option<i64>,
    /// What kind of unit `scope_id` names, where the role may have more than one (see
    /// `CreateUserRequest.scope_kind`); omitted or null for the role's usual kind.
    #[serde(default)]
    #[schema(value_type = Option<linli_domain::auth::ScopeKind>)]
    pub scope_kind: Option<String>,
}

/// Body of POST /admin/users: a staff account with its role and scope.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13900000002", "password": "correct-horse-42", "display_name": "东坪街道物管中心", "role": "dispatcher", "scope_id": 1}))]
pub struct CreateUserRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    #[schema(pattern = r"^\+?[0-9 -]{11,20}$")]
    pub phone: String,
    /// At least 8 characters, not a common password.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Name shown to others (e.g. a person or an office like 东坪街道物管中心), 1 to 64 characters.
    #[schema(min_length = 1, max_length = 64)]
    pub display_name: String,
    /// Any role but resident (residents register themselves).
    #[schema(value_type = linli_domain::auth::Role)]
    pub role: String,
    /// What the role's scope names: grid (grid_worker), street or null for the whole district
    /// (dispatcher), street (street_official), property company (property_staff), compound
    /// (committee_member), community (community_official, mediator, volunteer), building
    /// (building_leader; a grid with `scope_kind: "grid"`); null for auditor, admin and
    /// district_office.
    #[schema(minimum = 1)]
    pub scope_id: Option<i64>,
    /// What kind of unit `scope_id` names, where the role may have more than one: `grid` makes a
    /// building_leader a 片长, the building leader of every building of that grid (their cases,
    /// patrol findings and notifications). Omitted or null (or the role's usual kind) for the
    /// usual scope; any other kind is 422 on `scope_kind`.
    #[serde(default)]
    #[schema(value_type = Option<linli_domain::auth::ScopeKind>)]
    pub scope_kind: Option<String>,
}

/// One page of accounts (see [`Page`] for why an alias).
pub type UserPage = Page<UserResponse>;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Only accounts of this role.
    #[param(value_type = Option<linli_domain::auth::Role>)]
    pub role: Option<String>,
}

/// The `scope_kind` of a request, if given (422 on `scope_kind` when unknown).
fn parse_scope_kind(raw: Option<&str>) -> ApiResult<Option<ScopeKind>> {
    Ok(raw.map(ScopeKind::parse).transpose()?)
}

/// What an admin sees of an account: residents' numbers masked (admins manage staff; they do
/// not need residents' numbers).
fn admin_view(row: &UserRow) -> UserResponse {
    let mut res = UserResponse::from_row(row);
    if row.role == Role::Resident.as_str() {
        res.phone = mask_phone(&row.phone);
    }
    res
}

/// Create a staff account.
///
/// The role decides what `scope_id` must name (see `CreateUserRequest.scope_id`); a missing,
/// superfluous, unknown or wrong-kind scope is 422 on `scope_id`. A building leader over a whole
/// grid (片长) is created with `scope_kind: "grid"` and the grid's id as `scope_id`; a
/// `scope_kind` the role cannot have is 422 on `scope_kind`. Role `resident` is refused:
/// residents register themselves.
#[utoipa::path(
    tag = "admin",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Account created", body = UserResponse),
        (status = 409, description = "Phone already registered (`phone_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone, weak password, unknown role, role resident, or a scope that does not fit the role (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, Malformed,
    )
)]
#[post("/admin/users")]
pub async fn create_user(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    body: web::Json<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let phone = PhoneNumber::parse(&body.phone)?;
    let password = NewPassword::parse(&body.password)?;
    let name = DisplayName::parse(&body.display_name)?;
    let role = Role::parse(&body.role)?;
    let scope = (parse_scope_kind(body.scope_kind.as_deref())?, body.scope_id);
    let user = state
        .call(move |app| app.create_staff_account(phone, password, name, role, scope))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/admin/users/{}", user.id)))
        .json(admin_view(&user)))
}

/// List accounts (staff and residents), keyset-paginated by id.
#[utoipa::path(
    tag = "admin",
    params(UserListQuery),
    responses(
        (status = 200, description = "One page of accounts in id order; residents' phone numbers are masked (`138****0001`)", body = UserPage),
        (status = 422, description = "Unknown role (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, InvalidQuery, Malformed,
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    query: web::Query<UserListQuery>,
) -> ApiResult<web::Json<UserPage>> {
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let role = query.role.as_deref().map(Role::parse).transpose()?;
    let rows = state
        .call(move |app| app.list_accounts(page.after, page.fetch(), role))
        .await?;
    Ok(web::Json(Page::of(
        &page,
        rows,
        |r| r.id,
        |r| admin_view(&r),
    )))
}

/// One account.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The account (a resident's phone masked)", body = UserResponse), AdminOnly, NotFound)
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = id.into_inner();
    let row = state.call(move |app| app.account(id)).await?;
    Ok(web::Json(admin_view(&row)))
}

/// Disable an account (staff who leave, an abused resident account): it can no longer log in
/// or refresh, and every refresh token is revoked at once; its access tokens run out within
/// their lifetime. Its past actions stay attributed in the timelines.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The disabled account", body = UserResponse),
        (status = 409, description = "Admins cannot disable themselves (`cannot_disable_self`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, NotFound,
    )
)]
#[post("/admin/users/{id}/disable")]
pub async fn disable_user(
    admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> ApiResult<web::Json<UserResponse>> {
    let (admin, id) = (admin.0.user_id(), id.into_inner());
    let row = state
        .call(move |app| app.disable_account(admin, id))
        .await?;
    Ok(web::Json(admin_view(&row)))
}

/// Enable a disabled account again.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The enabled account", body = UserResponse), AdminOnly, NotFound)
)]
#[post("/admin/users/{id}/enable")]
pub async fn enable_user(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = id.into_inner();
    let row = state.call(move |app| app.enable_account(id)).await?;
    Ok(web::Json(admin_view(&row)))
}

/// Give a staff account another role or scope (a transfer, a promotion).
///
/// Every session of the account ends at once: its access tokens answer 401 `session_revoked`
/// from the next request on (on other server processes within seconds), and it logs in again
/// with the new role. The scope must fit the role, as at creation. Residents' accounts keep
/// their role, and admins cannot change their own.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    request_body = ChangeRoleRequest,
    responses(
        (status = 200, description = "The account with its new role", body = UserResponse),
        (status = 409, description = "Admins cannot change their own role (`cannot_change_own_role`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role, role resident, a resident's account, or a scope that does not fit the role (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        AdminOnly, NotFound, Malformed,
    )
)]
#[put("/admin/users/{id}/role")]
pub async fn change_user_role(
    admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    body: web::Json<ChangeRoleRequest>,
) -> ApiResult<web::Json<UserResponse>> {
    let ChangeRoleRequest {
        role,
        scope_id,
        scope_kind,
    } = body.into_inner();
    let role = Role::parse(&role)?;
    let scope = (parse_scope_kind(scope_kind.as_deref())?, scope_id);
    let (admin, id) = (admin.0.user_id(), id.into_inner());
    let row = state
        .call(move |app| app.change_role(admin, id, role, scope))
        .await?;
    Ok(web::Json(admin_view(&row)))
}
