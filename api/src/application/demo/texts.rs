//! What the demo's residents and patrols report, and in which words.

use linli_domain::category::Category;

use super::history::pick;

/// What residents report, weighted by how often it comes up.
pub(super) const APP_CATEGORIES: [Category; 26] = [
    Category::WaterLeak,
    Category::WaterLeak,
    Category::WaterLeak,
    Category::ElevatorFault,
    Category::ElevatorFault,
    Category::StreetLamp,
    Category::StreetLamp,
    Category::Sanitation,
    Category::Sanitation,
    Category::Sanitation,
    Category::Greening,
    Category::Greening,
    Category::Parking,
    Category::Parking,
    Category::Parking,
    Category::SmallAds,
    Category::StairwellClutter,
    Category::StairwellClutter,
    Category::FireEscapeBlocked,
    Category::FlyingWireCharging,
    Category::ChargingPile,
    Category::ElevatorInstallation,
    Category::NeighbourDispute,
    Category::NeighbourDispute,
    Category::PublicUtilities,
    Category::Other,
];
/// What patrols (巡查) find.
pub(super) const PATROL_CATEGORIES: [Category; 5] = [
    Category::SmallAds,
    Category::StairwellClutter,
    Category::FireEscapeBlocked,
    Category::FlyingWireCharging,
    Category::Sanitation,
];
pub(super) const PROPERTY_CATEGORIES: [Category; 6] = [
    Category::WaterLeak,
    Category::ElevatorFault,
    Category::StreetLamp,
    Category::Greening,
    Category::Parking,
    Category::Sanitation,
];

pub(super) fn description(category: Category, building: &str, i: u64) -> String {
    let options: &[&str] = match category {
        Category::FireEscapeBlocked => &[
            "{b}一楼消防通道被杂物和旧家具堵塞，存在安全隐患",
            "{b}楼道消防门被电动车挡住，无法关闭",
        ],
        Category::FlyingWireCharging => &[
            "{b}有住户从窗口拉电线给电动车充电（飞线充电）",
            "{b}楼道里有电动车私拉电线充电，晚上一直插着",
        ],
        Category::WaterLeak => &[
            "地下车库顶板漏水，车辆被淋湿，{b}附近最严重",
            "{b}楼顶防水层破损，顶楼住户家中渗水",
            "{b}单元门口水管爆裂，地面积水",
        ],
        Category::ElevatorFault => &[
            "{b}电梯经常停在半层，按钮失灵",
            "{b}电梯运行时有异响，老人不敢乘坐",
        ],
        Category::StreetLamp => &[
            "{b}门前路灯坏了一个多星期，晚上出行不便",
            "小区主干道靠近{b}的两盏路灯不亮",
        ],
        Category::Sanitation => &[
            "{b}旁边的垃圾桶满溢，几天没有清运",
            "{b}楼道卫生很差，无人打扫",
        ],
        Category::Greening => &[
            "{b}前草坪被踩秃，树枝遮挡低层住户采光",
            "{b}旁绿化带杂草丛生，需要修剪",
        ],
        Category::Parking => &[
            "{b}门口车辆乱停，消防车无法通行",
            "外来车辆长期占用{b}附近车位",
        ],
        Category::SmallAds => &["{b}楼道和电梯里贴满小广告", "{b}单元门上被喷涂办证小广告"],
        Category::StairwellClutter => &[
            "{b}楼道堆放纸箱、旧自行车等杂物",
            "{b}三楼楼梯间堆满住户的杂物",
        ],
        Category::ChargingPile => &[
            "希望在{b}附近安装电动车充电桩，集中充电更安全",
            "居民建议增设充电桩，{b}一带电动车多没有地方充电",
        ],
        Category::ElevatorInstallation => &[
            "{b}老楼加装电梯，低层住户有不同意见，需要协商",
            "{b}居民申请加装电梯，请社区组织议事",
        ],
        Category::NeighbourDispute => &[
            "{b}楼上住户夜间噪音大，多次沟通无果",
            "{b}邻居在公共区域堆物、养狗扰民，双方发生争执",
        ],
        Category::PublicUtilities => &[
            "{b}片区频繁停水，供水压力不足",
            "{b}燃气管道有异味，请相关部门检查",
        ],
        Category::Other => &[
            "{b}门禁系统损坏，外来人员随意进出",
            "{b}快递柜前秩序混乱，希望规范管理",
        ],
    };
    pick(options, i, 41)
        .unwrap_or("小区公共设施需要维修")
        .replace("{b}", building)
}
