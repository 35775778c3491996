//! /residents and /invitations: verified residents (业主认证). The compound's property staff and
//! owners' committee work through the queue of residents waiting for verification, and print
//! invitation codes with which residents of a building register verified at once.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Verification,
    ids::{BuildingId, UserId},
    values::{Note, mask_phone},
};
use linli_infra::{repo::users::UserRow, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    application::residents::{NewInvitationCode, ResidentPage},
    auth::Caller,
    error::{ApiResult, Problem},
    pagination::{Page, PageParams},
    responses::{InvalidQuery, Malformed, NotFound, Unauthenticated},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_residents)
        .service(verify_resident)
        .service(create_invitation);
}

/// A resident as their verifiers see them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "display_name": "王阿姨", "phone": "13800000001", "phone_masked": false,
    "compound_id": 1, "building_id": 1, "unit": "2单元 301", "verification": "pending",
    "verification_note": null, "verified_at": null, "created_at": "2026-09-01T00:00:00Z"
}))]
pub struct ResidentResponse {
    pub id: i64,
    /// Name shown to staff and neighbours.
    pub display_name: String,
    /// In full for property staff (they call to verify), masked (`138****0001`) for the owners'
    /// committee.
    #[schema(pattern = r"^1[3-9][0-9]([0-9]{4}|\*{4})[0-9]{4}$")]
    pub phone: String,
    pub phone_masked: bool,
    /// The home compound.
    pub compound_id: i64,
    /// The home building, if given.
    pub building_id: Option<i64>,
    /// Unit and door, free text.
    pub unit: Option<String>,
    pub verification: Verification,
    /// What the verifier wrote with the last decision.
    pub verification_note: Option<String>,
    /// When a verifier last decided (null while pending, and for invitation codes).
    pub verified_at: Option<DateTime<Utc>>,
    /// When the resident registered.
    pub created_at: DateTime<Utc>,
}

impl ResidentResponse {
    fn of(row: UserRow, masked: bool) -> Self {
        Self {
            id: row.id,
            display_name: row.display_name,
            phone: if masked {
                mask_phone(&row.phone)
            } else {
                row.phone
            },
            phone_masked: masked,
            compound_id: row.compound_id.unwrap_or_default(),
            building_id: row.building_id,
            unit: row.unit,
            verification: row
                .verification
                .as_deref()
                .and_then(|v| Verification::parse(v).ok())
                .unwrap_or(Verification::Pending),
            verification_note: row.verification_note,
            verified_at: row.verified_at.and_then(|t| from_millis(t).ok()),
            created_at: from_millis(row.created_at).unwrap_or_default(),
        }
    }
}

/// One page of residents (see [`Page`] for why an alias).
pub type ResidentPageResponse = Page<ResidentResponse>;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResidentListQuery {
    /// Only residents whose verification is this (`pending`: the queue).
    #[param(value_type = Option<Verification>)]
    pub verification: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The residents of the caller's compounds, oldest registration first: with
/// `verification=pending`, the queue of residents waiting for verification.
///
/// Property staff see the compounds their company manages now, owners' committee members their
/// own compound; everyone else is refused (`forbidden`).
#[utoipa::path(
    tag = "residents",
    params(ResidentListQuery),
    responses(
        (status = 200, description = "One page of residents in id order", body = ResidentPageResponse),
        (status = 403, description = "Only property staff and owners' committee members verify residents (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown verification (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, InvalidQuery,
    )
)]
#[get("/residents")]
pub async fn list_residents(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ResidentListQuery>,
) -> ApiResult<web::Json<ResidentPageResponse>> {
    let query = query.into_inner();
    let page = PageParams::parse(query.cursor.as_deref(), query.limit)?;
    let verification = query
        .verification
        .as_deref()
        .map(Verification::parse)
        .transpose()?;
    let actor = caller.actor;
    let ResidentPage { rows, phone_masked } = state
        .call(move |app| app.list_residents(&actor, verification, page.after, page.fetch()))
        .await?;
    Ok(web::Json(Page::of(
        &page,
        rows,
        |r| r.id,
        |r| ResidentResponse::of(r, phone_masked),
    )))
}

/// Body of POST /residents/{id}/verification.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"approved": true, "note": "核对房产证，2单元 301 业主"}))]
pub struct VerifyResidentRequest {
    /// `true` verifies the resident, `false` turns them down (they can be verified later).
    pub approved: bool,
    /// What was checked, or why not; 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub note: Option<String>,
}

/// Verify a resident of the caller's compound (业主认证), or turn them down.
///
/// A verified resident sees the compound's public issues and adds "me too"; the change holds
/// from the resident's next request. Residents of other compounds are `not_found`.
#[utoipa::path(
    tag = "residents",
    params(("id" = i64, Path, description = "The resident's user id")),
    request_body = VerifyResidentRequest,
    responses(
        (status = 200, description = "The resident with the decision", body = ResidentResponse),
        (status = 403, description = "Only property staff and owners' committee members verify residents (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is empty or too long (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, NotFound, Malformed,
    )
)]
#[post("/residents/{id}/verification")]
pub async fn verify_resident(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<UserId>,
    body: web::Json<VerifyResidentRequest>,
) -> ApiResult<web::Json<ResidentResponse>> {
    let VerifyResidentRequest { approved, note } = body.into_inner();
    let note = note.as_deref().map(Note::parse).transpose()?;
    let (actor, id) = (caller.actor, id.into_inner());
    let masked = caller.role() != linli_domain::auth::Role::PropertyStaff;
    let row = state
        .call(move |app| app.verify_resident(&actor, id, approved, note))
        .await?;
    Ok(web::Json(ResidentResponse::of(row, masked)))
}

/// Body of POST /invitations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"building_id": 1, "expires_at": "2026-10-01T00:00:00Z", "max_uses": 40}))]
pub struct CreateInvitationRequest {
    /// A building of a compound the caller verifies residents for.
    #[schema(minimum = 1)]
    pub building_id: i64,
    /// When the code stops working (default: in 30 days).
    pub expires_at: Option<DateTime<Utc>>,
    /// How many registrations the code allows (default: any number until it expires).
    #[schema(minimum = 1)]
    pub max_uses: Option<i32>,
}

/// A new invitation code. The code is shown only here: print it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 3, "code": "K7MX3-QPA9W", "compound_id": 1, "building_id": 1, "expires_at": "2026-10-01T00:00:00Z", "max_uses": 40}))]
pub struct InvitationResponse {
    pub id: i64,
    /// What residents type at registration (`invitation_code`); case and dashes do not matter.
    pub code: String,
    pub compound_id: i64,
    pub building_id: i64,
    pub expires_at: DateTime<Utc>,
    /// Null: any number of registrations until it expires.
    pub max_uses: Option<i32>,
}

impl From<NewInvitationCode> for InvitationResponse {
    fn from(new: NewInvitationCode) -> Self {
        let i = new.invitation;
        Self {
            id: i.id,
            code: new.code,
            compound_id: i.compound_id,
            building_id: i.building_id,
            expires_at: from_millis(i.expires_at).unwrap_or_default(),
            max_uses: i.max_uses,
        }
    }
}

/// Create an invitation code (邀请码) for a building: residents who register with it are
/// verified at once.
#[utoipa::path(
    tag = "residents",
    request_body = CreateInvitationRequest,
    responses(
        (status = 201, description = "The invitation, with its code", body = InvitationResponse),
        (status = 403, description = "Only property staff and owners' committee members invite residents (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such building in the caller's compounds, an expiry in the past or `max_uses` below 1 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated, Malformed,
    )
)]
#[post("/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateInvitationRequest>,
) -> ApiResult<HttpResponse> {
    let CreateInvitationRequest {
        building_id,
        expires_at,
        max_uses,
    } = body.into_inner();
    let actor = caller.actor;
    let new = state
        .call(move |app| {
            app.create_invitation(&actor, BuildingId(building_id), expires_at, max_uses)
        })
        .await?;
    Ok(HttpResponse::Created().json(InvitationResponse::from(new)))
}
