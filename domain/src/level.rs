//! The level (分级) of an issue: who deals with a matter. Shared by the catalogue, triage and the
//! issue, so it depends on none of them.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Who deals with a matter: 小事 grid, 大事 property, 难事 community, 矛盾 mediation, 部门 department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    Grid,
    Property,
    Community,
    Mediation,
    Department,
}

named_variants! {
    Level {
        Grid => "grid",
        Property => "property",
        Community => "community",
        Mediation => "mediation",
        Department => "department",
    }
    unknown(raw) => DomainError::invalid("level", "must be grid, property, community, mediation or department")
}
