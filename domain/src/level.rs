//! The level (分级) of an issue: who deals with a matter. Shared by the catalogue, triage and the
//! issue, so it depends on none of them.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Who deals with a matter: 小事 grid, 大事 property, 难事 community, 矛盾 mediation, 部门 department,
/// and the smallest matters of a building, 小事居民治, its building leaders (三长) with the grid as
/// backstop (`residents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    Grid,
    Property,
    Community,
    Mediation,
    Department,
    /// 小事居民治: the building's leaders (楼栋长/三长) first; the grid worker takes it when they
    /// decline or let the response deadline pass (小事不出网格).
    Residents,
}

named_variants! {
    Level {
        Grid => "grid",
        Property => "property",
        Community => "community",
        Mediation => "mediation",
        Department => "department",
        Residents => "residents",
    }
    unknown(raw) => DomainError::invalid("level", "must be grid, property, community, mediation, department or residents")
}
