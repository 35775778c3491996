//! POST /issues/{id}/mediation: the outcome of a mediation (调解) of a dispute.

use actix_web::post;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::mediation::MediationInput;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

/// Body of POST /issues/{id}/mediation: the outcome of a mediation (调解).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"settled": true, "notes": "双方同意错峰晾晒，互相道歉"}))]
pub struct RecordMediationRequest {
    /// true: settled (→ awaiting_confirmation); false: failed (→ in_deliberation).
    pub settled: bool,
    /// What was agreed or why it failed, 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub notes: String,
}
impl TryFrom<RecordMediationRequest> for MediationInput {
    type Error = ApiError;

    fn try_from(body: RecordMediationRequest) -> ApiResult<Self> {
        Ok(Self {
            settled: body.settled,
            notes: note("notes", &body.notes)?,
        })
    }
}

step_endpoint! {
    /// Record a mediation (调解) of a dispute. Mediators (和事佬) of the handling community.
    record_mediation: "/issues/{id}/mediation", RecordMediationRequest => Application::record_mediation;
    ok: "Settled or failed",
    forbidden: "Not a mediator of the handling community",
    conflict: "Not a mediation-level issue in `triaged`/`in_progress` (`illegal_transition`)",
    invalid: "Empty notes",
}
