//! Photos of an issue: who may add them, storing one (decoded, turned upright and re-encoded
//! without its metadata, as a capped original and a thumbnail in the photo store, a row per
//! photo), listing them, reading either rendition back, and the signed URLs that let an
//! `<img src>` load them without a bearer token.

use crate::application::ProblemCode;
use linli_domain::{
    auth::{self, Actor, Role},
    ids::{IssueId, PhotoId},
    issue::{CommandKind, Issue},
};
use linli_infra::{
    DbConn,
    images::{self, ImageError, MAX_PIXELS, MAX_SIDE},
    repo::photos::{self, NewPhoto, PhotoRow},
    signing::{PhotoSize, SignError},
    time::to_millis,
};

use super::{forbidden, load_visible};
use crate::application::{AppError, AppResult, Application};

/// Most photos one issue may have.
pub const MAX_PHOTOS_PER_ISSUE: i64 = 9;

/// Who may add photos to an issue they can see: its reporter, and staff (the handler's staff
/// for rectification evidence, the grid worker on a patrol, ...); building leaders and
/// volunteers (neighbours, not staff) to the issues they reported or handle. Auditors only
/// read; admins see no cases.
fn may_upload(actor: &Actor, issue: &Issue) -> AppResult<()> {
    match actor.role {
        role if role.is_read_only_on_cases() => Err(forbidden(format!(
            "the {} role cannot add photos",
            actor.role.as_str()
        ))),
        Role::Resident if issue.reporter != actor.user_id => Err(forbidden(
            "only the resident who reported the issue may add photos to it",
        )),
        Role::BuildingLeader | Role::Volunteer
            if issue.reporter != actor.user_id
                && auth::authorize(actor, CommandKind::SubmitRectification, issue).is_err() =>
        {
            Err(forbidden(
                "only who reported the issue or handles it may add photos to it",
            ))
        }
        _ => Ok(()),
    }
}

fn too_many() -> AppError {
    AppError::conflict(
        ProblemCode::TooManyPhotos,
        format!("an issue may have at most {MAX_PHOTOS_PER_ISSUE} photos"),
    )
}

/// Visible, allowed, and room for one more.
fn check_upload(conn: &mut DbConn, actor: &Actor, id: IssueId) -> AppResult<()> {
    let issue = load_visible(conn, actor, id)?;
    may_upload(actor, &issue)?;
    if photos::count_for_issue(conn, id)? >= MAX_PHOTOS_PER_ISSUE {
        return Err(too_many());
    }
    Ok(())
}

/// Signed URLs expire on a multiple of this many seconds (or of their lifetime, when shorter):
/// lists fetched a moment apart carry the same URLs, so image caches hit.
const URL_EXPIRY_STEP_SECS: i64 = 300;

/// What a refused image is told.
pub(crate) fn image_error(e: ImageError) -> AppError {
    match e {
        ImageError::TooManyPixels | ImageError::TooLarge => AppError::Unprocessable {
            code: ProblemCode::ImageTooLarge,
            detail: format!(
                "the image may have at most {} million pixels and {MAX_SIDE} pixels on a side",
                MAX_PIXELS / 1_000_000
            ),
        },
        ImageError::NotAnImage | ImageError::UnsupportedFormat | ImageError::Corrupt(_) => {
            AppError::Unprocessable {
                code: ProblemCode::UnsupportedImage,
                detail: "the file is not a JPEG, PNG or WebP image that can be decoded".into(),
            }
        }
        ImageError::Busy(e) => e.into(),
        ImageError::Encode(e) => AppError::internal(e),
    }
}

/// A photo's bytes with their type.
pub struct PhotoFile {
    pub content_type: String,
    pub content_hash: String,
    pub bytes: Vec<u8>,
}

impl Application {
    /// Whether `actor` may add a photo to issue `id` now (checked before the body is read, and
    /// again when the row is written).
    pub fn check_photo_upload(&self, actor: &Actor, id: IssueId) -> AppResult<()> {
        if actor.role.is_read_only_on_cases() {
            return Err(forbidden(format!(
                "the {} role cannot add photos",
                actor.role.as_str()
            )));
        }
        self.read(|conn| check_upload(conn, actor, id))
    }

    /// Store `bytes` (a JPEG, PNG or WebP, judged by content) as a photo of issue `id`: turned
    /// upright, re-encoded as a JPEG of at most 2560 px without EXIF/XMP, and a 400 px
    /// thumbnail. CPU-heavy, in the bounded processing queue: call it off the event loop.
    pub fn add_photo(&self, actor: &Actor, id: IssueId, bytes: Vec<u8>) -> AppResult<PhotoRow> {
        let photo = images::process_bounded(&bytes).map_err(image_error)?;
        drop(bytes);
        let size_bytes = i64::try_from(photo.original.len()).map_err(AppError::internal)?;
        let hash = self
            .photos
            .put(&photo.original)
            .map_err(AppError::internal)?;
        let thumbnail = self
            .photos
            .put(&photo.thumbnail)
            .map_err(AppError::internal)?;
        let now = to_millis(self.now());
        // A blob stored for an upload that then fails here is harmless: blobs are addressed by
        // content, and the same bytes uploaded again reuse it.
        self.write(|conn| {
            check_upload(conn, actor, id)?;
            photos::lock_issue(conn, id)?;
            if photos::count_for_issue(conn, id)? >= MAX_PHOTOS_PER_ISSUE {
                return Err(too_many());
            }
            Ok(photos::insert(
                conn,
                &NewPhoto {
                    issue_id: id.0,
                    uploaded_by: actor.user_id.0,
                    content_hash: &hash,
                    content_type: photo.content_type,
                    size_bytes,
                    created_at: now,
                    thumbnail_hash: Some(&thumbnail),
                },
            )?)
        })
    }

    /// The photos of issue `id`, oldest first.
    pub fn list_photos(&self, actor: &Actor, id: IssueId) -> AppResult<Vec<PhotoRow>> {
        self.read(|conn| {
            load_visible(conn, actor, id)?;
            Ok(photos::list_for_issue(conn, id)?)
        })
    }

    /// A rendition of a photo, to whoever may see its issue.
    pub fn photo_file(&self, actor: &Actor, id: PhotoId, size: PhotoSize) -> AppResult<PhotoFile> {
        let row = self.read(|conn| {
            let row = photos::find(conn, id)?;
            load_visible(conn, actor, IssueId(row.issue_id))?;
            Ok(row)
        })?;
        self.rendition(row, size)
    }

    /// A rendition of a photo, to whoever holds a URL signed for it that has not expired
    /// (`expires_at` in Unix seconds). The signature is checked before the photo is looked up,
    /// so an altered URL learns nothing about which photos exist.
    pub fn signed_photo_file(
        &self,
        id: PhotoId,
        size: PhotoSize,
        expires_at: i64,
        signature: &str,
    ) -> AppResult<PhotoFile> {
        let now = self.now().timestamp();
        self.photo_urls
            .verify(id.0, size, expires_at, signature, now)
            .map_err(|e| match e {
                SignError::Expired => AppError::Refused {
                    code: ProblemCode::PhotoUrlExpired,
                    detail: "the photo URL has expired; list the photos again for fresh URLs"
                        .into(),
                },
                SignError::BadSignature => AppError::Refused {
                    code: ProblemCode::InvalidPhotoUrl,
                    detail: "the photo URL is not one the server signed".into(),
                },
            })?;
        let row = self.read(|conn| Ok(photos::find(conn, id)?))?;
        self.rendition(row, size)
    }

    /// When photo URLs signed now expire (Unix seconds): after the configured lifetime, rounded
    /// up to the next step.
    pub fn photo_url_expiry(&self) -> i64 {
        let ttl = self.config.photo_url_ttl.num_seconds().max(1);
        let step = ttl.min(URL_EXPIRY_STEP_SECS);
        let at = self.now().timestamp() + ttl;
        at.div_euclid(step) * step + if at.rem_euclid(step) == 0 { 0 } else { step }
    }

    /// The signature of the URL of `id`'s `size` rendition, valid until `expires_at`. Only for
    /// photos of issues the caller may see.
    pub fn sign_photo(&self, id: PhotoId, size: PhotoSize, expires_at: i64) -> String {
        self.photo_urls.sign(id.0, size, expires_at)
    }

    /// The stored bytes of a rendition.
    fn rendition(&self, row: PhotoRow, size: PhotoSize) -> AppResult<PhotoFile> {
        let hash = match (size, row.thumbnail_hash.as_deref()) {
            (PhotoSize::Original, _) => &row.content_hash,
            (PhotoSize::Thumb, Some(thumbnail)) => thumbnail,
            (PhotoSize::Thumb, None) => return self.late_thumbnail(row),
        };
        let bytes = self.photos.get(hash).map_err(AppError::internal)?;
        let content_type = match size {
            PhotoSize::Original => row.content_type.clone(),
            PhotoSize::Thumb => "image/jpeg".into(),
        };
        Ok(PhotoFile {
            content_type,
            content_hash: hash.to_owned(),
            bytes,
        })
    }

    /// The thumbnail of a photo stored before thumbnails existed: made now and kept. An
    /// original that cannot be decoded is served as its own thumbnail rather than failing.
    fn late_thumbnail(&self, row: PhotoRow) -> AppResult<PhotoFile> {
        let original = self
            .photos
            .get(&row.content_hash)
            .map_err(AppError::internal)?;
        let photo = match images::process_bounded(&original) {
            Ok(photo) => photo,
            Err(ImageError::Busy(e)) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(photo = row.id, error = %e, "no thumbnail for an old photo: serving the original");
                return Ok(PhotoFile {
                    content_type: row.content_type,
                    content_hash: row.content_hash,
                    bytes: original,
                });
            }
        };
        let hash = self
            .photos
            .put(&photo.thumbnail)
            .map_err(AppError::internal)?;
        self.write(|conn| Ok(photos::set_thumbnail(conn, PhotoId(row.id), &hash)?))?;
        Ok(PhotoFile {
            content_type: photo.content_type.into(),
            content_hash: hash,
            bytes: photo.thumbnail,
        })
    }
}
