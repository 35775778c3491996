//! POST /issues/{id}/merge: close a duplicate as merged into its primary case.

use actix_web::post;
use linli_domain::ids::IssueId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::error::{ApiError, ApiResult};
use crate::issues::http::step_endpoint;

/// Body of POST /issues/{id}/merge: the primary case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"into": 12}))]
pub struct MergeIssueRequest {
    /// Id of the primary case: open, of the same compound, not itself merged.
    #[schema(minimum = 1)]
    pub into: i64,
}
impl TryFrom<MergeIssueRequest> for IssueId {
    type Error = ApiError;

    fn try_from(body: MergeIssueRequest) -> ApiResult<Self> {
        if body.into < 1 {
            return Err(ApiError::validation("into", "must be an issue id"));
        }
        Ok(IssueId(body.into))
    }
}

step_endpoint! {
    /// Merge a duplicate into its primary case (合并重复诉求): the duplicate closes with closure
    /// `merged` and `merged_into`; its reporter and the residents who backed it follow the
    /// primary — they are notified of its changes, find it with `GET /issues?mine=true`, and
    /// count in its `support_count`. Dispatchers of the issue's street, while it is on the clock
    /// (not awaiting the resident's confirmation, not ended).
    merge_issue: "/issues/{id}/merge", MergeIssueRequest => Application::merge;
    ok: "Merged (closed, closure merged)",
    forbidden: "Not a dispatcher of the issue's street",
    conflict: "Not on the clock (`illegal_transition`); the primary is closed, rejected or withdrawn (`merge_target_closed`); the primary was itself merged, or duplicates were merged into this case (`merge_chain`); changed concurrently (`concurrent_update`)",
    invalid: "Into itself (`merge_into_itself`); no such primary visible to the caller, or one in another compound (`validation_failed`)",
}
