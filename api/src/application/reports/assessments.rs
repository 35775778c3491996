//! Daily work assessments (日常工作考核) of property companies, filed by community officials per
//! compound and quarter; they feed the star ratings.

use linli_domain::ids::{CommunityId, CompoundId, PropertyCompanyId, UserId};
use linli_infra::{
    RepoError,
    repo::{
        assessments::{self, AssessmentView, NewAssessment},
        org,
    },
    time::to_millis,
};

use crate::application::{AppError, AppResult, Application};

/// An assessment to file, parsed: the quarter canonical (`2026Q3`), score 0–100, notes bounded.
pub struct NewAssessmentInput {
    pub property_company: PropertyCompanyId,
    pub compound: CompoundId,
    pub period: String,
    pub score: i32,
    pub notes: String,
}

impl Application {
    /// File an assessment by `assessor`, an official of `community`: the compound must be of
    /// that community (else forbidden) and managed now by the company assessed.
    pub fn file_assessment(
        &self,
        assessor: UserId,
        community: CommunityId,
        input: NewAssessmentInput,
    ) -> AppResult<AssessmentView> {
        let now = to_millis(self.now());
        self.write(|conn| {
            let compound = org::find_compound(conn, input.compound).map_err(|e| match e {
                RepoError::NotFound => AppError::validation("compound_id", "no such compound"),
                other => other.into(),
            })?;
            if compound.community_id != community.0 {
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
            let row = assessments::insert(
                conn,
                &NewAssessment {
                    property_company_id: input.property_company.0,
                    compound_id: input.compound.0,
                    period: &input.period,
                    score: input.score,
                    notes: &input.notes,
                    assessor_id: assessor.0,
                    created_at: now,
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
