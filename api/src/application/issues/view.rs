//! An issue as one caller sees it: its "me too" count, the names of the units it refers to, and
//! the actions the caller may take on it now. Built for a whole page at once: the names in one
//! lookup per kind of unit and the caller's "me too"s in one query, never a query per issue.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use linli_domain::{
    auth::{self, Actor, IssueAction, Role},
    ids::UserId,
    issue::Issue,
    triage::Handler,
};
use linli_infra::{
    DbConn,
    repo::{
        issues::IssueRow,
        org::{OrgIds, OrgNames},
        supports,
    },
};

use crate::application::{AppResult, catalogue::Catalogue, org::OrgNameCache};

/// The display names of the units an issue refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueNames {
    /// The category's Chinese name, from the catalogue.
    pub category: String,
    pub street: String,
    pub community: String,
    pub compound: String,
    pub building: Option<String>,
    pub grid: Option<String>,
    pub property_company: String,
    /// The current handler's name, if it has one.
    pub handler: Option<String>,
    /// The suggested handler's name, if any.
    pub suggested_handler: Option<String>,
}

/// An issue as a caller sees it after a use case: with its "me too" count, the time the use case
/// ran at (what `overdue` is judged against), its names, and what the caller may do next.
#[derive(Debug, Clone)]
pub struct IssueView {
    pub issue: Issue,
    pub support_count: i64,
    pub at: DateTime<Utc>,
    pub names: IssueNames,
    /// By [`auth::allowed_actions`], the checks that authorise each request.
    pub allowed_actions: Vec<IssueAction>,
}

/// The display name of whoever did something (an event's actor, a comment's author) as `viewer`
/// may see it ([`auth::shown_name`]); `None` for the scheduler.
pub fn shown_actor_name(
    viewer: &Actor,
    person: Option<i64>,
    role: Option<&str>,
    name: Option<String>,
) -> AppResult<Option<String>> {
    let (Some(person), Some(role), Some(name)) = (person, role, name) else {
        return Ok(None);
    };
    let role = Role::parse(role)?;
    Ok(Some(auth::shown_name(viewer, UserId(person), role, &name)))
}

/// The name of a handling unit: the grid's, the company's, the community's (for its
/// deliberation and its mediators), the department's own, or the building's (for its leaders).
pub fn handler_name(names: &OrgNames, handler: &Handler) -> Option<String> {
    match handler {
        Handler::Grid { grid_id } => names.grids.get(&grid_id.0).cloned(),
        Handler::PropertyCompany {
            property_company_id,
        } => names
            .property_companies
            .get(&property_company_id.0)
            .cloned(),
        Handler::Community { community_id } | Handler::Mediators { community_id } => {
            names.communities.get(&community_id.0).cloned()
        }
        Handler::Department { name } => Some(name.clone()),
        Handler::BuildingLeaders { building_id } => names.buildings.get(&building_id.0).cloned(),
    }
}

/// Note the unit a handler names among `ids`.
fn add_handler(ids: &mut OrgIds, handler: &Handler) {
    match handler {
        Handler::Grid { grid_id } => ids.grids.push(grid_id.0),
        Handler::PropertyCompany {
            property_company_id,
        } => ids.property_companies.push(property_company_id.0),
        Handler::Community { community_id } | Handler::Mediators { community_id } => {
            ids.communities.push(community_id.0)
        }
        Handler::Department { .. } => {}
        Handler::BuildingLeaders { building_id } => ids.buildings.push(building_id.0),
    }
}

/// The distinct units a page of issues refers to.
fn org_ids<'a>(issues: impl Iterator<Item = &'a Issue>) -> OrgIds {
    let mut ids = OrgIds::default();
    for issue in issues {
        let p = &issue.place;
        ids.streets.push(p.street_id.0);
        ids.communities.push(p.community_id.0);
        ids.compounds.push(p.compound_id.0);
        ids.property_companies.push(p.property_company_id.0);
        ids.buildings.extend(p.building_id.map(|b| b.0));
        ids.grids.extend(p.grid_id.map(|g| g.0));
        for handler in [&issue.handler, &issue.suggestion.handler]
            .into_iter()
            .flatten()
        {
            add_handler(&mut ids, handler);
        }
    }
    for list in [
        &mut ids.streets,
        &mut ids.communities,
        &mut ids.grids,
        &mut ids.property_companies,
        &mut ids.compounds,
        &mut ids.buildings,
    ] {
        list.sort_unstable();
        list.dedup();
    }
    ids
}

fn issue_names(names: &OrgNames, catalogue: &Catalogue, issue: &Issue) -> IssueNames {
    let p = &issue.place;
    let name = |map: &std::collections::HashMap<i64, String>, id: i64| {
        map.get(&id).cloned().unwrap_or_default()
    };
    IssueNames {
        category: catalogue.name_zh(issue.category.as_str()),
        street: name(&names.streets, p.street_id.0),
        community: name(&names.communities, p.community_id.0),
        compound: name(&names.compounds, p.compound_id.0),
        building: p
            .building_id
            .and_then(|b| names.buildings.get(&b.0).cloned()),
        grid: p.grid_id.and_then(|g| names.grids.get(&g.0).cloned()),
        property_company: name(&names.property_companies, p.property_company_id.0),
        handler: issue.handler.as_ref().and_then(|h| handler_name(names, h)),
        suggested_handler: issue
            .suggestion
            .handler
            .as_ref()
            .and_then(|h| handler_name(names, h)),
    }
}

impl IssueView {
    /// Issues with their "me too" counts as `actor` sees them at `at`, in the given order.
    pub fn present(
        cache: &OrgNameCache,
        conn: &mut DbConn,
        actor: &Actor,
        issues: Vec<(Issue, i64)>,
        at: DateTime<Utc>,
    ) -> AppResult<Vec<Self>> {
        let names = cache.names(conn, &org_ids(issues.iter().map(|(i, _)| i)))?;
        // The catalogue is data the district edits: read once per page, never cached.
        let catalogue = Catalogue::load(conn)?;
        // Only a resident who may back issues at all has backed any.
        let backed: HashSet<i64> = if auth::may_support_any(actor).is_ok() {
            let ids: Vec<i64> = issues.iter().map(|(i, _)| i.id.0).collect();
            supports::backed_among(conn, actor.user_id, &ids)?
        } else {
            HashSet::new()
        };
        Ok(issues
            .into_iter()
            .map(|(issue, support_count)| Self {
                names: issue_names(&names, &catalogue, &issue),
                allowed_actions: auth::allowed_actions(actor, &issue, backed.contains(&issue.id.0)),
                issue,
                support_count,
                at,
            })
            .collect())
    }

    /// One issue with its count as `actor` sees it at `at`.
    pub fn present_one(
        cache: &OrgNameCache,
        conn: &mut DbConn,
        actor: &Actor,
        issue: Issue,
        support_count: i64,
        at: DateTime<Utc>,
    ) -> AppResult<Self> {
        let mut views = Self::present(cache, conn, actor, vec![(issue, support_count)], at)?;
        views.pop().ok_or(crate::application::AppError::NotFound)
    }

    /// The issues of stored rows, each with its count, as `actor` sees them at `at`.
    pub fn present_rows(
        cache: &OrgNameCache,
        conn: &mut DbConn,
        actor: &Actor,
        rows: &[IssueRow],
        at: DateTime<Utc>,
    ) -> AppResult<Vec<Self>> {
        let issues = rows
            .iter()
            .map(|row| Ok((row.to_domain()?, i64::from(row.support_count))))
            .collect::<AppResult<Vec<_>>>()?;
        Self::present(cache, conn, actor, issues, at)
    }
}
