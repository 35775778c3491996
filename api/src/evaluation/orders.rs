//! /rectification-orders (整改通知) and the lists that follow a published rating:
//! /ratings/{id}/replacement-candidates (淘汰替换) and /ratings/{id}/recommended (优先推荐).

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{auth::Role, ids::PropertyCompanyId, rectification::OrderItems, values::Note};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::{
        Application,
        evaluation::orders::{CompanyAnswer, ListedCompany, OrderDraft, RectificationOrder},
    },
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    pagination::{Page, PageParams},
    responses::{DistrictOfficeOnly, InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

/// Body of POST /rectification-orders.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "run_id": 3, "property_company_id": 2,
    "items": ["两周内清理全部楼道堆物", "逾期工单一周内全部办结"],
    "due_at": "2026-11-30T00:00:00+08:00"
}))]
pub struct IssueOrderRequest {
    /// The current published rating in which the company was graded 较差.
    pub run_id: i64,
    pub property_company_id: i64,
    /// 1–20 items of 1–500 characters.
    pub items: Vec<String>,
    /// In the future.
    pub due_at: DateTime<Utc>,
}

/// The company's answer.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderAnswerKind {
    /// Accept, with a plan.
    Accept,
    /// Refuse (拒绝整改), with a reason.
    Refuse,
}

/// Body of POST /rectification-orders/{id}/answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer": "accept", "plan": "11月15日前完成楼道清理，并建立每周巡查制度"}))]
pub struct AnswerOrderRequest {
    pub answer: OrderAnswerKind,
    /// `accept`: the plan, 1–2000 characters.
    pub plan: Option<String>,
    /// `refuse`: the reason, 1–2000 characters.
    pub note: Option<String>,
}

/// How the district office closes an order.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderOutcome {
    Fulfilled,
    Failed,
}

/// Body of POST /rectification-orders/{id}/close.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "fulfilled", "note": "经复查，整改事项均已完成"}))]
pub struct CloseOrderRequest {
    pub outcome: OrderOutcome,
    /// The findings, 1–2000 characters.
    pub note: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderListQuery {
    /// Only the orders following this rating run.
    pub run_id: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

pub type OrderPage = Page<RectificationOrder>;

fn note(field: &'static str, raw: Option<&str>) -> ApiResult<String> {
    Note::parse(raw.unwrap_or_default())
        .map(Note::into_string)
        .map_err(|_| ApiError::validation(field, "must be 1 to 2000 characters"))
}

/// Send a rectification order (整改通知) to a company graded 较差 in the current published
/// rating: items and a due date; it goes on the boards of the company's compounds. District
/// office only.
#[utoipa::path(
    tag = "evaluation",
    request_body = IssueOrderRequest,
    responses(
        (status = 201, description = "The order", body = RectificationOrder),
        DistrictOfficeOnly,
        (status = 409, description = "A later revision replaced the rating (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The company is not graded 较差 in it, bad items or a past due date (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/rectification-orders")]
pub async fn issue_rectification_order(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<IssueOrderRequest>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let draft = OrderDraft {
        run_id: body.run_id,
        property_company: PropertyCompanyId(body.property_company_id),
        items: OrderItems::parse(body.items)?,
        due_at: body.due_at,
    };
    let author = caller.user_id();
    let order = state
        .call(move |app| app.issue_rectification_order(author, draft))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/rectification-orders/{}", order.id),
        ))
        .json(order))
}

/// Orders newest first: the district office and auditors all, property staff their company's.
#[utoipa::path(
    tag = "evaluation",
    params(OrderListQuery),
    responses(
        (status = 200, description = "One page of orders", body = OrderPage),
        (status = 403, description = "Other roles (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/rectification-orders")]
pub async fn list_rectification_orders(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<OrderListQuery>,
) -> ApiResult<web::Json<OrderPage>> {
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let list = Application::list_rectification_orders;
    state
        .page_as(caller, page, query.run_id, |o| o.id, list)
        .await
}

/// One order: the district office and auditors, and the ordered company's staff.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = RectificationOrder),
        (status = 403, description = "Other roles (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/rectification-orders/{id}")]
pub async fn get_rectification_order(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<RectificationOrder>> {
    state
        .read_as(caller, id, Application::rectification_order)
        .await
}

/// The company answers an issued order: `accept` with a plan, or `refuse` with a reason.
/// Property staff of the ordered company.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Order id")),
    request_body = AnswerOrderRequest,
    responses(
        (status = 200, description = "The answered order", body = RectificationOrder),
        (status = 403, description = "Not property staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered or closed (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No plan or reason (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/rectification-orders/{id}/answer")]
pub async fn answer_rectification_order(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<AnswerOrderRequest>,
) -> ApiResult<web::Json<RectificationOrder>> {
    caller.require(&[Role::PropertyStaff])?;
    let body = body.into_inner();
    let answer = match body.answer {
        OrderAnswerKind::Accept => CompanyAnswer::Accept {
            plan: note("plan", body.plan.as_deref())?,
        },
        OrderAnswerKind::Refuse => CompanyAnswer::Refuse {
            note: note("note", body.note.as_deref())?,
        },
    };
    let (actor, id) = (caller.actor, id.into_inner());
    Ok(web::Json(
        state
            .call(move |app| app.answer_rectification_order(&actor, id, answer))
            .await?,
    ))
}

/// Close an order `fulfilled` or `failed` (an issued one never answered, or an accepted one).
/// District office only.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Order id")),
    request_body = CloseOrderRequest,
    responses(
        (status = 200, description = "The closed order", body = RectificationOrder),
        DistrictOfficeOnly,
        (status = 409, description = "Refused or already closed (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad note (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed, NotFound,
    )
)]
#[post("/rectification-orders/{id}/close")]
pub async fn close_rectification_order(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<CloseOrderRequest>,
) -> ApiResult<web::Json<RectificationOrder>> {
    caller.require(&[Role::DistrictOffice])?;
    let body = body.into_inner();
    let text = note("note", Some(&body.note))?;
    let fulfilled = matches!(body.outcome, OrderOutcome::Fulfilled);
    let (by, id) = (caller.user_id(), id.into_inner());
    Ok(web::Json(
        state
            .call(move |app| app.close_rectification_order(by, id, fulfilled, text))
            .await?,
    ))
}

/// 淘汰替换: companies graded 较差 in the rating whose rectification order was refused or
/// failed, with the compounds they manage (the owners decide). District office and auditors.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    responses(
        (status = 200, description = "Replacement candidates", body = [ListedCompany]),
        (status = 403, description = "Not the district office or an auditor (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound,
    )
)]
#[get("/ratings/{id}/replacement-candidates")]
pub async fn replacement_candidates(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<ListedCompany>>> {
    state
        .read_as(caller, id, Application::replacement_candidates)
        .await
}

/// 优先推荐: the companies graded 优秀 in the rating, with the compounds they manage; anyone
/// who may read the rating.
#[utoipa::path(
    tag = "evaluation",
    params(("id" = i64, Path, description = "Rating run id")),
    responses(
        (status = 200, description = "Recommended companies", body = [ListedCompany]),
        Unauthenticated, NotFound,
    )
)]
#[get("/ratings/{id}/recommended")]
pub async fn recommended_companies(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Vec<ListedCompany>>> {
    state
        .read_as(caller, id, Application::recommended_companies)
        .await
}
