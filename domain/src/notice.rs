//! The notice board (公告/公示): the kinds of notice, who publishes where, who reads what, and
//! what makes a notice whole. Pure functions, tested alone.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError, Timestamp,
    auth::{Actor, Role, Scope},
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
};

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NoticeKind {
    /// 停水停电、电梯停运: covers filing categories and is shown before a resident files in one.
    Outage,
    /// 物业费、公摊费用公示.
    Fee,
    /// A meeting called or its decisions (议事、恳谈会).
    Meeting,
    /// Ratings made public (星级评定、红黑榜).
    Rating,
    General,
}

named_variants! {
    NoticeKind {
        Outage => "outage",
        Fee => "fee",
        Meeting => "meeting",
        Rating => "rating",
        General => "general",
    }
    unknown(raw) => DomainError::invalid("kind", format!("unknown notice kind `{raw}`"))
}

/// The organisation a notice is published in the name of; it alone may withdraw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publisher {
    /// Property staff publish for their company, to the compounds it manages now.
    PropertyCompany(PropertyCompanyId),
    /// Community officials publish for their community, to any of its compounds.
    Community(CommunityId),
    /// The district office publishes to any compound.
    District,
}

impl Publisher {
    /// Whom `actor` publishes for; `None` when the role publishes no notices (residents,
    /// the admin — who manages accounts, not notices — and the other staff roles).
    pub fn of(actor: &Actor) -> Option<Self> {
        match (actor.role, actor.scope) {
            (Role::PropertyStaff, Scope::PropertyCompany(p)) => Some(Self::PropertyCompany(p)),
            (Role::CommunityOfficial, Scope::Community(c)) => Some(Self::Community(c)),
            (Role::DistrictOffice, _) => Some(Self::District),
            _ => None,
        }
    }

    /// May this publisher post to a compound of `community` managed now by `company`?
    pub fn reaches(self, community: CommunityId, company: PropertyCompanyId) -> bool {
        match self {
            Self::PropertyCompany(p) => p == company,
            Self::Community(c) => c == community,
            Self::District => true,
        }
    }

    /// How it is stored: a kind and, but for the district, an id.
    pub fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Self::PropertyCompany(p) => ("property_company", Some(p.0)),
            Self::Community(c) => ("community", Some(c.0)),
            Self::District => ("district", None),
        }
    }

    /// The inverse of [`Self::parts`].
    pub fn from_parts(kind: &str, id: Option<i64>) -> Result<Self, DomainError> {
        match (kind, id) {
            ("property_company", Some(p)) => Ok(Self::PropertyCompany(PropertyCompanyId(p))),
            ("community", Some(c)) => Ok(Self::Community(CommunityId(c))),
            ("district", None) => Ok(Self::District),
            _ => Err(DomainError::invalid(
                "publisher",
                format!("unknown publisher `{kind}`"),
            )),
        }
    }
}

/// The compounds whose notices someone reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// Residents and owners' committee members: their own compound.
    Compound(CompoundId),
    /// Property staff: the compounds their company manages now.
    PropertyCompany(PropertyCompanyId),
    /// Community officials and mediators: the compounds of their community.
    Community(CommunityId),
    /// Grid workers: the compounds with a building in their grid.
    Grid(GridId),
    /// Building leaders: the compound of their building.
    Building(BuildingId),
    /// Dispatchers of a street.
    Street(StreetId),
    /// District-wide dispatchers and auditors.
    District,
    /// The admin manages accounts, not notices.
    Nobody,
}

impl Readers {
    pub fn of(actor: &Actor) -> Self {
        match (actor.role, actor.scope) {
            (Role::Admin, _) => Self::Nobody,
            (Role::Auditor, _) | (_, Scope::District) => Self::District,
            (_, Scope::Compound(c)) => Self::Compound(c),
            (_, Scope::PropertyCompany(p)) => Self::PropertyCompany(p),
            (_, Scope::Community(c)) => Self::Community(c),
            (_, Scope::Grid(g)) => Self::Grid(g),
            (_, Scope::Street(s)) => Self::Street(s),
            (_, Scope::Building(b)) => Self::Building(b),
        }
    }
}

/// What a notice must say beyond its title and body: an outage names the categories it covers
/// (at least one) and when it ends; other kinds cover no category; an end is in the future.
pub fn check_notice(
    kind: NoticeKind,
    categories: &[CategoryCode],
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), DomainError> {
    if expires_at.is_some_and(|t| t <= now) {
        return Err(DomainError::invalid("expires_at", "must be in the future"));
    }
    match kind {
        NoticeKind::Outage if categories.is_empty() => Err(DomainError::invalid(
            "categories",
            "an outage notice names the categories it covers (停水 → water_leak, ...)",
        )),
        NoticeKind::Outage if expires_at.is_none() => Err(DomainError::invalid(
            "expires_at",
            "an outage notice says when the outage ends",
        )),
        NoticeKind::Outage => Ok(()),
        _ if !categories.is_empty() => Err(DomainError::invalid(
            "categories",
            "only an outage notice covers categories",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use chrono::{Duration, Utc};

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor {
            user_id: UserId(1),
            role,
            scope,
            verified: true,
        }
    }

    #[test]
    fn property_staff_reach_their_company_and_officials_their_community() {
        let staff = Publisher::of(&actor(
            Role::PropertyStaff,
            Scope::PropertyCompany(PropertyCompanyId(1)),
        ))
        .unwrap();
        assert!(staff.reaches(CommunityId(9), PropertyCompanyId(1)));
        assert!(!staff.reaches(CommunityId(9), PropertyCompanyId(2)));
        let official = Publisher::of(&actor(
            Role::CommunityOfficial,
            Scope::Community(CommunityId(3)),
        ))
        .unwrap();
        assert!(official.reaches(CommunityId(3), PropertyCompanyId(2)));
        assert!(!official.reaches(CommunityId(4), PropertyCompanyId(2)));
        assert!(Publisher::District.reaches(CommunityId(4), PropertyCompanyId(2)));
        for (role, scope) in [
            (Role::Admin, Scope::District),
            (Role::Resident, Scope::Compound(CompoundId(1))),
            (Role::Mediator, Scope::Community(CommunityId(3))),
        ] {
            assert_eq!(Publisher::of(&actor(role, scope)), None);
        }
    }

    #[test]
    fn publishers_round_trip_through_storage() {
        for p in [
            Publisher::PropertyCompany(PropertyCompanyId(2)),
            Publisher::Community(CommunityId(5)),
            Publisher::District,
        ] {
            let (kind, id) = p.parts();
            assert_eq!(Publisher::from_parts(kind, id).unwrap(), p);
        }
        assert!(Publisher::from_parts("community", None).is_err());
    }

    #[test]
    fn readers_follow_the_scope_and_the_admin_reads_none() {
        assert_eq!(
            Readers::of(&actor(Role::Resident, Scope::Compound(CompoundId(4)))),
            Readers::Compound(CompoundId(4))
        );
        assert_eq!(
            Readers::of(&actor(Role::Admin, Scope::District)),
            Readers::Nobody
        );
        assert_eq!(
            Readers::of(&actor(Role::Dispatcher, Scope::District)),
            Readers::District
        );
    }

    #[test]
    fn an_outage_covers_categories_and_ends() {
        let now = Utc::now();
        let later = Some(now + Duration::hours(4));
        let water = [CategoryCode::WATER_LEAK];
        assert!(check_notice(NoticeKind::Outage, &water, later, now).is_ok());
        assert!(check_notice(NoticeKind::Outage, &[], later, now).is_err());
        assert!(check_notice(NoticeKind::Outage, &water, None, now).is_err());
        assert!(check_notice(NoticeKind::General, &water, later, now).is_err());
        assert!(check_notice(NoticeKind::General, &[], None, now).is_ok());
        assert!(check_notice(NoticeKind::Fee, &[], Some(now), now).is_err());
    }
}
