//! Photos of an issue: upload (multipart, judged by content, bounded in size and number),
//! list, and serving the bytes to whoever may see the issue.

use crate::application::ProblemCode;
use actix_multipart::{Multipart, MultipartError};
use actix_web::{
    HttpRequest, HttpResponse,
    error::PayloadError,
    get,
    http::header::{self, HeaderValue},
    post, web,
};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use linli_domain::{
    auth::Role,
    ids::{IssueId, PhotoId},
};
use linli_infra::{repo::photos::PhotoRow, time::from_millis};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, ApiResult, Problem},
    issues::http::Addressed,
    responses::{IssueNotFound, Unauthenticated},
    state::AppState,
};

/// Largest photo accepted: 10 MiB.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub use crate::application::issues::photos::MAX_PHOTOS_PER_ISSUE;
/// Room for the multipart boundaries and part headers around the photo. The whole request body
/// is cut off past `MAX_PHOTO_BYTES + MULTIPART_OVERHEAD`, announced or not.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The multipart form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)] // documentation only: the handler streams the body itself, with limits
pub struct UploadPhotoForm {
    /// The image: JPEG, PNG or WebP (judged by its content, not the declared type), at most
    /// 10 MB.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// The raw bytes of a photo.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // documentation only
pub struct PhotoBytes(Vec<u8>);

/// A stored photo of an issue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 4, "issue_id": 3, "content_type": "image/jpeg", "size_bytes": 482113,
    "created_at": "2026-09-01T08:00:00Z", "url": "/api/v1/photos/4"
}))]
pub struct PhotoResponse {
    /// Photo id; cite it in a rectification's `photo_ids`.
    pub id: i64,
    /// The issue it belongs to.
    pub issue_id: i64,
    /// image/jpeg, image/png or image/webp, as judged from the content.
    pub content_type: String,
    /// Size in bytes (at most 10 MiB).
    pub size_bytes: i64,
    /// When it was uploaded, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// Where to fetch the bytes (with the same bearer token).
    pub url: String,
}

impl PhotoResponse {
    fn from_row(row: &PhotoRow) -> Self {
        Self {
            id: row.id,
            issue_id: row.issue_id,
            content_type: row.content_type.clone(),
            size_bytes: row.size_bytes,
            created_at: from_millis(row.created_at).unwrap_or_default(),
            url: format!("/api/v1/photos/{}", row.id),
        }
    }
}

/// The photos of an issue, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "id": 4, "issue_id": 3, "content_type": "image/jpeg", "size_bytes": 482113,
        "created_at": "2026-09-01T08:00:00Z", "url": "/api/v1/photos/4"
    }]
}))]
pub struct PhotoListResponse {
    /// Every photo of the issue (at most 9), oldest first.
    pub items: Vec<PhotoResponse>,
}

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge {
        detail: format!(
            "a photo may be at most {} MB",
            MAX_PHOTO_BYTES / (1024 * 1024)
        ),
    }
}

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::Payload(PayloadError::Overflow) => too_large(),
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::UnsupportedMediaType {
            detail: "send the photo as multipart/form-data with one field named `file`".into(),
        },
        other => ApiError::bad_request(
            ProblemCode::MalformedMultipart,
            format!("the multipart body could not be read: {other}"),
        ),
    }
}

/// Read the one `file` field, never holding more than `MAX_PHOTO_BYTES` of it.
async fn read_file_field(req: &HttpRequest, payload: web::Payload) -> ApiResult<Vec<u8>> {
    let body_limit = MAX_PHOTO_BYTES + MULTIPART_OVERHEAD;
    let mut seen = 0usize;
    // Cut the body off at the transport level too, for chunked uploads without a length.
    let limited = payload.map(move |chunk| {
        let chunk = chunk?;
        seen = seen.saturating_add(chunk.len());
        if seen > body_limit {
            Err(PayloadError::Overflow)
        } else {
            Ok(chunk)
        }
    });
    let mut multipart = Multipart::new(req.headers(), limited);
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(multipart_error)?;
        let is_file = field.name() == Some("file");
        if is_file && file.is_some() {
            return Err(ApiError::validation("file", "send one photo per request"));
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            if is_file {
                if buf.len() + chunk.len() > MAX_PHOTO_BYTES {
                    return Err(too_large());
                }
                buf.extend_from_slice(&chunk);
            }
        }
        if is_file {
            file = Some(buf);
        }
    }
    file.ok_or_else(|| {
        ApiError::validation(
            "file",
            "a multipart field named `file` with the photo is required",
        )
    })
}

/// Add a photo to an issue (multipart field `file`).
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    request_body(content = UploadPhotoForm, content_type = "multipart/form-data", description = "One photo in the field `file`"),
    responses(
        (status = 201, description = "Stored", body = PhotoResponse),
        (status = 400, description = "Unreadable multipart body (`malformed_multipart`)", body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
        (status = 403, description = "Neither the reporter nor staff acting on the issue", body = Problem, content_type = "application/problem+json"),
        IssueNotFound,
        (status = 409, description = "The issue already has 9 photos (`too_many_photos`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG, PNG or WebP image (`unsupported_image`), or no `file` field (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/issues/{id}/photos")]
pub async fn upload_issue_photo(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (actor, issue_id) = (at.caller.actor, at.id);
    if matches!(actor.role, Role::Auditor | Role::Admin) {
        return Err(ApiError::forbidden(format!(
            "the {} role cannot add photos",
            actor.role.as_str()
        )));
    }
    // An announced length that is too big is refused before a byte of the body is read.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > (MAX_PHOTO_BYTES + MULTIPART_OVERHEAD) as u64) {
        return Err(too_large());
    }
    // Check visibility, permission and the count before reading the body; they are checked
    // again when the row is written.
    state
        .call(move |app| app.check_photo_upload(&actor, issue_id))
        .await?;
    let bytes = read_file_field(&req, payload).await?;
    let row = state
        .call(move |app| app.add_photo(&actor, issue_id, bytes))
        .await?;
    let res = PhotoResponse::from_row(&row);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, res.url.clone()))
        .json(res))
}

/// The photos of an issue the caller may see.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The issue's photos, oldest first", body = PhotoListResponse),
        Unauthenticated,
        IssueNotFound,
    )
)]
#[get("/issues/{id}/photos")]
pub async fn list_issue_photos(
    state: web::Data<AppState>,
    at: Addressed<IssueId>,
) -> ApiResult<web::Json<PhotoListResponse>> {
    let rows = state
        .call(move |app| app.list_photos(&at.caller.actor, at.id))
        .await?;
    Ok(web::Json(PhotoListResponse {
        items: rows.iter().map(PhotoResponse::from_row).collect(),
    }))
}

/// The bytes of a photo, to whoever may see its issue.
#[utoipa::path(
    tag = "issues",
    params(("id" = i64, Path, description = "Photo id")),
    responses(
        (status = 200, description = "The image, with its sniffed content type",
            content(
                (PhotoBytes = "image/jpeg"),
                (PhotoBytes = "image/png"),
                (PhotoBytes = "image/webp"),
            )
        ),
        Unauthenticated,
        (status = 404, description = "No such photo, or its issue is not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/photos/{id}")]
pub async fn get_photo(
    state: web::Data<AppState>,
    at: Addressed<PhotoId>,
) -> ApiResult<HttpResponse> {
    let file = state
        .call(move |app| app.photo_file(&at.caller.actor, at.id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, file.content_type.clone()))
        // Other users must not get it from a shared cache (`nosniff` is on every response).
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("private")))
        .insert_header((header::ETAG, format!("\"{}\"", file.content_hash)))
        .body(file.bytes))
}
