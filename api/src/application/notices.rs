//! The notice board (公告/公示): property staff, community officials (and, once the role exists,
//! the district office) publish notices to compounds; residents read those of their compound,
//! staff those within their scope; an outage notice is shown before a resident files in a
//! category it covers.

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Actor,
    category::CategoryCode,
    ids::{CommunityId, CompoundId, GridId, NoticeId, PropertyCompanyId, StreetId, UserId},
    notice::{NoticeKind, Publisher, Readers, check_notice},
    values::{NoticeBody, NoticeTitle},
};
use linli_infra::{
    DbConn,
    repo::{
        notices::{self, NewNotice, NoticeView},
        org,
    },
    time::to_millis,
};

use super::issues::forbidden;
use crate::application::{AppError, AppResult, Application, catalogue::Catalogue};

/// Most compounds one notice is posted to by id (a whole community goes by `community_id`).
pub const MAX_NOTICE_COMPOUNDS: usize = 100;

/// Where a notice goes: some compounds, or every compound of a community.
#[derive(Debug, Clone)]
pub enum NoticeTarget {
    Compounds(Vec<CompoundId>),
    Community(CommunityId),
}

/// A notice as its publisher writes it, parsed.
#[derive(Debug, Clone)]
pub struct NoticeDraft {
    pub title: NoticeTitle,
    pub body: NoticeBody,
    pub kind: NoticeKind,
    pub target: NoticeTarget,
    pub pinned: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// The filing categories an outage covers (none for other kinds).
    pub categories: Vec<CategoryCode>,
}

/// The compounds whose notices `readers` read; `None`: every compound.
fn reader_compounds(conn: &mut DbConn, readers: Readers) -> AppResult<Option<Vec<i64>>> {
    let ids = |rows: Vec<org::CompoundRow>| rows.into_iter().map(|c| c.id).collect();
    Ok(Some(match readers {
        Readers::District => return Ok(None),
        Readers::Nobody => Vec::new(),
        Readers::Compound(CompoundId(c)) => vec![c],
        Readers::PropertyCompany(PropertyCompanyId(p)) => {
            ids(org::list_compounds(conn, None, Some(p))?)
        }
        Readers::Community(CommunityId(c)) => ids(org::list_compounds(conn, Some(c), None)?),
        Readers::Grid(GridId(g)) => {
            let mut compounds: Vec<i64> = org::list_buildings(conn, None, Some(g))?
                .into_iter()
                .map(|b| b.compound_id)
                .collect();
            compounds.sort_unstable();
            compounds.dedup();
            compounds
        }
        Readers::Building(building) => vec![org::find_building(conn, building)?.compound_id],
        Readers::Street(StreetId(s)) => {
            let mut compounds = Vec::new();
            for community in org::list_communities(conn, Some(s))? {
                compounds.extend(ids(org::list_compounds(conn, Some(community.id), None)?));
            }
            compounds
        }
    }))
}

fn publisher_of(view: &NoticeView) -> AppResult<Publisher> {
    Ok(Publisher::from_parts(
        &view.notice.publisher_kind,
        view.notice.publisher_id,
    )?)
}

fn in_force(view: &NoticeView, now: i64) -> bool {
    view.notice.withdrawn_at.is_none() && view.notice.expires_at.is_none_or(|t| t > now)
}

/// 403 for the admin: the admin manages accounts, not notices.
fn require_reader(actor: &Actor) -> AppResult<Readers> {
    match Readers::of(actor) {
        Readers::Nobody => Err(forbidden("the admin manages accounts, not notices")),
        readers => Ok(readers),
    }
}

/// May `actor` read the notice: its publisher's organisation always; staff when it is posted
/// to a compound in their scope; residents only while it is in force.
fn may_read(conn: &mut DbConn, actor: &Actor, view: &NoticeView, now: i64) -> AppResult<bool> {
    if Publisher::of(actor) == Some(publisher_of(view)?) {
        return Ok(true);
    }
    let in_scope = match reader_compounds(conn, Readers::of(actor))? {
        None => true,
        Some(set) => view.compound_ids.iter().any(|c| set.contains(c)),
    };
    Ok(in_scope && (actor.role.is_staff() || in_force(view, now)))
}

/// Store `draft` as published now by `author` for `publisher` to `compound_ids`, which the
/// caller has checked the publisher reaches (call inside a transaction).
pub(crate) fn store_notice(
    conn: &mut DbConn,
    publisher: Publisher,
    author: UserId,
    draft: &NoticeDraft,
    compound_ids: &[i64],
    now: DateTime<Utc>,
) -> AppResult<NoticeView> {
    let publisher_name = match publisher {
        Publisher::PropertyCompany(p) => org::find_property_company(conn, p)?.name,
        Publisher::Community(c) => org::find_community(conn, c)?.name,
        Publisher::District => "区级部门".to_owned(),
    };
    let (publisher_kind, publisher_id) = publisher.parts();
    let categories: Vec<&str> = draft.categories.iter().map(|c| c.as_str()).collect();
    Ok(notices::create(
        conn,
        &NewNotice {
            kind: draft.kind.as_str(),
            title: draft.title.as_str(),
            body: draft.body.as_str(),
            pinned: draft.pinned,
            publisher_kind,
            publisher_id,
            publisher_name: &publisher_name,
            created_by: author.0,
            created_at: to_millis(now),
            expires_at: draft.expires_at.map(to_millis),
        },
        compound_ids,
        &categories,
    )?)
}

impl Application {
    /// Publish a notice in the name of the actor's organisation to compounds it reaches: 403
    /// for roles that publish none and for a compound outside the publisher's reach, 422 for
    /// a compound or community that does not exist.
    pub fn publish_notice(&self, actor: &Actor, draft: NoticeDraft) -> AppResult<NoticeView> {
        let publisher = Publisher::of(actor).ok_or_else(|| {
            forbidden("notices are published by property staff and community officials")
        })?;
        let now = self.now();
        check_notice(draft.kind, &draft.categories, draft.expires_at, now)?;
        self.write(|conn| {
            // The categories an outage covers are the catalogue's.
            let catalogue = Catalogue::load(conn)?;
            if let Some(unknown) = draft
                .categories
                .iter()
                .find(|c| catalogue.get(c.as_str()).is_none())
            {
                return Err(AppError::validation(
                    "categories",
                    format!("unknown category code `{unknown}`"),
                ));
            }
            let compounds = match &draft.target {
                NoticeTarget::Compounds(ids) => {
                    let mut rows = Vec::with_capacity(ids.len());
                    for id in ids {
                        rows.push(org::find_compound(conn, *id).map_err(|_| {
                            AppError::validation("compound_ids", format!("no compound {id}"))
                        })?);
                    }
                    rows
                }
                NoticeTarget::Community(id) => {
                    org::find_community(conn, *id)
                        .map_err(|_| AppError::validation("community_id", "no such community"))?;
                    let rows = org::list_compounds(conn, Some(id.0), None)?;
                    if rows.is_empty() {
                        return Err(AppError::validation(
                            "community_id",
                            "the community has no compound",
                        ));
                    }
                    rows
                }
            };
            if let Some(outside) = compounds.iter().find(|c| {
                !publisher.reaches(
                    CommunityId(c.community_id),
                    PropertyCompanyId(c.property_company_id),
                )
            }) {
                return Err(forbidden(format!(
                    "{} is outside what you may post notices to",
                    outside.name
                )));
            }
            let compound_ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
            store_notice(conn, publisher, actor.user_id, &draft, &compound_ids, now)
        })
    }

    /// The notices in force posted to the compounds the actor reads (a resident: their own;
    /// staff: their scope), pinned first, then newest first, after the notice `after`.
    pub fn list_notices(
        &self,
        actor: &Actor,
        after: Option<NoticeId>,
        fetch: i64,
    ) -> AppResult<Vec<NoticeView>> {
        let readers = require_reader(actor)?;
        let now = to_millis(self.now());
        self.read(|conn| {
            let compounds = reader_compounds(conn, readers)?;
            Ok(notices::list_in_force(
                conn,
                compounds.as_deref(),
                now,
                after.map(|a| a.0),
                fetch,
            )?)
        })
    }

    /// One notice the actor may read (see [`may_read`]); `NotFound` otherwise.
    pub fn notice(&self, actor: &Actor, id: NoticeId) -> AppResult<NoticeView> {
        require_reader(actor)?;
        let now = to_millis(self.now());
        self.read(|conn| {
            let view = notices::find(conn, id.0)?;
            if may_read(conn, actor, &view, now)? {
                Ok(view)
            } else {
                Err(AppError::NotFound)
            }
        })
    }

    /// Withdraw a notice: only its publisher's organisation (the same company or community)
    /// may; others who can read it get 403, everyone else 404. Withdrawing twice changes
    /// nothing.
    pub fn withdraw_notice(&self, actor: &Actor, id: NoticeId) -> AppResult<NoticeView> {
        let now = self.now();
        self.write(|conn| {
            let view = notices::find(conn, id.0)?;
            if Publisher::of(actor) != Some(publisher_of(&view)?) {
                return Err(if may_read(conn, actor, &view, to_millis(now))? {
                    forbidden("only the organisation that published a notice withdraws it")
                } else {
                    AppError::NotFound
                });
            }
            if view.notice.withdrawn_at.is_none() {
                notices::withdraw(conn, id.0, actor.user_id.0, to_millis(now))?;
            }
            Ok(notices::find(conn, id.0)?)
        })
    }

    /// The outage notices in force in `compound`, for the filing screen: its residents and the
    /// staff whose scope covers it; `NotFound` for anyone else and for unknown compounds.
    pub fn outage_notices(
        &self,
        actor: &Actor,
        compound: CompoundId,
    ) -> AppResult<Vec<NoticeView>> {
        let now = to_millis(self.now());
        self.read(|conn| {
            org::find_compound(conn, compound)?;
            let readable = match reader_compounds(conn, Readers::of(actor))? {
                None => true,
                Some(set) => set.contains(&compound.0),
            };
            if !readable {
                return Err(AppError::NotFound);
            }
            Ok(notices::outages_in_force(conn, compound.0, now)?)
        })
    }
}
