//! The report queries: counts per group, medians, per-company rating inputs and the raw issue
//! export, each computed by the database in one GROUP BY (or one JOIN) over the issues created
//! in a window — never by loading issues into memory.
//!
//! The SQL is portable (CASE WHEN, SUM, COUNT, window functions) and identical on both databases
//! but for the placeholder syntax: `$n` on PostgreSQL, `?n` on SQLite (explicitly numbered, so a
//! parameter may appear more than once and in any order). Only fixed column names chosen by a
//! `match` are ever formatted into the SQL; every value is a bind parameter.

use diesel::{
    QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Double, Nullable, Text},
};
use linli_domain::{closure::Closure, handler::HandlerKind, issue::IssueStatus};

use crate::{
    DbConn,
    codes::event_kind,
    db::{Dialect, MultiBackend},
    error::RepoResult,
    repo::predicates::{self, Condition},
};

/// What one report row groups by. Each maps to a fixed column of `issues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Community,
    Compound,
    PropertyCompany,
    Category,
    Level,
    /// The request type (诉求类型).
    Kind,
}

impl GroupBy {
    /// The grouping column; numeric (an id) or text (a code).
    fn column(self) -> (&'static str, bool) {
        match self {
            Self::Community => ("i.community_id", true),
            Self::Compound => ("i.compound_id", true),
            Self::PropertyCompany => ("i.property_company_id", true),
            Self::Category => ("i.category", false),
            Self::Level => ("i.level", false),
            Self::Kind => ("i.kind", false),
        }
    }

    /// The join that names an id group, and the name column.
    fn name_join(self) -> (&'static str, &'static str) {
        match self {
            Self::Community => ("JOIN communities g ON g.id = i.community_id", "g.name"),
            Self::Compound => ("JOIN compounds g ON g.id = i.compound_id", "g.name"),
            Self::PropertyCompany => (
                "JOIN property_companies g ON g.id = i.property_company_id",
                "g.name",
            ),
            Self::Category | Self::Level | Self::Kind => ("", "CAST(NULL AS TEXT)"),
        }
    }
}

/// Which issues a caller may report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportScope {
    District,
    Street(i64),
    Community(i64),
}

/// Issues created in `[from, to)`, judged at `now` (all epoch milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub now: i64,
}

/// SQL text with numbered placeholders and its BigInt binds, in order.
struct Sql {
    dialect: Dialect,
    text: String,
    binds: Vec<i64>,
}

impl Sql {
    fn new(conn: &DbConn) -> Self {
        Self {
            dialect: conn.dialect(),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    /// Add a bind value; returns its placeholder.
    fn bind(&mut self, value: i64) -> String {
        self.binds.push(value);
        match self.dialect {
            Dialect::Postgres => format!("${}", self.binds.len()),
            Dialect::Sqlite => format!("?{}", self.binds.len()),
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    fn load<T>(self, conn: &mut DbConn) -> RepoResult<Vec<T>>
    where
        T: QueryableByName<MultiBackend> + 'static,
    {
        let mut query = diesel::sql_query(self.text).into_boxed::<MultiBackend>();
        for value in self.binds {
            query = query.bind::<BigInt, _>(value);
        }
        Ok(query.load(conn)?)
    }
}

/// A domain rule as SQL text over `issues i`, its values bound in `sql`.
fn render(sql: &mut Sql, condition: &Condition) -> String {
    condition.to_sql("i", &mut |value| sql.bind(value))
}

/// `WHERE` over the window and the scope (issues aliased `i`).
fn where_window(sql: &mut Sql, window: Window, scope: ReportScope) -> String {
    let from = sql.bind(window.from);
    let to = sql.bind(window.to);
    let mut clause = format!("WHERE i.created_at >= {from} AND i.created_at < {to}");
    match scope {
        ReportScope::District => {}
        ReportScope::Street(id) => {
            let p = sql.bind(id);
            clause.push_str(&format!(" AND i.street_id = {p}"));
        }
        ReportScope::Community(id) => {
            let p = sql.bind(id);
            clause.push_str(&format!(" AND i.community_id = {p}"));
        }
    }
    clause
}

/// The SQL conditions shared by the summary and the ratings, judged at `now` (see
/// `repo::predicates` for the domain rule each one mirrors).
struct Conditions {
    /// Closed, or open past the resolution deadline: the issue's resolution was due.
    due: String,
    /// Closed as resolved: confirmed by the resident, decided by a deliberation meeting, or
    /// confirmed at the 回头看 revisit after the latest close.
    resolved: String,
    /// On the clock (open, not awaiting confirmation) and past a deadline.
    overdue_open: String,
    rated: String,
    satisfied: String,
    rated_three: String,
    /// Fixed on the spot by a patrol (立行立改).
    found_and_fixed: String,
}

impl Conditions {
    fn new(sql: &mut Sql, now: i64) -> Self {
        Self {
            due: render(sql, &predicates::resolution_due(now)),
            resolved: render(sql, &predicates::resolved()),
            overdue_open: render(sql, &predicates::overdue(now)),
            rated: render(sql, &predicates::rated()),
            satisfied: render(sql, &predicates::satisfied()),
            rated_three: render(sql, &predicates::partly_satisfied()),
            found_and_fixed: render(sql, &predicates::found_and_fixed()),
        }
    }
}

fn count_if(condition: &str, alias: &str) -> String {
    format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {alias}")
}

/// The sum of an issue's count column over the group.
fn total_of(column: &str, alias: &str) -> String {
    format!("SUM(i.{column}) AS {alias}")
}

/// The counts of one summary group. `group_id` is set for id groups, `group_code` for code
/// groups (null for issues not triaged yet when grouping by level).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct SummaryCounts {
    #[diesel(sql_type = Nullable<BigInt>)]
    pub group_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub group_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub group_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
    #[diesel(sql_type = BigInt)]
    pub triaged: i64,
    #[diesel(sql_type = BigInt)]
    pub responded_on_time: i64,
    #[diesel(sql_type = BigInt)]
    pub resolved: i64,
    #[diesel(sql_type = BigInt)]
    pub due: i64,
    /// Residents' own ratings (see `predicates::residents_own_rating`).
    #[diesel(sql_type = BigInt)]
    pub rated: i64,
    /// Of those, ratings of 4 or 5.
    #[diesel(sql_type = BigInt)]
    pub satisfied: i64,
    /// Of those, ratings of 3 (count 0.9 each in the satisfaction rate).
    #[diesel(sql_type = BigInt)]
    pub rated_three: i64,
    /// Ratings staff gave on cases they filed: left out of 满意率.
    #[diesel(sql_type = BigInt)]
    pub staff_rated_excluded: i64,
    /// Closed unrated by the auto-confirmation: resolved but unverified.
    #[diesel(sql_type = BigInt)]
    pub resolved_unverified: i64,
    #[diesel(sql_type = BigInt)]
    pub overdue_open: i64,
    /// Issues reopened at least once (not resolved at confirmation, or recurred at revisit).
    #[diesel(sql_type = BigInt)]
    pub reopened: i64,
    /// Issues the owners' committee sent back at least once.
    #[diesel(sql_type = BigInt)]
    pub sent_back: i64,
    /// Returns (退单) by the handlers.
    #[diesel(sql_type = BigInt)]
    pub returned: i64,
    /// Of those, returns the dispatcher upheld, and overruled.
    #[diesel(sql_type = BigInt)]
    pub returns_upheld: i64,
    #[diesel(sql_type = BigInt)]
    pub returns_overruled: i64,
    /// Times the issues were urged (督办).
    #[diesel(sql_type = BigInt)]
    pub urged: i64,
    /// Extensions (延期) approved.
    #[diesel(sql_type = BigInt)]
    pub extended: i64,
    /// Duplicates merged into another case.
    #[diesel(sql_type = BigInt)]
    pub merged: i64,
    /// Patrol findings fixed on the spot (立行立改).
    #[diesel(sql_type = BigInt)]
    pub found_and_fixed: i64,
}

fn group_select(group_by: GroupBy) -> (String, String) {
    let (column, numeric) = group_by.column();
    if numeric {
        (column.to_owned(), "CAST(NULL AS TEXT)".to_owned())
    } else {
        ("CAST(NULL AS BIGINT)".to_owned(), column.to_owned())
    }
}

/// One row of counts per group, for issues created in the window within the scope.
pub fn summary_counts(
    conn: &mut DbConn,
    group_by: GroupBy,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<SummaryCounts>> {
    let mut sql = Sql::new(conn);
    let cond = Conditions::new(&mut sql, window.now);
    let own = render(&mut sql, &predicates::residents_own_rating());
    let unverified = render(&mut sql, &predicates::resolved_unverified());
    let (column, numeric) = group_by.column();
    let (id_expr, code_expr) = group_select(group_by);
    let (join, name) = group_by.name_join();
    // Id groups carry their name; code groups are named by the caller (catalogue, levels).
    let group_cols = if numeric {
        format!("{column}, {name}")
    } else {
        column.to_owned()
    };
    let where_clause = where_window(&mut sql, window, scope);
    let columns = [
        "COUNT(*) AS total".to_owned(),
        count_if("i.triaged_at IS NOT NULL", "triaged"),
        count_if(
            "i.triaged_at IS NOT NULL AND i.responded_at IS NOT NULL \
             AND i.responded_at <= i.response_due",
            "responded_on_time",
        ),
        count_if(&cond.resolved, "resolved"),
        count_if(&cond.due, "due"),
        count_if(&format!("{} AND {own}", cond.rated), "rated"),
        count_if(&format!("{} AND {own}", cond.satisfied), "satisfied"),
        count_if(&format!("{} AND {own}", cond.rated_three), "rated_three"),
        count_if(
            &format!("{} AND NOT ({own})", cond.rated),
            "staff_rated_excluded",
        ),
        count_if(&unverified, "resolved_unverified"),
        count_if(&cond.overdue_open, "overdue_open"),
        count_if("i.reopen_count > 0", "reopened"),
        count_if("i.sent_back_count > 0", "sent_back"),
        total_of("return_count", "returned"),
        total_of("returns_upheld", "returns_upheld"),
        total_of("returns_overruled", "returns_overruled"),
        total_of("urge_count", "urged"),
        total_of("extension_count", "extended"),
        count_if(
            &format!(
                "i.closure = '{}'",
                crate::codes::Code::code(Closure::Merged)
            ),
            "merged",
        ),
        count_if(&cond.found_and_fixed, "found_and_fixed"),
    ]
    .join(",\n  ");
    let text = format!(
        "SELECT {id_expr} AS group_id, {code_expr} AS group_code, {name} AS group_name,\n  \
         {columns}\nFROM issues i {join}\n{where_clause}\n\
         GROUP BY {group_cols}\nORDER BY {column}"
    );
    sql.push(&text);
    sql.load(conn)
}

/// The median time from creation to (latest) close of one group's closed issues.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct GroupMedian {
    #[diesel(sql_type = Nullable<BigInt>)]
    pub group_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub group_code: Option<String>,
    #[diesel(sql_type = Nullable<Double>)]
    pub median_ms: Option<f64>,
}

/// Median resolution time per group, by window functions: number the closed issues of each
/// group by duration and average the middle one (odd count) or two (even count).
pub fn median_resolution(
    conn: &mut DbConn,
    group_by: GroupBy,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<GroupMedian>> {
    let mut sql = Sql::new(conn);
    let (column, _) = group_by.column();
    let (id_expr, code_expr) = group_select(group_by);
    let where_clause = where_window(&mut sql, window, scope);
    let closed = render(&mut sql, &predicates::status_is(IssueStatus::Closed));
    let duration = "(i.closed_at - i.created_at)";
    let text = format!(
        "SELECT t.group_id, t.group_code, \
         CAST(AVG(t.duration) AS DOUBLE PRECISION) AS median_ms\n\
         FROM (\n  SELECT {id_expr} AS group_id, {code_expr} AS group_code, \
         CAST({duration} AS DOUBLE PRECISION) AS duration,\n    \
         ROW_NUMBER() OVER (PARTITION BY {column} ORDER BY {duration}) AS rn,\n    \
         COUNT(*) OVER (PARTITION BY {column}) AS cnt\n  \
         FROM issues i\n  {where_clause} AND {closed} AND i.closed_at IS NOT NULL\n) t\n\
         WHERE t.rn IN ((t.cnt + 1) / 2, (t.cnt + 2) / 2)\n\
         GROUP BY t.group_id, t.group_code"
    );
    sql.push(&text);
    sql.load(conn)
}

/// The issue-based inputs of one property company's rating: the issues it handled
/// (`handler_kind = 'property_company'`) among those created in the window.
#[derive(Debug, Clone, Default, PartialEq, QueryableByName)]
pub struct CompanyCounts {
    #[diesel(sql_type = BigInt)]
    pub property_company_id: i64,
    #[diesel(sql_type = BigInt)]
    pub handled: i64,
    /// Closed, or open past the resolution deadline.
    #[diesel(sql_type = BigInt)]
    pub due: i64,
    /// Of `due`: rectified (latest rectification) no later than the resolution deadline.
    #[diesel(sql_type = BigInt)]
    pub rectified_on_time: i64,
    #[diesel(sql_type = BigInt)]
    pub rated: i64,
    #[diesel(sql_type = BigInt)]
    pub satisfied: i64,
    #[diesel(sql_type = BigInt)]
    pub rated_three: i64,
    /// Looked at by the owners' committee at least once (passed, or sent back).
    #[diesel(sql_type = BigInt)]
    pub supervised: i64,
    /// Of `supervised`: passed and never sent back.
    #[diesel(sql_type = BigInt)]
    pub first_pass: i64,
    /// On the clock and past a deadline at `now`.
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
    /// Of `rated`: the residents' own ratings (see `predicates::residents_own_rating`), and of
    /// those the 4–5s and the 3s.
    #[diesel(sql_type = BigInt)]
    pub resident_rated: i64,
    #[diesel(sql_type = BigInt)]
    pub resident_satisfied: i64,
    #[diesel(sql_type = BigInt)]
    pub resident_rated_three: i64,
    /// Closed by the auto-confirmation, unrated: resolved but unverified.
    #[diesel(sql_type = BigInt)]
    pub resolved_unverified: i64,
}

pub fn company_counts(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<CompanyCounts>> {
    per_company(conn, scope, window, "issues i", |sql| {
        let cond = Conditions::new(sql, window.now);
        let due = &cond.due;
        [
            "COUNT(*) AS handled".to_owned(),
            count_if(due, "due"),
            count_if(
                &format!(
                    "{due} AND i.rectified_at IS NOT NULL AND i.rectified_at <= i.resolution_due"
                ),
                "rectified_on_time",
            ),
            count_if(&cond.rated, "rated"),
            count_if(&cond.satisfied, "satisfied"),
            count_if(&cond.rated_three, "rated_three"),
            count_if(
                "i.supervised_at IS NOT NULL OR i.sent_back_count > 0",
                "supervised",
            ),
            count_if(
                "i.supervised_at IS NOT NULL AND i.sent_back_count = 0",
                "first_pass",
            ),
            count_if(&cond.overdue_open, "overdue"),
        ]
        .into_iter()
        .chain(residents_own_counts(sql, &cond))
        .collect::<Vec<_>>()
        .join(",\n  ")
    })
}

/// The residents' own ratings of a company's cases (满意率's sample) and its unrated
/// auto-confirmations.
fn residents_own_counts(sql: &mut Sql, cond: &Conditions) -> [String; 4] {
    let own = render(sql, &predicates::residents_own_rating());
    let unverified = render(sql, &predicates::resolved_unverified());
    [
        count_if(&format!("{} AND {own}", cond.rated), "resident_rated"),
        count_if(
            &format!("{} AND {own}", cond.satisfied),
            "resident_satisfied",
        ),
        count_if(
            &format!("{} AND {own}", cond.rated_three),
            "resident_rated_three",
        ),
        count_if(&unverified, "resolved_unverified"),
    ]
}

/// One row per company of the issues created in the window within the scope that a property
/// company handles: `SELECT i.handler_id AS property_company_id, {columns} FROM {from}`, the
/// columns written with their values bound in `sql`.
fn per_company<T>(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
    from: &str,
    columns: impl FnOnce(&mut Sql) -> String,
) -> RepoResult<Vec<T>>
where
    T: QueryableByName<MultiBackend> + 'static,
{
    let mut sql = Sql::new(conn);
    let columns = columns(&mut sql);
    let handled = render(
        &mut sql,
        &predicates::handled_by(HandlerKind::PropertyCompany),
    );
    let where_clause = where_window(&mut sql, window, scope);
    let text = format!(
        "SELECT i.handler_id AS property_company_id,\n  {columns}\n\
         FROM {from}\n\
         {where_clause} AND {handled}\n\
         GROUP BY i.handler_id\nORDER BY i.handler_id"
    );
    sql.push(&text);
    sql.load(conn)
}

/// The 回头看 outcomes recorded on the issues one company handled.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct CompanyRevisits {
    #[diesel(sql_type = BigInt)]
    pub property_company_id: i64,
    /// `revisit_confirmed` + `revisit_recurred` events.
    #[diesel(sql_type = BigInt)]
    pub revisits: i64,
    /// `revisit_recurred` events.
    #[diesel(sql_type = BigInt)]
    pub recurred: i64,
}

/// Revisit events of the issues created in the window that each company handles (whenever the
/// revisit happened), found through `issue_events (kind, issue_id)`.
pub fn company_revisits(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<CompanyRevisits>> {
    let (confirmed, recurred) = (
        event_kind::revisit_confirmed(),
        event_kind::revisit_recurred(),
    );
    let from = format!(
        "issue_events e\nJOIN issues i ON i.id = e.issue_id \
         AND e.kind IN ('{confirmed}', '{recurred}')"
    );
    per_company(conn, scope, window, &from, |_| {
        format!(
            "COUNT(*) AS revisits, \
             SUM(CASE WHEN e.kind = '{recurred}' THEN 1 ELSE 0 END) AS recurred"
        )
    })
}

/// Record the reasons (codes) a resident gave with confirmation event `event_id`.
pub fn record_reasons(
    conn: &mut DbConn,
    event_id: i64,
    issue_id: i64,
    reasons: &[&str],
) -> RepoResult<()> {
    use diesel::ExpressionMethods;

    use crate::schema::dissatisfaction_reasons as r;
    for reason in reasons {
        diesel::insert_into(r::table)
            .values((
                r::event_id.eq(event_id),
                r::reason.eq(*reason),
                r::issue_id.eq(issue_id),
            ))
            .execute(conn)
            .map_err(|e| crate::error::RepoError::from_write(e, "reason"))?;
    }
    Ok(())
}

/// How often one reason was given on one company's cases.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct CompanyReason {
    #[diesel(sql_type = BigInt)]
    pub property_company_id: i64,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// The dissatisfaction reasons given on the cases created in the window that each company
/// handles (whenever they were given), per reason.
pub fn company_reasons(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<CompanyReason>> {
    let mut sql = Sql::new(conn);
    let handled = render(
        &mut sql,
        &predicates::handled_by(HandlerKind::PropertyCompany),
    );
    let where_clause = where_window(&mut sql, window, scope);
    let text = format!(
        "SELECT i.handler_id AS property_company_id, r.reason, COUNT(*) AS n\n\
         FROM dissatisfaction_reasons r\nJOIN issues i ON i.id = r.issue_id\n\
         {where_clause} AND {handled}\n\
         GROUP BY i.handler_id, r.reason\nORDER BY i.handler_id, r.reason"
    );
    sql.push(&text);
    sql.load(conn)
}

/// The mean daily-work assessment score of one company in a period.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct CompanyAssessment {
    #[diesel(sql_type = BigInt)]
    pub property_company_id: i64,
    #[diesel(sql_type = BigInt)]
    pub assessments: i64,
    #[diesel(sql_type = Double)]
    pub mean_score: f64,
}

/// Mean assessment score per company for `period`, over the compounds in `scope`.
pub fn company_assessments(
    conn: &mut DbConn,
    scope: ReportScope,
    period: &str,
) -> RepoResult<Vec<CompanyAssessment>> {
    let dialect = conn.dialect();
    let placeholder = |n: usize| match dialect {
        Dialect::Postgres => format!("${n}"),
        Dialect::Sqlite => format!("?{n}"),
    };
    let (filter, scope_id) = match scope {
        ReportScope::District => (String::new(), None),
        ReportScope::Street(id) => (format!(" AND c.street_id = {}", placeholder(2)), Some(id)),
        ReportScope::Community(id) => (
            format!(" AND cp.community_id = {}", placeholder(2)),
            Some(id),
        ),
    };
    let text = format!(
        "SELECT a.property_company_id, COUNT(*) AS assessments, \
         CAST(AVG(CAST(a.score AS DOUBLE PRECISION)) AS DOUBLE PRECISION) AS mean_score\n\
         FROM assessments a\n\
         JOIN compounds cp ON cp.id = a.compound_id\n\
         JOIN communities c ON c.id = cp.community_id\n\
         WHERE a.period = {}{filter}\n\
         GROUP BY a.property_company_id\nORDER BY a.property_company_id",
        placeholder(1)
    );
    let mut query = diesel::sql_query(text)
        .into_boxed::<MultiBackend>()
        .bind::<Text, _>(period.to_owned());
    if let Some(id) = scope_id {
        query = query.bind::<BigInt, _>(id);
    }
    Ok(query.load(conn)?)
}

/// One row of the raw issue export, joined with the names of its place and company.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct IssueExportRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub created_at: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub triaged_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub responded_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub rectified_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub supervised_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub closed_at: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub revisited_at: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub response_due: i64,
    #[diesel(sql_type = BigInt)]
    pub resolution_due: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub level: Option<String>,
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = Text)]
    pub urgency: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub handler_kind: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub property_company_id: i64,
    #[diesel(sql_type = Text)]
    pub property_company: String,
    #[diesel(sql_type = BigInt)]
    pub community_id: i64,
    #[diesel(sql_type = Text)]
    pub community: String,
    #[diesel(sql_type = BigInt)]
    pub compound_id: i64,
    #[diesel(sql_type = Text)]
    pub compound: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub closure: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub satisfaction: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub reopen_count: i64,
    #[diesel(sql_type = BigInt)]
    pub sent_back_count: i64,
}

/// Every issue created in the window within the scope, by id, in one JOIN query.
pub fn issue_export(
    conn: &mut DbConn,
    scope: ReportScope,
    window: Window,
) -> RepoResult<Vec<IssueExportRow>> {
    let mut sql = Sql::new(conn);
    let where_clause = where_window(&mut sql, window, scope);
    let text = format!(
        "SELECT i.id, i.created_at, i.triaged_at, i.responded_at, i.rectified_at, \
         i.supervised_at, i.closed_at, i.revisited_at, i.response_due, i.resolution_due, \
         i.level, i.category, i.urgency, i.handler_kind, \
         i.property_company_id, pc.name AS property_company, \
         i.community_id, c.name AS community, i.compound_id, cp.name AS compound, \
         i.status, i.closure, CAST(i.satisfaction AS BIGINT) AS satisfaction, \
         CAST(i.reopen_count AS BIGINT) AS reopen_count, \
         CAST(i.sent_back_count AS BIGINT) AS sent_back_count\n\
         FROM issues i\n\
         JOIN property_companies pc ON pc.id = i.property_company_id\n\
         JOIN communities c ON c.id = i.community_id\n\
         JOIN compounds cp ON cp.id = i.compound_id\n\
         {where_clause}\nORDER BY i.id"
    );
    sql.push(&text);
    sql.load(conn)
}
