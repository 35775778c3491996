//! Photos of an issue: who may add them, storing one (bytes in the photo store, a row per
//! photo), listing them and reading the bytes back.

use crate::application::ProblemCode;
use linli_domain::{
    auth::{Actor, Role},
    ids::{IssueId, PhotoId},
    issue::Issue,
};
use linli_infra::{
    DbConn,
    repo::photos::{self, NewPhoto, PhotoRow},
    time::to_millis,
};

use super::{forbidden, load_visible};
use crate::{
    application::{AppError, AppResult, Application},
    photos::sniff_image,
};

/// Most photos one issue may have.
pub const MAX_PHOTOS_PER_ISSUE: i64 = 9;

/// Who may add photos to an issue they can see: its reporter, and staff (the handler's staff
/// for rectification evidence, the grid worker on a patrol, ...). Auditors only read; admins
/// see no cases.
fn may_upload(actor: &Actor, issue: &Issue) -> AppResult<()> {
    match actor.role {
        Role::Auditor | Role::Admin => Err(forbidden(format!(
            "the {} role cannot add photos",
            actor.role.as_str()
        ))),
        Role::Resident if issue.reporter != actor.user_id => Err(forbidden(
            "only the resident who reported the issue may add photos to it",
        )),
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
        if matches!(actor.role, Role::Auditor | Role::Admin) {
            return Err(forbidden(format!(
                "the {} role cannot add photos",
                actor.role.as_str()
            )));
        }
        self.read(|conn| check_upload(conn, actor, id))
    }

    /// Store `bytes` (a JPEG, PNG or WebP, judged by content) as a photo of issue `id`.
    pub fn add_photo(&self, actor: &Actor, id: IssueId, bytes: Vec<u8>) -> AppResult<PhotoRow> {
        let Some(content_type) = sniff_image(&bytes) else {
            return Err(AppError::Unprocessable {
                code: ProblemCode::UnsupportedImage,
                detail: "the file is not a JPEG, PNG or WebP image".into(),
            });
        };
        let size_bytes = i64::try_from(bytes.len()).map_err(AppError::internal)?;
        let hash = self.photos.put(&bytes).map_err(AppError::internal)?;
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
                    content_type,
                    size_bytes,
                    created_at: now,
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

    /// The bytes of a photo, to whoever may see its issue.
    pub fn photo_file(&self, actor: &Actor, id: PhotoId) -> AppResult<PhotoFile> {
        let row = self.read(|conn| {
            let row = photos::find(conn, id)?;
            load_visible(conn, actor, IssueId(row.issue_id))?;
            Ok(row)
        })?;
        let bytes = self
            .photos
            .get(&row.content_hash)
            .map_err(AppError::internal)?;
        Ok(PhotoFile {
            content_type: row.content_type,
            content_hash: row.content_hash,
            bytes,
        })
    }
}
