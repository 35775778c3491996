//! Daily work assessments (日常工作考核) of property companies, filed by community officials
//! (their community) or the district office per compound and quarter, or per month itemised by
//! the year's checklist; they feed the ratings' 日常工作考核 component.

use linli_domain::{
    evaluation::ItemScore,
    ids::{CommunityId, CompoundId, PropertyCompanyId, UserId},
    period::Month,
};
use linli_infra::{
    RepoError,
    repo::{
        assessment_schemes,
        assessments::{self, AssessmentView, NewAssessment},
        org,
    },
    time::to_millis,
};

use crate::application::{AppError, AppResult, Application};

/// How an assessment is scored.
pub enum AssessmentScore {
    /// One overall score, 0–100.
    Overall(i32),
    /// A month, itemised by the checklist of its year's scheme.
    Itemised(Month, Vec<ItemScore>),
}

/// An assessment to file, parsed: the quarter canonical (`2026Q3`), notes bounded.
pub struct NewAssessmentInput {
    pub property_company: PropertyCompanyId,
    pub compound: CompoundId,
    pub period: String,
    /// The month, when one is assessed.
    pub month: Option<Month>,
    pub score: AssessmentScore,
    pub notes: String,
}

impl Application {
    /// File an assessment by `assessor`: an official of `community` (the compound must be of
    /// that community, else forbidden) or the district office (`None`); the compound must be
    /// managed now by the company assessed. An itemised one is scored by the checklist of its
    /// year's latest scheme.
    pub fn file_assessment(
        &self,
        assessor: UserId,
        community: Option<CommunityId>,
        input: NewAssessmentInput,
    ) -> AppResult<AssessmentView> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let compound = org::find_compound(conn, input.compound).map_err(|e| match e {
                RepoError::NotFound => AppError::validation("compound_id", "no such compound"),
                other => other.into(),
            })?;
            if community.is_some_and(|c| compound.community_id != c.0) {
                return Err(linli_domain::DomainError::Forbidden(
                    "you may assess only the compounds of your community".into(),
                )
                .into());
            }
            if compound.property_company_id != input.property_company.0 {
                return Err(AppError::validation(
                    "property_company_id",
                    "this company does not manage the compound now",
                ));
            }
            let (score, items) = match input.score {
                AssessmentScore::Overall(score) => (score, None),
                AssessmentScore::Itemised(month, mut items) => {
                    let Some(scheme) = assessment_schemes::latest(conn, month.year())? else {
                        return Err(AppError::validation(
                            "items",
                            format!(
                                "the district office has set no assessment scheme for {}",
                                month.year()
                            ),
                        ));
                    };
                    let score = scheme.scheme.score_items(&mut items)?;
                    let json = serde_json::to_string(&items).map_err(AppError::internal)?;
                    (
                        i32::try_from(score).map_err(AppError::internal)?,
                        Some(json),
                    )
                }
            };
            let month = input.month.map(|m| m.as_string());
            let row = assessments::insert(
                conn,
                &NewAssessment {
                    property_company_id: input.property_company.0,
                    compound_id: input.compound.0,
                    period: &input.period,
                    score,
                    notes: &input.notes,
                    assessor_id: assessor.0,
                    created_at: now,
                    month: month.as_deref(),
                    items: items.as_deref(),
                },
            )?;
            let company =
                org::find_property_company(conn, PropertyCompanyId(row.property_company_id))?;
            Ok(AssessmentView {
                row,
                property_company_name: company.name,
                compound_name: compound.name,
                community_id: compound.community_id,
            })
        })
    }

    /// Assessments by id, optionally of one quarter and of one community's compounds.
    pub fn list_assessments(
        &self,
        period: Option<String>,
        community: Option<CommunityId>,
    ) -> AppResult<Vec<AssessmentView>> {
        self.read(|conn| {
            let community = community.map(|c| c.0);
            Ok(assessments::list(conn, period.as_deref(), community)?)
        })
    }
}
