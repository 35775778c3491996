//! Comments on an issue, public or (staff) internal.

use linli_domain::{
    auth::{self, Actor},
    ids::IssueId,
    values::Note,
};
use linli_infra::{
    repo::{
        comments::{self, CommentView, NewComment},
        users,
    },
    time::to_millis,
};

use super::{load_visible, view::shown_actor_name};
use crate::application::{AppResult, Application};

impl Application {
    /// Comment on issue `id` as `actor`.
    pub fn add_comment(
        &self,
        actor: &Actor,
        id: IssueId,
        body: Note,
        internal: bool,
    ) -> AppResult<CommentView> {
        auth::may_comment(actor, internal)?;
        let now = to_millis(self.now());
        self.write(|conn| {
            load_visible(conn, actor, id)?;
            let comment = comments::insert(
                conn,
                &NewComment {
                    issue_id: id.0,
                    author_id: actor.user_id.0,
                    body: body.as_str(),
                    internal,
                    created_at: now,
                },
            )?;
            let author = users::find(conn, actor.user_id)?;
            Ok(CommentView {
                comment,
                author_name: author.display_name,
                author_role: author.role,
            })
        })
    }

    /// The comments of issue `id` oldest first (internal ones only for staff): at most `fetch`
    /// after the id `after`.
    pub fn list_comments(
        &self,
        actor: &Actor,
        id: IssueId,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<CommentView>> {
        let include_internal = actor.role.is_staff();
        self.read(|conn| {
            load_visible(conn, actor, id)?;
            comments::list(conn, id, include_internal, after, fetch)?
                .into_iter()
                .map(|mut view| {
                    let name = shown_actor_name(
                        actor,
                        Some(view.comment.author_id),
                        Some(&view.author_role),
                        Some(view.author_name),
                    )?;
                    view.author_name = name.unwrap_or_default();
                    Ok(view)
                })
                .collect()
        })
    }
}
