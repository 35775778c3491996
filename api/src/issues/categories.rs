//! GET /categories: the catalogue of what can be reported, public.

use actix_web::{get, web};
use linli_domain::category::Category;

use crate::{error::Problem, issues::dto::CategoryResponse};

/// The category catalogue, with names in Chinese and English and the default routing.
///
/// Public: the app shows it before anyone logs in.
#[utoipa::path(
    tag = "issues",
    responses(
        (status = 200, description = "Every category", body = Vec<CategoryResponse>,
            example = json!([{"code": "water_leak", "name_zh": "漏水", "name_en": "Water leak",
                "default_level": "property", "default_urgency": "urgent"}])),
        (status = "4XX", description = "Wrong method or path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list_categories() -> web::Json<Vec<CategoryResponse>> {
    web::Json(
        Category::ALL
            .into_iter()
            .map(CategoryResponse::from_domain)
            .collect(),
    )
}
