//! The 回头看 queue: closed issues of the caller's community that the scheduler queued for a
//! follow-up visit and nobody has revisited yet.

use actix_web::{get, web};
use linli_domain::auth::{Role, Scope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::dto::IssueResponse,
    pagination::PageParams,
    responses::{InvalidQuery, Malformed, Unauthenticated},
    state::AppState,
};

/// One page of the revisit queue, oldest issue first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "id": 2, "category": "street_lamp", "category_name": "路灯损坏", "source": "app",
        "status": "closed", "level": "property",
        "handler": {"kind": "property_company", "id": 1, "name": null}, "urgency": "normal",
        "suggestion": {
            "level": "property", "handler": {"kind": "property_company", "id": 1, "name": null},
            "urgency": "normal", "response_due": "2026-08-21T02:00:00Z",
            "resolution_due": "2026-08-27T02:00:00Z"
        },
        "response_due": "2026-08-21T02:00:00Z", "resolution_due": "2026-08-27T02:00:00Z",
        "overdue": false, "description": "3栋门口的路灯坏了一个星期，晚上很黑",
        "reporter_id": 7, "street_id": 1, "community_id": 1, "compound_id": 1,
        "building_id": 1, "grid_id": 1, "property_company_id": 1, "unit": null,
        "location_text": "3栋门口", "lat": null, "lon": null, "is_public": true,
        "created_at": "2026-08-20T02:00:00Z", "status_since": "2026-08-24T10:00:00Z",
        "triaged_at": "2026-08-20T03:00:00Z", "responded_at": "2026-08-20T06:00:00Z",
        "rectified_at": "2026-08-22T09:00:00Z", "supervised_at": "2026-08-23T01:00:00Z",
        "closed_at": "2026-08-24T10:00:00Z", "closure": "confirmed", "satisfaction": 3,
        "reopen_count": 0, "sent_back_count": 0, "escalation_step": 0,
        "revisit_queued": true, "revisited_at": null, "support_count": 0, "version": 7
    }],
    "next_cursor": null
}))]
pub struct RevisitQueuePage {
    /// Closed issues queued for 回头看 and not yet revisited, oldest first.
    pub items: Vec<IssueResponse>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDueRevisitsQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The caller's community's revisit queue (community officials only). Record a revisit with
/// POST /issues/{id}/revisit.
#[utoipa::path(
    tag = "issues",
    params(ListDueRevisitsQuery),
    responses(
        (status = 200, description = "One page of queued issues", body = RevisitQueuePage),
        InvalidQuery,
        Unauthenticated,
        (status = 403, description = "Not a community official", body = Problem, content_type = "application/problem+json"),
        Malformed,
    )
)]
#[get("/revisits/due")]
pub async fn list_due_revisits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListDueRevisitsQuery>,
) -> ApiResult<web::Json<RevisitQueuePage>> {
    caller.require(&[Role::CommunityOfficial])?;
    let Scope::Community(community) = caller.scope() else {
        return Err(ApiError::forbidden("the account has no community"));
    };
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let views = state
        .call(move |app| app.due_revisits(community, page.after, page.fetch()))
        .await?;
    let (items, next_cursor) = page.split(
        views,
        |v| v.issue.id.0,
        |v| IssueResponse::new(&v.issue, v.support_count, v.at),
    );
    Ok(web::Json(RevisitQueuePage { items, next_cursor }))
}
