//! Rectification orders (整改通知) to companies graded 较差, their answers and closings.

use diesel::prelude::*;
use linli_domain::rectification::OrderStatus;

use crate::{
    DbConn,
    error::{RepoError, RepoResult, one_row},
    schema::rectification_orders,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rectification_orders)]
pub struct OrderRow {
    pub id: i64,
    pub run_id: i64,
    pub period: String,
    pub property_company_id: i64,
    /// The items, a JSON array of strings.
    pub items: String,
    pub due_at: i64,
    pub status: String,
    pub issued_by: i64,
    pub issued_at: i64,
    pub plan: Option<String>,
    pub answer_note: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
    pub closing_note: Option<String>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<i64>,
}

impl OrderRow {
    pub fn status(&self) -> RepoResult<OrderStatus> {
        OrderStatus::parse(&self.status)
            .map_err(|_| RepoError::Corrupt(format!("order {}: bad status", self.id)))
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rectification_orders)]
pub struct NewOrder<'a> {
    pub run_id: i64,
    pub period: &'a str,
    pub property_company_id: i64,
    pub items: &'a str,
    pub due_at: i64,
    pub status: &'a str,
    pub issued_by: i64,
    pub issued_at: i64,
}

pub fn insert(conn: &mut DbConn, new: &NewOrder<'_>) -> RepoResult<OrderRow> {
    let id: i64 = diesel::insert_into(rectification_orders::table)
        .values(new)
        .returning(rectification_orders::id)
        .get_result(conn)
        .map_err(|e| RepoError::from_write(e, "rectification order"))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<OrderRow> {
    rectification_orders::table
        .find(id)
        .select(OrderRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

/// Orders newest first, keyset before `before`, optionally of one company and one run.
pub fn list(
    conn: &mut DbConn,
    company: Option<i64>,
    run: Option<i64>,
    before: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<OrderRow>> {
    let mut q = rectification_orders::table
        .select(OrderRow::as_select())
        .order(rectification_orders::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(c) = company {
        q = q.filter(rectification_orders::property_company_id.eq(c));
    }
    if let Some(r) = run {
        q = q.filter(rectification_orders::run_id.eq(r));
    }
    if let Some(b) = before {
        q = q.filter(rectification_orders::id.lt(b));
    }
    Ok(q.load(conn)?)
}

/// A change to an order: its new status and the fields of the answer or the closing (a
/// `None` field is left as it is).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = rectification_orders)]
pub struct OrderChange<'a> {
    pub status: &'a str,
    pub plan: Option<&'a str>,
    pub answer_note: Option<&'a str>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
    pub closing_note: Option<&'a str>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Apply `change` to order `id` if it is still `from`; `NotFound` otherwise.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    from: OrderStatus,
    change: &OrderChange<'_>,
) -> RepoResult<()> {
    let n = diesel::update(
        rectification_orders::table
            .filter(rectification_orders::id.eq(id))
            .filter(rectification_orders::status.eq(from.as_str())),
    )
    .set(change)
    .execute(conn)
    .map_err(|e| RepoError::from_write(e, "rectification order"))?;
    one_row(n)
}

/// (company, status) of the orders due in `[from, to)`.
pub fn due_between(conn: &mut DbConn, from: i64, to: i64) -> RepoResult<Vec<(i64, String)>> {
    Ok(rectification_orders::table
        .filter(rectification_orders::due_at.ge(from))
        .filter(rectification_orders::due_at.lt(to))
        .select((
            rectification_orders::property_company_id,
            rectification_orders::status,
        ))
        .load(conn)?)
}

/// The orders of a quarter (any revision of its rating), by id.
pub fn of_period(conn: &mut DbConn, period: &str) -> RepoResult<Vec<OrderRow>> {
    Ok(rectification_orders::table
        .filter(rectification_orders::period.eq(period))
        .order(rectification_orders::id)
        .select(OrderRow::as_select())
        .load(conn)?)
}
