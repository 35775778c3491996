//! /admin/users: staff accounts, created by an admin with a role and the scope it names.
//! Residents register themselves (/auth/register) and appear here with masked phones.

use actix_web::{HttpResponse, get, http::header, post, web};
use linli_domain::{
    auth::{Role, Scope},
    values::{DisplayName, NewPassword, PhoneNumber, mask_phone},
};
use linli_infra::{
    DbConn, RepoError, password,
    repo::{org, users},
    time::to_millis,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    admin::AdminCaller,
    auth::handlers::UserResponse,
    error::{ApiError, ApiResult, Problem},
    pagination::PageParams,
    state::AppState,
};

/// Body of POST /admin/users: a staff account with its role and scope.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "13900000002", "password": "correct-horse-42", "display_name": "东坪街道物管中心", "role": "dispatcher", "scope_id": 1}))]
pub struct CreateUserRequest {
    /// Mainland mobile number; spaces, dashes and `+86` are accepted.
    pub phone: String,
    /// At least 8 characters, not a common password.
    pub password: String,
    /// Name shown to others (e.g. a person or an office like 东坪街道物管中心), 1 to 64 characters.
    pub display_name: String,
    /// grid_worker, dispatcher, property_staff, committee_member, community_official, mediator,
    /// auditor or admin (residents register themselves).
    pub role: String,
    /// What the role's scope names: grid (grid_worker), street or null for the whole district
    /// (dispatcher), property company (property_staff), compound (committee_member), community
    /// (community_official, mediator); null for auditor and admin.
    pub scope_id: Option<i64>,
}

/// One page of accounts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "id": 3, "phone": "13900000002", "display_name": "东坪街道物管中心",
        "role": "dispatcher", "scope_id": 1, "compound_id": null, "building_id": null,
        "unit": null, "created_at": "2026-09-01T00:00:00Z"
    }],
    "next_cursor": "693a33"
}))]
pub struct UserPage {
    /// Accounts in id order. Residents' phone numbers are masked (`138****0001`).
    pub items: Vec<UserResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// Only accounts of this role.
    pub role: Option<String>,
}

/// What an admin sees of an account: residents' numbers masked (admins manage staff; they do
/// not need residents' numbers).
fn admin_view(row: &users::UserRow) -> UserResponse {
    let mut res = UserResponse::from_row(row);
    if row.role == Role::Resident.as_str() {
        res.phone = mask_phone(&row.phone);
    }
    res
}

/// The scope must name an existing row of the kind the role needs.
fn check_scope_exists(conn: &mut DbConn, scope: Scope) -> ApiResult<()> {
    let (found, what) = match scope {
        Scope::District => return Ok(()),
        Scope::Street(id) => (org::find_street(conn, id.0).map(drop), "street"),
        Scope::Community(id) => (org::find_community(conn, id.0).map(drop), "community"),
        Scope::Grid(id) => (org::find_grid(conn, id.0).map(drop), "grid"),
        Scope::Compound(id) => (org::find_compound(conn, id.0).map(drop), "compound"),
        Scope::PropertyCompany(id) => (
            org::find_property_company(conn, id.0).map(drop),
            "property company",
        ),
    };
    found.map_err(|e| match e {
        RepoError::NotFound => ApiError::validation("scope_id", format!("no such {what}")),
        other => other.into(),
    })
}

fn phone_taken() -> ApiError {
    ApiError::conflict("phone_taken", "this phone number is already registered")
}

/// Create a staff account.
///
/// The role decides what `scope_id` must name (see `CreateUserRequest.scope_id`); a missing,
/// superfluous, unknown or wrong-kind scope is 422 on `scope_id`. Role `resident` is refused:
/// residents register themselves.
#[utoipa::path(
    tag = "admin",
    operation_id = "create_user",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Account created", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Phone already registered (`phone_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone, weak password, unknown role, role resident, or a scope that does not fit the role (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
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
    let pw = NewPassword::parse(&body.password)?;
    let name = DisplayName::parse(&body.display_name)?;
    let role = Role::parse(&body.role)?;
    if role == Role::Resident {
        return Err(ApiError::validation(
            "role",
            "residents register themselves at /auth/register",
        ));
    }
    let scope = Scope::for_role(role, body.scope_id)?;
    let now = to_millis(state.now());
    let user = state
        .tx(move |conn| {
            // Everything cheap first, argon2 last.
            check_scope_exists(conn, scope)?;
            if users::phone_taken(conn, phone.as_str())? {
                return Err(phone_taken());
            }
            let hash = password::hash(pw.expose()).map_err(ApiError::internal)?;
            users::create(
                conn,
                &users::NewUser {
                    phone: phone.as_str(),
                    password_hash: &hash,
                    display_name: name.as_str(),
                    role: role.as_str(),
                    scope_id: scope.id(),
                    compound_id: None,
                    building_id: None,
                    unit: None,
                    created_at: now,
                },
            )
            .map_err(|e| match e {
                RepoError::Conflict(_) => phone_taken(),
                other => other.into(),
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/admin/users/{}", user.id)))
        .json(admin_view(&user)))
}

/// List accounts (staff and residents), keyset-paginated by id.
#[utoipa::path(
    tag = "admin",
    operation_id = "list_users",
    security(("bearer" = [])),
    params(UserListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = UserPage),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Invalid cursor or limit (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Malformed request", body = Problem, content_type = "application/problem+json"),
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
    let mut rows = state
        .run(move |conn| {
            Ok(users::list_page(
                conn,
                page.after,
                page.limit + 1,
                role.map(Role::as_str),
            )?)
        })
        .await?;
    let next_cursor = page.finish(&mut rows, |r| r.id);
    Ok(web::Json(UserPage {
        items: rows.iter().map(admin_view).collect(),
        next_cursor,
    }))
}

/// One account.
#[utoipa::path(
    tag = "admin",
    operation_id = "get_user",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The account (a resident's phone masked)", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = id.into_inner();
    let row = state.run(move |conn| Ok(users::find(conn, id)?)).await?;
    Ok(web::Json(admin_view(&row)))
}

/// Disable an account (staff who leave, an abused resident account): it can no longer log in
/// or refresh, and every refresh token is revoked at once; its access tokens run out within
/// their lifetime. Its past actions stay attributed in the timelines.
#[utoipa::path(
    tag = "admin",
    operation_id = "disable_user",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The disabled account", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Admins cannot disable themselves (`cannot_disable_self`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/users/{id}/disable")]
pub async fn disable_user(
    admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = id.into_inner();
    if id == admin.0.user_id().0 {
        return Err(ApiError::conflict(
            "cannot_disable_self",
            "an admin cannot disable their own account",
        ));
    }
    let now = to_millis(state.now());
    let row = state
        .tx(move |conn| {
            let current = users::find(conn, id)?;
            let row = users::set_disabled(conn, id, Some(current.disabled_at.unwrap_or(now)))?;
            linli_infra::repo::sessions::revoke_all_for_user(conn, id, now)?;
            Ok(row)
        })
        .await?;
    Ok(web::Json(admin_view(&row)))
}

/// Enable a disabled account again.
#[utoipa::path(
    tag = "admin",
    operation_id = "enable_user",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The enabled account", body = UserResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/users/{id}/enable")]
pub async fn enable_user(
    _admin: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<UserResponse>> {
    let id = id.into_inner();
    let row = state
        .tx(move |conn| Ok(users::set_disabled(conn, id, None)?))
        .await?;
    Ok(web::Json(admin_view(&row)))
}
