//! "Me too" (附议): a resident of the compound backs a public issue, once.

use crate::application::ProblemCode;
use linli_domain::{
    auth::{self, Actor, SupportRefusal},
    ids::IssueId,
};
use linli_infra::{RepoError, repo::supports, time::to_millis};

use super::{IssueView, forbidden, load_visible};
use crate::application::{AppError, AppResult, Application};

/// The problem a refused "me too" answers with.
fn refused(refusal: SupportRefusal) -> AppError {
    match refusal {
        SupportRefusal::NotResident => forbidden("only residents add \"me too\""),
        SupportRefusal::Unverified => AppError::Refused {
            code: ProblemCode::VerificationRequired,
            detail: "\"me too\" is for residents the compound has verified (业主认证)".into(),
        },
        SupportRefusal::OwnIssue => AppError::conflict(
            ProblemCode::OwnIssue,
            "you reported this issue; \"me too\" is for your neighbours",
        ),
        SupportRefusal::NotOpen(status) => AppError::conflict(
            ProblemCode::IssueNotOpen,
            format!("the issue is {status}; it can no longer be supported"),
        ),
    }
}

impl Application {
    /// Add `actor`'s "me too" to issue `id`; the issue with its new count.
    pub fn support_issue(&self, actor: &Actor, id: IssueId) -> AppResult<IssueView> {
        auth::may_support_any(actor).map_err(refused)?;
        let at = self.now();
        self.write(|conn| {
            let issue = load_visible(conn, actor, id)?;
            auth::may_support(actor, &issue).map_err(refused)?;
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
            IssueView::present_one(&self.org_names, conn, actor, issue, support_count, at)
        })
    }
}
