//! Daily work assessments (日常工作考核) of property companies, filed by community officials
//! (their community) or the district office per compound and quarter, or per month itemised by
//! the year's checklist; they feed the ratings' 日常工作考核 component.

use linli_domain::{
    auth::{Actor, Role, Scope},
    evaluation::ItemScore,
    ids::{CommunityId, CompoundId, PropertyCompanyId, UserId},
    period::Month,
};
use linli_infra::{
    RepoError, images,
    repo::{
        assessment_schemes,
        assessments::{self, AssessmentView, NewAssessment, NewAssessmentPhoto},
        org,
    },
    time::to_millis,
};

use crate::application::{
    AppError, AppResult, Application,
    issues::photos::{PhotoFile, image_error},
};

/// Most evidence photos of one assessment.
pub const MAX_ASSESSMENT_PHOTOS: usize = 9;

/// May `actor` add evidence to (or read the photos of) an assessment of a compound in
/// `community`: the district office, and the community's officials; auditors read.
fn may_touch(actor: &Actor, community: i64, write: bool) -> AppResult<()> {
    let ok = match (actor.role, actor.scope) {
        (Role::DistrictOffice, _) => true,
        (Role::Auditor, _) => !write,
        (Role::CommunityOfficial, Scope::Community(c)) => c.0 == community,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(linli_domain::DomainError::Forbidden(
            "assessment evidence is for the district office and the community's officials".into(),
        )
        .into())
    }
}

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
                photo_ids: Vec::new(),
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

impl Application {
    /// Add an evidence photo to assessment `id` (decoded, turned upright, re-encoded without
    /// metadata, like an issue's photo); returns its id. CPU-heavy: call it off the event loop.
    pub fn add_assessment_photo(&self, actor: &Actor, id: i64, bytes: Vec<u8>) -> AppResult<i64> {
        self.read(|conn| {
            let row = assessments::find(conn, linli_domain::ids::AssessmentId(id))?;
            let compound = org::find_compound(conn, CompoundId(row.compound_id))?;
            may_touch(actor, compound.community_id, true)
        })?;
        let photo = images::process_bounded(&bytes).map_err(image_error)?;
        drop(bytes);
        let size_bytes = i64::try_from(photo.original.len()).map_err(AppError::internal)?;
        let hash = self
            .photos
            .put(&photo.original)
            .map_err(AppError::internal)?;
        let now = to_millis(self.now());
        self.write(|conn| {
            if assessments::photo_ids(conn, &[id])?.len() >= MAX_ASSESSMENT_PHOTOS {
                return Err(AppError::conflict(
                    crate::application::ProblemCode::TooManyPhotos,
                    format!("an assessment may have at most {MAX_ASSESSMENT_PHOTOS} photos"),
                ));
            }
            Ok(assessments::insert_photo(
                conn,
                &NewAssessmentPhoto {
                    assessment_id: id,
                    uploaded_by: actor.user_id.0,
                    content_hash: &hash,
                    content_type: photo.content_type,
                    size_bytes,
                    created_at: now,
                },
            )?)
        })
    }

    /// Evidence photo `photo` of assessment `id`, to the district office, auditors and the
    /// community's officials.
    pub fn assessment_photo(&self, actor: &Actor, id: i64, photo: i64) -> AppResult<PhotoFile> {
        let row = self.read(|conn| {
            let row = assessments::find(conn, linli_domain::ids::AssessmentId(id))?;
            let compound = org::find_compound(conn, CompoundId(row.compound_id))?;
            may_touch(actor, compound.community_id, false)?;
            Ok(assessments::find_photo(conn, id, photo)?)
        })?;
        let bytes = self
            .photos
            .get(&row.content_hash)
            .map_err(AppError::internal)?;
        Ok(PhotoFile {
            content_type: row.content_type,
            content_hash: row.content_hash,
            bytes,
        })
    }
}
