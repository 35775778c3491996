//! Rating runs (星级物业评定): compute a quarter's draft for every company with the year's
//! scheme, publish it (frozen, public), and read what a viewer may see of it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{Actor, Role, Scope},
    evaluation::{
        APPEAL_DAYS, CompanyInputs, Grade, RatingList, ReasonCounts, RunStatus, SchemeSpec,
    },
    ids::{CompoundId, UserId},
    labels::{Labelled, Lang},
    notice::{NoticeKind, Publisher},
    period::{DistrictTz, Quarter, TimeRange},
    values::{NoticeBody, NoticeTitle},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        assessment_schemes, org,
        ratings::{self, NewRatingRun, RatingRunRow},
        reports::{self, CompanyAssessment, CompanyCounts, CompanyRevisits, ReportScope, Window},
    },
    time::{from_millis, to_millis},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    super::notices::{NoticeDraft, NoticeTarget, store_notice},
    orders::{OrderTerms, company_order_terms},
    surveys::{SurveyTerms, company_survey_terms},
};
use crate::application::{
    AppError, AppResult, Application, error::ProblemCode, reports::reasons::company_reasons,
};

/// One of the three components of a company's rating.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComponentResult {
    /// Its weight in the score, percent (from the scheme).
    pub weight: u8,
    /// 0–100, 2 decimals; null without data.
    pub score: Option<f64>,
    /// How many observations it rests on: assessments, residents' ratings, handled cases.
    pub sample: i64,
}

/// One company's result in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompanyRating {
    pub property_company_id: i64,
    /// Its name, e.g. 红管家物业.
    pub name: String,
    /// 日常工作考核.
    pub daily_work: ComponentResult,
    /// 社会满意度调查: the quarter's satisfaction surveys.
    pub satisfaction: ComponentResult,
    /// 综合管理落实情况.
    pub management: ComponentResult,
    /// Σ weight × component ÷ 100, 2 decimals; null when `not_rated`.
    pub score: Option<f64>,
    pub grade: Grade,
    /// 1–5 from the scheme's mapping; null when `not_rated`.
    #[schema(minimum = 1, maximum = 5)]
    pub stars: Option<u8>,
    /// `red` for 优秀, `black` for 较差, else null.
    pub list: Option<RatingList>,
    /// The inputs; null when the viewer may not see this company's breakdown.
    pub inputs: Option<CompanyInputs>,
}

/// A published revision of a quarter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionSummary {
    pub id: i64,
    #[schema(minimum = 1)]
    pub revision: i32,
    pub status: RunStatus,
    pub published_at: Option<DateTime<Utc>>,
}

/// A rating run: its scheme, the companies' results (best first, `not_rated` last) and the
/// quarter's published revisions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingRun {
    pub id: i64,
    /// The quarter, `YYYYQn`.
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    pub status: RunStatus,
    /// 1 for the first publication of the quarter, +1 per amendment; null for a draft.
    pub revision: Option<i32>,
    /// The run this revision amends.
    pub amends_id: Option<i64>,
    /// The scheme version used, and the scheme as it was then.
    pub scheme_id: i64,
    pub scheme: SchemeSpec,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub companies: Vec<CompanyRating>,
    /// The quarter's published revisions, first first (the history of amendments).
    pub revisions: Vec<RevisionSummary>,
}

fn corrupt(id: i64, e: serde_json::Error) -> AppError {
    RepoError::Corrupt(format!("rating run {id}: {e}")).into()
}

/// The run as stored, with the period's revisions, every breakdown included.
fn load_run(conn: &mut DbConn, row: RatingRunRow) -> AppResult<RatingRun> {
    let revisions = ratings::revisions(conn, &row.period)?
        .into_iter()
        .map(|r| {
            Ok(RevisionSummary {
                id: r.id,
                revision: r.revision.unwrap_or_default(),
                status: r.status()?,
                published_at: r.published_at.map(from_millis).transpose()?,
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(RatingRun {
        id: row.id,
        status: row.status()?,
        revision: row.revision,
        amends_id: row.amends_id,
        scheme_id: row.scheme_id,
        scheme: serde_json::from_str(&row.scheme).map_err(|e| corrupt(row.id, e))?,
        created_at: from_millis(row.created_at).unwrap_or_default(),
        published_at: row.published_at.map(from_millis).transpose()?,
        companies: serde_json::from_str(&row.results).map_err(|e| corrupt(row.id, e))?,
        period: row.period,
        revisions,
    })
}

/// Whose breakdown `viewer` may see: all (district office, auditors), their own company's
/// (property staff), none.
fn may_see_inputs(viewer: &Actor, company: i64) -> bool {
    match (viewer.role, viewer.scope) {
        (Role::DistrictOffice | Role::Auditor, _) => true,
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => p.0 == company,
        _ => false,
    }
}

/// Whether `viewer` sees drafts (and so every run by id).
fn runs_the_cycle(viewer: &Actor) -> bool {
    matches!(viewer.role, Role::DistrictOffice | Role::Auditor)
}

/// Results best first: by score, `not_rated` last, then by company id.
pub(super) fn rank(companies: &mut [CompanyRating]) {
    companies.sort_by(|a, b| {
        let key = |c: &CompanyRating| c.score.unwrap_or(f64::NEG_INFINITY);
        key(b)
            .total_cmp(&key(a))
            .then(a.property_company_id.cmp(&b.property_company_id))
    });
}

/// What the database counted, per company, for a quarter.
struct QuarterCounts {
    counts: HashMap<i64, CompanyCounts>,
    revisits: HashMap<i64, CompanyRevisits>,
    assessments: HashMap<i64, CompanyAssessment>,
    surveys: HashMap<i64, SurveyTerms>,
    orders: HashMap<i64, OrderTerms>,
    reasons: HashMap<i64, ReasonCounts>,
}

fn inputs_of(id: i64, q: &QuarterCounts) -> CompanyInputs {
    let c = q.counts.get(&id).cloned().unwrap_or_default();
    let (revisits, recurred) = q
        .revisits
        .get(&id)
        .map_or((0, 0), |r| (r.revisits, r.recurred));
    let a = q.assessments.get(&id);
    let s = q.surveys.get(&id).copied().unwrap_or_default();
    let o = q.orders.get(&id).copied().unwrap_or_default();
    CompanyInputs {
        assessments: a.map_or(0, |a| a.assessments),
        mean_assessment_score: a.map(|a| a.mean_score),
        handled: c.handled,
        resident_rated: c.resident_rated,
        satisfied: c.resident_satisfied,
        rated_three: c.resident_rated_three,
        staff_rated_excluded: c.rated - c.resident_rated,
        resolved_unverified: c.resolved_unverified,
        due: c.due,
        rectified_on_time: c.rectified_on_time,
        supervised: c.supervised,
        first_pass: c.first_pass,
        revisits,
        recurred,
        overdue: c.overdue,
        survey_responses: s.responses,
        survey_rated: s.rated,
        survey_satisfied: s.satisfied,
        survey_rated_three: s.rated_three,
        orders_settled: o.settled,
        orders_fulfilled: o.fulfilled,
        dissatisfaction_reasons: q.reasons.get(&id).copied().unwrap_or_default(),
    }
}

/// A company's result from its inputs under `scheme`.
pub fn rate_company(
    scheme: &linli_domain::evaluation::AssessmentScheme,
    property_company_id: i64,
    name: String,
    inputs: CompanyInputs,
) -> CompanyRating {
    let e = scheme.evaluate(&inputs);
    let w = scheme.spec().weights;
    CompanyRating {
        property_company_id,
        name,
        daily_work: ComponentResult {
            weight: w.daily_work,
            score: e.daily_work,
            sample: inputs.assessments,
        },
        satisfaction: ComponentResult {
            weight: w.satisfaction,
            score: e.satisfaction,
            sample: inputs.survey_responses,
        },
        management: ComponentResult {
            weight: w.management,
            score: e.management,
            sample: inputs.handled,
        },
        score: e.score,
        grade: e.grade,
        stars: e.stars,
        list: e.list,
        inputs: Some(inputs),
    }
}

/// Compute and store a draft of `quarter` (cases created in `window`, judged at its `now`) for
/// every company with the latest scheme of its year: the write path of a rating run, for
/// HTTP and the demo seeder alike.
pub fn compute_draft(
    conn: &mut DbConn,
    author: UserId,
    quarter: Quarter,
    window: Window,
) -> AppResult<RatingRunRow> {
    let period = quarter.as_string();
    let Some(stored) = assessment_schemes::latest(conn, quarter.year())? else {
        return Err(AppError::validation(
            "period",
            format!(
                "the district office has set no assessment scheme for {}",
                quarter.year()
            ),
        ));
    };
    let scope = ReportScope::District;
    let counts = QuarterCounts {
        counts: reports::company_counts(conn, scope, window)?
            .into_iter()
            .map(|c| (c.property_company_id, c))
            .collect(),
        revisits: reports::company_revisits(conn, scope, window)?
            .into_iter()
            .map(|r| (r.property_company_id, r))
            .collect(),
        assessments: reports::company_assessments(conn, scope, &period)?
            .into_iter()
            .map(|a| (a.property_company_id, a))
            .collect(),
        surveys: company_survey_terms(conn, &period)?,
        orders: company_order_terms(conn, window)?,
        reasons: company_reasons(conn, scope, window)?,
    };
    let mut companies: Vec<CompanyRating> = org::list_property_companies(conn)?
        .into_iter()
        .map(|c| rate_company(&stored.scheme, c.id, c.name, inputs_of(c.id, &counts)))
        .collect();
    rank(&mut companies);
    let scheme = serde_json::to_string(stored.scheme.spec()).map_err(|e| corrupt(stored.id, e))?;
    let results = serde_json::to_string(&companies).map_err(|e| corrupt(0, e))?;
    Ok(ratings::insert(
        conn,
        &NewRatingRun {
            period: &period,
            scheme_id: stored.id,
            scheme: &scheme,
            results: &results,
            status: RunStatus::Draft.as_str(),
            revision: None,
            amends_id: None,
            created_by: author.0,
            created_at: window.now,
            published_at: None,
        },
    )?)
}

/// Put published run `row` on every compound's notice board (公示), in the district's name.
pub(crate) fn post_rating_notice(
    conn: &mut DbConn,
    author: UserId,
    row: &RatingRunRow,
    now: i64,
) -> AppResult<()> {
    let companies: Vec<CompanyRating> =
        serde_json::from_str(&row.results).map_err(|e| corrupt(row.id, e))?;
    let revision = row.revision.unwrap_or(1);
    let title = if revision > 1 {
        format!("{} 星级物业评定结果公示（第{revision}次修订）", row.period)
    } else {
        format!("{} 星级物业评定结果公示", row.period)
    };
    let names = |list: RatingList| {
        let names: Vec<&str> = companies
            .iter()
            .filter(|c| c.list == Some(list))
            .map(|c| c.name.as_str())
            .collect();
        if names.is_empty() {
            "无".to_owned()
        } else {
            names.join("、")
        }
    };
    let mut body = format!(
        "红榜（优秀）：{}\n黑榜（较差）：{}\n",
        names(RatingList::Red),
        names(RatingList::Black)
    );
    for c in &companies {
        let line = match (c.score, c.stars) {
            (Some(score), Some(stars)) => format!(
                "{}：{}，{}星，{score:.2}分\n",
                c.name,
                c.grade.label(Lang::Zh),
                stars
            ),
            _ => format!("{}：{}\n", c.name, c.grade.label(Lang::Zh)),
        };
        if body.chars().count() + line.chars().count() > NoticeBody::MAX_CHARS - 40 {
            body.push_str("……（完整结果见星级物业评定）");
            break;
        }
        body.push_str(&line);
    }
    body.push_str(&format!(
        "对结果有异议的物业企业可在公示之日起{APPEAL_DAYS}日内提出。"
    ));
    let draft = NoticeDraft {
        title: NoticeTitle::parse(&title)?,
        body: NoticeBody::parse(&body)?,
        kind: NoticeKind::Rating,
        target: NoticeTarget::Compounds(Vec::new()),
        pinned: false,
        expires_at: None,
        categories: Vec::new(),
    };
    let compounds: Vec<i64> = org::list_compounds(conn, None, None)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    store_notice(
        conn,
        Publisher::District,
        author,
        &draft,
        &compounds,
        from_millis(now)?,
    )?;
    Ok(())
}

/// Publish draft `id` (公示) as revision 1 of its quarter at `now` (epoch ms), by `author`:
/// frozen from then on, and on every notice board. A quarter is published once; a change
/// after that is an amendment on appeal.
pub fn publish_draft(conn: &mut DbConn, author: UserId, id: i64, now: i64) -> AppResult<()> {
    let row = ratings::find(conn, id)?;
    if row.status()? != RunStatus::Draft {
        return Err(AppError::conflict(
            ProblemCode::Conflict,
            "this rating is already published",
        ));
    }
    if !ratings::revisions(conn, &row.period)?.is_empty() {
        return Err(AppError::conflict(
            ProblemCode::Conflict,
            format!(
                "{} is already published; it changes only by an amendment on appeal",
                row.period
            ),
        ));
    }
    ratings::set_status(
        conn,
        id,
        RunStatus::Draft,
        RunStatus::Published,
        Some((1, now)),
    )?;
    let published = ratings::find(conn, id)?;
    post_rating_notice(conn, author, &published, now)
}

impl Application {
    /// Compute a draft of `quarter` (see [`compute_draft`]); cases are those created in the
    /// quarter as the district's clock cuts it (`tz`), judged now.
    pub fn compute_rating(
        &self,
        author: UserId,
        quarter: Quarter,
        tz: DistrictTz,
    ) -> AppResult<RatingRun> {
        let range = TimeRange::of_quarter(quarter, tz);
        let (window, _) = self.report_window(range.from(), range.to());
        self.write(|conn| {
            let row = compute_draft(conn, author, quarter, window)?;
            load_run(conn, row)
        })
    }

    /// Publish draft `id` (see [`publish_draft`]).
    pub fn publish_rating(&self, author: UserId, id: i64) -> AppResult<RatingRun> {
        let now = to_millis(self.now());
        self.write(|conn| {
            publish_draft(conn, author, id, now)?;
            let row = ratings::find(conn, id)?;
            load_run(conn, row)
        })
    }

    /// Run `id` as `viewer` may see it: the district office and auditors any run; everyone
    /// else published revisions only (a draft is not found), with the breakdowns they may see.
    pub fn rating_run(&self, viewer: &Actor, id: i64) -> AppResult<RatingRun> {
        let run = self.read(|conn| {
            let row = ratings::find(conn, id)?;
            load_run(conn, row)
        })?;
        if run.status == RunStatus::Draft && !runs_the_cycle(viewer) {
            return Err(AppError::NotFound);
        }
        self.viewed(viewer, run)
    }

    /// The current published revision of `quarter` as `viewer` may see it; a resident's own
    /// compound's company comes first.
    pub fn published_rating(&self, viewer: &Actor, quarter: Quarter) -> AppResult<RatingRun> {
        let period = quarter.as_string();
        let run = self.read(|conn| {
            let current = ratings::revisions(conn, &period)?
                .pop()
                .ok_or(AppError::NotFound)?;
            load_run(conn, current)
        })?;
        self.viewed(viewer, run)
    }

    fn viewed(&self, viewer: &Actor, mut run: RatingRun) -> AppResult<RatingRun> {
        for c in &mut run.companies {
            if !may_see_inputs(viewer, c.property_company_id) {
                c.inputs = None;
            }
        }
        if let (Role::Resident, Scope::Compound(compound)) = (viewer.role, viewer.scope) {
            let home = self.read(|conn| Ok(org::find_compound(conn, CompoundId(compound.0))?))?;
            // A stable sort: the rest keeps its rank.
            run.companies
                .sort_by_key(|c| c.property_company_id != home.property_company_id);
        }
        Ok(run)
    }
}
