//! Consequences of a published rating: rectification orders (整改通知) to companies graded
//! 较差 (the company accepts with a plan or refuses; the office closes it fulfilled or failed),
//! the replacement candidates (较差 and refused or failed: 淘汰替换, the owners' decision) and
//! the recommended companies (优秀: 优先推荐).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use linli_domain::{
    DomainError,
    auth::{Actor, Role, Scope},
    evaluation::{Grade, RunStatus},
    ids::{PropertyCompanyId, UserId},
    notice::{NoticeKind, Publisher},
    rectification::{OrderItems, OrderStatus, may_be_ordered},
    values::{NoticeBody, NoticeTitle},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        org, ratings,
        rectification_orders::{self, NewOrder, OrderChange, OrderRow},
        reports::Window,
    },
    time::{from_millis, to_millis},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ratings::CompanyRating;
use crate::application::{
    AppError, AppResult, Application,
    error::ProblemCode,
    notices::{NoticeDraft, NoticeTarget, store_notice},
};

/// An order as the district office writes it, parsed.
#[derive(Debug, Clone)]
pub struct OrderDraft {
    pub run_id: i64,
    pub property_company: PropertyCompanyId,
    pub items: OrderItems,
    pub due_at: DateTime<Utc>,
}

/// The company's answer.
#[derive(Debug, Clone)]
pub enum CompanyAnswer {
    Accept { plan: String },
    Refuse { note: String },
}

/// A rectification order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectificationOrder {
    pub id: i64,
    /// The published rating run it follows, and its quarter.
    pub run_id: i64,
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    pub property_company_id: i64,
    pub property_company_name: String,
    /// What must be put right.
    pub items: Vec<String>,
    pub due_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub issued_at: DateTime<Utc>,
    /// The company's plan when it accepted; its reason when it refused.
    pub plan: Option<String>,
    pub answer_note: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The office's findings when it closed the order.
    pub closing_note: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A compound a company manages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManagedCompound {
    pub id: i64,
    pub name: String,
}

/// A company on the replacement-candidate or recommended list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ListedCompany {
    pub property_company_id: i64,
    pub name: String,
    pub grade: Grade,
    pub score: Option<f64>,
    #[schema(minimum = 1, maximum = 5)]
    pub stars: Option<u8>,
    /// Replacement candidates: the refused or failed orders; empty for recommended ones.
    pub orders: Vec<OrderRef>,
    /// The compounds it manages now.
    pub compounds: Vec<ManagedCompound>,
}

/// An order in a list: its id and status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderRef {
    pub id: i64,
    pub status: OrderStatus,
}

fn forbidden(detail: &str) -> AppError {
    DomainError::Forbidden(detail.to_owned()).into()
}

fn conflict(detail: impl Into<String>) -> AppError {
    AppError::conflict(ProblemCode::Conflict, detail)
}

fn corrupt(id: i64, e: impl std::fmt::Display) -> AppError {
    RepoError::Corrupt(format!("rectification order {id}: {e}")).into()
}

fn view(conn: &mut DbConn, row: OrderRow) -> AppResult<RectificationOrder> {
    let company = org::find_property_company(conn, PropertyCompanyId(row.property_company_id))?;
    view_named(row, company.name)
}

/// Whose orders `viewer` sees: every company's (district office, auditors), their own
/// company's (property staff).
fn order_sight(viewer: &Actor) -> AppResult<Option<i64>> {
    match (viewer.role, viewer.scope) {
        (Role::DistrictOffice | Role::Auditor, _) => Ok(None),
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => Ok(Some(p.0)),
        _ => Err(forbidden(
            "rectification orders are for the district office, auditors and the company's staff",
        )),
    }
}

fn results_of(conn: &mut DbConn, run_id: i64) -> AppResult<(String, Vec<CompanyRating>)> {
    let run = ratings::find(conn, run_id)?;
    if run.status()? == RunStatus::Draft {
        return Err(AppError::NotFound);
    }
    let companies = serde_json::from_str(&run.results)
        .map_err(|e| RepoError::Corrupt(format!("rating run {}: {e}", run.id)))?;
    Ok((run.period, companies))
}

fn listed(conn: &mut DbConn, c: &CompanyRating, orders: Vec<OrderRef>) -> AppResult<ListedCompany> {
    let compounds = org::list_compounds(conn, None, Some(c.property_company_id))?
        .into_iter()
        .map(|r| ManagedCompound {
            id: r.id,
            name: r.name,
        })
        .collect();
    Ok(ListedCompany {
        property_company_id: c.property_company_id,
        name: c.name.clone(),
        grade: c.grade,
        score: c.score,
        stars: c.stars,
        orders,
        compounds,
    })
}

/// The order on the notice boards of the company's compounds (公示).
fn post_order_notice(
    conn: &mut DbConn,
    author: UserId,
    order: &RectificationOrder,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let due = order
        .due_at
        .with_timezone(&linli_domain::period::DistrictTz::default().tz())
        .format("%Y年%m月%d日");
    let mut body = format!(
        "{}在{}星级物业评定中等次为“较差”，区物管办通知其整改，{due}前完成：\n",
        order.property_company_name, order.period
    );
    for (i, item) in order.items.iter().enumerate() {
        body.push_str(&format!("{}. {item}\n", i + 1));
    }
    let draft = NoticeDraft {
        title: NoticeTitle::parse(&format!("整改通知：{}", order.property_company_name))?,
        body: NoticeBody::parse(&body)?,
        kind: NoticeKind::Rating,
        target: NoticeTarget::Compounds(Vec::new()),
        pinned: false,
        expires_at: None,
        categories: Vec::new(),
    };
    let compounds: Vec<i64> = org::list_compounds(conn, None, Some(order.property_company_id))?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if !compounds.is_empty() {
        store_notice(conn, Publisher::District, author, &draft, &compounds, now)?;
    }
    Ok(())
}

/// Issue an order (the write path for HTTP and the demo): the company must be graded 较差 in
/// the current published revision `run_id`, the due date ahead; posted on the boards of the
/// company's compounds.
pub fn issue_order(
    conn: &mut DbConn,
    author: UserId,
    draft: &OrderDraft,
    now: DateTime<Utc>,
) -> AppResult<RectificationOrder> {
    let run = ratings::find(conn, draft.run_id)?;
    match run.status()? {
        RunStatus::Draft => return Err(AppError::NotFound),
        RunStatus::Superseded => {
            return Err(conflict(
                "a later revision replaced this rating; order on that one",
            ));
        }
        RunStatus::Published => {}
    }
    let (_, companies) = results_of(conn, draft.run_id)?;
    let graded = companies
        .iter()
        .find(|c| c.property_company_id == draft.property_company.0)
        .map(|c| c.grade);
    if !graded.is_some_and(may_be_ordered) {
        return Err(AppError::validation(
            "property_company_id",
            "rectification orders go to companies graded 较差 (poor) in this rating",
        ));
    }
    if draft.due_at <= now {
        return Err(AppError::validation("due_at", "must be in the future"));
    }
    let items = serde_json::to_string(draft.items.items()).map_err(|e| corrupt(0, e))?;
    let row = rectification_orders::insert(
        conn,
        &NewOrder {
            run_id: run.id,
            period: &run.period,
            property_company_id: draft.property_company.0,
            items: &items,
            due_at: to_millis(draft.due_at),
            status: OrderStatus::Issued.as_str(),
            issued_by: author.0,
            issued_at: to_millis(now),
        },
    )?;
    let order = view(conn, row)?;
    post_order_notice(conn, author, &order, now)?;
    Ok(order)
}

/// The company's answer to order `id` by `by` (the write path for HTTP and the demo).
pub fn answer_order(
    conn: &mut DbConn,
    by: UserId,
    id: i64,
    answer: &CompanyAnswer,
    now: i64,
) -> AppResult<RectificationOrder> {
    let row = rectification_orders::find(conn, id)?;
    let from = row.status()?;
    let accept = matches!(answer, CompanyAnswer::Accept { .. });
    let to = from
        .answer(accept)
        .ok_or_else(|| conflict(format!("the order is {}; it was answered", from.as_str())))?;
    let (plan, note) = match answer {
        CompanyAnswer::Accept { plan } => (Some(plan.as_str()), None),
        CompanyAnswer::Refuse { note } => (None, Some(note.as_str())),
    };
    let change = OrderChange {
        status: to.as_str(),
        plan,
        answer_note: note,
        answered_by: Some(by.0),
        answered_at: Some(now),
        ..OrderChange::default()
    };
    change_order(conn, id, from, &change)
}

/// Move order `id` on from status `from` (409 when another change came first); the order
/// after the change.
fn change_order(
    conn: &mut DbConn,
    id: i64,
    from: OrderStatus,
    change: &OrderChange<'_>,
) -> AppResult<RectificationOrder> {
    rectification_orders::update(conn, id, from, change).map_err(|e| match e {
        RepoError::NotFound => conflict("the order changed meanwhile"),
        other => other.into(),
    })?;
    let row = rectification_orders::find(conn, id)?;
    view(conn, row)
}

/// How a company's orders due in a quarter were settled: the 综合管理 compliance part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderTerms {
    /// Refused, fulfilled or failed.
    pub settled: i64,
    pub fulfilled: i64,
}

/// The compliance terms per company of the orders due in `window`.
pub fn company_order_terms(
    conn: &mut DbConn,
    window: Window,
) -> AppResult<HashMap<i64, OrderTerms>> {
    let mut terms: HashMap<i64, OrderTerms> = HashMap::new();
    for (company, status) in rectification_orders::due_between(conn, window.from, window.to)? {
        let status = OrderStatus::parse(&status).map_err(|e| corrupt(0, e))?;
        if status.is_settled() {
            let t = terms.entry(company).or_default();
            t.settled += 1;
            t.fulfilled += i64::from(status == OrderStatus::Fulfilled);
        }
    }
    Ok(terms)
}

impl Application {
    /// Issue an order (district office); see [`issue_order`].
    pub fn issue_rectification_order(
        &self,
        author: UserId,
        draft: OrderDraft,
    ) -> AppResult<RectificationOrder> {
        let now = self.now();
        self.write(|conn| issue_order(conn, author, &draft, now))
    }

    /// The company answers: property staff of the ordered company.
    pub fn answer_rectification_order(
        &self,
        actor: &Actor,
        id: i64,
        answer: CompanyAnswer,
    ) -> AppResult<RectificationOrder> {
        let (Role::PropertyStaff, Scope::PropertyCompany(company)) = (actor.role, actor.scope)
        else {
            return Err(forbidden(
                "only the ordered company's staff answer an order",
            ));
        };
        let now = to_millis(self.now());
        self.write(|conn| {
            let row = rectification_orders::find(conn, id)?;
            if row.property_company_id != company.0 {
                return Err(AppError::NotFound);
            }
            answer_order(conn, actor.user_id, id, &answer, now)
        })
    }

    /// The district office closes order `id` fulfilled or failed.
    pub fn close_rectification_order(
        &self,
        by: UserId,
        id: i64,
        fulfilled: bool,
        note: String,
    ) -> AppResult<RectificationOrder> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let row = rectification_orders::find(conn, id)?;
            let from = row.status()?;
            let to = from.close(fulfilled).ok_or_else(|| {
                conflict(format!("the order is {}; it is settled", from.as_str()))
            })?;
            let change = OrderChange {
                status: to.as_str(),
                closing_note: Some(&note),
                closed_by: Some(by.0),
                closed_at: Some(now),
                ..OrderChange::default()
            };
            change_order(conn, id, from, &change)
        })
    }

    /// Orders newest first: all for the district office and auditors, their company's for
    /// property staff.
    pub fn list_rectification_orders(
        &self,
        viewer: &Actor,
        run: Option<i64>,
        before: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<RectificationOrder>> {
        let company = order_sight(viewer)?;
        self.read(|conn| {
            let rows = rectification_orders::list(conn, company, run, before, limit)?;
            let names = org::property_company_names(
                conn,
                &rows
                    .iter()
                    .map(|r| r.property_company_id)
                    .collect::<Vec<_>>(),
            )?;
            rows.into_iter()
                .map(|row| {
                    let name = names.get(&row.property_company_id).cloned();
                    view_named(row, name.unwrap_or_default())
                })
                .collect()
        })
    }

    /// One order, if `viewer` sees it (else not found).
    pub fn rectification_order(&self, viewer: &Actor, id: i64) -> AppResult<RectificationOrder> {
        let company = order_sight(viewer)?;
        self.read(|conn| {
            let row = rectification_orders::find(conn, id)?;
            if company.is_some_and(|c| c != row.property_company_id) {
                return Err(AppError::NotFound);
            }
            view(conn, row)
        })
    }

    /// 淘汰替换 candidates of run `run_id`'s quarter: companies graded 较差 in it whose order
    /// was refused or failed, with the compounds they manage. District office and auditors.
    pub fn replacement_candidates(
        &self,
        viewer: &Actor,
        run_id: i64,
    ) -> AppResult<Vec<ListedCompany>> {
        if !matches!(viewer.role, Role::DistrictOffice | Role::Auditor) {
            return Err(forbidden(
                "replacement candidates are for the district office and auditors",
            ));
        }
        self.read(|conn| {
            let (period, companies) = results_of(conn, run_id)?;
            let mut against: HashMap<i64, Vec<OrderRef>> = HashMap::new();
            for row in rectification_orders::of_period(conn, &period)? {
                let status = row.status()?;
                if status.counts_against() {
                    against
                        .entry(row.property_company_id)
                        .or_default()
                        .push(OrderRef { id: row.id, status });
                }
            }
            companies
                .iter()
                .filter(|c| c.grade == Grade::Poor)
                .filter_map(|c| against.remove(&c.property_company_id).map(|o| (c, o)))
                .map(|(c, orders)| listed(conn, c, orders))
                .collect()
        })
    }

    /// The 优秀 companies of run `run_id` (优先推荐), with the compounds they manage: anyone
    /// who may read the run.
    pub fn recommended_companies(
        &self,
        viewer: &Actor,
        run_id: i64,
    ) -> AppResult<Vec<ListedCompany>> {
        let run = self.rating_run(viewer, run_id)?;
        self.read(|conn| {
            run.companies
                .iter()
                .filter(|c| c.grade == Grade::Excellent)
                .map(|c| listed(conn, c, Vec::new()))
                .collect()
        })
    }
}

fn view_named(row: OrderRow, name: String) -> AppResult<RectificationOrder> {
    let at = |t: Option<i64>| t.map(from_millis).transpose();
    Ok(RectificationOrder {
        id: row.id,
        run_id: row.run_id,
        status: row.status()?,
        items: serde_json::from_str(&row.items).map_err(|e| corrupt(row.id, e))?,
        due_at: from_millis(row.due_at)?,
        issued_at: from_millis(row.issued_at)?,
        answered_at: at(row.answered_at)?,
        closed_at: at(row.closed_at)?,
        period: row.period,
        property_company_id: row.property_company_id,
        property_company_name: name,
        plan: row.plan,
        answer_note: row.answer_note,
        closing_note: row.closing_note,
    })
}
