//! The SQL mirrors of the domain's rules over an issue row — overdue, due, resolved, escalation,
//! auto-confirmation, revisit selection — each written once here, from the domain's definitions
//! (status sets, closures, thresholds, the sample hash), and rendered both into diesel queries
//! and into the report queries' SQL text. `infra/tests/sql_agreement.rs` checks every one of
//! them against the domain function it mirrors, on both databases.

use diesel::{
    Column, QueryResult,
    backend::Backend,
    expression::{AppearsOnTable, Expression, ValidGrouping, is_aggregate},
    query_builder::{AstPass, QueryFragment, QueryId},
    serialize::ToSql,
    sql_types::{BigInt, Bool},
};
use linli_domain::{
    closure::Closure,
    evaluation,
    handler::HandlerKind,
    issue::{IssueStatus, Source},
    level::Level,
    report::{PARTLY_SATISFIED, SATISFIED_FROM},
    revisit::{self, POOR_RATING_AT_MOST, SAMPLE_HASH_FACTOR},
    urgency::Urgency,
};

use crate::{codes::Code, schema::issues};

/// A boolean condition over the columns of `issues`. Codes and domain constants are written as
/// literals (they come from the domain, never from a request); run-time values are bind
/// parameters.
///
/// SQL's three-valued logic: a condition over a nullable column may be NULL rather than false,
/// which filters and `CASE WHEN` treat as false. Only [`overdue`] is used negated, and it reads
/// NOT NULL columns only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Sql(String),
    /// A column of `issues`, qualified by the table (diesel) or the alias (report text).
    Column(&'static str),
    Value(i64),
}

impl Condition {
    fn sql(text: impl Into<String>) -> Self {
        Self {
            parts: vec![Part::Sql(text.into())],
        }
    }

    fn column<C: Column<Table = issues::table>>(_: C) -> Self {
        Self {
            parts: vec![Part::Column(C::NAME)],
        }
    }

    fn then_sql(mut self, text: impl Into<String>) -> Self {
        self.parts.push(Part::Sql(text.into()));
        self
    }

    fn then_value(mut self, value: i64) -> Self {
        self.parts.push(Part::Value(value));
        self
    }

    fn then(mut self, other: Condition) -> Self {
        self.parts.extend(other.parts);
        self
    }

    fn binary(self, op: &str, other: Condition) -> Self {
        Self::sql("(")
            .then(self)
            .then_sql(format!(" {op} "))
            .then(other)
            .then_sql(")")
    }

    pub fn and(self, other: Condition) -> Self {
        self.binary("AND", other)
    }

    pub fn or(self, other: Condition) -> Self {
        self.binary("OR", other)
    }

    /// The condition as SQL text over the table aliased `alias`, calling `bind` for each value
    /// (it returns the placeholder to write).
    pub fn to_sql(&self, alias: &str, bind: &mut impl FnMut(i64) -> String) -> String {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Sql(sql) => text.push_str(sql),
                Part::Column(name) => {
                    text.push_str(alias);
                    text.push('.');
                    text.push_str(name);
                }
                Part::Value(value) => text.push_str(&bind(*value)),
            }
        }
        text
    }
}

impl std::ops::Not for Condition {
    type Output = Condition;

    fn not(self) -> Condition {
        Condition::sql("(NOT ").then(self).then_sql(")")
    }
}

/// `column <op> value`, the value bound.
fn compare<C: Column<Table = issues::table>>(column: C, op: &str, value: i64) -> Condition {
    Condition::column(column)
        .then_sql(format!(" {op} "))
        .then_value(value)
}

/// `left <op> right`, two columns.
fn compare_columns<L, R>(left: L, op: &str, right: R) -> Condition
where
    L: Column<Table = issues::table>,
    R: Column<Table = issues::table>,
{
    Condition::column(left)
        .then_sql(format!(" {op} "))
        .then(Condition::column(right))
}

fn is_null<C: Column<Table = issues::table>>(column: C) -> Condition {
    Condition::column(column).then_sql(" IS NULL")
}

fn is_not_null<C: Column<Table = issues::table>>(column: C) -> Condition {
    Condition::column(column).then_sql(" IS NOT NULL")
}

/// `column IN ('a', 'b', …)`; false for an empty set.
fn in_codes<C: Column<Table = issues::table>>(column: C, codes: &[&'static str]) -> Condition {
    if codes.is_empty() {
        return Condition::sql("(1 = 0)");
    }
    let list = codes
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    Condition::column(column).then_sql(format!(" IN ({list})"))
}

// ---- Status ------------------------------------------------------------------------------------

/// The issue's status is one for which `keep` holds.
pub fn status_where(keep: impl Fn(IssueStatus) -> bool) -> Condition {
    in_codes(issues::status, &IssueStatus::codes_where(keep))
}

pub fn status_is(status: IssueStatus) -> Condition {
    status_where(|s| s == status)
}

/// `IssueStatus::is_open`.
pub fn open() -> Condition {
    status_where(IssueStatus::is_open)
}

/// `IssueStatus::is_on_the_clock`: open and not awaiting the resident.
pub fn on_the_clock() -> Condition {
    status_where(IssueStatus::is_on_the_clock)
}

// ---- Deadlines ---------------------------------------------------------------------------------

/// The response deadline passed at `now` without a response.
fn response_missed(now: i64) -> Condition {
    is_null(issues::responded_at).and(compare(issues::response_due, "<", now))
}

/// A deadline passed at `now`: the response deadline without a response, or the resolution
/// deadline (the domain's `missed_deadline`, status aside).
fn deadline_missed(now: i64) -> Condition {
    response_missed(now).or(compare(issues::resolution_due, "<", now))
}

/// `Issue::is_overdue(now)`: on the clock and past a deadline. Reads NOT NULL columns only, so
/// its negation is exact.
pub fn overdue(now: i64) -> Condition {
    on_the_clock().and(deadline_missed(now))
}

/// `Issue::escalation_due(now, config).is_some()`, with `second_cutoff` = now −
/// `second_escalation_after`: step 1 once overdue; step 2 once the missed deadline (the
/// response deadline if that one was missed, else the resolution deadline) is at or before the
/// cutoff.
pub fn escalation_due(now: i64, second_cutoff: i64) -> Condition {
    let step_1 = compare(issues::escalation_step, "=", 0).and(deadline_missed(now));
    let missed_long_ago = response_missed(now)
        .and(compare(issues::response_due, "<=", second_cutoff))
        .or((!response_missed(now))
            .and(compare(issues::resolution_due, "<", now))
            .and(compare(issues::resolution_due, "<=", second_cutoff)));
    let step_2 = compare(issues::escalation_step, "=", 1).and(missed_long_ago);
    on_the_clock().and(step_1.or(step_2))
}

/// `Issue::backstop_due(now)`: `triaged`, no response yet, past the response deadline, with a
/// handler whose backstop exists (`HandlerKind::backstop_level`; the grid of the building, so
/// the issue has one).
pub fn backstop_due(now: i64) -> Condition {
    let with_a_backstop = in_codes(
        issues::handler_kind,
        &HandlerKind::codes_where(|k| k.backstop_level() == Some(Level::Grid)),
    )
    .and(is_not_null(issues::grid_id));
    status_is(IssueStatus::Triaged)
        .and(response_missed(now))
        .and(with_a_backstop)
}

/// `Issue::auto_confirm_due(now, config)`, with `cutoff` = now − `auto_confirm_after`.
pub fn auto_confirm_due(cutoff: i64) -> Condition {
    status_is(IssueStatus::AwaitingConfirmation).and(compare(issues::status_since, "<=", cutoff))
}

// ---- Reports -----------------------------------------------------------------------------------

/// Closed on its own account: every closure but a merge (`Closure::is_own_outcome`).
fn closed_on_its_own() -> Condition {
    status_is(IssueStatus::Closed).and(is_null(issues::closure).or(in_codes(
        issues::closure,
        &Closure::codes_where(Closure::is_own_outcome),
    )))
}

/// `report::is_resolution_due(now)`: closed (but not merged into another case), or open past
/// the resolution deadline.
pub fn resolution_due(now: i64) -> Condition {
    closed_on_its_own().or(open().and(compare(issues::resolution_due, "<", now)))
}

/// `report::is_resolved`: closed with a closure that resolves (`Closure::is_resolution`), or
/// closed and confirmed at a revisit after the latest close.
pub fn resolved() -> Condition {
    let resolving_closure = in_codes(
        issues::closure,
        &Closure::codes_where(Closure::is_resolution),
    );
    let revisited_since_closed = is_not_null(issues::revisited_at).and(compare_columns(
        issues::revisited_at,
        ">=",
        issues::closed_at,
    ));
    status_is(IssueStatus::Closed).and(resolving_closure.or(revisited_since_closed))
}

/// `report::is_found_and_fixed`: closed, fixed on the spot by a patrol.
pub fn found_and_fixed() -> Condition {
    status_is(IssueStatus::Closed).and(in_codes(
        issues::closure,
        &Closure::codes_where(Closure::is_fixed_on_the_spot),
    ))
}

/// Rated [`SATISFIED_FROM`] or better.
pub fn satisfied() -> Condition {
    Condition::column(issues::satisfaction).then_sql(format!(" >= {SATISFIED_FROM}"))
}

/// Rated exactly [`PARTLY_SATISFIED`].
pub fn partly_satisfied() -> Condition {
    Condition::column(issues::satisfaction).then_sql(format!(" = {PARTLY_SATISFIED}"))
}

pub fn rated() -> Condition {
    is_not_null(issues::satisfaction)
}

/// `evaluation::rating_is_residents_own`: filed from a resident's app, so the resident rates.
pub fn residents_own_rating() -> Condition {
    in_codes(
        issues::source,
        &Source::codes_where(evaluation::rating_is_residents_own),
    )
}

/// `evaluation::is_resolved_unverified`: closed by the auto-confirmation, unrated.
pub fn resolved_unverified() -> Condition {
    in_codes(
        issues::closure,
        &Closure::codes_where(|c| evaluation::is_resolved_unverified(Some(c))),
    )
}

/// Handled by a handler of `kind` with an id (every kind but `department` has one).
pub fn handled_by(kind: HandlerKind) -> Condition {
    in_codes(issues::handler_kind, &[kind.code()]).and(is_not_null(issues::handler_id))
}

// ---- Revisit (回头看) --------------------------------------------------------------------------

/// `revisit::in_sample(id, percent)`: `(id × factor) mod 100 < percent`, computed as
/// `((id mod 100) × (factor mod 100)) mod 100` so it cannot overflow (ids are positive).
pub fn in_revisit_sample(percent: u8) -> Condition {
    let factor = SAMPLE_HASH_FACTOR % 100;
    Condition::sql("(((")
        .then(Condition::column(issues::id))
        .then_sql(format!(" % 100) * {factor}) % 100 < "))
        .then_value(i64::from(percent))
        .then_sql(")")
}

/// `revisit::selected`: poorly rated, of an always-revisited urgency, resolved but unverified
/// (auto-confirmed), or in the sample.
pub fn revisit_selected(percent: u8) -> Condition {
    let poorly_rated =
        Condition::column(issues::satisfaction).then_sql(format!(" <= {POOR_RATING_AT_MOST}"));
    let urgent = in_codes(
        issues::urgency,
        &Urgency::codes_where(revisit::always_revisited),
    );
    poorly_rated
        .or(urgent)
        .or(resolved_unverified())
        .or(in_revisit_sample(percent))
}

/// `Issue::revisit_due(now, config)`, with `cutoff` = now − `revisit_after`: closed at or before
/// the cutoff, neither queued nor revisited, and selected.
pub fn revisit_due(cutoff: i64, percent: u8) -> Condition {
    status_is(IssueStatus::Closed)
        .and(in_codes(
            issues::closure,
            &Closure::codes_where(Closure::is_revisitable),
        ))
        .and(
            Condition::sql("(NOT ")
                .then(Condition::column(issues::revisit_queued))
                .then_sql(")"),
        )
        .and(is_null(issues::revisited_at))
        .and(compare(issues::closed_at, "<=", cutoff))
        .and(revisit_selected(percent))
}

// ---- diesel ------------------------------------------------------------------------------------

/// Used in diesel queries on `issues` (`.filter(overdue(now))`).
impl Expression for Condition {
    type SqlType = Bool;
}

impl<DB> QueryFragment<DB> for Condition
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
    DB: diesel::sql_types::HasSqlType<BigInt>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for part in &self.parts {
            match part {
                Part::Sql(sql) => out.push_sql(sql),
                Part::Column(name) => {
                    out.push_identifier("issues")?;
                    out.push_sql(".");
                    out.push_identifier(name)?;
                }
                Part::Value(value) => out.push_bind_param::<BigInt, i64>(value)?,
            }
        }
        Ok(())
    }
}

impl QueryId for Condition {
    type QueryId = ();
    // The text depends on the values (status sets, literals), so never cache by type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<GB> ValidGrouping<GB> for Condition {
    type IsAggregate = is_aggregate::Never;
}

impl AppearsOnTable<issues::table> for Condition {}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(c: &Condition) -> String {
        let mut n = 0;
        c.to_sql("i", &mut |_| {
            n += 1;
            format!("?{n}")
        })
    }

    #[test]
    fn statuses_come_from_the_domain() {
        assert_eq!(
            text(&on_the_clock()),
            "i.status IN ('submitted', 'triaged', 'in_deliberation', 'in_progress', \
             'returned', 'awaiting_supervision')"
        );
        assert_eq!(
            text(&resolved()),
            "(i.status IN ('closed') AND (i.closure IN ('confirmed', 'auto_confirmed', \
             'deliberation', 'fixed_on_patrol', 'answered', 'acknowledged') OR \
             (i.revisited_at IS NOT NULL AND i.revisited_at >= i.closed_at)))"
        );
    }

    #[test]
    fn the_sample_uses_the_factor_mod_100() {
        assert_eq!(
            text(&in_revisit_sample(20)),
            "(((i.id % 100) * 61) % 100 < ?1)"
        );
    }
}
