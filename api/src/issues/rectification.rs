//! POST /issues/{id}/rectification: the fix (物业整改) and its evidence.

use actix_web::post;
use linli_domain::ids::PhotoId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
pub use crate::application::issues::rectification::MAX_RECTIFICATION_PHOTOS;
use crate::application::issues::rectification::RectificationInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

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

step_endpoint! {
    /// Submit the rectification (物业整改) with evidence. The current handler. Supervised levels
    /// (default: property) go to the owners' committee, the others to the resident.
    submit_rectification: "/issues/{id}/rectification", SubmitRectificationRequest => Application::submit_rectification;
    ok: "awaiting_supervision or awaiting_confirmation",
    forbidden: "Not the current handler",
    conflict: "Not in `in_progress` (`illegal_transition`)",
    invalid: "Empty notes; a photo that is not this issue's",
}
