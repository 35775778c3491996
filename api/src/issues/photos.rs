//! Photos of an issue: upload (multipart, judged by content, bounded in size and number),
//! list with signed URLs, and serving either rendition to whoever may see the issue or holds a
//! signed URL.

use crate::application::ProblemCode;
use actix_multipart::{Multipart, MultipartError};
use actix_web::{
    FromRequest, HttpRequest, HttpResponse, error::PayloadError, get, http::header, post, web,
};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use linli_domain::ids::{IssueId, PhotoId};
use linli_infra::{repo::photos::PhotoRow, signing::PhotoSize, time::from_millis};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::Application,
    auth::Caller,
    error::{ApiError, ApiResult, Problem},
    issues::http::Addressed,
    responses::{IssueNotFound, PhotoUpload, Unauthenticated},
    state::AppState,
};

/// Largest photo accepted: 10 MiB.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub use crate::application::issues::photos::MAX_PHOTOS_PER_ISSUE;
/// Room for the multipart boundaries and part headers around the photo. The whole request body
/// is cut off past `MAX_PHOTO_BYTES + MULTIPART_OVERHEAD`, announced or not.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// Where a photo is served (without a query: the capped original, with the bearer token).
fn photo_path(id: i64) -> String {
    format!("/api/v1/photos/{id}")
}

/// The multipart form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)] // documentation only: the handler streams the body itself, with limits
pub struct UploadPhotoForm {
    /// The image: JPEG, PNG or WebP (judged by its content, not the declared type), at most
    /// 10 MB and 64 million pixels. It is stored turned upright (EXIF orientation applied) and
    /// re-encoded as a JPEG without any EXIF/XMP metadata (no GPS position, no phone model),
    /// at most 2560 px on its long side, with a 400 px thumbnail.
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
    "created_at": "2026-09-01T08:00:00Z",
    "url": "/api/v1/photos/4?expires=1788228000&signature=3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "thumbnail_url": "/api/v1/photos/4?size=thumb&expires=1788228000&signature=Zm9vYmFyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "urls_expire_at": "2026-09-01T09:00:00Z"
}))]
pub struct PhotoResponse {
    /// Photo id; cite it in a rectification's `photo_ids`.
    pub id: i64,
    /// The issue it belongs to.
    pub issue_id: i64,
    /// The stored original's type: image/jpeg (uploads are re-encoded; photos stored before
    /// that may be image/png or image/webp).
    pub content_type: String,
    /// Size of the stored original in bytes.
    pub size_bytes: i64,
    /// When it was uploaded, RFC 3339 UTC.
    pub created_at: DateTime<Utc>,
    /// The original (at most 2560 px on its long side), as a signed URL that works without a
    /// bearer token until `urls_expire_at` (for `<img src>` and image caches). The path alone
    /// (`/api/v1/photos/{id}`) works with the bearer token at any time.
    pub url: String,
    /// The thumbnail (JPEG, at most 400 px on its long side), signed like `url`.
    pub thumbnail_url: String,
    /// When `url` and `thumbnail_url` stop working without a token (about an hour after the
    /// response, `LINLI_PHOTO_URL_TTL_SECS`); list the photos again for fresh ones.
    pub urls_expire_at: DateTime<Utc>,
}

impl PhotoResponse {
    /// The photo with URLs signed until `expires_at` (Unix seconds). Only for photos of issues
    /// the caller may see: the URLs open them to anyone who holds them.
    fn signed(row: &PhotoRow, app: &Application, expires_at: i64) -> Self {
        let id = PhotoId(row.id);
        let signed = |size: PhotoSize, query: &str| {
            let signature = app.sign_photo(id, size, expires_at);
            format!(
                "{}?{query}expires={expires_at}&signature={signature}",
                photo_path(row.id)
            )
        };
        Self {
            id: row.id,
            issue_id: row.issue_id,
            content_type: row.content_type.clone(),
            size_bytes: row.size_bytes,
            created_at: from_millis(row.created_at).unwrap_or_default(),
            url: signed(PhotoSize::Original, ""),
            thumbnail_url: signed(PhotoSize::Thumb, "size=thumb&"),
            urls_expire_at: DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
        }
    }

    /// Every photo of `rows`, signed until the same time.
    fn signed_all(rows: &[PhotoRow], app: &Application) -> Vec<Self> {
        let expires_at = app.photo_url_expiry();
        rows.iter()
            .map(|row| Self::signed(row, app, expires_at))
            .collect()
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
pub(crate) async fn read_file_field(
    req: &HttpRequest,
    payload: web::Payload,
) -> ApiResult<Vec<u8>> {
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
        PhotoUpload,
        Unauthenticated,
        (status = 403, description = "Neither the reporter nor staff acting on the issue", body = Problem, content_type = "application/problem+json"),
        IssueNotFound,
        (status = 409, description = "The issue already has 9 photos (`too_many_photos`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG, PNG or WebP image that can be decoded (`unsupported_image`), more pixels than can be decoded safely, e.g. a decompression bomb (`image_too_large`), or no `file` field (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many photos are being processed (`overloaded`, with `Retry-After`), or the database is unreachable (`service_unavailable`)", body = Problem, content_type = "application/problem+json"),
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
    if actor.role.is_read_only_on_cases() {
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
    let res = PhotoResponse::signed_all(std::slice::from_ref(&row), &state);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, photo_path(row.id)))
        .json(&res[0]))
}

/// The photos of an issue the caller may see, with URLs signed for a while.
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
        items: PhotoResponse::signed_all(&rows, &state),
    }))
}

/// Which rendition of a photo.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoSizeParam {
    /// The stored original, at most 2560 px on its long side.
    #[default]
    Original,
    /// The thumbnail, a JPEG of at most 400 px on its long side.
    Thumb,
}

impl From<PhotoSizeParam> for PhotoSize {
    fn from(size: PhotoSizeParam) -> Self {
        match size {
            PhotoSizeParam::Original => PhotoSize::Original,
            PhotoSizeParam::Thumb => PhotoSize::Thumb,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PhotoQuery {
    /// `original` (default) or `thumb`.
    #[param(inline)]
    pub size: Option<PhotoSizeParam>,
    /// A signed URL's expiry (Unix seconds), as in `url` / `thumbnail_url`.
    pub expires: Option<i64>,
    /// A signed URL's signature: with it (and `expires`) no bearer token is needed.
    pub signature: Option<String>,
}

/// A rendition of a photo: to whoever may see its issue (bearer token), or to whoever holds a
/// signed URL from a photo response that has not expired (no token needed, so `<img src>` and
/// image caches work). A signed URL opens only the photo and rendition it was made for.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = []), ()),
    params(("id" = i64, Path, description = "Photo id"), PhotoQuery),
    responses(
        (status = 200, description = "The image, with its content type",
            content(
                (PhotoBytes = "image/jpeg"),
                (PhotoBytes = "image/png"),
                (PhotoBytes = "image/webp"),
            )
        ),
        Unauthenticated,
        (status = 403, description = "A signed URL that has expired (`photo_url_expired`: list the photos again) or was altered (`invalid_photo_url`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such photo, or its issue is not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/photos/{id}")]
pub async fn get_photo(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<PhotoId>,
    query: web::Query<PhotoQuery>,
) -> ApiResult<HttpResponse> {
    let (id, query) = (id.into_inner(), query.into_inner());
    let size = PhotoSize::from(query.size.unwrap_or_default());
    let (file, cache) = match (query.expires, query.signature) {
        (None, None) => {
            let actor = Caller::extract(&req).await?.actor;
            let file = state
                .call(move |app| app.photo_file(&actor, id, size))
                .await?;
            (file, "private".to_owned())
        }
        (expires, signature) => {
            // Half a signed URL is an altered one.
            let (expires, signature) = (expires.unwrap_or(0), signature.unwrap_or_default());
            let file = state
                .call(move |app| app.signed_photo_file(id, size, expires, &signature))
                .await?;
            // A browser may keep it until the URL expires, no longer; shared caches never.
            let left = (expires - state.now().timestamp()).max(0);
            (file, format!("private, max-age={left}"))
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, file.content_type.clone()))
        // Other users must not get it from a shared cache (`nosniff` is on every response).
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, format!("\"{}\"", file.content_hash)))
        .body(file.bytes))
}
