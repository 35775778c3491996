//! GET /categories: the catalogue of what can be reported, public; with `compound_id`, each
//! category with the outage notices in force there that cover it (a token is needed then).

use actix_web::{FromRequest, HttpRequest, dev::Payload, get, web};
use linli_domain::{category::Category, ids::CompoundId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiResult, Problem},
    issues::dto::CategoryResponse,
    notices::OutageNoticeBrief,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CategoriesQuery {
    /// The compound about to be reported on: adds to each category the outage notices in
    /// force there that cover it. Needs the bearer token of a resident of the compound or of
    /// staff whose scope covers it.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub compound_id: Option<CompoundId>,
}

/// A category, with the outage notices in force in the compound that cover it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "water_leak", "name_zh": "漏水", "name_en": "Water leak",
    "default_level": "property", "default_urgency": "urgent",
    "notices": [{"id": 4, "title": "停水通知", "expires_at": "2026-11-24T18:00:00+08:00"}]}))]
pub struct CompoundCategoryResponse {
    #[serde(flatten)]
    pub category: CategoryResponse,
    /// 停水停电、电梯停运 notices covering this category, soonest end first (empty: none).
    pub notices: Vec<OutageNoticeBrief>,
}

/// The catalogue, or (with `compound_id`) the catalogue for one compound.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum CategoryList {
    Catalogue(Vec<CategoryResponse>),
    ForCompound(Vec<CompoundCategoryResponse>),
}

/// The category catalogue, with names in Chinese and English and the default routing.
///
/// Public without `compound_id`: the app shows it before anyone logs in. With `compound_id`
/// (a token of a resident of the compound, or of staff whose scope covers it; anyone else,
/// and an unknown compound, is `not_found`) each category carries the outage notices in force
/// there that cover it, so the filing screen can show "停水通知：14:00-18:00" before a
/// resident reports no water.
#[utoipa::path(
    tag = "issues",
    params(CategoriesQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Every category (with `compound_id`: each with its outage notices)", body = CategoryList,
            example = json!([{"code": "water_leak", "name_zh": "漏水", "name_en": "Water leak",
                "default_level": "property", "default_urgency": "urgent"}])),
        (status = 401, description = "`compound_id` without a valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such compound, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Wrong method or path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list_categories(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CategoriesQuery>,
) -> ApiResult<web::Json<CategoryList>> {
    let catalogue = || Category::ALL.into_iter().map(CategoryResponse::from_domain);
    let Some(compound) = query.into_inner().compound_id else {
        return Ok(web::Json(CategoryList::Catalogue(catalogue().collect())));
    };
    let actor = Caller::from_request(&req, &mut Payload::None).await?.actor;
    let outages = state
        .call(move |app| app.outage_notices(&actor, compound))
        .await?;
    Ok(web::Json(CategoryList::ForCompound(
        catalogue()
            .map(|category| CompoundCategoryResponse {
                notices: outages
                    .iter()
                    .filter(|o| o.categories.iter().any(|c| c == category.code.as_str()))
                    .map(|o| OutageNoticeBrief::of(o, state.config.workflow.time_zone))
                    .collect(),
                category,
            })
            .collect(),
    )))
}
