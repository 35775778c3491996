//! /notices: the notice board (公告/公示). Property staff post to the compounds their company
//! manages, community officials to the compounds of their community; residents read the
//! notices of their compound, staff those within their scope. Times are shown in the
//! district's time zone (stored as UTC instants).

use actix_web::{HttpResponse, delete, get, http::header, post, web};
use chrono::{DateTime, FixedOffset, Utc};
use linli_domain::{
    category::CategoryCode,
    ids::{CommunityId, CompoundId, NoticeId},
    notice::NoticeKind,
    period::DistrictTz,
    values::{NoticeBody, NoticeTitle},
};
use linli_infra::{repo::notices::NoticeView, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    application::{
        AppError,
        notices::{MAX_NOTICE_COMPOUNDS, NoticeDraft, NoticeTarget},
    },
    auth::Caller,
    error::{ApiResult, Problem},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(publish_notice)
        .service(list_notices)
        .service(get_notice)
        .service(withdraw_notice);
}

/// A stored instant as the district's local time (`2026-11-24T14:00:00+08:00`).
pub fn local_time(ms: i64, tz: DistrictTz) -> DateTime<FixedOffset> {
    from_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz.tz())
        .fixed_offset()
}

/// In whose name a notice is published.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublisherKind {
    PropertyCompany,
    Community,
    District,
}

/// A notice on the board.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 4, "kind": "outage", "title": "停水通知", "body": "因管网维修，11月24日14:00-18:00停水。",
    "pinned": true, "compound_ids": [1], "categories": ["water_leak"],
    "publisher_kind": "property_company", "publisher_id": 1, "publisher_name": "红管家物业",
    "created_at": "2026-11-24T09:00:00+08:00", "expires_at": "2026-11-24T18:00:00+08:00",
    "withdrawn_at": null, "in_force": true
}))]
pub struct NoticeResponse {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// Shown above the others (置顶).
    pub pinned: bool,
    /// The compounds it is posted to.
    pub compound_ids: Vec<i64>,
    /// The filing categories an outage covers (empty for other kinds).
    pub categories: Vec<CategoryCode>,
    pub publisher_kind: PublisherKind,
    /// The property company or community (null for the district).
    pub publisher_id: Option<i64>,
    /// Its name when the notice was published.
    pub publisher_name: String,
    /// In the district's time zone.
    pub created_at: DateTime<FixedOffset>,
    /// When it leaves the board (null: when withdrawn), in the district's time zone.
    pub expires_at: Option<DateTime<FixedOffset>>,
    /// When its publisher withdrew it (null: not withdrawn).
    pub withdrawn_at: Option<DateTime<FixedOffset>>,
    /// On the board now: neither expired nor withdrawn.
    pub in_force: bool,
}

impl NoticeResponse {
    pub fn of(view: NoticeView, now: DateTime<Utc>, tz: DistrictTz) -> Self {
        let n = view.notice;
        let now = now.timestamp_millis();
        let publisher_kind = match n.publisher_kind.as_str() {
            "property_company" => PublisherKind::PropertyCompany,
            "community" => PublisherKind::Community,
            _ => PublisherKind::District,
        };
        Self {
            id: n.id,
            kind: NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::General),
            title: n.title,
            body: n.body,
            pinned: n.pinned,
            compound_ids: view.compound_ids,
            categories: view
                .categories
                .iter()
                .filter_map(|c| CategoryCode::parse(c).ok())
                .collect(),
            publisher_kind,
            publisher_id: n.publisher_id,
            publisher_name: n.publisher_name,
            created_at: local_time(n.created_at, tz),
            expires_at: n.expires_at.map(|t| local_time(t, tz)),
            withdrawn_at: n.withdrawn_at.map(|t| local_time(t, tz)),
            in_force: n.withdrawn_at.is_none() && n.expires_at.is_none_or(|t| t > now),
        }
    }
}

/// One page of notices (see [`Page`] for why an alias).
pub type NoticePageResponse = Page<NoticeResponse>;

/// Body of POST /notices: `compound_ids` or `community_id`, not both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "停水通知", "body": "因管网维修，11月24日14:00-18:00停水，请提前储水。",
    "kind": "outage", "compound_ids": [1], "pinned": true,
    "expires_at": "2026-11-24T18:00:00+08:00", "categories": ["water_leak"]
}))]
pub struct PublishNoticeRequest {
    /// 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// 1 to 5000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
    #[schema(value_type = NoticeKind)]
    pub kind: String,
    /// The compounds to post to (1 to 100), each one the caller reaches.
    #[schema(min_items = 1, max_items = 100)]
    pub compound_ids: Option<Vec<i64>>,
    /// Post to every compound of this community instead.
    #[schema(minimum = 1)]
    pub community_id: Option<i64>,
    /// Show it above the others (置顶); default false.
    pub pinned: Option<bool>,
    /// When it leaves the board; required for an outage (its end), in the future.
    pub expires_at: Option<DateTime<Utc>>,
    /// Outage only, and required there: the filing categories it covers (停水 → `water_leak`,
    /// 电梯停运 → `elevator_fault`).
    #[schema(value_type = Option<Vec<CategoryCode>>)]
    pub categories: Option<Vec<String>>,
}

impl PublishNoticeRequest {
    fn parse(self) -> Result<NoticeDraft, AppError> {
        let target = match (self.compound_ids, self.community_id) {
            (Some(ids), None) => {
                let mut ids: Vec<i64> = ids;
                ids.sort_unstable();
                ids.dedup();
                if ids.is_empty() || ids.len() > MAX_NOTICE_COMPOUNDS {
                    return Err(AppError::validation(
                        "compound_ids",
                        format!("name 1 to {MAX_NOTICE_COMPOUNDS} compounds"),
                    ));
                }
                NoticeTarget::Compounds(ids.into_iter().map(CompoundId).collect())
            }
            (None, Some(c)) => NoticeTarget::Community(CommunityId(c)),
            _ => {
                return Err(AppError::validation(
                    "compound_ids",
                    "give either compound_ids or community_id",
                ));
            }
        };
        let mut categories = self
            .categories
            .unwrap_or_default()
            .iter()
            .map(|c| CategoryCode::parse(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::validation("categories", "unknown category code"))?;
        categories.sort_unstable();
        categories.dedup();
        Ok(NoticeDraft {
            title: NoticeTitle::parse(&self.title)?,
            body: NoticeBody::parse(&self.body)?,
            kind: NoticeKind::parse(&self.kind)?,
            target,
            pinned: self.pinned.unwrap_or(false),
            expires_at: self.expires_at,
            categories,
        })
    }
}

/// Publish a notice (公告) to compounds.
///
/// Property staff post to the compounds their company manages now, community officials to
/// any compound of their community (or all of it, with `community_id`); no other role
/// publishes (the admin manages accounts, not notices). An outage notice names the
/// categories it covers and when it ends: until then it is shown with those categories on
/// the filing screen (`GET /categories?compound_id=`).
#[utoipa::path(
    tag = "notices",
    request_body = PublishNoticeRequest,
    responses(
        (status = 201, description = "The notice, on the board", body = NoticeResponse),
        (status = 403, description = "The role publishes no notices, or a compound is outside the publisher's reach (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field does not fit: title, body, kind, an unknown compound or community, categories on a notice that is not an outage, an outage without categories or end, an end in the past (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/notices")]
pub async fn publish_notice(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<PublishNoticeRequest>,
) -> ApiResult<HttpResponse> {
    let draft = body.into_inner().parse()?;
    let actor = caller.actor;
    let view = state
        .call(move |app| app.publish_notice(&actor, draft))
        .await?;
    let id = view.notice.id;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/notices/{id}")))
        .json(NoticeResponse::of(
            view,
            state.now(),
            state.config.workflow.time_zone,
        )))
}

/// The notices on the caller's board: pinned first, then newest first; expired and withdrawn
/// ones are gone.
///
/// A resident, verified or not (a notice is for everyone living there), and the owners'
/// committee see the notices of their compound; property staff
/// those of the compounds their company manages; community officials and mediators those of
/// their community; grid workers those of the compounds of their grid; dispatchers those of
/// their street (or all); auditors all. The admin reads none (`forbidden`).
#[utoipa::path(
    tag = "notices",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of notices", body = NoticePageResponse),
        (status = 403, description = "The admin manages accounts, not notices (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/notices")]
pub async fn list_notices(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<NoticePageResponse>> {
    let page = query.parse()?;
    let actor = caller.actor;
    let rows = state
        .call(move |app| app.list_notices(&actor, page.after.map(NoticeId), page.fetch()))
        .await?;
    let (now, tz) = (state.now(), state.config.workflow.time_zone);
    Ok(web::Json(Page::of(
        &page,
        rows,
        |v| v.notice.id,
        |v| NoticeResponse::of(v, now, tz),
    )))
}

/// One notice. Residents see the notices of their compound while they are on the board;
/// staff within scope also see expired and withdrawn ones; the publisher's organisation
/// always sees its own.
#[utoipa::path(
    tag = "notices",
    params(("id" = i64, Path, description = "The notice's id")),
    responses(
        (status = 200, description = "The notice", body = NoticeResponse),
        (status = 403, description = "The admin manages accounts, not notices (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/notices/{id}")]
pub async fn get_notice(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<NoticeId>,
) -> ApiResult<web::Json<NoticeResponse>> {
    let (actor, id) = (caller.actor, id.into_inner());
    let view = state.call(move |app| app.notice(&actor, id)).await?;
    Ok(web::Json(NoticeResponse::of(
        view,
        state.now(),
        state.config.workflow.time_zone,
    )))
}

/// Withdraw a notice (撤回): it leaves every board at once. Only the organisation that
/// published it (the same property company or community) may; withdrawing twice changes
/// nothing.
#[utoipa::path(
    tag = "notices",
    params(("id" = i64, Path, description = "The notice's id")),
    responses(
        (status = 200, description = "The notice, withdrawn", body = NoticeResponse),
        (status = 403, description = "Another organisation's notice (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[delete("/notices/{id}")]
pub async fn withdraw_notice(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<NoticeId>,
) -> ApiResult<web::Json<NoticeResponse>> {
    let (actor, id) = (caller.actor, id.into_inner());
    let view = state
        .call(move |app| app.withdraw_notice(&actor, id))
        .await?;
    Ok(web::Json(NoticeResponse::of(
        view,
        state.now(),
        state.config.workflow.time_zone,
    )))
}

/// An outage notice as the filing screen shows it beside a category.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 4, "title": "停水通知", "expires_at": "2026-11-24T18:00:00+08:00"}))]
pub struct OutageNoticeBrief {
    pub id: i64,
    pub title: String,
    /// When the outage ends, in the district's time zone.
    pub expires_at: DateTime<FixedOffset>,
}

impl OutageNoticeBrief {
    pub fn of(view: &NoticeView, tz: DistrictTz) -> Self {
        Self {
            id: view.notice.id,
            title: view.notice.title.clone(),
            expires_at: local_time(view.notice.expires_at.unwrap_or_default(), tz),
        }
    }
}
