//! The demo's evaluation cycle: the district office's scheme for the year; for each of the two
//! last full quarters, itemised monthly daily-work assessments, a closed satisfaction survey
//! with every verified resident's answers, and the rating computed from the demo history and
//! published (红黑榜, on every notice board); then a pending appeal against the latest, and
//! rectification orders to the black-listed companies (the older one refused: a replacement
//! candidate; the latest accepted with a plan).

use std::collections::BTreeSet;

use chrono::Duration;
use linli_domain::{
    Timestamp,
    evaluation::{AppealStatus, AssessmentScheme, Grade, ItemScore, SchemeSpec},
    ids::PropertyCompanyId,
    period::{DistrictTz, Month, Quarter, TimeRange},
    rectification::OrderItems,
    survey::{Question, QuestionKind, Questionnaire, RawAnswer},
};
use linli_infra::{
    DbConn,
    repo::{
        assessment_schemes, assessments,
        ratings::{self, NewAppeal},
        reports::Window,
        surveys::{self, NewSurvey},
    },
    time::to_millis,
};

use super::{SeedResult, district::DemoDistrict, fail};
use crate::application::evaluation::{
    orders::{CompanyAnswer, OrderDraft, answer_order, issue_order},
    ratings::{CompanyRating, compute_draft, publish_draft},
};

/// How each company (in the order of their ids) looked after its compounds: one well, one
/// adequately, one badly (the seed reports' 红榜 and 黑榜). Checklist points per item, and the
/// survey's two ratings.
const DAILY_WORK: [[u32; 5]; 3] = [[25, 19, 24, 15, 15], [21, 17, 21, 12, 13], [6, 5, 7, 4, 3]];
const SURVEY_RATINGS: [(i64, i64); 3] = [(5, 5), (4, 4), (2, 1)];

/// Seed the cycle for the two quarters before the one `now` is in.
pub fn seed(conn: &mut DbConn, d: &DemoDistrict, now: Timestamp, tz: DistrictTz) -> SeedResult<()> {
    let Some(current) = Quarter::containing(now, tz) else {
        return Ok(());
    };
    let Some(last) = current.previous() else {
        return Ok(());
    };
    let office = d.district_office.ok_or("no district office")?;
    let at = to_millis(now);
    // A small district: two survey answers per company are enough to rate it.
    let mut spec = SchemeSpec::default();
    spec.min_samples.survey_responses = 2;
    let scheme = AssessmentScheme::parse(spec).map_err(fail)?;
    let quarters: Vec<Quarter> = last.previous().into_iter().chain([last]).collect();
    let years: BTreeSet<i32> = quarters
        .iter()
        .map(|q| q.year())
        .chain([current.year()])
        .collect();
    for year in years {
        assessment_schemes::insert(conn, year, &scheme, office.user_id.0, at).map_err(fail)?;
    }
    let mut runs = Vec::new();
    for quarter in quarters {
        runs.push(seed_quarter(conn, d, &scheme, quarter, now)?);
    }
    consequences(conn, d, &runs, now)
}

/// One quarter: assessments, a closed survey and its answers, the rating published.
fn seed_quarter(
    conn: &mut DbConn,
    d: &DemoDistrict,
    scheme: &AssessmentScheme,
    quarter: Quarter,
    now: Timestamp,
) -> SeedResult<(i64, Vec<CompanyRating>)> {
    let tz = DistrictTz::default();
    let office = d.district_office.ok_or("no district office")?;
    let range = TimeRange::of_quarter(quarter, tz);
    let end = range.to() - Duration::milliseconds(1);
    let companies: BTreeSet<i64> = d.compounds.iter().map(|c| c.company_at(end)).collect();
    let rank = |company: i64| {
        companies
            .iter()
            .position(|id| *id == company)
            .unwrap_or(0)
            .min(DAILY_WORK.len() - 1)
    };
    let period = quarter.as_string();
    let (first_month, _) = quarter.dates();
    for c in &d.compounds {
        let company = c.company_at(end);
        let official = d
            .officials
            .get(&c.community_id)
            .ok_or("no community official")?;
        for k in 0..3 {
            let month = first_month
                .checked_add_months(chrono::Months::new(k))
                .and_then(Month::of_date)
                .ok_or("month out of range")?;
            let mut items: Vec<ItemScore> = scheme
                .spec()
                .checklist
                .iter()
                .zip(DAILY_WORK[rank(company)])
                .map(|(item, points)| ItemScore {
                    key: item.key.clone(),
                    points: points.min(item.max_points),
                    notes: format!("{}：月度检查", item.name),
                })
                .collect();
            let score = scheme.score_items(&mut items).map_err(fail)?;
            let items = serde_json::to_string(&items).map_err(fail)?;
            let (_, month_end) = month.bounds(tz);
            assessments::insert(
                conn,
                &assessments::NewAssessment {
                    property_company_id: company,
                    compound_id: c.id,
                    period: &period,
                    score: i32::try_from(score).map_err(fail)?,
                    notes: "月度日常工作考核：环境卫生、秩序维护、设施设备、绿化养护、服务态度",
                    assessor_id: official.user_id.0,
                    created_at: to_millis(month_end - Duration::days(1)),
                    month: Some(&month.as_string()),
                    items: Some(&items),
                },
            )
            .map_err(fail)?;
        }
    }

    // The quarter's survey, open its last three weeks and closed since.
    let questions = survey_questions()?;
    let survey = surveys::insert(
        conn,
        &NewSurvey {
            title: &format!("{period} 物业服务满意度调查"),
            period: &period,
            questions: &serde_json::to_string(questions.questions()).map_err(fail)?,
            opens_at: to_millis(range.to() - Duration::days(21)),
            closes_at: to_millis(range.to()),
            community_id: None,
            created_by: office.user_id.0,
            created_at: to_millis(range.to() - Duration::days(22)),
        },
        &d.compounds
            .iter()
            .map(|c| (c.id, c.company_at(end)))
            .collect::<Vec<_>>(),
    )
    .map_err(fail)?;
    for c in &d.compounds {
        let company = c.company_at(end);
        let (overall, service) = SURVEY_RATINGS[rank(company)];
        for (k, resident) in d.residents.get(&c.id).into_iter().flatten().enumerate() {
            let mut raw = std::collections::BTreeMap::from([
                ("overall".to_owned(), RawAnswer::Number(overall)),
                ("service".to_owned(), RawAnswer::Number(service)),
                (
                    "fee".to_owned(),
                    RawAnswer::Text(if overall >= 4 { "合理" } else { "偏高" }.into()),
                ),
            ]);
            if k == 0 {
                let advice = if overall >= 4 {
                    "希望继续保持，多组织邻里活动"
                } else {
                    "报修总是拖很久，楼道堆物没人管"
                };
                raw.insert("advice".to_owned(), RawAnswer::Text(advice.into()));
            }
            let sheet = questions.parse_answers(raw).map_err(fail)?;
            surveys::record_respondent(conn, survey.id, resident.actor.user_id.0).map_err(fail)?;
            surveys::insert_response(
                conn,
                survey.id,
                c.id,
                company,
                &serde_json::to_string(&sheet).map_err(fail)?,
            )
            .map_err(fail)?;
        }
    }

    let window = Window {
        from: to_millis(range.from()),
        to: to_millis(range.to()),
        now: to_millis(now),
    };
    let draft = compute_draft(conn, office.user_id, quarter, window)?;
    publish_draft(conn, office.user_id, draft.id, to_millis(now))?;
    let results: Vec<CompanyRating> = serde_json::from_str(&draft.results).map_err(fail)?;
    Ok((draft.id, results))
}

fn survey_questions() -> SeedResult<Questionnaire> {
    let q = |id: &str, text: &str, kind, options: Option<&[&str]>| Question {
        id: id.to_owned(),
        text: text.to_owned(),
        kind,
        options: options.map(|o| o.iter().map(|s| (*s).to_owned()).collect()),
    };
    Questionnaire::parse(vec![
        q(
            "overall",
            "您对小区物业服务总体是否满意？",
            QuestionKind::Rating1To5,
            None,
        ),
        q(
            "service",
            "您对报修响应和处理是否满意？",
            QuestionKind::Rating1To5,
            None,
        ),
        q(
            "fee",
            "您认为物业费标准是否合理？",
            QuestionKind::SingleChoice,
            Some(&["合理", "偏高", "偏低"]),
        ),
        q(
            "advice",
            "您对物业服务还有什么建议？",
            QuestionKind::Text,
            None,
        ),
    ])
    .map_err(fail)
}

/// What follows publication: orders to the 较差 companies (the older quarter's refused, the
/// latest's accepted) and the latest black-listed company's pending appeal.
fn consequences(
    conn: &mut DbConn,
    d: &DemoDistrict,
    runs: &[(i64, Vec<CompanyRating>)],
    now: Timestamp,
) -> SeedResult<()> {
    let office = d.district_office.ok_or("no district office")?;
    let items = OrderItems::parse(vec![
        "一个月内清理全部楼道堆物，保持消防通道畅通".to_owned(),
        "逾期未办结工单两周内全部办结并回访".to_owned(),
        "每周公示报修处理情况".to_owned(),
    ])
    .map_err(fail)?;
    let latest = runs.len().saturating_sub(1);
    for (i, (run, companies)) in runs.iter().enumerate() {
        for poor in companies.iter().filter(|c| c.grade == Grade::Poor) {
            let Some(staff) = d.property_staff.get(&poor.property_company_id) else {
                continue;
            };
            let order = issue_order(
                conn,
                office.user_id,
                &OrderDraft {
                    run_id: *run,
                    property_company: PropertyCompanyId(poor.property_company_id),
                    items: items.clone(),
                    due_at: now + Duration::days(30),
                },
                now,
            )?;
            let answer = if i == latest {
                CompanyAnswer::Accept {
                    plan: "成立整改专班，按月向社区和业委会报告进度".to_owned(),
                }
            } else {
                CompanyAnswer::Refuse {
                    note: "我司认为考核口径有误，不予整改".to_owned(),
                }
            };
            answer_order(conn, staff.user_id, order.id, &answer, to_millis(now))?;
            if i == latest {
                ratings::insert_appeal(
                    conn,
                    &NewAppeal {
                        run_id: *run,
                        property_company_id: poor.property_company_id,
                        reason: "本季度多件工单因业主不在家延误，请复核综合管理得分",
                        filed_by: staff.user_id.0,
                        filed_at: to_millis(now),
                        status: AppealStatus::Pending.as_str(),
                    },
                )
                .map_err(fail)?;
            }
        }
    }
    Ok(())
}
