//! /surveys: satisfaction surveys (社会满意度调查) — set by the district office or a community,
//! answered once by each verified resident of a surveyed compound, tallied anonymously.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    ids::CompoundId,
    period::Quarter,
    survey::{Question, Questionnaire, RawAnswer},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::{
        Application,
        evaluation::surveys::{MAX_SURVEY_COMPOUNDS, Survey, SurveyDraft, SurveyResults},
    },
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    pagination::{Page, PageParams},
    responses::{InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

/// Body of POST /surveys.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "2026年第三季度物业服务满意度调查", "period": "2026Q3", "compound_ids": [1, 2],
    "opens_at": "2026-09-01T00:00:00+08:00", "closes_at": "2026-09-21T00:00:00+08:00",
    "questions": [
        {"id": "overall", "text": "您对小区物业服务总体是否满意？", "kind": "rating_1_5"},
        {"id": "fee", "text": "您认为物业费标准是否合理？", "kind": "single_choice", "options": ["合理", "偏高", "偏低"]},
        {"id": "advice", "text": "您对物业服务还有什么建议？", "kind": "text"}
    ]
}))]
pub struct CreateSurveyRequest {
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// The quarter whose rating the answers feed, `YYYYQn`.
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
    /// 1–200 compounds; a community official's must be of their community.
    pub compound_ids: Vec<i64>,
    pub opens_at: DateTime<Utc>,
    /// After `opens_at`.
    pub closes_at: DateTime<Utc>,
    /// 1–30 questions with unique ids, at least one `rating_1_5`.
    pub questions: Vec<Question>,
}

impl CreateSurveyRequest {
    fn parse(self) -> ApiResult<SurveyDraft> {
        let title = self.title.trim().to_owned();
        if !(1..=100).contains(&title.chars().count()) {
            return Err(ApiError::validation("title", "must be 1 to 100 characters"));
        }
        let mut compound_ids = self.compound_ids;
        compound_ids.sort_unstable();
        compound_ids.dedup();
        if compound_ids.is_empty() || compound_ids.len() > MAX_SURVEY_COMPOUNDS {
            return Err(ApiError::validation(
                "compound_ids",
                format!("1 to {MAX_SURVEY_COMPOUNDS} compounds"),
            ));
        }
        if self.closes_at <= self.opens_at {
            return Err(ApiError::validation("closes_at", "must be after opens_at"));
        }
        Ok(SurveyDraft {
            title,
            period: Quarter::parse(&self.period)?,
            compound_ids: compound_ids.into_iter().map(CompoundId).collect(),
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            questions: Questionnaire::parse(self.questions)?,
        })
    }
}

/// Body of POST /surveys/{id}/responses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"overall": 4, "fee": "合理", "advice": "希望增加夜间巡逻"}}))]
pub struct AnswerSurveyRequest {
    /// By question id: 1–5 for `rating_1_5`, one of the options for `single_choice`, text
    /// (optional, at most 500 characters) for `text`.
    pub answers: BTreeMap<String, RawAnswer>,
}

/// What answering returns: nothing that names the resident.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyAnswered {
    pub survey_id: i64,
    pub answered: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SurveyListQuery {
    /// Only the surveys open for answers now.
    pub open: Option<bool>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

pub type SurveyPage = Page<Survey>;

/// Set a satisfaction survey (社会满意度调查) of a quarter over some compounds: the district
/// office anywhere, a community official over the compounds of their community.
#[utoipa::path(
    tag = "evaluation",
    request_body = CreateSurveyRequest,
    responses(
        (status = 201, description = "The survey", body = Survey),
        (status = 403, description = "Not the district office or a community official, or a compound outside the official's community (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad title, period, time window, compound or question (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/surveys")]
pub async fn create_survey(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CreateSurveyRequest>,
) -> ApiResult<HttpResponse> {
    let draft = body.into_inner().parse()?;
    let actor = caller.actor;
    let survey = state
        .call(move |app| app.create_survey(&actor, draft))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/surveys/{}", survey.id)))
        .json(survey))
}

/// The surveys the caller sees, newest first; `open=true`: only those open now. A resident
/// sees their compound's (with `answered`), property staff their company's compounds',
/// community officials their community's, the district office and auditors all.
#[utoipa::path(
    tag = "evaluation",
    params(SurveyListQuery),
    responses(
        (status = 200, description = "One page of surveys", body = SurveyPage),
        (status = 403, description = "A role surveys are not for (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/surveys")]
pub async fn list_surveys(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<SurveyListQuery>,
) -> ApiResult<web::Json<SurveyPage>> {
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let open = query.open.unwrap_or(false);
    state
        .page_as(caller, page, open, |s| s.id, Application::list_surveys)
        .await
}

/// One survey, as in the list.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The survey", body = Survey),
        (status = 403, description = "A role surveys are not for (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/surveys/{id}")]
pub async fn get_survey(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Survey>> {
    state.read_as(caller, id, Application::survey).await
}

/// Answer a survey, once: a verified resident (业主认证) of a surveyed compound while it is
/// open. The answers are stored without the resident's id.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = AnswerSurveyRequest,
    responses(
        (status = 201, description = "Answered", body = SurveyAnswered),
        (status = 403, description = "Not a resident (`forbidden`), or not verified (`verification_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered, or not open now (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Answers that do not fit the questions (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/surveys/{id}/responses")]
pub async fn answer_survey(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<AnswerSurveyRequest>,
) -> ApiResult<HttpResponse> {
    let (actor, id) = (caller.actor, id.into_inner());
    let answers = body.into_inner().answers;
    state
        .call(move |app| app.answer_survey(&actor, id, answers))
        .await?;
    Ok(HttpResponse::Created().json(SurveyAnswered {
        survey_id: id,
        answered: true,
    }))
}

/// A survey's results per compound and per property company: invitations (verified
/// residents), responses, response rate, mean and distribution per question, satisfaction
/// rate. Anonymous. The district office and auditors see every compound, a community
/// official their community's, property staff their company's without free text.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The results", body = SurveyResults),
        (status = 403, description = "Residents and other roles (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/surveys/{id}/results")]
pub async fn survey_results(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<SurveyResults>> {
    state.read_as(caller, id, Application::survey_results).await
}
