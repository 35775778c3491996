//! The category catalogue: what residents can report, with its default level and urgency.

use serde::{Deserialize, Serialize};

use crate::{DomainError, level::Level, urgency::Urgency};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Category {
    FireEscapeBlocked,
    FlyingWireCharging,
    WaterLeak,
    ElevatorFault,
    StreetLamp,
    Sanitation,
    Greening,
    Parking,
    SmallAds,
    StairwellClutter,
    ChargingPile,
    ElevatorInstallation,
    NeighbourDispute,
    PublicUtilities,
    Other,
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CategoryInfo {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// `None` for `other`: the dispatcher decides. `residents` (小事居民治: small ads, stairwell
    /// clutter) goes to the building's leaders, or to the grid where the building has none.
    pub default_level: Option<Level>,
    pub default_urgency: Urgency,
}

impl Category {
    pub const ALL: [Category; 15] = [
        Category::FireEscapeBlocked,
        Category::FlyingWireCharging,
        Category::WaterLeak,
        Category::ElevatorFault,
        Category::StreetLamp,
        Category::Sanitation,
        Category::Greening,
        Category::Parking,
        Category::SmallAds,
        Category::StairwellClutter,
        Category::ChargingPile,
        Category::ElevatorInstallation,
        Category::NeighbourDispute,
        Category::PublicUtilities,
        Category::Other,
    ];

    pub fn info(self) -> CategoryInfo {
        use Level::*;
        use Urgency::*;
        let (code, name_zh, name_en, default_level, default_urgency) = match self {
            Self::FireEscapeBlocked => (
                "fire_escape_blocked",
                "消防通道堵塞",
                "Blocked fire escape",
                Some(Property),
                Emergency,
            ),
            Self::FlyingWireCharging => (
                "flying_wire_charging",
                "飞线充电",
                "Flying-wire e-bike charging",
                Some(Property),
                Emergency,
            ),
            Self::WaterLeak => ("water_leak", "漏水", "Water leak", Some(Property), Urgent),
            Self::ElevatorFault => (
                "elevator_fault",
                "电梯故障",
                "Elevator fault",
                Some(Property),
                Urgent,
            ),
            Self::StreetLamp => (
                "street_lamp",
                "路灯损坏",
                "Broken street lamp",
                Some(Property),
                Normal,
            ),
            Self::Sanitation => (
                "sanitation",
                "卫生清洁",
                "Sanitation and cleaning",
                Some(Property),
                Normal,
            ),
            Self::Greening => (
                "greening",
                "绿化养护",
                "Greening and lawn care",
                Some(Property),
                Normal,
            ),
            Self::Parking => (
                "parking",
                "停车管理",
                "Parking management",
                Some(Property),
                Normal,
            ),
            Self::SmallAds => (
                "small_ads",
                "小广告",
                "Small ads posted",
                Some(Residents),
                Normal,
            ),
            Self::StairwellClutter => (
                "stairwell_clutter",
                "楼道杂物",
                "Clutter in the stairwell",
                Some(Residents),
                Normal,
            ),
            Self::ChargingPile => (
                "charging_pile",
                "充电桩安装",
                "Charging-pile installation",
                Some(Community),
                Normal,
            ),
            Self::ElevatorInstallation => (
                "elevator_installation",
                "加装电梯",
                "Elevator installation",
                Some(Community),
                Normal,
            ),
            Self::NeighbourDispute => (
                "neighbour_dispute",
                "邻里纠纷",
                "Dispute between neighbours",
                Some(Mediation),
                Normal,
            ),
            Self::PublicUtilities => (
                "public_utilities",
                "水电气外部供应",
                "Outside water, power or gas supply",
                Some(Department),
                Urgent,
            ),
            Self::Other => ("other", "其他", "Other", None, Normal),
        };
        CategoryInfo {
            code,
            name_zh,
            name_en,
            default_level,
            default_urgency,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("category", format!("unknown category `{raw}`")))
    }
}
