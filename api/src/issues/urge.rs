//! POST /issues/{id}/urge: 督办 — press the handler of a case being worked on.

use actix_web::post;
use linli_domain::values::Note;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

/// Body of POST /issues/{id}/urge: what the handler is told.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "居民多次反映，请于今日内上门处理"}))]
pub struct UrgeIssueRequest {
    /// The urging, which the handler reads.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}
impl TryFrom<UrgeIssueRequest> for Note {
    type Error = ApiError;

    fn try_from(body: UrgeIssueRequest) -> ApiResult<Self> {
        note("note", &body.note)
    }
}

step_endpoint! {
    /// Urge the case (督办): an `urged` event in the timeline, a notification to the handler's
    /// accounts, one more in `urge_count` (and in the summary report's `urged`). Dispatchers and
    /// street officials of the issue's street, officials of its community, the district office;
    /// while `triaged`, `in_deliberation` or `in_progress`.
    urge_issue: "/issues/{id}/urge", UrgeIssueRequest => Application::urge;
    ok: "Urged (the status is unchanged)",
    forbidden: "Not a dispatcher or official of the issue's street or community, nor the district office",
    conflict: "Not in `triaged`, `in_deliberation` or `in_progress` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Empty note (`validation_failed`)",
}
