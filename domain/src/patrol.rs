//! Patrol rounds (巡查小分队): who may run or join a round, and whether it still takes findings.
//! Pure functions, tested alone.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError, Timestamp,
    auth::{Actor, Role, Scope},
    ids::{CommunityId, PropertyCompanyId, StreetId},
};

/// The compound a round walks, as far as the membership rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatrolGround {
    pub community_id: CommunityId,
    /// The company managing the compound now (物管家 of that company walk with the team).
    pub property_company_id: PropertyCompanyId,
}

/// May an account of `role` in `scope` run, or walk in, a patrol round of `ground`?
/// `grid_community` is the community of a grid worker's or a 片长's grid or of a building
/// leader's building (the caller looks it up; `None` for other roles). The team of the seeds: grid workers and
/// officials of the community (街社工作人员), its mediators (和事佬), building leaders (三长) and
/// volunteers (红管家), the company's property staff (物管家).
pub fn may_patrol(
    role: Role,
    scope: Scope,
    ground: &PatrolGround,
    grid_community: Option<CommunityId>,
) -> bool {
    match (role, scope) {
        (Role::GridWorker | Role::BuildingLeader, Scope::Grid(_))
        | (Role::BuildingLeader, Scope::Building(_)) => grid_community == Some(ground.community_id),
        (Role::CommunityOfficial | Role::Mediator | Role::Volunteer, Scope::Community(c)) => {
            c == ground.community_id
        }
        (Role::PropertyStaff, Scope::PropertyCompany(p)) => p == ground.property_company_id,
        _ => false,
    }
}

/// May `actor` read a round of `ground` in `street` (its problem list with each case's state)?
/// Its members; the staff of its community (officials, mediators, grid workers —
/// `actor_community` is a grid worker's community); property staff of the company managing the
/// compound; dispatchers of the street; the district office and auditors. Not residents: the
/// problem list is the team's working list (its public cases show in the compound's list).
pub fn may_read(
    actor: &Actor,
    ground: &PatrolGround,
    street: StreetId,
    actor_community: Option<CommunityId>,
    is_member: bool,
) -> bool {
    is_member
        || match (actor.role, actor.scope) {
            (Role::CommunityOfficial | Role::Mediator, Scope::Community(c)) => {
                c == ground.community_id
            }
            (Role::GridWorker, Scope::Grid(_)) => actor_community == Some(ground.community_id),
            (Role::PropertyStaff, Scope::PropertyCompany(p)) => p == ground.property_company_id,
            (Role::Dispatcher, Scope::District) => true,
            (Role::Dispatcher, Scope::Street(s)) => s == street,
            (Role::DistrictOffice | Role::Auditor, _) => true,
            _ => false,
        }
}

/// May `actor` finish the round: a member, or an official of its community.
pub fn may_finish(actor: &Actor, ground: &PatrolGround, is_member: bool) -> bool {
    is_member
        || matches!(
            (actor.role, actor.scope),
            (Role::CommunityOfficial, Scope::Community(c)) if c == ground.community_id
        )
}

/// Where a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PatrolStatus {
    /// Walking: findings are recorded.
    Open,
    /// Finished: the problem list is closed to new findings (its cases go on).
    Finished,
}

named_variants! {
    PatrolStatus {
        Open => "open",
        Finished => "finished",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown patrol status `{raw}`"))
}

impl PatrolStatus {
    pub fn of(finished_at: Option<Timestamp>) -> Self {
        if finished_at.is_some() {
            Self::Finished
        } else {
            Self::Open
        }
    }
}

/// Most members of one round (besides the person who starts it).
pub const MAX_PATROL_MEMBERS: usize = 50;

/// A round starts now or earlier (a few minutes of phone clock drift are forgiven).
pub fn check_started_at(started_at: Timestamp, now: Timestamp) -> Result<(), DomainError> {
    if started_at > now + chrono::Duration::minutes(5) {
        Err(DomainError::invalid(
            "started_at",
            "a patrol round cannot start in the future",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::GridId;

    const GROUND: PatrolGround = PatrolGround {
        community_id: CommunityId(1),
        property_company_id: PropertyCompanyId(7),
    };

    #[test]
    fn the_team_of_the_community_and_its_company_may_patrol() {
        let yes = [
            (
                Role::GridWorker,
                Scope::Grid(GridId(3)),
                Some(CommunityId(1)),
            ),
            (
                Role::CommunityOfficial,
                Scope::Community(CommunityId(1)),
                None,
            ),
            (Role::Mediator, Scope::Community(CommunityId(1)), None),
            (Role::Volunteer, Scope::Community(CommunityId(1)), None),
            (
                Role::BuildingLeader,
                Scope::Building(crate::ids::BuildingId(5)),
                Some(CommunityId(1)),
            ),
            (
                Role::PropertyStaff,
                Scope::PropertyCompany(PropertyCompanyId(7)),
                None,
            ),
        ];
        for (role, scope, grid) in yes {
            assert!(may_patrol(role, scope, &GROUND, grid), "{role:?}");
        }
        let no = [
            (
                Role::GridWorker,
                Scope::Grid(GridId(3)),
                Some(CommunityId(2)),
            ),
            (
                Role::CommunityOfficial,
                Scope::Community(CommunityId(2)),
                None,
            ),
            (
                Role::PropertyStaff,
                Scope::PropertyCompany(PropertyCompanyId(8)),
                None,
            ),
            (
                Role::Resident,
                Scope::Compound(crate::ids::CompoundId(1)),
                None,
            ),
            (Role::Dispatcher, Scope::District, None),
            (Role::Volunteer, Scope::Community(CommunityId(2)), None),
            (
                Role::BuildingLeader,
                Scope::Building(crate::ids::BuildingId(6)),
                Some(CommunityId(2)),
            ),
            (
                Role::CommitteeMember,
                Scope::Compound(crate::ids::CompoundId(1)),
                None,
            ),
            (Role::Auditor, Scope::District, None),
            (Role::DistrictOffice, Scope::District, None),
            (Role::Admin, Scope::District, None),
        ];
        for (role, scope, grid) in no {
            assert!(!may_patrol(role, scope, &GROUND, grid), "{role:?}");
        }
    }

    #[test]
    fn the_problem_list_is_for_the_team_and_the_staff_over_it() {
        let actor = |role, scope| Actor {
            user_id: crate::ids::UserId(9),
            role,
            scope,
            verified: true,
        };
        let street = StreetId(1);
        let resident = actor(Role::Resident, Scope::Compound(crate::ids::CompoundId(1)));
        assert!(!may_read(&resident, &GROUND, street, None, false));
        let other_street = actor(Role::Dispatcher, Scope::Street(StreetId(2)));
        assert!(!may_read(&other_street, &GROUND, street, None, false));
        assert!(may_read(&other_street, &GROUND, street, None, true));
        let office = actor(Role::DistrictOffice, Scope::District);
        assert!(may_read(&office, &GROUND, street, None, false));
        assert!(!may_finish(&office, &GROUND, false));
        let official = actor(Role::CommunityOfficial, Scope::Community(CommunityId(1)));
        assert!(may_finish(&official, &GROUND, false));
    }

    #[test]
    fn a_round_cannot_start_in_the_future() {
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        assert!(check_started_at(now - chrono::Duration::hours(2), now).is_ok());
        assert!(check_started_at(now + chrono::Duration::minutes(4), now).is_ok());
        assert!(check_started_at(now + chrono::Duration::hours(1), now).is_err());
        assert_eq!(PatrolStatus::of(None), PatrolStatus::Open);
        assert_eq!(PatrolStatus::of(Some(now)), PatrolStatus::Finished);
    }
}
