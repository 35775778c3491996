//! POST /issues/{id}/rectification: the fix (物业整改) and its evidence.

use actix_web::{HttpResponse, post, web};
use linli_domain::ids::PhotoId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
pub use crate::application::issues::rectification::MAX_RECTIFICATION_PHOTOS;
use crate::application::issues::rectification::RectificationInput;
use crate::error::{ApiError, ApiResult, Problem};
use crate::issues::dto::IssueResponse;
use crate::issues::http::{Step, Target, note};
use crate::responses::StepErrors;
use crate::state::AppState;

/// Body of POST /issues/{id}/rectification: the fix (整改) and its evidence.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notes": "已更换车库顶板防水层，积水已清理", "photo_ids": [3, 4]}))]
pub struct SubmitRectificationRequest {
    /// What was done.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
    /// Evidence: photos uploaded to this issue (POST /issues/{id}/photos), at most 9.
    #[serde(default)]
    #[schema(max_items = 9)]
    pub photo_ids: Vec<i64>,
}
impl TryFrom<SubmitRectificationRequest> for RectificationInput {
    type Error = ApiError;

    fn try_from(body: SubmitRectificationRequest) -> ApiResult<Self> {
        let notes = note("notes", &body.notes)?;
        let mut photo_ids = body.photo_ids;
        photo_ids.sort_unstable();
        photo_ids.dedup();
        if photo_ids.len() > MAX_RECTIFICATION_PHOTOS {
            return Err(ApiError::validation(
                "photo_ids",
                format!("at most {MAX_RECTIFICATION_PHOTOS} photos"),
            ));
        }
        Ok(Self {
            notes,
            photo_ids: photo_ids.into_iter().map(PhotoId).collect(),
        })
    }
}

/// Submit the rectification (物业整改) with evidence. The current handler. Supervised levels
/// (default: property) go to the owners' committee, the others to the resident.
#[utoipa::path(
    tag = "issues",
    request_body = SubmitRectificationRequest,
    params(Target),
    responses(
        (status = 200, description = "awaiting_supervision or awaiting_confirmation", body = IssueResponse,
            headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not the current handler", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in `in_progress` (`illegal_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty notes; a photo that is not this issue's", body = Problem, content_type = "application/problem+json"),
        StepErrors,
    )
)]
#[post("/issues/{id}/rectification")]
pub async fn submit_rectification(
    state: web::Data<AppState>,
    step: Step<SubmitRectificationRequest>,
) -> ApiResult<HttpResponse> {
    step.take(&state, Application::submit_rectification).await
}
