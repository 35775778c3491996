//! Triage (分流/派单): the dispatcher chooses level, handler and urgency, or takes the suggestion.

use linli_domain::{
    auth::Actor,
    ids::{BuildingId, CommunityId, GridId, IssueId, PropertyCompanyId},
    issue::{Command, CommandKind, Issue},
    triage::{self, Handler, Level, TriageChoice, TriageOverrides},
    urgency::Urgency,
    values::{Note, OrgName},
};
use linli_infra::{
    DbConn,
    repo::{org, users},
};

use super::{IssueView, named};
use crate::application::{AppError, AppResult, Application};

/// Who the dispatcher names as the handler, if anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerChoice {
    /// Per level: the grid, the property company, the community (community and mediation), or
    /// the building (residents: its building leaders).
    Id(i64),
    /// An outside department, by name (level `department`).
    Department(OrgName),
}

/// The dispatcher's overrides of the routing suggestion, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageInput {
    pub level: Option<Level>,
    pub handler: Option<HandlerChoice>,
    pub urgency: Option<Urgency>,
    /// Required when overriding the suggested level, handler or urgency.
    pub reason: Option<Note>,
}

impl Application {
    /// Triage issue `id` as `actor` (a dispatcher of its street).
    pub fn triage(
        &self,
        actor: &Actor,
        id: IssueId,
        expected_version: Option<i64>,
        input: TriageInput,
    ) -> AppResult<IssueView> {
        self.run_command(
            actor,
            id,
            expected_version,
            CommandKind::Triage,
            |issue, conn| triage_choice(conn, issue, input).map(Command::Triage),
        )
    }
}

/// The handler the dispatcher names, checked against the organisation tree and the issue.
fn chosen_handler(
    conn: &mut DbConn,
    issue: &Issue,
    level: Option<Level>,
    choice: HandlerChoice,
) -> AppResult<Handler> {
    match choice {
        HandlerChoice::Id(hid) => {
            let level = level.ok_or_else(|| {
                AppError::validation("level", "choose a level to say what handler_id names")
            })?;
            match level {
                Level::Grid => {
                    let grid = named(org::find_grid(conn, GridId(hid)), "handler_id", "grid")?;
                    // Grid and community work stays in the issue's own community: its
                    // officials are the ones who deliberate and revisit it.
                    if grid.community_id != issue.place.community_id.0 {
                        return Err(AppError::validation(
                            "handler_id",
                            "the grid belongs to another community",
                        ));
                    }
                    Ok(Handler::Grid {
                        grid_id: GridId(hid),
                    })
                }
                Level::Property => {
                    named(
                        org::find_property_company(conn, PropertyCompanyId(hid)),
                        "handler_id",
                        "property company",
                    )?;
                    // Only the company managing the compound now may be handed its cases (its
                    // staff would see the reporter's phone number).
                    let place = org::compound_place(conn, issue.place.compound_id)?;
                    if place.property_company_id != hid {
                        return Err(AppError::validation(
                            "handler_id",
                            "this property company does not manage the issue's compound",
                        ));
                    }
                    Ok(Handler::PropertyCompany {
                        property_company_id: PropertyCompanyId(hid),
                    })
                }
                Level::Community | Level::Mediation => {
                    named(
                        org::find_community(conn, CommunityId(hid)),
                        "handler_id",
                        "community",
                    )?;
                    if hid != issue.place.community_id.0 {
                        return Err(AppError::validation(
                            "handler_id",
                            "deliberation and mediation are held by the issue's own community",
                        ));
                    }
                    let community_id = CommunityId(hid);
                    Ok(if level == Level::Community {
                        Handler::Community { community_id }
                    } else {
                        Handler::Mediators { community_id }
                    })
                }
                Level::Department => Err(AppError::validation(
                    "handler_id",
                    "a department is named with `department`, not handler_id",
                )),
                // 小事居民治 stays in the building: only its own leaders take it.
                Level::Residents => {
                    if issue.place.building_id != Some(BuildingId(hid)) {
                        return Err(AppError::validation(
                            "handler_id",
                            "a residents-level case goes to the leaders of its own building",
                        ));
                    }
                    Ok(Handler::BuildingLeaders {
                        building_id: BuildingId(hid),
                    })
                }
            }
        }
        HandlerChoice::Department(name) => {
            if level != Some(Level::Department) {
                return Err(AppError::validation(
                    "department",
                    "a department name is only for level `department`",
                ));
            }
            Ok(Handler::Department {
                name: name.into_string(),
            })
        }
    }
}

/// Who takes `issue` by `input`, checked against the organisation tree and decided by routing
/// as at triage (also when a return is upheld, or a case is reassigned). The handler's clock
/// starts when the state machine assigns it.
pub(crate) fn triage_choice(
    conn: &mut DbConn,
    issue: &Issue,
    input: TriageInput,
) -> AppResult<TriageChoice> {
    let chosen = input.level.or(issue.suggestion.level);
    let handler = input
        .handler
        .map(|choice| chosen_handler(conn, issue, chosen, choice))
        .transpose()?;
    let overrides = TriageOverrides {
        level: input.level,
        handler,
        urgency: input.urgency,
        reason: input.reason,
    };
    let choice = triage::decide(&issue.suggestion, overrides, &issue.place)?;
    if let Handler::BuildingLeaders { building_id } = choice.handler
        && !users::building_has_leaders(conn, building_id)?
    {
        return Err(AppError::validation(
            "level",
            "the building has no building leader (楼栋长) to take it; route it to the grid",
        ));
    }
    Ok(choice)
}
