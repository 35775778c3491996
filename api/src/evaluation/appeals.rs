//! /ratings/{id}/appeals and /rating-appeals/{id}/decision: a company's objection (异议) to a
//! published rating and the district office's decision.

use actix_web::{HttpResponse, get, post, web};
use linli_domain::{auth::Role, evaluation::Components, values::Note};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    application::{
        Application,
        evaluation::appeals::{Appeal, Decision},
    },
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    responses::{DistrictOfficeOnly, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

/// Body of POST /ratings/{id}/appeals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "7月的两件漏水工单已按时整改，系统记录有误，请复核"}))]
pub struct FileAppealRequest {
    /// Why the company objects; 1–2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// What the district office decides.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// Keep the published result.
    Uphold,
    /// Correct the company's components: a new revision is published.
    Amend,
}

/// Corrected component scores, 0–100; those left out stay as published.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendedComponents {
    #[schema(minimum = 0, maximum = 100)]
    pub daily_work: Option<f64>,
    #[schema(minimum = 0, maximum = 100)]
    pub satisfaction: Option<f64>,
    #[schema(minimum = 0, maximum = 100)]
    pub management: Option<f64>,
}

/// Body of POST /rating-appeals/{id}/decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "decision": "amend", "note": "经核实，综合管理得分更正",
    "components": {"management": 60.0}
}))]
pub struct DecideAppealRequest {
    pub decision: AppealOutcome,
    /// The reasons of the decision; 1–2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
    /// With `amend`: at least one corrected component.
    pub components: Option<AmendedComponents>,
}

fn parse_components(raw: AmendedComponents) -> ApiResult<Components> {
    let score = |field: &'static str, v: Option<f64>| match v {
        Some(s) if !(0.0..=100.0).contains(&s) => {
            Err(ApiError::validation(field, "must be from 0 to 100"))
        }
        other => Ok(other.map(|s| (s * 100.0).round() / 100.0)),
    };
    let c = Components {
        daily_work: score("components", raw.daily_work)?,
        satisfaction: score("components", raw.satisfaction)?,
        management: score("components", raw.management)?,
    };
    if c == Components::default() {
        return Err(ApiError::validation(
            "components",
            "an amendment corrects at least one component",
        ));
    }
    Ok(c)
}

/// Object (异议) to a published rating, for the caller's company: property staff, within 7
/// days of publication, one pending appeal per company.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    request_body = FileAppealRequest,
    responses(
        (status = 201, description = "The appeal", body = Appeal),
        (status = 403, description = "Not property staff, or the company is not in the rating (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Past the 7 days, replaced by a later revision, or an appeal is pending (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad reason (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/ratings/{id}/appeals")]
pub async fn file_appeal(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<FileAppealRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::PropertyStaff])?;
    let reason = Note::parse(&body.reason)
        .map_err(|_| ApiError::validation("reason", "must be 1 to 2000 characters"))?
        .into_string();
    let (actor, id) = (caller.actor, id.into_inner());
    let appeal = state
        .call(move |app| app.file_appeal(&actor, id, reason))
        .await?;
    Ok(HttpResponse::Created().json(appeal))
}

/// The appeals against a rating run: the district office and auditors all, a company's staff
/// their own.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    responses(
        (status = 200, description = "Appeals, by id", body = [Appeal]),
        (status = 403, description = "Not the district office, an auditor or property staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/ratings/{id}/appeals")]
pub async fn list_appeals(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<Appeal>>> {
    state.read_as(caller, id, Application::list_appeals).await
}

/// Decide a pending appeal (district office): `uphold` keeps the result; `amend` corrects the
/// company's components and publishes the next revision of the quarter (grade, stars and list
/// recomputed with the scheme the rating used; the replaced revision stays in the history).
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = DecideAppealRequest,
    responses(
        (status = 200, description = "The decided appeal", body = Appeal),
        DistrictOfficeOnly,
        (status = 409, description = "Already decided, or the rating was replaced meanwhile (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad note or components (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/rating-appeals/{id}/decision")]
pub async fn decide_appeal(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<DecideAppealRequest>,
) -> ApiResult<web::Json<Appeal>> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let note = Note::parse(&body.note)
        .map_err(|_| ApiError::validation("note", "must be 1 to 2000 characters"))?
        .into_string();
    let decision = match body.decision {
        AppealOutcome::Uphold => Decision::Uphold { note },
        AppealOutcome::Amend => Decision::Amend {
            note,
            components: parse_components(body.components.unwrap_or_default())?,
        },
    };
    let (by, id) = (caller.user_id(), id.into_inner());
    let appeal = state
        .call(move |app| app.decide_appeal(by, id, decision))
        .await?;
    Ok(web::Json(appeal))
}
