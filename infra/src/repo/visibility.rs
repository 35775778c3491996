//! Which issues an account may see, as SQL over indexed columns (`GET /issues` and every other
//! list of cases scoped by role).

/// Which issues an account may see, as SQL over indexed columns. Must agree with
/// `linli_domain::auth::can_view` (a test checks list against by-id for every role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    Nothing,
    /// Own issues only (a resident the compound has not verified yet).
    Reporter(i64),
    /// Own issues, and the public ones of the home compound.
    Resident {
        user_id: i64,
        compound_id: i64,
    },
    /// Issues in the grid, handled by the grid, or reported by the worker.
    GridWorker {
        user_id: i64,
        grid_id: i64,
    },
    Street(i64),
    /// Issues handled by the company, or reported by the staff member (patrol findings).
    PropertyCompany {
        user_id: i64,
        company_id: i64,
    },
    Compound(i64),
    Community(i64),
    /// Issues handled by the community's mediators, or reported by the mediator.
    Mediator {
        user_id: i64,
        community_id: i64,
    },
    /// Issues the building's leaders handle, public issues of the building, and those the
    /// leader reported.
    BuildingLeader {
        user_id: i64,
        building_id: i64,
    },
    /// A 片长 (building leader over a grid): issues of the grid that its buildings' leaders
    /// handle, public issues of the grid, and those the leader reported.
    GridLeader {
        user_id: i64,
        grid_id: i64,
    },
    /// Public issues of the community, and those the volunteer reported.
    Volunteer {
        user_id: i64,
        community_id: i64,
    },
}

impl Visibility {
    /// Whether the account also sees the primary cases it follows (a duplicate it reported or
    /// backed was merged into them): the roles that see what they reported. Must agree between
    /// the list and the check by id (`followers::follows`).
    pub fn includes_followed(self) -> bool {
        matches!(
            self,
            Self::Reporter(_)
                | Self::Resident { .. }
                | Self::GridWorker { .. }
                | Self::Mediator { .. }
        )
    }

    pub fn of(actor: &linli_domain::auth::Actor) -> Self {
        use linli_domain::auth::{Role, Scope};
        let user_id = actor.user_id.0;
        match (actor.role, actor.scope) {
            (Role::Resident, Scope::Compound(_)) if !actor.verified => Self::Reporter(user_id),
            (Role::Resident, Scope::Compound(c)) => Self::Resident {
                user_id,
                compound_id: c.0,
            },
            (Role::GridWorker, Scope::Grid(g)) => Self::GridWorker {
                user_id,
                grid_id: g.0,
            },
            (Role::Dispatcher, Scope::District) => Self::All,
            (Role::Dispatcher | Role::StreetOfficial, Scope::Street(s)) => Self::Street(s.0),
            (Role::PropertyStaff, Scope::PropertyCompany(p)) => Self::PropertyCompany {
                user_id,
                company_id: p.0,
            },
            (Role::CommitteeMember, Scope::Compound(c)) => Self::Compound(c.0),
            (Role::CommunityOfficial, Scope::Community(c)) => Self::Community(c.0),
            (Role::Mediator, Scope::Community(c)) => Self::Mediator {
                user_id,
                community_id: c.0,
            },
            (Role::BuildingLeader, Scope::Building(b)) => Self::BuildingLeader {
                user_id,
                building_id: b.0,
            },
            (Role::BuildingLeader, Scope::Grid(g)) => Self::GridLeader {
                user_id,
                grid_id: g.0,
            },
            (Role::Volunteer, Scope::Community(c)) => Self::Volunteer {
                user_id,
                community_id: c.0,
            },
            (Role::Auditor | Role::DistrictOffice, _) => Self::All,
            // Admin manages the organisation, not cases; a mismatched scope sees nothing.
            _ => Self::Nothing,
        }
    }
}
