//! The district's evaluation of property companies (星级物业评选): the yearly assessment scheme
//! (考核评价办法) and the formula that turns a company's quarter into component scores, a
//! 等次 (grade), stars and the red/black list (红黑榜). Pure functions.

use serde::{Deserialize, Serialize};

use crate::{DomainError, closure::Closure, issue::Source};

/// Whether a case's rating counts in 满意率: only a resident's own. The reporter confirms and
/// rates, and on a patrol, hotline or meeting case the reporter is the staff member who filed
/// it, rating their colleagues' work; those ratings are counted apart and left out.
pub fn rating_is_residents_own(source: Source) -> bool {
    source == Source::App
}

/// A case closed without anyone rating it (`auto_confirmed`): resolved but unverified, never
/// in 满意率, and always in the 回头看 sample.
pub fn is_resolved_unverified(closure: Option<Closure>) -> bool {
    closure == Some(Closure::AutoConfirmed)
}

/// The weights, in percent, of the three components of the rating; they sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentWeights {
    /// 日常工作考核: the daily-work assessments by community officials and the district office.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub daily_work: u8,
    /// 社会满意度调查: residents' satisfaction.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub satisfaction: u8,
    /// 综合管理落实情况: how the company handled its cases.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub management: u8,
}

/// The weights, in percent, of the parts of 综合管理落实情况; they sum to 100. A part without
/// data (no due case, nothing supervised, no revisit) is left out and the others share its
/// weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagementWeights {
    /// Due cases rectified by their resolution deadline.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub on_time_rectification: u8,
    /// Supervised cases the owners' committee passed the first time.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub committee_first_pass: u8,
    /// 回头看 revisits that found the problem had not come back.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub no_recurrence: u8,
    /// Handled cases not overdue (open past a deadline) when the rating is computed.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub not_overdue: u8,
    /// Rectification orders (整改通知) due in the quarter that the company fulfilled (a
    /// refused or failed order counts against it). 0 in schemes set before orders existed.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    #[serde(default)]
    pub order_compliance: u8,
}

/// One line of the daily-work checklist (日常工作考核细则) and the points it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// Stable key, `[a-z0-9_]`, 1–40 characters, unique in the scheme.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z0-9_]{1,40}$"))]
    pub key: String,
    /// What is checked, e.g. 环境卫生; 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// The most points it gives; the items' points sum to 100.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub max_points: u32,
}

/// One checklist item's score in an itemised daily assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemScore {
    /// The checklist item's key in the year's scheme.
    pub key: String,
    /// 0 to the item's `max_points`.
    pub points: u32,
    /// What was found, up to 500 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub notes: String,
}

/// The lowest score of each 等次; strictly decreasing, 较差 below `qualified`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeThresholds {
    /// 优秀 from this score.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub excellent: u8,
    /// 良好 from this score.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub good: u8,
    /// 合格 from this score.
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub qualified: u8,
}

/// The stars (星级) of each 等次: 1–5, never more for a lower grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StarMapping {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub excellent: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub good: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub qualified: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub poor: u8,
}

/// The least data a company needs in the quarter to be rated; below any of them it is
/// `not_rated` (未评定) rather than given a made-up score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinSamples {
    /// Daily-work assessments of the company in the quarter.
    pub assessments: u32,
    /// Cases the company handled that their resident rated (the 满意率 sample).
    pub rated_cases: u32,
    /// Cases the company handled (the 综合管理 sample).
    pub handled_cases: u32,
    /// Answers to the quarter's satisfaction surveys from the company's compounds (the
    /// 社会满意度调查 sample); 0 in schemes set before surveys existed.
    #[serde(default)]
    pub survey_responses: u32,
}

/// What the district office sets each year; every field has the district's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SchemeSpec {
    /// Defaults 日常工作考核 30, 社会满意度调查 40, 综合管理落实情况 30.
    pub weights: ComponentWeights,
    /// Defaults 30 / 20 / 20 / 20 / 10.
    pub management_weights: ManagementWeights,
    /// The daily-work checklist; 1–50 items whose points sum to 100.
    pub checklist: Vec<ChecklistItem>,
    /// Defaults 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60.
    pub grade_thresholds: GradeThresholds,
    /// Defaults ★5 / ★4 / ★3 / ★1.
    pub stars: StarMapping,
    /// Defaults 1 assessment, 5 rated cases, 5 handled cases, 5 survey responses.
    pub min_samples: MinSamples,
}

impl Default for SchemeSpec {
    fn default() -> Self {
        let item = |key: &str, name: &str, max_points| ChecklistItem {
            key: key.to_owned(),
            name: name.to_owned(),
            max_points,
        };
        Self {
            weights: ComponentWeights {
                daily_work: 30,
                satisfaction: 40,
                management: 30,
            },
            management_weights: ManagementWeights {
                on_time_rectification: 30,
                committee_first_pass: 20,
                no_recurrence: 20,
                not_overdue: 20,
                order_compliance: 10,
            },
            checklist: vec![
                item("sanitation", "环境卫生", 25),
                item("order", "秩序维护与安全", 20),
                item("facilities", "设施设备维护", 25),
                item("greening", "绿化养护", 15),
                item("service", "服务态度与公开", 15),
            ],
            grade_thresholds: GradeThresholds {
                excellent: 90,
                good: 80,
                qualified: 60,
            },
            stars: StarMapping {
                excellent: 5,
                good: 4,
                qualified: 3,
                poor: 1,
            },
            min_samples: MinSamples {
                assessments: 1,
                rated_cases: 5,
                handled_cases: 5,
                survey_responses: 5,
            },
        }
    }
}

/// A valid scheme: only [`AssessmentScheme::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentScheme(SchemeSpec);

/// Most checklist items.
pub const CHECKLIST_MAX_ITEMS: usize = 50;

impl AssessmentScheme {
    pub fn parse(spec: SchemeSpec) -> Result<Self, DomainError> {
        let w = spec.weights;
        if u32::from(w.daily_work) + u32::from(w.satisfaction) + u32::from(w.management) != 100 {
            return Err(DomainError::invalid(
                "weights",
                "the three weights must sum to 100",
            ));
        }
        let m = spec.management_weights;
        let m_sum = [
            m.on_time_rectification,
            m.committee_first_pass,
            m.no_recurrence,
            m.not_overdue,
            m.order_compliance,
        ]
        .map(u32::from)
        .iter()
        .sum::<u32>();
        if m_sum != 100 {
            return Err(DomainError::invalid(
                "management_weights",
                "the five weights must sum to 100",
            ));
        }
        let items = &spec.checklist;
        if items.is_empty() || items.len() > CHECKLIST_MAX_ITEMS {
            return Err(DomainError::invalid(
                "checklist",
                format!("must have 1 to {CHECKLIST_MAX_ITEMS} items"),
            ));
        }
        for (i, item) in items.iter().enumerate() {
            let key_ok = (1..=40).contains(&item.key.len())
                && item
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let name_len = item.name.trim().chars().count();
            if !key_ok || !(1..=100).contains(&name_len) || item.max_points == 0 {
                return Err(DomainError::invalid(
                    "checklist",
                    format!(
                        "item {i}: key [a-z0-9_]{{1,40}}, name 1–100 characters, max_points ≥ 1"
                    ),
                ));
            }
            if items[..i].iter().any(|other| other.key == item.key) {
                return Err(DomainError::invalid(
                    "checklist",
                    format!("key `{}` appears twice", item.key),
                ));
            }
        }
        if items.iter().map(|i| u64::from(i.max_points)).sum::<u64>() != 100 {
            return Err(DomainError::invalid(
                "checklist",
                "the items' max_points must sum to 100",
            ));
        }
        let t = spec.grade_thresholds;
        if !(t.excellent <= 100 && t.excellent > t.good && t.good > t.qualified) {
            return Err(DomainError::invalid(
                "grade_thresholds",
                "must be ordered: 100 ≥ excellent > good > qualified",
            ));
        }
        let s = spec.stars;
        let stars = [s.excellent, s.good, s.qualified, s.poor];
        if stars.iter().any(|s| !(1..=5).contains(s)) || stars.windows(2).any(|p| p[0] < p[1]) {
            return Err(DomainError::invalid(
                "stars",
                "each 1 to 5, never more for a lower grade",
            ));
        }
        Ok(Self(spec))
    }

    pub fn spec(&self) -> &SchemeSpec {
        &self.0
    }

    /// The score (0–100) of an itemised assessment: every checklist item scored once, each
    /// within its maximum; the notes trimmed.
    pub fn score_items(&self, items: &mut [ItemScore]) -> Result<u32, DomainError> {
        let checklist = &self.0.checklist;
        let invalid = |m: String| DomainError::invalid("items", m);
        for (i, item) in items.iter_mut().enumerate() {
            item.notes = item.notes.trim().to_owned();
            let Some(max) = checklist
                .iter()
                .find(|c| c.key == item.key)
                .map(|c| c.max_points)
            else {
                return Err(invalid(format!("`{}` is not a checklist item", item.key)));
            };
            if item.points > max || item.notes.chars().count() > 500 {
                return Err(invalid(format!(
                    "item {i}: points 0 to {max}, notes up to 500 characters"
                )));
            }
        }
        for c in checklist {
            let n = items.iter().filter(|i| i.key == c.key).count();
            if n != 1 {
                return Err(invalid(format!("`{}` must be scored once", c.key)));
            }
        }
        Ok(items.iter().map(|i| i.points).sum())
    }

    pub fn into_spec(self) -> SchemeSpec {
        self.0
    }
}

/// A company's 等次 for the quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    /// 优秀: on the red list, recommended for more compounds.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Qualified,
    /// 较差: on the black list.
    Poor,
    /// 未评定: too little data in the quarter.
    NotRated,
}

/// 红黑榜.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RatingList {
    /// 红榜: graded 优秀.
    Red,
    /// 黑榜: graded 较差.
    Black,
}

/// Where a rating run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RunStatus {
    /// Computed, seen by the district office and auditors only; may be recomputed.
    Draft,
    /// Published (公示): frozen, public.
    Published,
    /// A published run an amendment after an appeal replaced; still in the history.
    Superseded,
}

named_variants! {
    RunStatus {
        Draft => "draft",
        Published => "published",
        Superseded => "superseded",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown rating run status `{raw}`"))
}

/// What a company's rating was computed from, as counted in the database for the quarter:
/// seen by the district office, auditors and the company's own staff.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyInputs {
    /// Daily-work assessments (日常工作考核) of the quarter and their mean score (0–100).
    pub assessments: i64,
    pub mean_assessment_score: Option<f64>,
    /// Cases handled by the company, created in the quarter.
    pub handled: i64,
    /// Residents' own ratings of them (满意率's sample), the 4–5s and the 3s.
    pub resident_rated: i64,
    pub satisfied: i64,
    pub rated_three: i64,
    /// Ratings staff gave on cases they filed (patrol, hotline, meeting): left out of 满意率.
    pub staff_rated_excluded: i64,
    /// Closed unrated by the auto-confirmation: resolved but unverified, not in 满意率.
    pub resolved_unverified: i64,
    /// Due cases, and of those rectified by the deadline.
    pub due: i64,
    pub rectified_on_time: i64,
    /// Cases the owners' committee checked, and of those passed the first time.
    pub supervised: i64,
    pub first_pass: i64,
    /// 回头看 revisits and recurrences among them.
    pub revisits: i64,
    pub recurred: i64,
    /// Open past a deadline when the rating was computed.
    pub overdue: i64,
    /// 社会满意度调查: answer sheets from the company's compounds to the quarter's surveys, and
    /// their rating answers (`rating_1_5`): all, the 4–5s and the 3s.
    /// (Runs stored before surveys and orders existed read 0 for these.)
    #[serde(default)]
    pub survey_responses: i64,
    #[serde(default)]
    pub survey_rated: i64,
    #[serde(default)]
    pub survey_satisfied: i64,
    #[serde(default)]
    pub survey_rated_three: i64,
    /// Rectification orders due in the quarter and closed or refused, and of those fulfilled.
    #[serde(default)]
    pub orders_settled: i64,
    #[serde(default)]
    pub orders_fulfilled: i64,
    /// Residents' reasons when they rated 1–2 or said "not resolved", by reason.
    #[serde(default)]
    pub dissatisfaction_reasons: ReasonCounts,
}

/// A company's result: the three component scores (0–100, null without data), the weighted
/// score, grade, stars and list. A `not_rated` company has no score, stars or list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub daily_work: Option<f64>,
    pub satisfaction: Option<f64>,
    pub management: Option<f64>,
    pub score: Option<f64>,
    pub grade: Grade,
    pub stars: Option<u8>,
    pub list: Option<RatingList>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl AssessmentScheme {
    /// 社会满意度: the satisfaction rate of the quarter's survey answers, 100 × (ratings 4–5 +
    /// 0.9 × ratings of 3) ÷ rating answers.
    pub fn satisfaction_score(&self, i: &CompanyInputs) -> Option<f64> {
        crate::report::satisfaction_rate(i.survey_satisfied, i.survey_rated_three, i.survey_rated)
            .map(|r| 100.0 * r)
    }

    /// 综合管理: 100 × the weighted mean of the parts that have data.
    pub fn management_score(&self, i: &CompanyInputs) -> Option<f64> {
        let w = self.0.management_weights;
        let parts = [
            (w.on_time_rectification, ratio(i.rectified_on_time, i.due)),
            (w.committee_first_pass, ratio(i.first_pass, i.supervised)),
            (
                w.no_recurrence,
                ratio(i.recurred, i.revisits).map(|r| 1.0 - r),
            ),
            (w.not_overdue, ratio(i.overdue, i.handled).map(|r| 1.0 - r)),
            (
                w.order_compliance,
                ratio(i.orders_fulfilled, i.orders_settled),
            ),
        ];
        let (sum, weight) = parts
            .iter()
            .filter_map(|(w, r)| r.map(|r| (f64::from(*w) * r, f64::from(*w))))
            .fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
        (weight > 0.0).then(|| 100.0 * sum / weight)
    }

    /// The grade of a (rounded) score.
    pub fn grade(&self, score: f64) -> Grade {
        let t = self.0.grade_thresholds;
        match score {
            s if s >= f64::from(t.excellent) => Grade::Excellent,
            s if s >= f64::from(t.good) => Grade::Good,
            s if s >= f64::from(t.qualified) => Grade::Qualified,
            _ => Grade::Poor,
        }
    }

    /// Stars of a grade; none for `not_rated`.
    pub fn stars(&self, grade: Grade) -> Option<u8> {
        let s = self.0.stars;
        match grade {
            Grade::Excellent => Some(s.excellent),
            Grade::Good => Some(s.good),
            Grade::Qualified => Some(s.qualified),
            Grade::Poor => Some(s.poor),
            Grade::NotRated => None,
        }
    }

    /// Whether the company has the minimum samples to be rated.
    pub fn has_enough_data(&self, i: &CompanyInputs) -> bool {
        let m = self.0.min_samples;
        i.assessments >= i64::from(m.assessments)
            && i.resident_rated >= i64::from(m.rated_cases)
            && i.handled >= i64::from(m.handled_cases)
            && i.survey_responses >= i64::from(m.survey_responses)
    }

    /// The company's result: component scores rounded to 2 decimals, score = Σ weight ×
    /// component ÷ 100 (rounded to 2 decimals; grade read off the rounded score), `not_rated`
    /// below the minimum samples or when a component has no data.
    pub fn evaluate(&self, i: &CompanyInputs) -> Evaluation {
        self.combine(
            Components {
                daily_work: i.mean_assessment_score.map(round2),
                satisfaction: self.satisfaction_score(i).map(round2),
                management: self.management_score(i).map(round2),
            },
            self.has_enough_data(i),
        )
    }

    /// The result of these component scores: rated when `enough_data` and every component has
    /// a score (an amendment on appeal recombines corrected components this way).
    pub fn combine(&self, c: Components, enough_data: bool) -> Evaluation {
        let w = self.0.weights;
        let score = match (c.daily_work, c.satisfaction, c.management) {
            (Some(d), Some(s), Some(m)) if enough_data => Some(round2(
                (f64::from(w.daily_work) * d
                    + f64::from(w.satisfaction) * s
                    + f64::from(w.management) * m)
                    / 100.0,
            )),
            _ => None,
        };
        let grade = score.map_or(Grade::NotRated, |s| self.grade(s));
        Evaluation {
            daily_work: c.daily_work,
            satisfaction: c.satisfaction,
            management: c.management,
            score,
            grade,
            stars: self.stars(grade),
            list: match grade {
                Grade::Excellent => Some(RatingList::Red),
                Grade::Poor => Some(RatingList::Black),
                _ => None,
            },
        }
    }
}

/// The three component scores (0–100), `None` without data.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Components {
    pub daily_work: Option<f64>,
    pub satisfaction: Option<f64>,
    pub management: Option<f64>,
}

/// Why a resident who rated 1–2 or answered "not resolved" was dissatisfied (one or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DissatisfactionReason {
    /// 问题没解决.
    NotFixed,
    /// 太慢.
    Slow,
    /// 质量差.
    PoorQuality,
    /// 态度差.
    Attitude,
    Other,
}

named_variants! {
    DissatisfactionReason {
        NotFixed => "not_fixed",
        Slow => "slow",
        PoorQuality => "poor_quality",
        Attitude => "attitude",
        Other => "other",
    }
    unknown(raw) => DomainError::invalid("reasons", format!("unknown reason `{raw}`"))
}

/// Whether a confirmation asks for reasons: "not resolved", or a rating of 1 or 2.
pub fn asks_for_reasons(resolved: bool, satisfaction: Option<u8>) -> bool {
    !resolved || satisfaction.is_some_and(|s| s <= 2)
}

/// How often each [`DissatisfactionReason`] was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReasonCounts {
    pub not_fixed: i64,
    pub slow: i64,
    pub poor_quality: i64,
    pub attitude: i64,
    pub other: i64,
}

impl ReasonCounts {
    pub fn add(&mut self, reason: DissatisfactionReason, n: i64) {
        let slot = match reason {
            DissatisfactionReason::NotFixed => &mut self.not_fixed,
            DissatisfactionReason::Slow => &mut self.slow,
            DissatisfactionReason::PoorQuality => &mut self.poor_quality,
            DissatisfactionReason::Attitude => &mut self.attitude,
            DissatisfactionReason::Other => &mut self.other,
        };
        *slot += n;
    }
}

/// How long after publication a company may object (异议), in days.
pub const APPEAL_DAYS: i64 = 7;

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AppealStatus {
    /// Filed, waiting for the district office.
    Pending,
    /// The office kept the published result.
    Upheld,
    /// The office corrected it: a new revision of the quarter.
    Amended,
}

named_variants! {
    AppealStatus {
        Pending => "pending",
        Upheld => "upheld",
        Amended => "amended",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown appeal status `{raw}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> AssessmentScheme {
        AssessmentScheme::parse(SchemeSpec::default()).unwrap()
    }

    #[test]
    fn the_defaults_are_valid() {
        let s = scheme();
        assert_eq!(s.grade(90.0), Grade::Excellent);
        assert_eq!(s.grade(89.99), Grade::Good);
        assert_eq!(s.grade(60.0), Grade::Qualified);
        assert_eq!(s.grade(59.99), Grade::Poor);
    }

    #[test]
    fn bad_schemes_are_refused_with_their_field() {
        let mut cases: Vec<(SchemeSpec, &str)> = Vec::new();
        let mut s = SchemeSpec::default();
        s.weights.daily_work = 31;
        cases.push((s, "weights"));
        let mut s = SchemeSpec::default();
        s.management_weights.not_overdue = 0;
        cases.push((s, "management_weights"));
        let mut s = SchemeSpec::default();
        s.grade_thresholds.good = 90;
        cases.push((s, "grade_thresholds"));
        let mut s = SchemeSpec::default();
        s.grade_thresholds.excellent = 101;
        cases.push((s, "grade_thresholds"));
        let mut s = SchemeSpec::default();
        s.stars.poor = 5;
        cases.push((s, "stars"));
        let mut s = SchemeSpec::default();
        s.checklist.clear();
        cases.push((s, "checklist"));
        let mut s = SchemeSpec::default();
        s.checklist[1].key = s.checklist[0].key.clone();
        cases.push((s, "checklist"));
        let mut s = SchemeSpec::default();
        s.checklist[0].max_points = 30;
        cases.push((s, "checklist"));
        for (spec, field) in cases {
            match AssessmentScheme::parse(spec) {
                Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn management_shares_the_weight_of_parts_without_data() {
        let s = scheme();
        // on time 3/4, nothing supervised, no revisit, 1 of 5 overdue, no order:
        // (30 × 0.75 + 20 × 0.8) ÷ 50 = 38.5 ÷ 50.
        let i = CompanyInputs {
            handled: 5,
            due: 4,
            rectified_on_time: 3,
            overdue: 1,
            ..Default::default()
        };
        let m = s.management_score(&i).unwrap();
        assert!((m - 100.0 * 38.5 / 50.0).abs() < 1e-9);
    }

    #[test]
    fn below_the_minimum_sample_is_not_rated() {
        let s = scheme();
        let i = CompanyInputs {
            assessments: 1,
            mean_assessment_score: Some(100.0),
            resident_rated: 5,
            satisfied: 5,
            survey_responses: 4,
            survey_rated: 8,
            survey_satisfied: 8,
            handled: 5,
            due: 5,
            rectified_on_time: 5,
            ..Default::default()
        };
        let e = s.evaluate(&i);
        assert_eq!(e.grade, Grade::NotRated);
        assert_eq!((e.score, e.stars, e.list), (None, None, None));
        assert_eq!(e.satisfaction, Some(100.0));
        let e = s.evaluate(&CompanyInputs {
            survey_responses: 5,
            ..i
        });
        assert_eq!(e.grade, Grade::Excellent);
        assert_eq!(
            (e.score, e.stars, e.list),
            (Some(100.0), Some(5), Some(RatingList::Red))
        );
    }
}
