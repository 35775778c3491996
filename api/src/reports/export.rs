//! GET /reports/issues.csv: one row per issue, the raw material an auditor re-computes the
//! rates from.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    reports::{
        csv_download, file_date,
        params::{Range, report_scope},
    },
    responses::{InvalidQuery, ReportReaders},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Start of the window (inclusive) on the issues' creation time: RFC 3339, or `YYYY-MM-DD`
    /// meaning 00:00 in the district's time zone (Asia/Shanghai); years 1970–9999.
    #[param(required = true, example = "2026-07-01")]
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub from: Option<String>,
    /// End of the window (exclusive), same formats; must be after `from`.
    #[param(required = true, example = "2026-10-01")]
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub to: Option<String>,
}

/// Every issue created in `[from, to)` that the caller may report on (auditors all, community
/// officials their community, dispatchers their street), one CSV row each, by id.
///
/// Columns: `id`, `created_at`, `triaged_at`, `responded_at` (the current handler's answer,
/// mediation or deliberation record; its deadlines are `response_due` and `resolution_due`), `rectified_at` (latest), `supervised_at` (committee pass),
/// `closed_at` (latest close), `revisited_at` (回头看), `response_due`, `resolution_due`,
/// `urgency`, `level`, `category` (code) and `category_name` (Chinese), `handler_kind`,
/// `property_company_id`/`property_company` (the company managing the compound when the issue
/// was filed), `community_id`/`community`, `compound_id`/`compound`, `status`, `closure`
/// (`confirmed`, `auto_confirmed`, `deliberation`), `satisfaction` (1–5), `reopen_count`,
/// `sent_back_count`. Times are RFC 3339 UTC; an empty cell is a step not reached. UTF-8 with
/// BOM. Built from a single JOIN query.
#[utoipa::path(
    tag = "reports",
    params(ExportQuery),
    responses(
        (status = 200, description = "The issues as CSV", content(
            (String = "text/csv", example = json!("\u{FEFF}id,created_at,triaged_at,responded_at,rectified_at,supervised_at,closed_at,revisited_at,response_due,resolution_due,urgency,level,category,category_name,handler_kind,property_company_id,property_company,community_id,community,compound_id,compound,status,closure,satisfaction,reopen_count,sent_back_count\n1,2026-07-02T01:00:00.000Z,2026-07-02T01:30:00.000Z,2026-07-02T03:00:00.000Z,2026-07-03T08:00:00.000Z,2026-07-03T10:00:00.000Z,2026-07-04T09:00:00.000Z,,2026-07-02T13:00:00.000Z,2026-07-05T01:00:00.000Z,urgent,property,water_leak,漏水,property_company,1,红管家物业,1,东坪社区,1,东坪花园,closed,confirmed,5,0,0\n")),
        )),
        (status = 422, description = "Missing or invalid `from`/`to`, or `from` not before `to` (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        ReportReaders, InvalidQuery,
    )
)]
#[get("/reports/issues.csv")]
pub async fn export_issues_csv(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let scope = report_scope(&caller)?;
    let range = Range::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        state.config.workflow.time_zone,
    )?;
    let records = state
        .call(move |app| app.export_issues(scope, range.from, range.to))
        .await?;
    let name = format!(
        "linli-issues-{}-{}.csv",
        file_date(range.from),
        file_date(range.to)
    );
    csv_download(&name, &records)
}
