//! Reading issues: the role-scoped list, one issue with the reporter's contact, its timeline.

use linli_domain::{
    auth::{self, Actor, Role},
    ids::IssueId,
    issue::{CommandKind, Issue},
    values::{mask_name, mask_phone},
};
use linli_infra::{
    DbConn,
    repo::{
        issues::{self, IssueEventRow, IssueListFilter, Visibility},
        users,
    },
    time::to_millis,
};

use super::{IssueView, load_visible, load_visible_with_support, view::shown_actor_name};
use crate::application::{AppResult, Application, catalogue::known_entry};

/// How the reporter of an issue can be reached, as far as the caller may know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterContact {
    pub id: i64,
    pub display_name: String,
    /// In full, or masked (`138****0001`).
    pub phone: String,
    pub phone_masked: bool,
}

/// Who called the hotline about an issue, as far as the caller may know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerContact {
    /// In full, or masked (`刘**`).
    pub name: String,
    /// In full, or masked (`139****1111`).
    pub phone: String,
    pub masked: bool,
}

/// One event of a timeline, with its actor's name as the caller may see it.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub event: IssueEventRow,
    /// `None` for the scheduler.
    pub actor_name: Option<String>,
}

/// One issue for its detail page.
#[derive(Debug, Clone)]
pub struct IssueDetail {
    pub view: IssueView,
    /// `None` for residents who did not report it.
    pub reporter: Option<ReporterContact>,
    /// The hotline caller; `None` for residents and for issues not taken on the hotline.
    pub caller: Option<CallerContact>,
}

/// Whether `actor` handles or triages `issue`: whoever may call its people back.
fn handles(actor: &Actor, issue: &Issue) -> bool {
    [CommandKind::Answer, CommandKind::Triage]
        .into_iter()
        .any(|kind| auth::authorize(actor, kind, issue).is_ok())
}

/// The hotline caller for `actor`: in full for whoever handles or triages the issue (the
/// callback is theirs to make), masked for other staff, nothing for residents.
fn caller_contact(actor: &Actor, issue: &Issue) -> Option<CallerContact> {
    let caller = issue.caller.as_ref()?;
    if actor.role == Role::Resident {
        return None;
    }
    let full = handles(actor, issue);
    Some(CallerContact {
        name: if full {
            caller.name.clone()
        } else {
            mask_name(&caller.name)
        },
        phone: if full {
            caller.phone.clone()
        } else {
            mask_phone(&caller.phone)
        },
        masked: !full,
    })
}

/// The reporter's contact for `actor`: in full for the reporter and for whoever handles or
/// triages the issue, the phone masked for other staff, phone and name masked for building
/// leaders and volunteers (neighbours, not staff) who do not handle it, nothing for other
/// residents.
fn reporter_contact(
    conn: &mut DbConn,
    actor: &Actor,
    issue: &Issue,
) -> AppResult<Option<ReporterContact>> {
    let is_reporter = actor.user_id == issue.reporter;
    if actor.role == Role::Resident && !is_reporter {
        return Ok(None);
    }
    let user = users::find(conn, issue.reporter)?;
    let full = is_reporter || handles(actor, issue);
    Ok(Some(ReporterContact {
        id: user.id,
        display_name: if full || actor.role.is_staff() {
            user.display_name
        } else {
            mask_name(&user.display_name)
        },
        phone: if full {
            user.phone
        } else {
            mask_phone(&user.phone)
        },
        phone_masked: !full,
    }))
}

impl Application {
    /// The issues `actor` may see that pass `filter` (whose `now` is set here), newest first.
    pub fn list_issues(
        &self,
        actor: &Actor,
        mut filter: IssueListFilter,
    ) -> AppResult<Vec<IssueView>> {
        let at = self.now();
        filter.now = to_millis(at);
        let visibility = Visibility::of(actor);
        self.read(|conn| {
            if let Some(code) = filter.category {
                known_entry(conn, code)?;
            }
            let rows = issues::list_visible(conn, visibility, &filter)?;
            IssueView::present_rows(&self.org_names, conn, actor, &rows, at)
        })
    }

    /// One issue `actor` may see, with the reporter's contact as far as they may know it.
    pub fn get_issue(&self, actor: &Actor, id: IssueId) -> AppResult<IssueDetail> {
        let at = self.now();
        self.read(|conn| {
            let (issue, support_count) = load_visible_with_support(conn, actor, id)?;
            let reporter = reporter_contact(conn, actor, &issue)?;
            let caller = caller_contact(actor, &issue);
            Ok(IssueDetail {
                caller,
                view: IssueView::present_one(
                    &self.org_names,
                    conn,
                    actor,
                    issue,
                    support_count,
                    at,
                )?,
                reporter,
            })
        })
    }

    /// The timeline of an issue `actor` may see, oldest first, with who did what as far as
    /// they may know it.
    pub fn issue_events(&self, actor: &Actor, id: IssueId) -> AppResult<Vec<TimelineEntry>> {
        self.read(|conn| {
            load_visible(conn, actor, id)?;
            issues::events_with_actor_names(conn, id)?
                .into_iter()
                .map(|(event, name)| {
                    let actor_name =
                        shown_actor_name(actor, event.actor_id, event.actor_role.as_deref(), name)?;
                    Ok(TimelineEntry { event, actor_name })
                })
                .collect()
        })
    }
}
