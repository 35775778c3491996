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

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Grid,
        Level::Property,
        Level::Community,
        Level::Mediation,
        Level::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grid => "grid",
            Self::Property => "property",
            Self::Community => "community",
            Self::Mediation => "mediation",
            Self::Department => "department",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == raw)
            .ok_or_else(|| {
                DomainError::invalid(
                    "level",
                    "must be grid, property, community, mediation or department",
                )
            })
    }
}
