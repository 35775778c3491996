//! POST /issues/{id}/reject: rejection before triage — a duplicate, out of scope, or invalid.

use actix_web::post;
use linli_domain::ids::IssueId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::rejection::{RejectGround, RejectInput};
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{note, step_endpoint};

/// Body of POST /issues/{id}/reject: why the issue is rejected before triage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "与 #12 为同一问题", "duplicate_of": 12}))]
pub struct RejectIssueRequest {
    /// Why; shown to the resident.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The existing issue this one repeats.
    #[schema(minimum = 1)]
    pub duplicate_of: Option<i64>,
    /// `duplicate` (implied by `duplicate_of`), `out_of_scope` (default) or `invalid`.
    #[schema(value_type = Option<crate::issues::dto::RejectionKind>)]
    pub kind: Option<String>,
}
impl TryFrom<RejectIssueRequest> for RejectInput {
    type Error = ApiError;

    fn try_from(body: RejectIssueRequest) -> ApiResult<Self> {
        let note = note("reason", &body.reason)?;
        let ground = match (body.kind.as_deref().map(str::trim), body.duplicate_of) {
            (Some("duplicate"), None) => {
                return Err(ApiError::validation(
                    "duplicate_of",
                    "name the issue this one duplicates",
                ));
            }
            (Some("out_of_scope" | "invalid"), Some(_)) => {
                return Err(ApiError::validation(
                    "kind",
                    "duplicate_of is only for kind `duplicate`",
                ));
            }
            (None | Some("duplicate"), Some(dup)) => RejectGround::Duplicate(IssueId(dup)),
            (None | Some("out_of_scope"), None) => RejectGround::OutOfScope,
            (Some("invalid"), None) => RejectGround::Invalid,
            (Some(_), _) => {
                return Err(ApiError::validation(
                    "kind",
                    "must be duplicate, out_of_scope or invalid",
                ));
            }
        };
        Ok(Self { ground, note })
    }
}

step_endpoint! {
    /// Reject an issue before triage: a duplicate, out of scope, or invalid. Dispatchers.
    reject_issue: "/issues/{id}/reject", RejectIssueRequest => Application::reject;
    ok: "Rejected",
    forbidden: "Not a dispatcher of the issue's street",
    conflict: "Not in `submitted` (`illegal_transition`)",
    invalid: "Missing reason, unknown `duplicate_of`",
}
