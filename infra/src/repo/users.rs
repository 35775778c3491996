//! Accounts: residents (self-registered) and staff (created by an admin).

use diesel::prelude::*;
use linli_domain::{
    DomainError,
    auth::{Role, Scope, ScopeKind},
    ids::{BuildingId, UserId},
};

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::{buildings, users},
};

/// A stored account. Never serialised: the API has its own DTO without the hash.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub phone: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub scope_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub building_id: Option<i64>,
    pub unit: Option<String>,
    pub created_at: i64,
    /// Set when an admin disabled the account: no login, no refresh.
    pub disabled_at: Option<i64>,
    /// Residents: `pending`, `verified` or `rejected` (业主认证); `None` for staff.
    pub verification: Option<String>,
    /// What the verifier wrote with their decision.
    pub verification_note: Option<String>,
    /// Who decided the verification last, and when (not set for an invitation code).
    pub verified_by: Option<i64>,
    pub verified_at: Option<i64>,
    /// What `scope_id` names where the role alone does not tell (`grid` for a 片长); `None`
    /// for the role's usual kind.
    pub scope_kind: Option<String>,
}

impl UserRow {
    /// The account's role and the scope its `scope_id` and `scope_kind` name.
    pub fn role_and_scope(&self) -> Result<(Role, Scope), DomainError> {
        let role = Role::parse(&self.role)?;
        let kind = self
            .scope_kind
            .as_deref()
            .map(ScopeKind::parse)
            .transpose()?;
        Ok((role, Scope::for_account(role, kind, self.scope_id)?))
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub phone: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub scope_id: Option<i64>,
    /// See [`UserRow::scope_kind`].
    pub scope_kind: Option<&'a str>,
    pub compound_id: Option<i64>,
    pub building_id: Option<i64>,
    pub unit: Option<&'a str>,
    pub created_at: i64,
    /// Residents: `pending`, or `verified` with an invitation code; `None` for staff.
    pub verification: Option<&'a str>,
}

pub fn create(conn: &mut DbConn, new: &NewUser<'_>) -> RepoResult<UserRow> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result::<i64>(conn)
        .map_err(
            |e| match RepoError::from_write(e, "an account with this phone") {
                RepoError::BadReference(_) => RepoError::BadReference("scope".into()),
                other => other,
            },
        )
        .and_then(|id| find(conn, UserId(id)))
}

pub fn find(conn: &mut DbConn, id: UserId) -> RepoResult<UserRow> {
    users::table
        .find(id.0)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

pub fn find_by_phone(conn: &mut DbConn, phone: &str) -> RepoResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::phone.eq(phone))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn phone_taken(conn: &mut DbConn, phone: &str) -> RepoResult<bool> {
    let n: i64 = users::table
        .filter(users::phone.eq(phone))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether `building` has an enabled building-leader account — its own (楼栋长) or a 片长 of
/// its grid: a residents-level matter (小事居民治) filed there goes to them, to the grid
/// otherwise.
pub fn building_has_leaders(conn: &mut DbConn, building: BuildingId) -> RepoResult<bool> {
    let grid = buildings::table
        .find(building.0)
        .select(buildings::grid_id)
        .single_value();
    let own = users::scope_kind
        .is_null()
        .and(users::scope_id.eq(building.0));
    let of_grid = users::scope_kind
        .eq(ScopeKind::Grid.as_str())
        .and(users::scope_id.eq(grid));
    let found: Option<i64> = users::table
        .filter(users::role.eq(Role::BuildingLeader.as_str()))
        .filter(own.or(of_grid))
        .filter(users::disabled_at.is_null())
        .select(users::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// One page of accounts in id order after `after`, optionally of one role (keyset pagination:
/// stable under concurrent inserts, no OFFSET scans).
pub fn list_page(
    conn: &mut DbConn,
    after: Option<i64>,
    limit: i64,
    role: Option<&str>,
) -> RepoResult<Vec<UserRow>> {
    let mut q = users::table
        .select(UserRow::as_select())
        .order(users::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(users::id.gt(after));
    }
    if let Some(role) = role {
        q = q.filter(users::role.eq(role));
    }
    Ok(q.load(conn)?)
}

/// Replace the password hash if it is still `expected`: of several concurrent changes from the
/// same old password exactly one wins (`true`); the others change nothing (`false`).
pub fn replace_password_hash(
    conn: &mut DbConn,
    id: UserId,
    expected: &str,
    password_hash: &str,
) -> RepoResult<bool> {
    let n = diesel::update(
        users::table
            .find(id.0)
            .filter(users::password_hash.eq(expected)),
    )
    .set(users::password_hash.eq(password_hash))
    .execute(conn)?;
    Ok(n == 1)
}

/// Disable (`Some(time)`) or re-enable (`None`) an account.
pub fn set_disabled(
    conn: &mut DbConn,
    id: UserId,
    disabled_at: Option<i64>,
) -> RepoResult<UserRow> {
    let n = diesel::update(users::table.find(id.0))
        .set(users::disabled_at.eq(disabled_at))
        .execute(conn)?;
    if n == 1 {
        find(conn, id)
    } else {
        Err(RepoError::NotFound)
    }
}

/// Set a password hash outright (a reset by SMS code: the old password is not known).
pub fn set_password_hash(conn: &mut DbConn, id: UserId, password_hash: &str) -> RepoResult<()> {
    let n = diesel::update(users::table.find(id.0))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(RepoError::NotFound)
    }
}

/// Give an account another role and scope (`scope_kind` as in [`UserRow::scope_kind`]).
pub fn set_role(
    conn: &mut DbConn,
    id: UserId,
    role: &str,
    scope_id: Option<i64>,
    scope_kind: Option<&str>,
) -> RepoResult<UserRow> {
    let n = diesel::update(users::table.find(id.0))
        .set((
            users::role.eq(role),
            users::scope_id.eq(scope_id),
            users::scope_kind.eq(scope_kind),
        ))
        .execute(conn)?;
    if n == 1 {
        find(conn, id)
    } else {
        Err(RepoError::NotFound)
    }
}

/// A verifier's decision on a resident.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct VerificationChangeset<'a> {
    pub verification: Option<&'a str>,
    pub verification_note: Option<&'a str>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<i64>,
}

pub fn set_verification(
    conn: &mut DbConn,
    id: UserId,
    change: &VerificationChangeset<'_>,
) -> RepoResult<UserRow> {
    let n = diesel::update(users::table.find(id.0))
        .set(change)
        .execute(conn)?;
    if n == 1 {
        find(conn, id)
    } else {
        Err(RepoError::NotFound)
    }
}

/// One page of the residents of `compounds` in id order after `after`, optionally only those
/// whose verification is `verification` (the verification queue).
pub fn list_residents(
    conn: &mut DbConn,
    compounds: &[i64],
    verification: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<UserRow>> {
    let mut q = users::table
        .select(UserRow::as_select())
        .filter(users::role.eq("resident"))
        .filter(users::compound_id.eq_any(compounds.to_vec()))
        .order(users::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(users::id.gt(after));
    }
    if let Some(v) = verification {
        q = q.filter(users::verification.eq(v));
    }
    Ok(q.load(conn)?)
}
