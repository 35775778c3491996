//! Rectification (物业整改): the handler reports the fix with its evidence.

use linli_domain::{
    auth::Actor,
    ids::{IssueId, PhotoId},
    issue::{Command, CommandKind},
    values::Note,
};
use linli_infra::repo::photos;

use super::IssueView;
use crate::application::{AppError, AppResult, Application};

/// Most photos one rectification may cite.
pub const MAX_RECTIFICATION_PHOTOS: usize = 9;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectificationInput {
    /// What was done.
    pub notes: Note,
    /// Evidence: photos of this issue, without repeats, at most [`MAX_RECTIFICATION_PHOTOS`].
    pub photo_ids: Vec<PhotoId>,
}

impl Application {
    /// Submit the rectification of issue `id` as `actor` (its current handler).
    pub fn submit_rectification(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: RectificationInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::SubmitRectification,
            |_, conn| {
                let RectificationInput { notes, photo_ids } = input;
                if !photo_ids.is_empty() {
                    let found = photos::count_of_issue_among(conn, id, &photo_ids)?;
                    if usize::try_from(found).ok() != Some(photo_ids.len()) {
                        return Err(AppError::validation(
                            "photo_ids",
                            "every photo must have been uploaded to this issue",
                        ));
                    }
                }
                Ok(Command::SubmitRectification { notes, photo_ids })
            },
        )
    }
}
