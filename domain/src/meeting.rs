//! Meetings that decide several cases (联席会议, 民情恳谈会, 民主议事会议): their kinds, the
//! outcome of each decision, who holds them and who may read them. Pure functions, tested alone.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError,
    auth::{Actor, Role, Scope},
    ids::{CommunityId, CompoundId, PropertyCompanyId, StreetId},
    level::Level,
};

/// What kind of meeting it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MeetingKind {
    /// 物业联席会议: community, property company and owners' committee together.
    Joint,
    /// 民情恳谈会: residents raise what troubles them.
    ResidentsForum,
    /// 民主议事会议, 议事厅, 圆桌会议: a hard matter is decided.
    Deliberation,
    /// The quarterly meeting of the programme.
    Quarterly,
    Other,
}

named_variants! {
    MeetingKind {
        Joint => "joint",
        ResidentsForum => "residents_forum",
        Deliberation => "deliberation",
        Quarterly => "quarterly",
        Other => "other",
    }
    unknown(raw) => DomainError::invalid(
        "kind",
        "must be joint, residents_forum, deliberation, quarterly or other",
    )
}

/// What a meeting decided for one case on its agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionOutcome {
    /// The property company of the compound does it (→ triaged).
    AssignProperty,
    /// The grid of the case's building does it (→ triaged).
    AssignGrid,
    /// An outside department does it (→ triaged).
    AssignDepartment,
    /// Decided: closed with the written decision.
    Close,
}

named_variants! {
    DecisionOutcome {
        AssignProperty => "assign_property",
        AssignGrid => "assign_grid",
        AssignDepartment => "assign_department",
        Close => "close",
    }
    unknown(raw) => DomainError::invalid(
        "outcome",
        "must be assign_property, assign_grid, assign_department or close",
    )
}

impl DecisionOutcome {
    /// The level the case is handed to; `None` when it is closed.
    pub fn level(self) -> Option<Level> {
        match self {
            Self::AssignProperty => Some(Level::Property),
            Self::AssignGrid => Some(Level::Grid),
            Self::AssignDepartment => Some(Level::Department),
            Self::Close => None,
        }
    }
}

/// A show of hands on one decision (表决).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Votes {
    #[serde(rename = "for")]
    pub in_favour: u32,
    pub against: u32,
    pub abstain: u32,
}

/// Most cases on one agenda, and most attendees of one meeting.
pub const MAX_AGENDA: usize = 50;
pub const MAX_ATTENDEES: usize = 200;

/// May `actor` hold (create, minute, publish, raise cases at) a meeting of `community`?
/// Officials of that community, and the district office (区物管办) anywhere. Deciding a case
/// is still the case's own rule (an official of its community): the district office never
/// acts on cases.
pub fn may_hold(actor: &Actor, community: CommunityId) -> bool {
    match (actor.role, actor.scope) {
        (Role::CommunityOfficial, Scope::Community(c)) => c == community,
        (Role::DistrictOffice, _) => true,
        _ => false,
    }
}

/// Where a meeting reaches: its community and street, and, once published, the compounds
/// concerned with the companies managing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingReach {
    pub community_id: CommunityId,
    pub street_id: StreetId,
    /// Empty until the decisions are published.
    pub published_to: Vec<(CompoundId, PropertyCompanyId)>,
}

/// May `actor` read the meeting? Before publication: the staff of its community (officials,
/// mediators, its grid workers — `actor_community` is a grid worker's community), dispatchers
/// of its street, the district office and auditors. Once published, also the residents and
/// owners' committees of the compounds concerned and the staff of the companies managing them.
pub fn may_read(actor: &Actor, reach: &MeetingReach, actor_community: Option<CommunityId>) -> bool {
    let published_to_compound = |c: CompoundId| reach.published_to.iter().any(|(x, _)| *x == c);
    match (actor.role, actor.scope) {
        (Role::CommunityOfficial | Role::Mediator, Scope::Community(c)) => c == reach.community_id,
        (Role::GridWorker, Scope::Grid(_)) => actor_community == Some(reach.community_id),
        (Role::Dispatcher, Scope::District) => true,
        (Role::Dispatcher, Scope::Street(s)) => s == reach.street_id,
        (Role::DistrictOffice | Role::Auditor, _) => true,
        (Role::Resident | Role::CommitteeMember, Scope::Compound(c)) => published_to_compound(c),
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => {
            reach.published_to.iter().any(|(_, x)| *x == p)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{GridId, UserId};

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            user_id: UserId(1),
            role,
            scope,
            verified: true,
        }
    }

    #[test]
    fn officials_of_the_community_and_the_district_office_hold_meetings() {
        let c = CommunityId(1);
        assert!(may_hold(
            &actor(Role::CommunityOfficial, Scope::Community(c)),
            c
        ));
        assert!(may_hold(&actor(Role::DistrictOffice, Scope::District), c));
        assert!(!may_hold(
            &actor(Role::CommunityOfficial, Scope::Community(CommunityId(2))),
            c
        ));
        assert!(!may_hold(&actor(Role::Mediator, Scope::Community(c)), c));
        assert!(!may_hold(&actor(Role::Dispatcher, Scope::District), c));
    }

    #[test]
    fn residents_read_only_published_meetings_of_their_compound() {
        let mut reach = MeetingReach {
            community_id: CommunityId(1),
            street_id: StreetId(1),
            published_to: Vec::new(),
        };
        let resident = actor(Role::Resident, Scope::Compound(CompoundId(5)));
        let staff = actor(
            Role::PropertyStaff,
            Scope::PropertyCompany(PropertyCompanyId(9)),
        );
        let grid = actor(Role::GridWorker, Scope::Grid(GridId(3)));
        assert!(!may_read(&resident, &reach, None));
        assert!(!may_read(&staff, &reach, None));
        assert!(may_read(&grid, &reach, Some(CommunityId(1))));
        assert!(!may_read(&grid, &reach, Some(CommunityId(2))));
        reach.published_to = vec![(CompoundId(5), PropertyCompanyId(9))];
        assert!(may_read(&resident, &reach, None));
        assert!(may_read(&staff, &reach, None));
        let other = actor(Role::Resident, Scope::Compound(CompoundId(6)));
        assert!(!may_read(&other, &reach, None));
        assert!(!may_read(
            &actor(Role::Admin, Scope::District),
            &reach,
            None
        ));
    }

    #[test]
    fn outcomes_name_their_level() {
        assert_eq!(DecisionOutcome::AssignGrid.level(), Some(Level::Grid));
        assert_eq!(DecisionOutcome::Close.level(), None);
        assert!(MeetingKind::parse("townhall").is_err());
    }
}
