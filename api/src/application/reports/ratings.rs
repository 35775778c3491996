//! The quarterly star rating (星级物业) of each property company and the red/black list (红黑榜).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use linli_domain::report::{self, RatingComponents, ReportWeights, ratio, satisfaction_rate};
use linli_infra::repo::{
    org,
    reports::{self, CompanyAssessment, CompanyCounts, CompanyRevisits, ReportScope},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use linli_domain::evaluation::ReasonCounts;

use crate::application::{
    AppResult, Application,
    reports::{Report, reasons::company_reasons},
};

/// The district's lists (红黑榜): `red` for five stars, `black` for a score under 60.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RedBlackList {
    /// 红榜: five stars.
    Red,
    /// 黑榜: a score under 60.
    Black,
}

/// The example rating the spec shows, alone and inside the report's example.
pub fn property_rating_example() -> serde_json::Value {
    serde_json::json!({
        "property_company_id": 1, "name": "红管家物业", "handled": 40, "due": 38,
        "rectified_on_time": 37, "rated": 30, "satisfied": 29, "rated_three": 1,
        "staff_rated_excluded": 2, "resolved_unverified": 3, "reasons_not_fixed": 1,
        "reasons_slow": 2, "reasons_poor_quality": 0, "reasons_attitude": 0, "reasons_other": 0,
        "supervised": 35, "first_pass": 34, "revisits": 8, "recurred": 0, "assessments": 3,
        "on_time_rectification_rate": 0.9736842105263158, "satisfaction_rate": 0.9966666666666667,
        "committee_first_pass_rate": 0.9714285714285714, "revisit_recurrence_rate": 0.0,
        "mean_assessment_score": 95.0, "score": 98.29, "stars": 5, "list": "red"
    })
}

/// One property company's rating for the period.
// `Default`: the blank row an empty CSV writes for its header row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = property_rating_example)]
pub struct PropertyRating {
    /// The company rated.
    pub property_company_id: i64,
    /// Its name, e.g. 红管家物业.
    pub name: String,
    /// Issues created in the period that the company handles (its handler is the company).
    pub handled: i64,
    /// Of those, due: closed, or open past the resolution deadline.
    pub due: i64,
    /// Of the due ones, rectified (latest rectification) no later than the resolution deadline.
    pub rectified_on_time: i64,
    /// Of the handled issues, those their resident rated (only residents' own ratings count).
    pub rated: i64,
    /// Ratings of 4 or 5.
    pub satisfied: i64,
    /// Ratings of 3.
    pub rated_three: i64,
    /// Ratings staff gave on cases they filed themselves: marked and left out.
    pub staff_rated_excluded: i64,
    /// Closed unrated by the auto-confirmation: resolved but unverified.
    pub resolved_unverified: i64,
    /// Residents' reasons when they rated 1–2 or said "not resolved", per reason.
    pub reasons_not_fixed: i64,
    pub reasons_slow: i64,
    pub reasons_poor_quality: i64,
    pub reasons_attitude: i64,
    pub reasons_other: i64,
    /// Issues the owners' committee looked at (passed, or sent back at least once).
    pub supervised: i64,
    /// Supervised issues passed without ever being sent back.
    pub first_pass: i64,
    /// 回头看 outcomes recorded on these issues (`revisit_confirmed` + `revisit_recurred` events).
    pub revisits: i64,
    /// `revisit_recurred` events among them.
    pub recurred: i64,
    /// Daily work assessments (日常工作考核) filed for the period.
    pub assessments: i64,
    /// rectified_on_time ÷ due; null without due issues.
    pub on_time_rectification_rate: Option<f64>,
    /// (satisfied + 0.9 × rated_three) ÷ rated; null without ratings.
    pub satisfaction_rate: Option<f64>,
    /// first_pass ÷ supervised; null without supervised issues.
    pub committee_first_pass_rate: Option<f64>,
    /// recurred ÷ revisits; null without revisits.
    pub revisit_recurrence_rate: Option<f64>,
    /// Mean assessment score (0–100); null without assessments.
    pub mean_assessment_score: Option<f64>,
    /// 0–100, rounded to 2 decimals.
    #[schema(minimum = 0, maximum = 100)]
    pub score: f64,
    /// 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub stars: u8,
    /// `red` (★5), `black` (score under 60) or null.
    #[schema(value_type = Option<crate::application::reports::ratings::RedBlackList>)]
    pub list: Option<String>,
}

/// What the database computed for the ratings.
struct RatingInputs {
    counts: Vec<CompanyCounts>,
    revisits: Vec<CompanyRevisits>,
    assessments: Vec<CompanyAssessment>,
    reasons: HashMap<i64, ReasonCounts>,
    names: HashMap<i64, String>,
}

fn rate_companies(w: &ReportWeights, inputs: RatingInputs) -> Vec<PropertyRating> {
    let RatingInputs {
        counts,
        revisits,
        assessments,
        reasons,
        names,
    } = inputs;
    let revisits: HashMap<i64, CompanyRevisits> = revisits
        .into_iter()
        .map(|r| (r.property_company_id, r))
        .collect();
    let mut by_company: BTreeMap<i64, (Option<CompanyCounts>, Option<CompanyAssessment>)> =
        BTreeMap::new();
    for c in counts {
        let id = c.property_company_id;
        by_company.entry(id).or_default().0 = Some(c);
    }
    for a in assessments {
        let id = a.property_company_id;
        by_company.entry(id).or_default().1 = Some(a);
    }
    let mut companies: Vec<PropertyRating> = by_company
        .into_iter()
        .map(|(id, (c, a))| {
            let c = c.unwrap_or(CompanyCounts {
                property_company_id: id,
                ..Default::default()
            });
            let r = reasons.get(&id).copied().unwrap_or_default();
            let (revisit_count, recurred) = revisits
                .get(&id)
                .map_or((0, 0), |r| (r.revisits, r.recurred));
            let components = RatingComponents {
                satisfaction: satisfaction_rate(
                    c.resident_satisfied,
                    c.resident_rated_three,
                    c.resident_rated,
                ),
                on_time_rectification: ratio(c.rectified_on_time as f64, c.due),
                committee_first_pass: ratio(c.first_pass as f64, c.supervised),
                revisit_recurrence: ratio(recurred as f64, revisit_count),
                mean_assessment: a.as_ref().map(|a| a.mean_score),
            };
            let score = report::rating_score(w, &components);
            PropertyRating {
                property_company_id: id,
                name: names.get(&id).cloned().unwrap_or_default(),
                handled: c.handled,
                due: c.due,
                rectified_on_time: c.rectified_on_time,
                rated: c.resident_rated,
                satisfied: c.resident_satisfied,
                rated_three: c.resident_rated_three,
                staff_rated_excluded: c.rated - c.resident_rated,
                resolved_unverified: c.resolved_unverified,
                reasons_not_fixed: r.not_fixed,
                reasons_slow: r.slow,
                reasons_poor_quality: r.poor_quality,
                reasons_attitude: r.attitude,
                reasons_other: r.other,
                supervised: c.supervised,
                first_pass: c.first_pass,
                revisits: revisit_count,
                recurred,
                assessments: a.as_ref().map_or(0, |a| a.assessments),
                on_time_rectification_rate: components.on_time_rectification,
                satisfaction_rate: components.satisfaction,
                committee_first_pass_rate: components.committee_first_pass,
                revisit_recurrence_rate: components.revisit_recurrence,
                mean_assessment_score: components.mean_assessment,
                score,
                stars: report::stars(score),
                list: report::list(score).map(str::to_owned),
            }
        })
        .collect();
    companies.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.property_company_id.cmp(&b.property_company_id))
    });
    companies
}

impl Application {
    /// Every company with issues or assessments in the quarter `period` (`2026Q3`, spanning
    /// `[from, to)`) within `scope`, best score first.
    pub fn property_ratings(
        &self,
        scope: ReportScope,
        period: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<Report<PropertyRating>> {
        let (window, generated_at) = self.report_window(from, to);
        let inputs = self.read(|conn| {
            let counts = reports::company_counts(conn, scope, window)?;
            let revisits = reports::company_revisits(conn, scope, window)?;
            let assessments = reports::company_assessments(conn, scope, period)?;
            let reasons = company_reasons(conn, scope, window)?;
            let ids: Vec<i64> = counts
                .iter()
                .map(|c| c.property_company_id)
                .chain(assessments.iter().map(|a| a.property_company_id))
                .collect();
            let names = org::property_company_names(conn, &ids)?;
            Ok(RatingInputs {
                counts,
                revisits,
                assessments,
                reasons,
                names,
            })
        })?;
        let rows = rate_companies(&self.config.report_weights, inputs);
        Ok(Report { rows, generated_at })
    }
}
