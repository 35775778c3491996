//! Appeals (异议) against a published rating: a company objects within [`APPEAL_DAYS`] days of
//! publication; the district office upholds the result or amends it, which publishes the next
//! revision of the quarter (the one it replaces stays in the history as `superseded`).

use chrono::{DateTime, Duration, Utc};
use linli_domain::{
    DomainError,
    auth::{Actor, Role, Scope},
    evaluation::{APPEAL_DAYS, AppealStatus, AssessmentScheme, Components, RunStatus, SchemeSpec},
    ids::UserId,
};
use linli_infra::{
    DbConn,
    repo::ratings::{self, AppealDecision, AppealRow, NewAppeal, NewRatingRun, RatingRunRow},
    time::{from_millis, to_millis},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::ratings::{CompanyRating, rank};
use crate::application::{AppError, AppResult, Application, error::ProblemCode};

/// An appeal and its decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Appeal {
    pub id: i64,
    /// The published rating run objected to.
    pub rating_id: i64,
    pub property_company_id: i64,
    pub reason: String,
    /// The staff member who filed it.
    pub filed_by: i64,
    pub filed_at: DateTime<Utc>,
    pub status: AppealStatus,
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The revision an amendment published.
    pub revision_id: Option<i64>,
}

impl TryFrom<AppealRow> for Appeal {
    type Error = AppError;

    fn try_from(row: AppealRow) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            rating_id: row.run_id,
            property_company_id: row.property_company_id,
            status: row.status()?,
            filed_at: from_millis(row.filed_at)?,
            decided_at: row.decided_at.map(from_millis).transpose()?,
            reason: row.reason,
            filed_by: row.filed_by,
            decision_note: row.decision_note,
            revision_id: row.revision_id,
        })
    }
}

/// The district office's decision, parsed.
pub enum Decision {
    Uphold {
        note: String,
    },
    /// New scores for some of the company's components (the others stay).
    Amend {
        note: String,
        components: Components,
    },
}

fn conflict(detail: impl Into<String>) -> AppError {
    AppError::conflict(ProblemCode::Conflict, detail)
}

fn forbidden(detail: &str) -> AppError {
    DomainError::Forbidden(detail.to_owned()).into()
}

fn results_of(run: &RatingRunRow) -> AppResult<Vec<CompanyRating>> {
    serde_json::from_str(&run.results)
        .map_err(|e| linli_infra::RepoError::Corrupt(format!("rating run {}: {e}", run.id)).into())
}

/// Publish the next revision of `current` with `company`'s components replaced by the ones
/// given, recombined under the scheme the run froze. Returns the new run's id.
fn amend(
    conn: &mut DbConn,
    current: &RatingRunRow,
    company: i64,
    replace: Components,
    by: UserId,
    now: i64,
) -> AppResult<i64> {
    let corrupt = |e: String| linli_infra::RepoError::Corrupt(format!("rating run: {e}"));
    let spec: SchemeSpec =
        serde_json::from_str(&current.scheme).map_err(|e| corrupt(e.to_string()))?;
    let scheme = AssessmentScheme::parse(spec).map_err(|e| corrupt(e.to_string()))?;
    let mut companies = results_of(current)?;
    let rating = companies
        .iter_mut()
        .find(|c| c.property_company_id == company)
        .ok_or_else(|| corrupt(format!("company {company} not in run {}", current.id)))?;
    let components = Components {
        daily_work: replace.daily_work.or(rating.daily_work.score),
        satisfaction: replace.satisfaction.or(rating.satisfaction.score),
        management: replace.management.or(rating.management.score),
    };
    let enough = rating.inputs.is_some_and(|i| scheme.has_enough_data(&i));
    let e = scheme.combine(components, enough);
    rating.daily_work.score = e.daily_work;
    rating.satisfaction.score = e.satisfaction;
    rating.management.score = e.management;
    rating.score = e.score;
    rating.grade = e.grade;
    rating.stars = e.stars;
    rating.list = e.list;
    rank(&mut companies);
    let results = serde_json::to_string(&companies).map_err(|e| corrupt(e.to_string()))?;
    ratings::set_status(
        conn,
        current.id,
        RunStatus::Published,
        RunStatus::Superseded,
        None,
    )?;
    let next = ratings::insert(
        conn,
        &NewRatingRun {
            period: &current.period,
            scheme_id: current.scheme_id,
            scheme: &current.scheme,
            results: &results,
            status: RunStatus::Published.as_str(),
            revision: Some(current.revision.unwrap_or(1) + 1),
            amends_id: Some(current.id),
            created_by: by.0,
            created_at: now,
            published_at: Some(now),
        },
    )?;
    super::ratings::post_rating_notice(conn, by, &next, now)?;
    Ok(next.id)
}

impl Application {
    /// Property staff object to the published run `run_id` for their company, within
    /// [`APPEAL_DAYS`] days of its publication; one pending appeal per company and run.
    pub fn file_appeal(&self, actor: &Actor, run_id: i64, reason: String) -> AppResult<Appeal> {
        let (Role::PropertyStaff, Scope::PropertyCompany(company)) = (actor.role, actor.scope)
        else {
            return Err(forbidden(
                "only a property company's staff may appeal its rating",
            ));
        };
        let now = self.now();
        self.write(|conn| {
            let run = ratings::find(conn, run_id)?;
            match run.status()? {
                RunStatus::Draft => return Err(AppError::NotFound),
                RunStatus::Superseded => {
                    return Err(conflict(
                        "a later revision replaced this rating; appeal that one",
                    ));
                }
                RunStatus::Published => {}
            }
            if !results_of(&run)?
                .iter()
                .any(|c| c.property_company_id == company.0)
            {
                return Err(forbidden("your company is not in this rating"));
            }
            let published = from_millis(run.published_at.unwrap_or_default())?;
            if now > published + Duration::days(APPEAL_DAYS) {
                return Err(conflict(format!(
                    "appeals are accepted for {APPEAL_DAYS} days after publication"
                )));
            }
            let pending = ratings::appeals(conn, run_id, Some(company.0))?
                .into_iter()
                .any(|a| a.status == AppealStatus::Pending.as_str());
            if pending {
                return Err(conflict("your company already has a pending appeal"));
            }
            let row = ratings::insert_appeal(
                conn,
                &NewAppeal {
                    run_id,
                    property_company_id: company.0,
                    reason: &reason,
                    filed_by: actor.user_id.0,
                    filed_at: to_millis(now),
                    status: AppealStatus::Pending.as_str(),
                },
            )?;
            row.try_into()
        })
    }

    /// The appeals against run `run_id`: all for the district office and auditors, their own
    /// company's for property staff (of a published run).
    pub fn list_appeals(&self, viewer: &Actor, run_id: i64) -> AppResult<Vec<Appeal>> {
        let company = match (viewer.role, viewer.scope) {
            (Role::DistrictOffice | Role::Auditor, _) => None,
            (Role::PropertyStaff, Scope::PropertyCompany(p)) => Some(p.0),
            _ => {
                return Err(forbidden(
                    "appeals are for the district office, auditors and the company appealing",
                ));
            }
        };
        self.read(|conn| {
            let run = ratings::find(conn, run_id)?;
            if company.is_some() && run.status()? == RunStatus::Draft {
                return Err(AppError::NotFound);
            }
            ratings::appeals(conn, run_id, company)?
                .into_iter()
                .map(TryInto::try_into)
                .collect()
        })
    }

    /// The district office decides pending appeal `id`: uphold, or amend (the next revision).
    pub fn decide_appeal(&self, by: UserId, id: i64, decision: Decision) -> AppResult<Appeal> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let appeal = ratings::find_appeal(conn, id)?;
            if appeal.status()? != AppealStatus::Pending {
                return Err(conflict("this appeal is already decided"));
            }
            let (status, note, revision_id) = match &decision {
                Decision::Uphold { note } => (AppealStatus::Upheld, note, None),
                Decision::Amend { note, components } => {
                    let run = ratings::find(conn, appeal.run_id)?;
                    if run.status()? != RunStatus::Published {
                        return Err(conflict(
                            "a later revision replaced the rating appealed; decide on that one",
                        ));
                    }
                    let next = amend(conn, &run, appeal.property_company_id, *components, by, now)?;
                    (AppealStatus::Amended, note, Some(next))
                }
            };
            ratings::decide_appeal(
                conn,
                id,
                &AppealDecision {
                    status: status.as_str(),
                    decision_note: Some(note),
                    decided_by: Some(by.0),
                    decided_at: Some(now),
                    revision_id,
                },
            )?;
            ratings::find_appeal(conn, id)?.try_into()
        })
    }
}
