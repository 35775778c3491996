//! Satisfaction surveys (社会满意度调查): the district office, or a community for its compounds,
//! sets a survey of a quarter; each verified resident of a surveyed compound answers once,
//! anonymously; the results are tallied per compound and per company (free text never shown
//! to the rated company); the quarter's answers make the rating's 社会满意度 component.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use linli_domain::{
    DomainError,
    auth::{Actor, Role, Scope},
    ids::{CommunityId, CompoundId, UserId},
    period::Quarter,
    survey::{AnswerSheet, Question, Questionnaire, RawAnswer, Tally, tally},
};
use linli_infra::{
    DbConn, RepoError,
    repo::{
        org,
        surveys::{self, NewSurvey, ResponseRow, SurveyCompound, SurveyFilter, SurveyRow},
    },
    time::{from_millis, to_millis},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::application::{AppError, AppResult, Application, error::ProblemCode};

/// Most compounds one survey covers.
pub const MAX_SURVEY_COMPOUNDS: usize = 200;

/// A survey as its author sets it, parsed.
#[derive(Debug, Clone)]
pub struct SurveyDraft {
    pub title: String,
    pub period: Quarter,
    pub compound_ids: Vec<CompoundId>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub questions: Questionnaire,
}

/// A survey.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Survey {
    pub id: i64,
    pub title: String,
    /// The quarter it counts for, `YYYYQn`.
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    pub compound_ids: Vec<i64>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Open for answers now.
    pub open: bool,
    pub questions: Vec<Question>,
    /// The community that set it; null for the district office.
    pub community_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Residents: whether they have answered it; null for staff.
    pub answered: Option<bool>,
}

/// One group's results: a compound, a company, or everything the viewer sees.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupResults {
    /// The compound's or company's id; null for the whole.
    pub id: Option<i64>,
    pub name: String,
    /// Compounds only: the company managing it when the survey was set.
    pub property_company_id: Option<i64>,
    /// Verified residents now living in the group's compounds (业主认证).
    pub invitations: i64,
    /// Answer sheets.
    pub responses: i64,
    /// responses ÷ invitations, 0–1, 4 decimals; null without invitations.
    pub response_rate: Option<f64>,
    /// Mean and distribution per question, the satisfaction rate; no resident's id.
    pub tally: Tally,
}

/// A survey's results as the viewer may see them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyResults {
    pub survey_id: i64,
    pub title: String,
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    /// Over the compounds shown.
    pub overall: GroupResults,
    pub compounds: Vec<GroupResults>,
    pub companies: Vec<GroupResults>,
    /// Whether free-text answers are left out (for the rated company's staff).
    pub texts_hidden: bool,
}

fn corrupt(what: &str, id: i64, e: impl std::fmt::Display) -> AppError {
    RepoError::Corrupt(format!("{what} {id}: {e}")).into()
}

fn forbidden(detail: impl Into<String>) -> AppError {
    DomainError::Forbidden(detail.into()).into()
}

pub(crate) fn questionnaire(row: &SurveyRow) -> AppResult<Questionnaire> {
    let questions: Vec<Question> =
        serde_json::from_str(&row.questions).map_err(|e| corrupt("survey", row.id, e))?;
    Questionnaire::parse(questions).map_err(|e| corrupt("survey", row.id, e))
}

pub(crate) fn sheet(row: &ResponseRow) -> AppResult<AnswerSheet> {
    serde_json::from_str(&row.answers).map_err(|e| corrupt("survey response", row.id, e))
}

/// Which compounds of a survey `viewer` may see, and whether they read free text; `None`:
/// the survey is not theirs to see.
enum Sight {
    All,
    Community(i64),
    Company(i64),
    Compound(i64),
}

fn sight(viewer: &Actor) -> AppResult<Sight> {
    match (viewer.role, viewer.scope) {
        (Role::DistrictOffice | Role::Auditor, _) => Ok(Sight::All),
        (Role::CommunityOfficial, Scope::Community(c)) => Ok(Sight::Community(c.0)),
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => Ok(Sight::Company(p.0)),
        (Role::Resident, Scope::Compound(c)) => Ok(Sight::Compound(c.0)),
        _ => Err(forbidden(
            "surveys are for the district office, auditors, community officials, property staff and residents",
        )),
    }
}

impl Sight {
    fn sees(&self, c: &SurveyCompound, community_of: &HashMap<i64, i64>) -> bool {
        match *self {
            Self::All => true,
            Self::Community(id) => community_of.get(&c.compound_id) == Some(&id),
            Self::Company(id) => c.property_company_id == id,
            Self::Compound(id) => c.compound_id == id,
        }
    }
}

fn community_of(conn: &mut DbConn) -> AppResult<HashMap<i64, i64>> {
    Ok(org::list_compounds(conn, None, None)?
        .into_iter()
        .map(|c| (c.id, c.community_id))
        .collect())
}

fn survey_of(
    row: &SurveyRow,
    compounds: &[SurveyCompound],
    now: i64,
    answered: Option<bool>,
) -> AppResult<Survey> {
    Ok(Survey {
        id: row.id,
        title: row.title.clone(),
        period: row.period.clone(),
        compound_ids: compounds
            .iter()
            .filter(|c| c.survey_id == row.id)
            .map(|c| c.compound_id)
            .collect(),
        opens_at: from_millis(row.opens_at)?,
        closes_at: from_millis(row.closes_at)?,
        open: row.opens_at <= now && now < row.closes_at,
        questions: questionnaire(row)?.questions().to_vec(),
        community_id: row.community_id,
        created_at: from_millis(row.created_at)?,
        answered,
    })
}

impl Application {
    /// Set a survey: the district office over any compounds, a community official over the
    /// compounds of their community.
    pub fn create_survey(&self, author: &Actor, draft: SurveyDraft) -> AppResult<Survey> {
        let community = match (author.role, author.scope) {
            (Role::DistrictOffice, _) => None,
            (Role::CommunityOfficial, Scope::Community(c)) => Some(c),
            _ => {
                return Err(forbidden(
                    "surveys are set by the district office or a community official",
                ));
            }
        };
        let now = to_millis(self.now());
        self.write(|conn| {
            let mut compounds = Vec::with_capacity(draft.compound_ids.len());
            for id in &draft.compound_ids {
                let c = org::find_compound(conn, *id).map_err(|e| match e {
                    RepoError::NotFound => {
                        AppError::validation("compound_ids", format!("no compound {}", id.0))
                    }
                    other => other.into(),
                })?;
                if community.is_some_and(|CommunityId(own)| own != c.community_id) {
                    return Err(forbidden(
                        "a community official surveys only the compounds of their community",
                    ));
                }
                compounds.push((c.id, c.property_company_id));
            }
            let questions = serde_json::to_string(draft.questions.questions())
                .map_err(|e| corrupt("survey", 0, e))?;
            let row = surveys::insert(
                conn,
                &NewSurvey {
                    title: &draft.title,
                    period: &draft.period.as_string(),
                    questions: &questions,
                    opens_at: to_millis(draft.opens_at),
                    closes_at: to_millis(draft.closes_at),
                    community_id: community.map(|c| c.0),
                    created_by: author.user_id.0,
                    created_at: now,
                },
                &compounds,
            )?;
            let compounds = surveys::compounds_of(conn, &[row.id])?;
            survey_of(&row, &compounds, now, None)
        })
    }

    /// The surveys `viewer` sees, newest first (optionally only those open now): residents
    /// those of their compound, property staff those of their company's compounds, community
    /// officials those of their community's, the district office and auditors all.
    pub fn list_surveys(
        &self,
        viewer: &Actor,
        only_open: bool,
        before: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<Survey>> {
        let sight = sight(viewer)?;
        let now = to_millis(self.now());
        self.read(|conn| {
            let mut filter = SurveyFilter {
                open_at: only_open.then_some(now),
                ..SurveyFilter::default()
            };
            let community_compounds: Vec<i64>;
            let mut compounds = None;
            match sight {
                Sight::All => {}
                Sight::Compound(c) => filter.compound = Some(c),
                Sight::Company(p) => filter.company = Some(p),
                Sight::Community(c) => {
                    community_compounds = org::list_compounds(conn, Some(c), None)?
                        .into_iter()
                        .map(|c| c.id)
                        .collect();
                    compounds = Some(community_compounds.as_slice());
                }
            }
            let rows = surveys::list(conn, filter, compounds, before, limit)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let all_compounds = surveys::compounds_of(conn, &ids)?;
            let answered: Option<HashSet<i64>> = if viewer.role == Role::Resident {
                Some(surveys::answered_among(conn, viewer.user_id.0, &ids)?)
            } else {
                None
            };
            rows.iter()
                .map(|r| {
                    let mine = answered.as_ref().map(|set| set.contains(&r.id));
                    survey_of(r, &all_compounds, now, mine)
                })
                .collect()
        })
    }

    /// One survey, if `viewer` sees it (as in the list), else not found.
    pub fn survey(&self, viewer: &Actor, id: i64) -> AppResult<Survey> {
        let sight = sight(viewer)?;
        let now = to_millis(self.now());
        self.read(|conn| {
            let row = surveys::find(conn, id)?;
            let compounds = surveys::compounds_of(conn, &[id])?;
            let community_of = community_of(conn)?;
            if !compounds.iter().any(|c| sight.sees(c, &community_of)) {
                return Err(AppError::NotFound);
            }
            let answered = if viewer.role == Role::Resident {
                Some(surveys::has_answered(conn, id, viewer.user_id.0)?)
            } else {
                None
            };
            survey_of(&row, &compounds, now, answered)
        })
    }

    /// Answer survey `id` as `resident`: verified, living in a surveyed compound, while it is
    /// open, once. The answers are stored without the resident; only the fact that they
    /// answered is kept, apart.
    pub fn answer_survey(
        &self,
        resident: &Actor,
        id: i64,
        answers: BTreeMap<String, RawAnswer>,
    ) -> AppResult<()> {
        let Scope::Compound(home) = resident.scope else {
            return Err(forbidden("only residents answer surveys"));
        };
        if resident.role != Role::Resident {
            return Err(forbidden("only residents answer surveys"));
        }
        if !resident.verified {
            return Err(AppError::Refused {
                code: ProblemCode::VerificationRequired,
                detail: "surveys are answered by residents the compound has verified (业主认证)"
                    .into(),
            });
        }
        let now = to_millis(self.now());
        let UserId(user) = resident.user_id;
        self.write(|conn| {
            let row = surveys::find(conn, id)?;
            let compounds = surveys::compounds_of(conn, &[id])?;
            let Some(surveyed) = compounds.iter().find(|c| c.compound_id == home.0) else {
                return Err(AppError::NotFound);
            };
            if !(row.opens_at <= now && now < row.closes_at) {
                return Err(AppError::conflict(
                    ProblemCode::Conflict,
                    "the survey is not open for answers now",
                ));
            }
            let sheet = questionnaire(&row)?
                .parse_answers(answers)
                .map_err(AppError::from)?;
            surveys::record_respondent(conn, id, user).map_err(|e| match e {
                RepoError::Conflict(_) => AppError::conflict(
                    ProblemCode::Conflict,
                    "you have already answered this survey",
                ),
                other => other.into(),
            })?;
            let answers = serde_json::to_string(&sheet).map_err(|e| corrupt("survey", id, e))?;
            surveys::insert_response(
                conn,
                id,
                surveyed.compound_id,
                surveyed.property_company_id,
                &answers,
            )?;
            Ok(())
        })
    }

    /// The results of survey `id` as `viewer` may see them: the district office and auditors
    /// every compound; a community official their community's; property staff their
    /// company's, without free text. Residents see none.
    pub fn survey_results(&self, viewer: &Actor, id: i64) -> AppResult<SurveyResults> {
        let sight = match sight(viewer)? {
            Sight::Compound(_) => return Err(forbidden("survey results are for staff")),
            s => s,
        };
        let hide_texts = matches!(sight, Sight::Company(_));
        self.read(|conn| {
            let row = surveys::find(conn, id)?;
            let questionnaire = questionnaire(&row)?;
            let community_of = community_of(conn)?;
            let shown: Vec<SurveyCompound> = surveys::compounds_of(conn, &[id])?
                .into_iter()
                .filter(|c| sight.sees(c, &community_of))
                .collect();
            if shown.is_empty() {
                return Err(AppError::NotFound);
            }
            let compound_ids: Vec<i64> = shown.iter().map(|c| c.compound_id).collect();
            let invited: HashMap<i64, i64> = surveys::verified_residents(conn, &compound_ids)?
                .into_iter()
                .collect();
            let mut by_compound: HashMap<i64, Vec<AnswerSheet>> = HashMap::new();
            for r in surveys::responses(conn, &[id])? {
                if compound_ids.contains(&r.compound_id) {
                    by_compound
                        .entry(r.compound_id)
                        .or_default()
                        .push(sheet(&r)?);
                }
            }
            let compound_names: HashMap<i64, String> = org::list_compounds(conn, None, None)?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let company_names: HashMap<i64, String> = org::list_property_companies(conn)?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let group = |id: Option<i64>, name: String, company: Option<i64>, members: &[i64]| {
                let invitations = members.iter().filter_map(|c| invited.get(c)).sum::<i64>();
                let sheets = members.iter().filter_map(|c| by_compound.get(c)).flatten();
                let mut t = tally(&questionnaire, sheets);
                if hide_texts {
                    t = t.without_texts();
                }
                GroupResults {
                    id,
                    name,
                    property_company_id: company,
                    invitations,
                    responses: t.responses,
                    response_rate: (invitations > 0).then(|| {
                        (t.responses as f64 / invitations as f64 * 10_000.0).round() / 10_000.0
                    }),
                    tally: t,
                }
            };
            let compounds = shown
                .iter()
                .map(|c| {
                    let name = compound_names
                        .get(&c.compound_id)
                        .cloned()
                        .unwrap_or_default();
                    group(
                        Some(c.compound_id),
                        name,
                        Some(c.property_company_id),
                        &[c.compound_id],
                    )
                })
                .collect();
            let mut companies: Vec<i64> = shown.iter().map(|c| c.property_company_id).collect();
            companies.sort_unstable();
            companies.dedup();
            let companies = companies
                .into_iter()
                .map(|p| {
                    let members: Vec<i64> = shown
                        .iter()
                        .filter(|c| c.property_company_id == p)
                        .map(|c| c.compound_id)
                        .collect();
                    let name = company_names.get(&p).cloned().unwrap_or_default();
                    group(Some(p), name, None, &members)
                })
                .collect();
            Ok(SurveyResults {
                survey_id: row.id,
                title: row.title.clone(),
                period: row.period.clone(),
                overall: group(None, row.title.clone(), None, &compound_ids),
                compounds,
                companies,
                texts_hidden: hide_texts,
            })
        })
    }
}

/// The 社会满意度 terms of one company in a quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyTerms {
    pub responses: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub rated_three: i64,
}

/// The 社会满意度 terms of a quarter per company: every answer sheet of the quarter's surveys
/// from the company's compounds, tallied with its survey's questions.
pub fn company_survey_terms(
    conn: &mut DbConn,
    period: &str,
) -> AppResult<HashMap<i64, SurveyTerms>> {
    let rows = surveys::of_period(conn, period)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let questionnaires: HashMap<i64, Questionnaire> = rows
        .iter()
        .map(|r| Ok((r.id, questionnaire(r)?)))
        .collect::<AppResult<_>>()?;
    let mut by_company: HashMap<i64, SurveyTerms> = HashMap::new();
    for r in surveys::responses(conn, &ids)? {
        let Some(q) = questionnaires.get(&r.survey_id) else {
            continue;
        };
        let t = tally(q, [&sheet(&r)?]);
        let total = by_company.entry(r.property_company_id).or_default();
        total.responses += t.responses;
        total.satisfied += t.satisfied;
        total.rated_three += t.rated_three;
        total.rated += t.rated;
    }
    Ok(by_company)
}
