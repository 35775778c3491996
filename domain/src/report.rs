//! The report formulas, on counts the database computed: the three rates (三率), the composite,
//! and the property-company score, stars and red/black list (星级物业, 红黑榜). Pure functions.
//!
//! A rate whose denominator is 0 is `None` (null in JSON, empty in CSV), never NaN.
//!
//! Also what the database counts: which issues are *due* and which *resolved*. The storage layer
//! builds its SQL from these definitions, and a property test holds the two in agreement.

use crate::{
    Timestamp,
    issue::{Issue, IssueStatus},
};

/// An issue's resolution was due at `now`: it is closed, or still open past its resolution
/// deadline (the denominator of 解决率). Rejected and withdrawn issues are never due, nor a
/// duplicate merged into another case (its matter is judged there).
pub fn is_resolution_due(issue: &Issue, now: Timestamp) -> bool {
    (issue.status == IssueStatus::Closed && issue.closure.is_none_or(|c| c.is_own_outcome()))
        || (issue.status.is_open() && now > issue.deadlines.resolution_due)
}

/// An issue counts as resolved (the numerator of 解决率): closed with a closure that resolves
/// it by itself (see `Closure::is_resolution`), or closed and confirmed at a 回头看 revisit
/// after its latest close. An auto-confirmation alone is not a resolution.
pub fn is_resolved(issue: &Issue) -> bool {
    issue.status == IssueStatus::Closed
        && (issue.closure.is_some_and(|c| c.is_resolution())
            || issue
                .revisited_at
                .zip(issue.closed_at)
                .is_some_and(|(revisited, closed)| revisited >= closed))
}

/// An issue counts as found-and-fixed (立行立改): a patrol finding closed on the spot, and not
/// reopened since.
pub fn is_found_and_fixed(issue: &Issue) -> bool {
    issue.status == IssueStatus::Closed && issue.closure.is_some_and(|c| c.is_fixed_on_the_spot())
}

/// Ratings from this one up count as satisfied in full.
pub const SATISFIED_FROM: u8 = 4;
/// A rating of exactly this counts 0.9 in the satisfaction rate.
pub const PARTLY_SATISFIED: u8 = 3;

/// Weights of the report formulas (issue texts' defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportWeights {
    pub composite_response: f64,
    pub composite_resolution: f64,
    pub composite_satisfaction: f64,
    pub rating_satisfaction: f64,
    pub rating_on_time: f64,
    pub rating_first_pass: f64,
    pub rating_assessment: f64,
    pub rating_recurrence_penalty: f64,
}

impl Default for ReportWeights {
    fn default() -> Self {
        Self {
            composite_response: 0.1,
            composite_resolution: 0.5,
            composite_satisfaction: 0.4,
            rating_satisfaction: 0.4,
            rating_on_time: 0.3,
            rating_first_pass: 0.15,
            rating_assessment: 0.15,
            rating_recurrence_penalty: 20.0,
        }
    }
}

/// `numerator ÷ denominator`, or `None` when the denominator is 0.
pub fn ratio(numerator: f64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| numerator / denominator as f64)
}

/// 满意率 = (ratings 4–5 + 0.9 × ratings of 3) ÷ rated issues (see [`SATISFIED_FROM`] and
/// [`PARTLY_SATISFIED`]).
pub fn satisfaction_rate(satisfied: i64, rated_three: i64, rated: i64) -> Option<f64> {
    ratio(satisfied as f64 + 0.9 * rated_three as f64, rated)
}

/// composite = 0.1 × response + 0.5 × resolution + 0.4 × satisfaction (configurable weights);
/// `None` when any of the three rates is `None` (a partial composite would not compare).
pub fn composite(
    w: &ReportWeights,
    response: Option<f64>,
    resolution: Option<f64>,
    satisfaction: Option<f64>,
) -> Option<f64> {
    Some(
        w.composite_response * response?
            + w.composite_resolution * resolution?
            + w.composite_satisfaction * satisfaction?,
    )
}

/// What a rate counts as in the score when the company has no data for it: neither a reward
/// nor a penalty — with every component neutral the score is exactly 80 (★4, on no list).
pub const NEUTRAL_RATE: f64 = 0.8;
/// The neutral mean assessment score (0–100), for a company nobody assessed in the period.
pub const NEUTRAL_ASSESSMENT: f64 = 80.0;

/// The components of a property company's rating; `None` where there is no data.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RatingComponents {
    pub satisfaction: Option<f64>,
    pub on_time_rectification: Option<f64>,
    pub committee_first_pass: Option<f64>,
    pub revisit_recurrence: Option<f64>,
    /// Mean daily-work assessment score, 0–100.
    pub mean_assessment: Option<f64>,
}

/// score = 100 × (0.4 sat + 0.3 on-time + 0.15 first-pass) + 0.15 × mean assessment
/// − 20 × recurrence, clamped to 0–100 and rounded to 2 decimals (stars and list are read off
/// the rounded score). Missing components count as [`NEUTRAL_RATE`] / [`NEUTRAL_ASSESSMENT`];
/// a missing recurrence rate as 0 (no revisit, nothing recurred).
pub fn rating_score(w: &ReportWeights, c: &RatingComponents) -> f64 {
    let rate = |r: Option<f64>| r.unwrap_or(NEUTRAL_RATE);
    let raw = 100.0
        * (w.rating_satisfaction * rate(c.satisfaction)
            + w.rating_on_time * rate(c.on_time_rectification)
            + w.rating_first_pass * rate(c.committee_first_pass))
        + w.rating_assessment * c.mean_assessment.unwrap_or(NEUTRAL_ASSESSMENT)
        - w.rating_recurrence_penalty * c.revisit_recurrence.unwrap_or(0.0);
    (raw.clamp(0.0, 100.0) * 100.0).round() / 100.0
}

/// ≥90 ★5, ≥80 ★4, ≥70 ★3, ≥60 ★2, else ★1.
pub fn stars(score: f64) -> u8 {
    match score {
        s if s >= 90.0 => 5,
        s if s >= 80.0 => 4,
        s if s >= 70.0 => 3,
        s if s >= 60.0 => 2,
        _ => 1,
    }
}

/// 红黑榜: `red` for ★5, `black` for a score under 60, else on no list.
pub fn list(score: f64) -> Option<&'static str> {
    if stars(score) == 5 {
        Some("red")
    } else if score < 60.0 {
        Some("black")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-9;

    #[test]
    fn empty_denominators_are_none_not_nan() {
        assert_eq!(ratio(0.0, 0), None);
        assert_eq!(satisfaction_rate(0, 0, 0), None);
        let w = ReportWeights::default();
        assert_eq!(composite(&w, Some(1.0), None, Some(1.0)), None);
    }

    #[test]
    fn satisfaction_counts_a_three_as_nine_tenths() {
        // ratings 5, 4, 3, 2: (2 + 0.9) / 4
        let r = satisfaction_rate(2, 1, 4).unwrap_or_default();
        assert!((r - 0.725).abs() < EPS);
    }

    #[test]
    fn composite_uses_the_weights() {
        let w = ReportWeights::default();
        let c = composite(&w, Some(0.5), Some(0.8), Some(0.9)).unwrap_or_default();
        assert!((c - (0.05 + 0.4 + 0.36)).abs() < EPS);
    }

    #[test]
    fn a_company_without_data_is_neutral() {
        let w = ReportWeights::default();
        let s = rating_score(&w, &RatingComponents::default());
        assert!((s - 80.0).abs() < EPS);
        assert_eq!(stars(s), 4);
        assert_eq!(list(s), None);
    }

    #[test]
    fn scores_are_clamped_and_listed() {
        let w = ReportWeights::default();
        let perfect = RatingComponents {
            satisfaction: Some(1.0),
            on_time_rectification: Some(1.0),
            committee_first_pass: Some(1.0),
            revisit_recurrence: Some(0.0),
            mean_assessment: Some(100.0),
        };
        assert!((rating_score(&w, &perfect) - 100.0).abs() < EPS);
        assert_eq!(list(100.0), Some("red"));
        let awful = RatingComponents {
            satisfaction: Some(0.0),
            on_time_rectification: Some(0.0),
            committee_first_pass: Some(0.0),
            revisit_recurrence: Some(1.0),
            mean_assessment: Some(10.0),
        };
        assert_eq!(rating_score(&w, &awful), 0.0);
        assert_eq!(list(0.0), Some("black"));
        for (score, star) in [
            (90.0, 5),
            (89.99, 4),
            (80.0, 4),
            (70.0, 3),
            (60.0, 2),
            (59.99, 1),
        ] {
            assert_eq!(stars(score), star, "{score}");
        }
        assert_eq!(list(60.0), None);
        assert_eq!(list(59.99), Some("black"));
    }
}
