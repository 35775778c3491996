//! Satisfaction surveys (社会满意度调查): what makes a questionnaire and an answer sheet whole,
//! and the anonymous tally of the answers (per compound, per company). Pure functions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{DomainError, report};

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuestionKind {
    /// 1 (very dissatisfied) to 5 (very satisfied); these make the satisfaction rate.
    #[serde(rename = "rating_1_5")]
    Rating1To5,
    /// One of the question's `options`.
    SingleChoice,
    /// Free text, up to 500 characters; never shown to the rated company.
    Text,
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable key, `[a-z0-9_]`, 1–40 characters, unique in the survey.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z0-9_]{1,40}$"))]
    pub id: String,
    /// The question, 1–200 characters, e.g. 您对小区环境卫生是否满意？
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub text: String,
    pub kind: QuestionKind,
    /// `single_choice` only: 2–10 distinct options of 1–50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
}

/// Most questions in a survey.
pub const MAX_QUESTIONS: usize = 30;
/// Longest free-text answer, in characters.
pub const MAX_TEXT_ANSWER: usize = 500;

fn key_ok(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A valid questionnaire: 1–30 questions with unique ids, at least one `rating_1_5`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Questionnaire(Vec<Question>);

impl Questionnaire {
    pub fn parse(questions: Vec<Question>) -> Result<Self, DomainError> {
        let invalid = |m: String| DomainError::invalid("questions", m);
        if questions.is_empty() || questions.len() > MAX_QUESTIONS {
            return Err(invalid(format!("must have 1 to {MAX_QUESTIONS} questions")));
        }
        for (i, q) in questions.iter().enumerate() {
            let text_len = q.text.trim().chars().count();
            if !key_ok(&q.id) || !(1..=200).contains(&text_len) {
                return Err(invalid(format!(
                    "question {i}: id [a-z0-9_]{{1,40}}, text 1–200 characters"
                )));
            }
            if questions[..i].iter().any(|o| o.id == q.id) {
                return Err(invalid(format!("id `{}` appears twice", q.id)));
            }
            match (q.kind, &q.options) {
                (QuestionKind::SingleChoice, Some(options)) => {
                    let lengths_ok = options
                        .iter()
                        .all(|o| (1..=50).contains(&o.trim().chars().count()));
                    let distinct = options
                        .iter()
                        .enumerate()
                        .all(|(j, o)| !options[..j].contains(o));
                    if !(2..=10).contains(&options.len()) || !lengths_ok || !distinct {
                        return Err(invalid(format!(
                            "question {i}: 2 to 10 distinct options of 1–50 characters"
                        )));
                    }
                }
                (QuestionKind::SingleChoice, None) => {
                    return Err(invalid(format!(
                        "question {i}: single_choice needs options"
                    )));
                }
                (_, Some(_)) => {
                    return Err(invalid(format!(
                        "question {i}: only single_choice questions have options"
                    )));
                }
                (_, None) => {}
            }
        }
        if !questions.iter().any(|q| q.kind == QuestionKind::Rating1To5) {
            return Err(invalid(
                "at least one rating_1_5 question (the satisfaction rate)".into(),
            ));
        }
        Ok(Self(questions))
    }

    pub fn questions(&self) -> &[Question] {
        &self.0
    }

    /// A resident's answers: every rating and choice question answered, text optional;
    /// nothing that is not a question.
    pub fn parse_answers(
        &self,
        raw: BTreeMap<String, RawAnswer>,
    ) -> Result<AnswerSheet, DomainError> {
        let invalid = |m: String| DomainError::invalid("answers", m);
        if let Some(unknown) = raw.keys().find(|k| !self.0.iter().any(|q| &q.id == *k)) {
            return Err(invalid(format!(
                "`{unknown}` is not a question of this survey"
            )));
        }
        let mut sheet = BTreeMap::new();
        for q in &self.0 {
            let answer = match (q.kind, raw.get(&q.id)) {
                (QuestionKind::Text, None) => continue,
                (_, None) => return Err(invalid(format!("`{}` must be answered", q.id))),
                (QuestionKind::Rating1To5, Some(RawAnswer::Number(n))) if (1..=5).contains(n) => {
                    RawAnswer::Number(*n)
                }
                (QuestionKind::SingleChoice, Some(RawAnswer::Text(t)))
                    if q.options.as_ref().is_some_and(|o| o.contains(t)) =>
                {
                    RawAnswer::Text(t.clone())
                }
                (QuestionKind::Text, Some(RawAnswer::Text(t)))
                    if t.chars().count() <= MAX_TEXT_ANSWER =>
                {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    RawAnswer::Text(t.to_owned())
                }
                (kind, Some(_)) => {
                    let expected = match kind {
                        QuestionKind::Rating1To5 => "an integer from 1 to 5",
                        QuestionKind::SingleChoice => "one of its options",
                        QuestionKind::Text => "text of up to 500 characters",
                    };
                    return Err(invalid(format!("`{}` must be {expected}", q.id)));
                }
            };
            sheet.insert(q.id.clone(), answer);
        }
        Ok(AnswerSheet(sheet))
    }
}

/// An answer as sent and stored: a number (ratings) or a string (an option, free text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RawAnswer {
    Number(i64),
    Text(String),
}

/// A resident's valid answers, by question id. Carries no one's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswerSheet(BTreeMap<String, RawAnswer>);

impl AnswerSheet {
    pub fn get(&self, question: &str) -> Option<&RawAnswer> {
        self.0.get(question)
    }
}

/// The tally of one question over some answer sheets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionTally {
    pub id: String,
    pub kind: QuestionKind,
    /// How many sheets answer it.
    pub answered: i64,
    /// `rating_1_5`: the mean rating, 2 decimals; null otherwise or without answers.
    pub mean: Option<f64>,
    /// `rating_1_5`: answers per rating "1"…"5"; `single_choice`: per option; empty for text.
    pub distribution: BTreeMap<String, i64>,
    /// `text`: the answers, in no particular order and with nobody's name; null when the
    /// viewer may not read free text (the rated company's staff).
    pub texts: Option<Vec<String>>,
}

/// The anonymous tally of some answer sheets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub responses: i64,
    /// Rating answers of 4–5, of 3, and all rating answers: the satisfaction rate's terms.
    pub satisfied: i64,
    pub rated_three: i64,
    pub rated: i64,
    /// (4–5 + 0.9 × 3) ÷ rating answers, 0–1, 4 decimals; null without rating answers.
    pub satisfaction_rate: Option<f64>,
    pub questions: Vec<QuestionTally>,
}

impl Tally {
    /// Drop every free-text answer (for the rated company's staff).
    pub fn without_texts(mut self) -> Self {
        for q in &mut self.questions {
            q.texts = None;
        }
        self
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Tally `sheets` for `questionnaire`.
pub fn tally<'a>(
    questionnaire: &Questionnaire,
    sheets: impl IntoIterator<Item = &'a AnswerSheet>,
) -> Tally {
    let sheets: Vec<&AnswerSheet> = sheets.into_iter().collect();
    let (mut satisfied, mut rated_three, mut rated) = (0, 0, 0);
    let questions = questionnaire
        .questions()
        .iter()
        .map(|q| {
            let answers: Vec<&RawAnswer> = sheets.iter().filter_map(|s| s.get(&q.id)).collect();
            let mut distribution = BTreeMap::new();
            let mut sum = 0i64;
            let mut texts = Vec::new();
            match q.kind {
                QuestionKind::Rating1To5 => {
                    for r in 1..=5 {
                        distribution.insert(r.to_string(), 0);
                    }
                }
                QuestionKind::SingleChoice => {
                    for o in q.options.iter().flatten() {
                        distribution.insert(o.clone(), 0);
                    }
                }
                QuestionKind::Text => {}
            }
            for a in &answers {
                match (q.kind, a) {
                    (QuestionKind::Rating1To5, RawAnswer::Number(n)) => {
                        sum += n;
                        rated += 1;
                        if *n >= i64::from(report::SATISFIED_FROM) {
                            satisfied += 1;
                        } else if *n == i64::from(report::PARTLY_SATISFIED) {
                            rated_three += 1;
                        }
                        *distribution.entry(n.to_string()).or_insert(0) += 1;
                    }
                    (QuestionKind::SingleChoice, RawAnswer::Text(t)) => {
                        *distribution.entry(t.clone()).or_insert(0) += 1;
                    }
                    (QuestionKind::Text, RawAnswer::Text(t)) => texts.push(t.clone()),
                    _ => {}
                }
            }
            let answered = answers.len() as i64;
            QuestionTally {
                id: q.id.clone(),
                kind: q.kind,
                answered,
                mean: (q.kind == QuestionKind::Rating1To5 && answered > 0)
                    .then(|| round(sum as f64 / answered as f64, 2)),
                distribution,
                texts: (q.kind == QuestionKind::Text).then(|| {
                    texts.sort();
                    texts
                }),
            }
        })
        .collect();
    Tally {
        responses: sheets.len() as i64,
        satisfied,
        rated_three,
        rated,
        satisfaction_rate: report::satisfaction_rate(satisfied, rated_three, rated)
            .map(|r| round(r, 4)),
        questions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, kind: QuestionKind, options: Option<&[&str]>) -> Question {
        Question {
            id: id.into(),
            text: "问题".into(),
            kind,
            options: options.map(|o| o.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn survey() -> Questionnaire {
        Questionnaire::parse(vec![
            q("overall", QuestionKind::Rating1To5, None),
            q("fee", QuestionKind::SingleChoice, Some(&["合理", "偏高"])),
            q("advice", QuestionKind::Text, None),
        ])
        .unwrap()
    }

    fn sheet(pairs: &[(&str, RawAnswer)]) -> AnswerSheet {
        survey()
            .parse_answers(pairs.iter().cloned().map(|(k, v)| (k.into(), v)).collect())
            .unwrap()
    }

    #[test]
    fn bad_questionnaires_are_refused() {
        use QuestionKind::*;
        for bad in [
            vec![],
            vec![q("a", Text, None)],
            vec![q("a", Rating1To5, None), q("a", Rating1To5, None)],
            vec![q("A", Rating1To5, None)],
            vec![q("a", Rating1To5, Some(&["x", "y"]))],
            vec![q("a", Rating1To5, None), q("b", SingleChoice, None)],
            vec![q("a", Rating1To5, None), q("b", SingleChoice, Some(&["x"]))],
            vec![
                q("a", Rating1To5, None),
                q("b", SingleChoice, Some(&["x", "x"])),
            ],
        ] {
            assert!(Questionnaire::parse(bad.clone()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn answers_must_fit_their_questions() {
        let s = survey();
        let n = RawAnswer::Number;
        let t = |x: &str| RawAnswer::Text(x.into());
        for bad in [
            vec![("fee", t("合理"))],
            vec![("overall", n(6)), ("fee", t("合理"))],
            vec![("overall", n(0)), ("fee", t("合理"))],
            vec![("overall", t("5")), ("fee", t("合理"))],
            vec![("overall", n(5)), ("fee", t("免费"))],
            vec![("overall", n(5)), ("fee", t("合理")), ("other", n(1))],
            vec![("overall", n(5)), ("fee", t("合理")), ("advice", n(1))],
        ] {
            let raw = bad.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            assert!(s.parse_answers(raw).is_err());
        }
    }

    #[test]
    fn the_tally_counts_by_hand() {
        let n = RawAnswer::Number;
        let t = |x: &str| RawAnswer::Text(x.into());
        let sheets = [
            sheet(&[
                ("overall", n(5)),
                ("fee", t("合理")),
                ("advice", t("多修剪绿化")),
            ]),
            sheet(&[("overall", n(3)), ("fee", t("偏高")), ("advice", t("  "))]),
            sheet(&[("overall", n(2)), ("fee", t("偏高"))]),
        ];
        let tally = tally(&survey(), &sheets);
        assert_eq!(tally.responses, 3);
        assert_eq!((tally.satisfied, tally.rated_three, tally.rated), (1, 1, 3));
        // (1 + 0.9) / 3 = 0.6333…
        assert_eq!(tally.satisfaction_rate, Some(0.6333));
        let overall = &tally.questions[0];
        assert_eq!(overall.mean, Some(3.33));
        assert_eq!(overall.distribution["5"], 1);
        assert_eq!(overall.distribution["1"], 0);
        assert_eq!(tally.questions[1].distribution["偏高"], 2);
        let advice = &tally.questions[2];
        assert_eq!(advice.answered, 1);
        assert_eq!(
            advice.texts.as_deref(),
            Some(&["多修剪绿化".to_owned()][..])
        );
        assert_eq!(tally.without_texts().questions[2].texts, None);
    }
}
