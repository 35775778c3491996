//! "Me too" (附议): a resident of the compound backs a public issue, once.

use crate::application::ProblemCode;
use linli_domain::{auth::Actor, ids::IssueId};
use linli_infra::{RepoError, repo::supports, time::to_millis};

use super::{IssueView, load_visible};
use crate::application::{AppError, AppResult, Application};

impl Application {
    /// Add `actor`'s "me too" to issue `id`; the issue with its new count.
    pub fn support_issue(&self, actor: &Actor, id: IssueId) -> AppResult<IssueView> {
        if !actor.verified {
            return Err(AppError::Refused {
                code: ProblemCode::VerificationRequired,
                detail: "\"me too\" is for residents the compound has verified (业主认证)".into(),
            });
        }
        let at = self.now();
        self.write(|conn| {
            // A resident sees their own issues and the public ones of their compound, so a
            // visible issue that is not their own is a public issue of their compound.
            let issue = load_visible(conn, actor, id)?;
            if issue.reporter == actor.user_id {
                return Err(AppError::conflict(
                    ProblemCode::OwnIssue,
                    "you reported this issue; \"me too\" is for your neighbours",
                ));
            }
            if !issue.status.is_open() {
                return Err(AppError::conflict(
                    ProblemCode::IssueNotOpen,
                    format!(
                        "the issue is {}; it can no longer be supported",
                        issue.status
                    ),
                ));
            }
            let already = || {
                AppError::conflict(
                    ProblemCode::AlreadySupported,
                    "you already added \"me too\" to this issue",
                )
            };
            if supports::exists(conn, id, actor.user_id)? {
                return Err(already());
            }
            // The primary key still decides when two requests race past the check above.
            let support_count =
                supports::add(conn, id, actor.user_id, to_millis(at)).map_err(|e| match e {
                    RepoError::Conflict(_) => already(),
                    other => other.into(),
                })?;
            Ok(IssueView {
                issue,
                support_count,
                at,
            })
        })
    }
}
