//! POST /issues/{id}/supervision: the owners' committee check (业委会督查).

use actix_web::post;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::supervision::SupervisionInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

/// Body of POST /issues/{id}/supervision: the owners' committee check (督查).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"passed": false, "notes": "车库B区仍有渗水，请返工"}))]
pub struct SuperviseIssueRequest {
    /// true: pass (→ awaiting_confirmation); false: send back (→ in_progress).
    pub passed: bool,
    /// What the committee found (督查意见), 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
}
impl TryFrom<SuperviseIssueRequest> for SupervisionInput {
    type Error = ApiError;

    fn try_from(body: SuperviseIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            passed: body.passed,
            notes: note("notes", &body.notes)?,
        })
    }
}

step_endpoint! {
    /// Supervise the rectification (业委会督查). Members of the owners' committee of the compound.
    supervise_issue: "/issues/{id}/supervision", SuperviseIssueRequest => Application::supervise;
    ok: "Passed or sent back",
    forbidden: "Not on the committee of the issue's compound",
    conflict: "Not in `awaiting_supervision` (`illegal_transition`)",
    invalid: "Empty notes",
}
