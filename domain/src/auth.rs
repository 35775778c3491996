//! Roles, their scope, and who may see or do what to an issue. Pure functions, tested alone.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError,
    ids::{CompoundId, PropertyCompanyId, UserId},
    issue::{CommandKind, Issue},
    triage::Handler,
};

pub use crate::scope::{Scope, ScopeKind};

/// What a person may do to an issue, named after the last segment of its endpoint
/// (`POST /issues/{id}/<action>`; `comment` is `POST /issues/{id}/comments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IssueAction {
    /// Route it (分流): dispatcher of the issue's street, while submitted.
    Triage,
    /// Turn it down: dispatcher of the issue's street, while submitted.
    Reject,
    /// Take it back: its reporter, while submitted.
    Withdraw,
    /// Accept or decline it (部门解答): its current handler, while triaged (a mediation case is
    /// only declined here; it is settled through `mediation`). Building leaders who decline hand
    /// the case to the grid of its building.
    Answer,
    /// Report the fix (整改): its current handler, while in progress.
    Rectification,
    /// Pass or send back the fix (督查): owners' committee of its compound.
    Supervision,
    /// Say whether it is resolved and rate it (评价): its reporter.
    Confirmation,
    /// The follow-up look (回头看): official of its community, once closed.
    Revisit,
    /// Record the mediation (调解): mediator of the handling community.
    Mediation,
    /// Record the deliberation (议事): official of its community, while in deliberation.
    Deliberation,
    /// "Me too" (附议): a verified neighbour, on an open public issue, once.
    Support,
    /// Write a comment (`POST /issues/{id}/comments`).
    Comment,
    /// Send it back to the dispatcher (退单): its current handler, while triaged or in progress
    /// (building leaders decline instead: the grid takes the case, no dispatcher needed).
    Return,
    /// Decide a return (`POST /issues/{id}/return-decision`): dispatcher of its street.
    ReturnDecision,
    /// Hand it to another handler (改派): dispatcher of its street, while triaged or in progress.
    Reassign,
    /// Press the handler (督办): dispatcher or street official of its street, official of its
    /// community, the district office; while triaged, in deliberation or in progress.
    Urge,
    /// Ask for a later resolution deadline (延期, `POST /issues/{id}/extension-requests`): its
    /// current handler, while triaged, in deliberation or in progress, none pending.
    ExtensionRequest,
    /// Approve or refuse the pending extension request
    /// (`POST /issues/{id}/extension-requests/{rid}/decision`): dispatcher of its street.
    ExtensionDecision,
    /// Close it as a duplicate of another case (合并): dispatcher of its street, while open.
    Merge,
}

named_variants! {
    IssueAction {
        Triage => "triage",
        Reject => "reject",
        Withdraw => "withdraw",
        Answer => "answer",
        Rectification => "rectification",
        Supervision => "supervision",
        Confirmation => "confirmation",
        Revisit => "revisit",
        Mediation => "mediation",
        Deliberation => "deliberation",
        Support => "support",
        Comment => "comment",
        Return => "return",
        ReturnDecision => "return_decision",
        Reassign => "reassign",
        Urge => "urge",
        ExtensionRequest => "extension_request",
        ExtensionDecision => "extension_decision",
        Merge => "merge",
    }
    unknown(raw) => DomainError::invalid("action", format!("unknown action `{raw}`"))
}

impl IssueAction {
    /// The workflow command the action sends; `None` for support and comments, which change
    /// no state.
    pub fn command(self) -> Option<CommandKind> {
        Some(match self {
            Self::Triage => CommandKind::Triage,
            Self::Reject => CommandKind::Reject,
            Self::Withdraw => CommandKind::Withdraw,
            Self::Answer => CommandKind::Answer,
            Self::Rectification => CommandKind::SubmitRectification,
            Self::Supervision => CommandKind::Supervise,
            Self::Confirmation => CommandKind::Confirm,
            Self::Revisit => CommandKind::Revisit,
            Self::Mediation => CommandKind::RecordMediation,
            Self::Deliberation => CommandKind::RecordDeliberation,
            Self::Return => CommandKind::Return,
            Self::ReturnDecision => CommandKind::DecideReturn,
            Self::Reassign => CommandKind::Reassign,
            Self::Urge => CommandKind::Urge,
            Self::ExtensionRequest => CommandKind::RequestExtension,
            Self::ExtensionDecision => CommandKind::DecideExtension,
            Self::Merge => CommandKind::Merge,
            Self::Support | Self::Comment => return None,
        })
    }
}

/// The actions `actor` may take on `issue` now, in [`IssueAction::ALL`] order, by the very
/// checks that authorise each request: [`can_view`], then [`authorize`] and
/// [`Issue::admits`] for a workflow step, [`may_support`] (and `already_supported`, the one
/// fact that lives in storage) for "me too", [`may_comment`] for a public comment. Only a
/// step's body can still be refused (422, or a mediation case accepted through `answer`).
pub fn allowed_actions(actor: &Actor, issue: &Issue, already_supported: bool) -> Vec<IssueAction> {
    if !can_view(actor, issue) {
        return Vec::new();
    }
    IssueAction::ALL
        .into_iter()
        .filter(|action| match (action.command(), action) {
            (Some(kind), _) => authorize(actor, kind, issue).is_ok() && issue.admits(kind),
            (None, IssueAction::Support) => !already_supported && may_support(actor, issue).is_ok(),
            (None, _) => may_comment(actor, false).is_ok(),
        })
        .collect()
}

/// A person's display name as `viewer` may see it beside what they did (an event, a comment):
/// staff, building leaders and volunteers act in office and are named in full; a resident is
/// named in full to staff and to themself, and masked (`王**`) to other residents and to the
/// building leaders and volunteers, who are neighbours, not paid staff.
pub fn shown_name(viewer: &Actor, person: UserId, person_role: Role, name: &str) -> String {
    if person_role.acts_in_office() || viewer.role.is_staff() || viewer.user_id == person {
        name.to_owned()
    } else {
        crate::values::mask_name(name)
    }
}

/// Why a "me too" (附议) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportRefusal {
    /// Only residents back issues.
    NotResident,
    /// The compound has not verified the resident (业主认证).
    Unverified,
    /// Their own issue.
    OwnIssue,
    /// Closed, rejected or withdrawn (the status it is in).
    NotOpen(crate::issue::IssueStatus),
}

/// May `actor` back any issue at all: a resident the compound has verified.
pub fn may_support_any(actor: &Actor) -> Result<(), SupportRefusal> {
    if actor.role != Role::Resident {
        Err(SupportRefusal::NotResident)
    } else if !actor.verified {
        Err(SupportRefusal::Unverified)
    } else {
        Ok(())
    }
}

/// May `actor`, who can see `issue`, back it: [`may_support_any`], not their own, still open.
/// A resident sees their own issues and the public ones of their compound, so a visible issue
/// that is not their own is a public issue of their compound.
pub fn may_support(actor: &Actor, issue: &Issue) -> Result<(), SupportRefusal> {
    may_support_any(actor)?;
    if issue.reporter == actor.user_id {
        Err(SupportRefusal::OwnIssue)
    } else if !issue.status.is_open() {
        Err(SupportRefusal::NotOpen(issue.status))
    } else {
        Ok(())
    }
}

/// Who may write which kind of comment on an issue they can see: everyone but the roles
/// read-only on cases (auditors, the district office, admins); internal (staff-only) ones only
/// staff (not residents, building leaders or volunteers, who do not read them either).
pub fn may_comment(actor: &Actor, internal: bool) -> Result<(), DomainError> {
    match actor.role {
        role if role.is_read_only_on_cases() => forbidden(format!(
            "the {} role cannot comment on issues",
            actor.role.as_str()
        )),
        Role::Resident if internal => forbidden("internal comments are for staff only"),
        Role::BuildingLeader | Role::Volunteer if internal => {
            forbidden("internal comments are for staff only")
        }
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Resident,
    GridWorker,
    Dispatcher,
    PropertyStaff,
    CommitteeMember,
    CommunityOfficial,
    Mediator,
    Auditor,
    Admin,
    /// 物管办: the district's property-management office, which runs the evaluation cycle
    /// (assessment schemes, ratings, 红黑榜); district-wide, read-only on cases like an auditor.
    DistrictOffice,
    /// 街道干部: a street's official, who looks again at closed cases (街社"回头看"), urges, and
    /// decides returns (退单裁定) within the street; does not triage (分流 is the centre's).
    StreetOfficial,
    /// 楼栋长 (三长: 片长, 组长, 邻长): a resident who takes the small matters of a building first
    /// (小事居民治), with the grid worker as backstop. Scope: a building, or a grid for a 片长
    /// who leads every building of it.
    BuildingLeader,
    /// 红管家: a volunteer who walks the compounds of a community on patrols and files what they
    /// find. Scope: a community.
    Volunteer,
}

named_variants! {
    Role {
        Resident => "resident",
        GridWorker => "grid_worker",
        Dispatcher => "dispatcher",
        PropertyStaff => "property_staff",
        CommitteeMember => "committee_member",
        CommunityOfficial => "community_official",
        Mediator => "mediator",
        Auditor => "auditor",
        Admin => "admin",
        DistrictOffice => "district_office",
        StreetOfficial => "street_official",
        BuildingLeader => "building_leader",
        Volunteer => "volunteer",
    }
    unknown(raw) => DomainError::invalid("role", format!("unknown role `{raw}`"))
}

impl Role {
    /// Staff are every role but resident and the neighbours who volunteer (building leaders,
    /// 红管家): only staff read internal comments, see residents' names unmasked, see notices
    /// before and after they are in force.
    pub fn is_staff(self) -> bool {
        !matches!(
            self,
            Self::Resident | Self::BuildingLeader | Self::Volunteer
        )
    }

    /// Whoever acts for an office — staff, building leaders, volunteers — is named in full
    /// beside what they did; residents act for themselves.
    pub fn acts_in_office(self) -> bool {
        self != Self::Resident
    }

    /// The roles that walk patrol rounds (巡查小分队): grid workers, community officials,
    /// mediators (和事佬), property staff (物管家), building leaders and volunteers (红管家).
    /// Within their own scope: see [`can_file`] for the findings each may file.
    pub fn joins_patrols(self) -> bool {
        matches!(
            self,
            Self::GridWorker
                | Self::CommunityOfficial
                | Self::Mediator
                | Self::PropertyStaff
                | Self::BuildingLeader
                | Self::Volunteer
        )
    }

    /// Roles that never act on cases, comment on them or add photos: auditors and the district
    /// office read them, admins do not even see them.
    pub fn is_read_only_on_cases(self) -> bool {
        matches!(self, Self::Auditor | Self::Admin | Self::DistrictOffice)
    }
}

/// Who is acting: an authenticated account with its role and scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    pub scope: Scope,
    /// Residents: verified by their compound (业主认证); an unverified resident sees and backs
    /// only their own issues. Always true for staff.
    pub verified: bool,
}

/// Where a resident's verification (业主认证) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verification {
    /// Registered without an invitation; waiting for the compound's property staff or owners'
    /// committee.
    Pending,
    /// Verified by the compound, or registered with an invitation code.
    Verified,
    /// Turned down by the compound (it may still verify later).
    Rejected,
}

named_variants! {
    Verification {
        Pending => "pending",
        Verified => "verified",
        Rejected => "rejected",
    }
    unknown(raw) => DomainError::invalid("verification", format!("unknown verification `{raw}`"))
}

/// May `actor` verify the residents of `compound`, which `company` manages now, and print
/// invitation codes for its buildings? Property staff of that company and members of the
/// compound's owners' committee.
pub fn can_verify_residents(
    actor: &Actor,
    compound: CompoundId,
    company: PropertyCompanyId,
) -> bool {
    match (actor.role, actor.scope) {
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => p == company,
        (Role::CommitteeMember, Scope::Compound(c)) => c == compound,
        _ => false,
    }
}

/// May `actor` see `issue` at all (by id, in lists, its timeline and photos)?
///
/// - resident: issues it reported, and, once verified, public (公示) issues of its own compound;
/// - grid_worker: issues whose building is in its grid, issues handled by its grid, issues it reported;
/// - dispatcher: issues in its street (all when district-wide);
/// - property_staff: issues whose handler is its company, issues it reported (patrol findings);
/// - committee_member: issues of its compound;
/// - community_official: issues of its community;
/// - street_official: issues in its street;
/// - mediator: issues whose handler is the mediators of its community, and issues it reported;
/// - building_leader (a neighbour, not staff): issues its building's leaders handle, the public
///   (公示) issues of its building, and issues it reported; a resident's private issue in the
///   building stays private unless it is handed to them; a 片长 (scope: a grid) so for every
///   building of the grid (the issue's `place.grid_id`);
/// - volunteer (红管家, a neighbour): the public issues of its community, and those it reported
///   (its patrol findings); it takes no workflow step but a reporter's own;
/// - auditor, district_office: all; admin: none (least privilege: admin manages the organisation, not cases).
pub fn can_view(actor: &Actor, issue: &Issue) -> bool {
    let place = &issue.place;
    let reported = issue.reporter == actor.user_id;
    match (actor.role, actor.scope) {
        (Role::Resident, Scope::Compound(c)) => {
            reported || (actor.verified && issue.is_public && place.compound_id == c)
        }
        (Role::GridWorker, Scope::Grid(g)) => {
            reported
                || place.grid_id == Some(g)
                || issue.handler == Some(Handler::Grid { grid_id: g })
        }
        (Role::Dispatcher, scope) => covers_street(scope, issue),
        (Role::StreetOfficial, Scope::Street(s)) => place.street_id == s,
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => {
            reported
                || issue.handler
                    == Some(Handler::PropertyCompany {
                        property_company_id: p,
                    })
        }
        (Role::CommitteeMember, Scope::Compound(c)) => place.compound_id == c,
        (Role::CommunityOfficial, Scope::Community(c)) => place.community_id == c,
        (Role::Mediator, Scope::Community(c)) => {
            reported || issue.handler == Some(Handler::Mediators { community_id: c })
        }
        (Role::BuildingLeader, Scope::Building(b)) => {
            reported
                || issue.handler == Some(Handler::BuildingLeaders { building_id: b })
                || (issue.is_public && place.building_id == Some(b))
        }
        // A 片长 is the building leader of every building of the grid.
        (Role::BuildingLeader, Scope::Grid(g)) => {
            reported
                || (place.grid_id == Some(g)
                    && (issue.is_public
                        || matches!(issue.handler, Some(Handler::BuildingLeaders { .. }))))
        }
        (Role::Volunteer, Scope::Community(c)) => {
            reported || (issue.is_public && place.community_id == c)
        }
        (Role::Auditor | Role::DistrictOffice, _) => true,
        (Role::Admin, _) => false,
        // A role paired with a scope of the wrong kind sees nothing.
        _ => false,
    }
}

/// Whether a dispatcher's scope covers the issue's street (district-wide covers all).
fn covers_street(scope: Scope, issue: &Issue) -> bool {
    match scope {
        Scope::District => true,
        Scope::Street(s) => issue.place.street_id == s,
        _ => false,
    }
}

/// Whether `actor` is a street official of the issue's street.
fn is_street_official_of(actor: &Actor, issue: &Issue) -> bool {
    actor.role == Role::StreetOfficial && actor.scope == Scope::Street(issue.place.street_id)
}

/// Whether `actor` is an official of the issue's community.
fn is_community_official_of(actor: &Actor, issue: &Issue) -> bool {
    actor.role == Role::CommunityOfficial
        && actor.scope == Scope::Community(issue.place.community_id)
}

/// Whether `actor` belongs to the unit that currently handles `issue`.
fn is_current_handler(actor: &Actor, issue: &Issue) -> bool {
    match (&issue.handler, actor.role, actor.scope) {
        (Some(Handler::Grid { grid_id }), Role::GridWorker, Scope::Grid(g)) => *grid_id == g,
        (
            Some(Handler::PropertyCompany {
                property_company_id,
            }),
            Role::PropertyStaff,
            Scope::PropertyCompany(p),
        ) => *property_company_id == p,
        (Some(Handler::Mediators { community_id }), Role::Mediator, Scope::Community(c)) => {
            *community_id == c
        }
        (
            Some(Handler::Community { community_id }),
            Role::CommunityOfficial,
            Scope::Community(c),
        ) => *community_id == c,
        (
            Some(Handler::BuildingLeaders { building_id }),
            Role::BuildingLeader,
            Scope::Building(b),
        ) => *building_id == b,
        (Some(Handler::BuildingLeaders { .. }), Role::BuildingLeader, Scope::Grid(g)) => {
            issue.place.grid_id == Some(g)
        }
        // The 物管中心 relays an outside department's answer and rectification.
        (Some(Handler::Department { .. }), Role::Dispatcher, scope) => covers_street(scope, issue),
        _ => false,
    }
}

fn forbidden(message: impl Into<String>) -> Result<(), DomainError> {
    Err(DomainError::Forbidden(message.into()))
}

/// May `actor` apply a command of this kind to `issue`? Role **and** scope are checked;
/// the state is not (that is the state machine's job). Returns `DomainError::Forbidden` with a
/// human-readable reason otherwise.
///
/// - triage, reject: dispatcher whose street is the issue's street (or district-wide);
/// - withdraw, confirm: the issue's reporter;
/// - reassign, decide_extension, merge: dispatcher of the issue's street, like triage;
/// - decide_return: dispatcher or street official of the issue's street (街道裁定);
/// - urge: dispatcher or street official of the issue's street, official of its community, or
///   the district office (the one thing that read-only role does to a case);
/// - answer, submit_rectification, return, request_extension: the current handler — grid
///   worker of the handling grid,
///   property staff of the handling company, a dispatcher in scope for a department-level issue
///   (the 物管中心 relays the outside department's answer), a building leader of the handling
///   building or a 片长 of its grid (answer and rectification only: a leader who cannot take the case declines it,
///   and the grid takes it, with no return for the dispatcher to rule on);
/// - fix_on_patrol: the patrol member who reported the finding (the patrol use case checks the
///   round);
/// - volunteers take no step but a reporter's own (withdraw, confirm) on the patrol findings
///   they filed; they file and comment;
/// - record_mediation: mediator whose community handles the issue;
/// - record_deliberation: community official of the issue's community;
/// - revisit: community official of the issue's community, or street official of its street;
/// - supervise: committee member of the issue's compound;
/// - auto_confirm, escalate, backstop: never a person (the scheduler applies them without an
///   actor).
pub fn authorize(actor: &Actor, command: CommandKind, issue: &Issue) -> Result<(), DomainError> {
    let place = &issue.place;
    let verb = command.as_str().replace('_', " ");
    let urging_office = command == CommandKind::Urge && actor.role == Role::DistrictOffice;
    if actor.role.is_read_only_on_cases() && !urging_office {
        return forbidden(format!(
            "the {} role cannot act on issues",
            actor.role.as_str().replace('_', " ")
        ));
    }
    match command {
        CommandKind::Triage
        | CommandKind::Reject
        | CommandKind::Reassign
        | CommandKind::DecideExtension
        | CommandKind::Merge => {
            if actor.role == Role::Dispatcher && covers_street(actor.scope, issue) {
                Ok(())
            } else {
                forbidden(format!(
                    "only a dispatcher of the issue's street may {verb} it"
                ))
            }
        }
        CommandKind::Withdraw | CommandKind::Confirm | CommandKind::FixOnPatrol => {
            if actor.user_id == issue.reporter {
                Ok(())
            } else {
                forbidden(format!(
                    "only the person who reported the issue may {verb} it"
                ))
            }
        }
        CommandKind::DecideReturn => {
            let dispatcher = actor.role == Role::Dispatcher && covers_street(actor.scope, issue);
            if dispatcher || is_street_official_of(actor, issue) {
                Ok(())
            } else {
                forbidden(
                    "only a dispatcher or street official of the issue's street may decide a return",
                )
            }
        }
        CommandKind::Urge => {
            let dispatcher = actor.role == Role::Dispatcher && covers_street(actor.scope, issue);
            if dispatcher
                || urging_office
                || is_street_official_of(actor, issue)
                || is_community_official_of(actor, issue)
            {
                Ok(())
            } else {
                forbidden(
                    "only a dispatcher or official of the issue's street or community, or the \
                     district office, may urge it",
                )
            }
        }
        CommandKind::Return | CommandKind::RequestExtension
            if actor.role == Role::BuildingLeader =>
        {
            forbidden(
                "building leaders decline a case (answer with accept: false) rather than return \
                 it or ask for more time: the grid takes it over",
            )
        }
        CommandKind::Answer
        | CommandKind::SubmitRectification
        | CommandKind::Return
        | CommandKind::RequestExtension => {
            if issue.handler.is_none() {
                forbidden(format!(
                    "the issue has no handler yet, so nobody may {verb} it"
                ))
            } else if is_current_handler(actor, issue) {
                Ok(())
            } else {
                forbidden(format!("only the issue's current handler may {verb} it"))
            }
        }
        CommandKind::RecordMediation => match (&issue.handler, actor.role, actor.scope) {
            (Some(Handler::Mediators { community_id }), Role::Mediator, Scope::Community(c))
                if *community_id == c =>
            {
                Ok(())
            }
            _ => forbidden(
                "only a mediator of the community handling the issue may record a mediation",
            ),
        },
        CommandKind::RecordDeliberation => match (actor.role, actor.scope) {
            (Role::CommunityOfficial, Scope::Community(c)) if c == place.community_id => Ok(()),
            _ => forbidden(format!(
                "only an official of the issue's community may {verb} it"
            )),
        },
        CommandKind::Revisit => {
            if is_community_official_of(actor, issue) || is_street_official_of(actor, issue) {
                Ok(())
            } else {
                forbidden("only an official of the issue's community or street may revisit it")
            }
        }
        CommandKind::Supervise => match (actor.role, actor.scope) {
            (Role::CommitteeMember, Scope::Compound(c)) if c == place.compound_id => Ok(()),
            _ => forbidden(
                "only a member of the owners' committee of the issue's compound may supervise it",
            ),
        },
        CommandKind::AutoConfirm
        | CommandKind::Escalate
        | CommandKind::QueueRevisit
        | CommandKind::Backstop => forbidden(format!(
            "{verb} is applied by the scheduler only, never by a person"
        )),
    }
}

/// May `actor` file an issue in `compound` of `community`, and with which sources?
/// Residents file (source `app`) only for their own compound; grid workers, community officials
/// (and mediators) file `patrol` issues in their grid / community; building leaders file
/// `patrol` issues in their building (a 片长 in their grid), volunteers (红管家) in their community; dispatchers may
/// file `hotline` or `meeting` issues in their street; community officials file `meeting` issues
/// raised at the meetings they hold in their community. Auditors and admins file nothing. (The
/// members of a patrol round file its findings by the round's rule, `patrol::may_patrol`.)
pub fn can_file(actor: &Actor, source: crate::issue::Source, place: &crate::issue::Place) -> bool {
    use crate::issue::Source;
    match (actor.role, actor.scope, source) {
        (Role::Resident, Scope::Compound(c), Source::App) => place.compound_id == c,
        (Role::GridWorker, Scope::Grid(g), Source::Patrol) => place.grid_id == Some(g),
        (Role::CommunityOfficial | Role::Mediator, Scope::Community(c), Source::Patrol) => {
            place.community_id == c
        }
        (Role::CommunityOfficial, Scope::Community(c), Source::Meeting) => place.community_id == c,
        (Role::Volunteer, Scope::Community(c), Source::Patrol) => place.community_id == c,
        (Role::BuildingLeader, Scope::Building(b), Source::Patrol) => place.building_id == Some(b),
        (Role::BuildingLeader, Scope::Grid(g), Source::Patrol) => place.grid_id == Some(g),
        (Role::Dispatcher, Scope::District, Source::Hotline | Source::Meeting) => true,
        (Role::Dispatcher, Scope::Street(s), Source::Hotline | Source::Meeting) => {
            place.street_id == s
        }
        _ => false,
    }
}
