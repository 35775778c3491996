//! Device tokens of the vendor push services, per account. A token belongs to the account that
//! registered it last (a shared phone that changes hands follows its new owner).

use diesel::prelude::*;
use linli_domain::ids::UserId;

use crate::{
    DbConn,
    error::{RepoError, RepoResult},
    schema::devices,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = devices)]
pub struct DeviceRow {
    pub token: String,
    pub user_id: i64,
    pub platform: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Register `token` for the user (or move it to them); returns the stored row.
pub fn upsert(
    conn: &mut DbConn,
    user_id: UserId,
    token: &str,
    platform: &str,
    now: i64,
) -> RepoResult<DeviceRow> {
    let moved = diesel::update(devices::table.find(token))
        .set((
            devices::user_id.eq(user_id.0),
            devices::platform.eq(platform),
            devices::updated_at.eq(now),
        ))
        .execute(conn)?;
    if moved == 0 {
        diesel::insert_into(devices::table)
            .values((
                devices::token.eq(token),
                devices::user_id.eq(user_id.0),
                devices::platform.eq(platform),
                devices::created_at.eq(now),
                devices::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "this device token"))?;
    }
    Ok(devices::table
        .find(token)
        .select(DeviceRow::as_select())
        .first(conn)?)
}

/// Remove one of the user's tokens; false when the user has no such token.
pub fn remove(conn: &mut DbConn, user_id: UserId, token: &str) -> RepoResult<bool> {
    let n = diesel::delete(
        devices::table
            .filter(devices::token.eq(token))
            .filter(devices::user_id.eq(user_id.0)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// The user's devices, oldest registration first.
pub fn of_user(conn: &mut DbConn, user_id: UserId) -> RepoResult<Vec<DeviceRow>> {
    Ok(devices::table
        .filter(devices::user_id.eq(user_id.0))
        .order((devices::created_at, devices::token))
        .select(DeviceRow::as_select())
        .load(conn)?)
}
