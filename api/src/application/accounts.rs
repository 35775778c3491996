//! Accounts: staff accounts an admin creates, lists, disables, enables and gives another role;
//! the first admin created from the command line; and the one way any account is inserted
//! (residents register through `auth.rs`, which uses it too).

use crate::application::ProblemCode;
use linli_domain::{
    auth::{Role, Scope, ScopeKind},
    ids::UserId,
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{
    DbConn, DbPool, RepoError, db, password,
    repo::{
        org, sessions,
        users::{self, NewUser, UserRow},
    },
    time::to_millis,
};

use crate::application::{AppError, AppResult, Application};

/// Who a new account is (its password is hashed apart, with no connection held).
pub struct NewAccount<'a> {
    pub phone: &'a PhoneNumber,
    pub display_name: &'a DisplayName,
    pub role: Role,
    pub scope_id: Option<i64>,
    /// What `scope_id` names where the role alone does not tell (a 片长's grid); `None` for
    /// the role's usual kind.
    pub scope_kind: Option<ScopeKind>,
    /// Residents only: home compound, building and unit.
    pub compound_id: Option<i64>,
    pub building_id: Option<i64>,
    pub unit: Option<&'a str>,
    /// Residents: `pending` or `verified`; `None` for staff.
    pub verification: Option<&'a str>,
}

impl<'a> NewAccount<'a> {
    /// A staff account (no home, no verification).
    fn staff(
        phone: &'a PhoneNumber,
        display_name: &'a DisplayName,
        role: Role,
        scope: Scope,
    ) -> Self {
        Self {
            phone,
            display_name,
            role,
            scope_id: scope.id(),
            scope_kind: scope.stored_kind(role),
            compound_id: None,
            building_id: None,
            unit: None,
            verification: None,
        }
    }
}

fn phone_taken() -> AppError {
    AppError::conflict(
        ProblemCode::PhoneTaken,
        "this phone number is already registered",
    )
}

/// Insert an account with its password hash: a taken phone is 409 `phone_taken` (the unique
/// index decides).
pub(crate) fn insert_account(
    conn: &mut DbConn,
    new: &NewAccount<'_>,
    password_hash: &str,
    now: i64,
) -> AppResult<UserRow> {
    let row = NewUser {
        phone: new.phone.as_str(),
        password_hash,
        display_name: new.display_name.as_str(),
        role: new.role.as_str(),
        scope_id: new.scope_id,
        scope_kind: new.scope_kind.map(ScopeKind::as_str),
        compound_id: new.compound_id,
        building_id: new.building_id,
        unit: new.unit,
        created_at: now,
        verification: new.verification,
    };
    users::create(conn, &row).map_err(|e| match e {
        RepoError::Conflict(_) => phone_taken(),
        other => other.into(),
    })
}

/// The scope `scope_id` (of `kind`, where the role has more than one) names for staff role
/// `role` (422 on `role` for resident: residents register themselves).
fn staff_scope(role: Role, kind: Option<ScopeKind>, scope_id: Option<i64>) -> AppResult<Scope> {
    if role == Role::Resident {
        return Err(AppError::validation(
            "role",
            "residents register themselves at /auth/register",
        ));
    }
    Ok(Scope::for_account(role, kind, scope_id)?)
}

/// The scope must name an existing row of the kind the role needs (422 on `scope_id`).
fn check_scope_exists(conn: &mut DbConn, scope: Scope) -> AppResult<()> {
    let (found, what) = match scope {
        Scope::District => return Ok(()),
        Scope::Street(id) => (org::find_street(conn, id).map(drop), "street"),
        Scope::Community(id) => (org::find_community(conn, id).map(drop), "community"),
        Scope::Grid(id) => (org::find_grid(conn, id).map(drop), "grid"),
        Scope::Compound(id) => (org::find_compound(conn, id).map(drop), "compound"),
        Scope::Building(id) => (org::find_building(conn, id).map(drop), "building"),
        Scope::PropertyCompany(id) => (
            org::find_property_company(conn, id).map(drop),
            "property company",
        ),
    };
    found.map_err(|e| match e {
        RepoError::NotFound => AppError::validation("scope_id", format!("no such {what}")),
        other => other.into(),
    })
}

/// `linli admin create`: a new admin account, straight on the pool (the command line has no
/// running application). Returns its id.
pub fn create_admin(
    pool: &DbPool,
    phone: &PhoneNumber,
    password: &NewPassword,
    display_name: &DisplayName,
    now: i64,
) -> AppResult<UserId> {
    let hash = password::hash(password.expose()).map_err(AppError::internal)?;
    let mut conn = db::get(pool).map_err(|e| AppError::Unavailable(e.to_string()))?;
    let new = NewAccount::staff(phone, display_name, Role::Admin, Scope::District);
    insert_account(&mut conn, &new, &hash, now).map(|u| UserId(u.id))
}

impl Application {
    /// A staff account with `role` and the scope `scope_id` (of `scope_kind`, where the role
    /// has more than one) names for it. Role `resident` is refused (residents register
    /// themselves); the scope must fit the role and exist.
    pub fn create_staff_account(
        &self,
        phone: PhoneNumber,
        password: NewPassword,
        display_name: DisplayName,
        role: Role,
        (scope_kind, scope_id): (Option<ScopeKind>, Option<i64>),
    ) -> AppResult<UserRow> {
        let scope = staff_scope(role, scope_kind, scope_id)?;
        let now = to_millis(self.now());
        // Everything cheap first, argon2 with no connection held, then one short write.
        self.read(|conn| {
            check_scope_exists(conn, scope)?;
            if users::phone_taken(conn, phone.as_str())? {
                return Err(phone_taken());
            }
            Ok(())
        })?;
        let hash = password::hash(password.expose()).map_err(AppError::internal)?;
        self.write(|conn| {
            let new = NewAccount::staff(&phone, &display_name, role, scope);
            insert_account(conn, &new, &hash, now)
        })
    }

    /// Give a staff account another role and scope (the scope must fit the role and exist).
    /// Every session of the account ends at once: its tokens carry the old role.
    pub fn change_role(
        &self,
        admin: UserId,
        id: UserId,
        role: Role,
        (scope_kind, scope_id): (Option<ScopeKind>, Option<i64>),
    ) -> AppResult<UserRow> {
        let scope = staff_scope(role, scope_kind, scope_id)?;
        if id == admin {
            return Err(AppError::conflict(
                ProblemCode::CannotChangeOwnRole,
                "an admin cannot change their own role",
            ));
        }
        let now = to_millis(self.now());
        self.write(|conn| {
            let current = users::find(conn, id)?;
            if current.role == Role::Resident.as_str() {
                return Err(AppError::validation(
                    "role",
                    "a resident's account stays a resident's (staff get accounts of their own)",
                ));
            }
            check_scope_exists(conn, scope)?;
            let kind = scope.stored_kind(role).map(ScopeKind::as_str);
            let row = users::set_role(conn, id, role.as_str(), scope.id(), kind)?;
            sessions::revoke_all_for_user(conn, id, now)?;
            Ok(row)
        })
        .inspect(|_| self.sessions.forget_all())
    }

    /// Up to `fetch` accounts in id order after `after`, optionally of one role.
    pub fn list_accounts(
        &self,
        after: Option<i64>,
        fetch: i64,
        role: Option<Role>,
    ) -> AppResult<Vec<UserRow>> {
        self.read(|conn| {
            Ok(users::list_page(
                conn,
                after,
                fetch,
                role.map(Role::as_str),
            )?)
        })
    }

    pub fn account(&self, id: UserId) -> AppResult<UserRow> {
        self.read(|conn| Ok(users::find(conn, id)?))
    }

    /// Disable an account and revoke every refresh token of it at once (its access tokens run
    /// out within their lifetime). An admin cannot disable themselves. Disabling twice keeps
    /// the first time.
    pub fn disable_account(&self, admin: UserId, id: UserId) -> AppResult<UserRow> {
        if id == admin {
            return Err(AppError::conflict(
                ProblemCode::CannotDisableSelf,
                "an admin cannot disable their own account",
            ));
        }
        let now = to_millis(self.now());
        self.write(|conn| {
            let current = users::find(conn, id)?;
            let since = current.disabled_at.unwrap_or(now);
            let row = users::set_disabled(conn, id, Some(since))?;
            sessions::revoke_all_for_user(conn, id, now)?;
            Ok(row)
        })
        .inspect(|_| self.sessions.forget_all())
    }

    pub fn enable_account(&self, id: UserId) -> AppResult<UserRow> {
        self.write(|conn| Ok(users::set_disabled(conn, id, None)?))
            .inspect(|_| self.sessions.forget_all())
    }
}
