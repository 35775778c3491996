//! POST /issues/{id}/return (退单) and POST /issues/{id}/return-decision (its adjudication).

use actix_web::post;
use linli_domain::issue::ReturnReason;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::application::Application;
use crate::application::issues::returns::{ReturnDecisionInput, ReturnInput};
use crate::error::{ApiError, ApiResult};
use crate::issues::http::{handler_choice, note, opt_level, relabel, step_endpoint};

/// Body of POST /issues/{id}/return: why the handler sends the case back (退单).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "not_our_duty", "note": "该管道属于市政供水管网，不属于物业管理范围"}))]
pub struct ReturnIssueRequest {
    /// not_our_duty 非本单位职责, wrong_place 属地错误, ownership_unclear 权属不清,
    /// insufficient_info 信息不全.
    #[schema(value_type = ReturnReason)]
    pub reason: String,
    /// The explanation the dispatcher reads.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}
impl TryFrom<ReturnIssueRequest> for ReturnInput {
    type Error = ApiError;

    fn try_from(body: ReturnIssueRequest) -> ApiResult<Self> {
        Ok(Self {
            reason: ReturnReason::parse(body.reason.trim()).map_err(|e| relabel("reason", e))?,
            note: note("note", &body.note)?,
        })
    }
}

/// Body of POST /issues/{id}/return-decision: the dispatcher's ruling on a return.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"upheld": true, "note": "属市政管网，改派供水公司", "level": "department", "department": "市供水公司"}))]
pub struct DecideReturnRequest {
    /// true: the return is justified, another handler takes the case; false: back to the same
    /// handler, and the return counts against it.
    pub upheld: bool,
    /// The ruling, which the handler reads; the reason of the new assignment when upheld.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
    /// When upheld: the new handler's level (as at triage).
    #[schema(value_type = Option<linli_domain::level::Level>)]
    pub level: Option<String>,
    /// When upheld: the grid, property company or community id, per level.
    #[schema(minimum = 1)]
    pub handler_id: Option<i64>,
    /// When upheld to level `department`: the outside department's name.
    #[schema(min_length = 1, max_length = 100)]
    pub department: Option<String>,
}
impl TryFrom<DecideReturnRequest> for ReturnDecisionInput {
    type Error = ApiError;

    fn try_from(body: DecideReturnRequest) -> ApiResult<Self> {
        Ok(Self {
            upheld: body.upheld,
            note: note("note", &body.note)?,
            level: opt_level(body.level.as_deref())?,
            handler: handler_choice(body.handler_id, body.department.as_deref())?,
        })
    }
}

step_endpoint! {
    /// Return the case to the dispatcher (退单) with a reason code: it waits in the dispatcher's
    /// queue as `returned`. The current handler, while `triaged` or `in_progress`.
    return_issue: "/issues/{id}/return", ReturnIssueRequest => Application::return_issue;
    ok: "Returned (returned)",
    forbidden: "Not the current handler",
    conflict: "Not in `triaged` or `in_progress` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Unknown reason, empty note (`validation_failed`)",
}

step_endpoint! {
    /// Decide a return: upheld → another handler takes the case (as at triage: `level`,
    /// `handler_id` or `department`); not upheld → back to the same handler, in the status it was
    /// returned from, and the return counts against it (回退率). Dispatchers of the issue's street.
    decide_return: "/issues/{id}/return-decision", DecideReturnRequest => Application::decide_return;
    ok: "Upheld (triaged, or in_deliberation for the community) or not upheld (triaged or in_progress)",
    forbidden: "Not a dispatcher of the issue's street",
    conflict: "Not in `returned` (`illegal_transition`) or changed concurrently (`concurrent_update`)",
    invalid: "Empty note; upheld to the same handler or to none; another handler named when not upheld; unknown level or handler (`validation_failed`)",
}
