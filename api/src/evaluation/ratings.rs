//! /ratings: the district office's rating runs of a quarter, their publication (红黑榜 公示)
//! and the published results everyone signed in may read.

use actix_web::{HttpResponse, get, http::header, post, web};
use linli_domain::{auth::Role, period::Quarter};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::{Application, evaluation::ratings::RatingRun},
    auth::Caller,
    error::{ApiResult, Problem},
    responses::{DistrictOfficeOnly, InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

/// Body of POST /ratings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"period": "2026Q3"}))]
pub struct ComputeRatingRequest {
    /// The quarter, `YYYYQn`, cut in the district's time zone.
    #[schema(pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublishedFilter {
    /// The quarter, `YYYYQn`.
    #[param(example = "2026Q3", pattern = r"^[0-9]{4}Q[1-4]$")]
    pub period: String,
}

/// Compute a draft rating of a quarter for every property company, with the latest scheme of
/// its year: the three components with their inputs and samples, score, 等次, stars, list.
/// District office only; a draft is seen by the office and auditors.
#[utoipa::path(
    tag = "evaluation",
    request_body = ComputeRatingRequest,
    responses(
        (status = 201, description = "The draft", body = RatingRun),
        DistrictOfficeOnly,
        (status = 422, description = "A bad period, or no scheme for its year (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/ratings")]
pub async fn compute_rating(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<ComputeRatingRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::DistrictOffice])?;
    let quarter = Quarter::parse(&body.period)?;
    let author = caller.user_id();
    let run = state
        .call(move |app| {
            let tz = app.config.workflow.time_zone;
            app.compute_rating(author, quarter, tz)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/ratings/{}", run.id)))
        .json(run))
}

/// The current published rating of a quarter (红黑榜), for anyone signed in: a resident's own
/// compound's company first; the breakdown (inputs) only for the district office, auditors
/// and the company's own staff. `revisions` is the history of amendments.
#[utoipa::path(
    tag = "evaluation",
    params(PublishedFilter),
    responses(
        (status = 200, description = "The published rating", body = RatingRun),
        (status = 404, description = "Nothing published for the quarter (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad period (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/ratings/published")]
pub async fn published_rating(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<PublishedFilter>,
) -> ApiResult<web::Json<RatingRun>> {
    let quarter = Quarter::parse(&query.period)?;
    let viewer = caller.actor;
    let run = state
        .call(move |app| app.published_rating(&viewer, quarter))
        .await?;
    Ok(web::Json(run))
}

/// A rating run: the district office and auditors see drafts too; everyone else published
/// revisions, with the breakdowns they may see.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    responses(
        (status = 200, description = "The run", body = RatingRun),
        Unauthenticated, NotFound,
    )
)]
#[get("/ratings/{id}")]
pub async fn get_rating(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<RatingRun>> {
    state.read_as(caller, id, Application::rating_run).await
}

/// Publish a draft (公示) as revision 1 of its quarter: from now on it is frozen; later cases
/// and scheme changes never change it. District office only.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    responses(
        (status = 200, description = "The published run", body = RatingRun),
        DistrictOfficeOnly,
        (status = 409, description = "Already published, or the quarter already has a published rating (`conflict`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[post("/ratings/{id}/publish")]
pub async fn publish_rating(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<RatingRun>> {
    caller.require(&[Role::DistrictOffice])?;
    let (author, id) = (caller.user_id(), id.into_inner());
    let run = state
        .call(move |app| app.publish_rating(author, id))
        .await?;
    Ok(web::Json(run))
}
