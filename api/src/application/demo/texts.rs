//! What the demo's residents and patrols report, and in which words.

use linli_domain::{
    DomainError,
    category::{CategoryCode, CategoryEntry},
    issue::{HotlineCaller, IssueKind, Source, TicketNo},
    level::Level,
    values::{DisplayName, PhoneNumber},
};

use super::history::pick;

/// What residents report, weighted by how often it comes up.
pub(super) const APP_CATEGORIES: [CategoryCode; 29] = [
    CategoryCode::WATER_LEAK,
    CategoryCode::WATER_LEAK,
    CategoryCode::WATER_LEAK,
    CategoryCode::ELEVATOR_FAULT,
    CategoryCode::ELEVATOR_FAULT,
    CategoryCode::ELEVATOR_ENTRAPMENT,
    CategoryCode::WATER_TANK,
    CategoryCode::GAS_LEAK,
    CategoryCode::STREET_LAMP,
    CategoryCode::STREET_LAMP,
    CategoryCode::SANITATION,
    CategoryCode::SANITATION,
    CategoryCode::SANITATION,
    CategoryCode::GREENING,
    CategoryCode::GREENING,
    CategoryCode::PARKING,
    CategoryCode::PARKING,
    CategoryCode::PARKING,
    CategoryCode::SMALL_ADS,
    CategoryCode::STAIRWELL_CLUTTER,
    CategoryCode::STAIRWELL_CLUTTER,
    CategoryCode::FIRE_ESCAPE_BLOCKED,
    CategoryCode::FLYING_WIRE_CHARGING,
    CategoryCode::CHARGING_PILE,
    CategoryCode::ELEVATOR_INSTALLATION,
    CategoryCode::NEIGHBOUR_DISPUTE,
    CategoryCode::NEIGHBOUR_DISPUTE,
    CategoryCode::PUBLIC_UTILITIES,
    CategoryCode::OTHER,
];
/// What patrols (巡查) find.
pub(super) const PATROL_CATEGORIES: [CategoryCode; 5] = [
    CategoryCode::SMALL_ADS,
    CategoryCode::STAIRWELL_CLUTTER,
    CategoryCode::FIRE_ESCAPE_BLOCKED,
    CategoryCode::FLYING_WIRE_CHARGING,
    CategoryCode::SANITATION,
];
pub(super) const PROPERTY_CATEGORIES: [CategoryCode; 6] = [
    CategoryCode::WATER_LEAK,
    CategoryCode::ELEVATOR_FAULT,
    CategoryCode::STREET_LAMP,
    CategoryCode::GREENING,
    CategoryCode::PARKING,
    CategoryCode::SANITATION,
];

pub(super) fn description(category: CategoryCode, building: &str, i: u64) -> String {
    let options: &[&str] = match category {
        CategoryCode::FIRE_ESCAPE_BLOCKED => &[
            "{b}一楼消防通道被杂物和旧家具堵塞，存在安全隐患",
            "{b}楼道消防门被电动车挡住，无法关闭",
        ],
        CategoryCode::FLYING_WIRE_CHARGING => &[
            "{b}有住户从窗口拉电线给电动车充电（飞线充电）",
            "{b}楼道里有电动车私拉电线充电，晚上一直插着",
        ],
        CategoryCode::WATER_LEAK => &[
            "地下车库顶板漏水，车辆被淋湿，{b}附近最严重",
            "{b}楼顶防水层破损，顶楼住户家中渗水",
            "{b}单元门口水管爆裂，地面积水",
        ],
        CategoryCode::ELEVATOR_FAULT => &[
            "{b}电梯经常停在半层，按钮失灵",
            "{b}电梯运行时有异响，老人不敢乘坐",
        ],
        CategoryCode::STREET_LAMP => &[
            "{b}门前路灯坏了一个多星期，晚上出行不便",
            "小区主干道靠近{b}的两盏路灯不亮",
        ],
        CategoryCode::SANITATION => &[
            "{b}旁边的垃圾桶满溢，几天没有清运",
            "{b}楼道卫生很差，无人打扫",
        ],
        CategoryCode::GREENING => &[
            "{b}前草坪被踩秃，树枝遮挡低层住户采光",
            "{b}旁绿化带杂草丛生，需要修剪",
        ],
        CategoryCode::PARKING => &[
            "{b}门口车辆乱停，消防车无法通行",
            "外来车辆长期占用{b}附近车位",
        ],
        CategoryCode::SMALL_ADS => &["{b}楼道和电梯里贴满小广告", "{b}单元门上被喷涂办证小广告"],
        CategoryCode::STAIRWELL_CLUTTER => &[
            "{b}楼道堆放纸箱、旧自行车等杂物",
            "{b}三楼楼梯间堆满住户的杂物",
        ],
        CategoryCode::CHARGING_PILE => &[
            "希望在{b}附近安装电动车充电桩，集中充电更安全",
            "居民建议增设充电桩，{b}一带电动车多没有地方充电",
        ],
        CategoryCode::ELEVATOR_INSTALLATION => &[
            "{b}老楼加装电梯，低层住户有不同意见，需要协商",
            "{b}居民申请加装电梯，请社区组织议事",
        ],
        CategoryCode::NEIGHBOUR_DISPUTE => &[
            "{b}楼上住户夜间噪音大，多次沟通无果",
            "{b}邻居在公共区域堆物、养狗扰民，双方发生争执",
        ],
        CategoryCode::PUBLIC_UTILITIES => &[
            "{b}片区频繁停水，供水压力不足",
            "{b}燃气管道有异味，请相关部门检查",
        ],
        CategoryCode::ELEVATOR_ENTRAPMENT => &[
            "{b}电梯停在两层之间，里面困了两位老人，请马上来人",
            "{b}电梯突然停运，有人被困在轿厢里，按警铃无人应答",
        ],
        CategoryCode::WATER_TANK => &[
            "{b}自来水发黄有异味，怀疑楼顶水箱很久没有清洗",
            "{b}二次供水泵房噪音大，高层水压忽高忽低",
        ],
        CategoryCode::GAS_LEAK => &[
            "{b}楼道里有很浓的燃气味，已经开窗通风，请燃气公司来查",
            "{b}厨房燃气表附近有异味，已关闭总阀",
        ],
        _ => &[
            "{b}门禁系统损坏，外来人员随意进出",
            "{b}快递柜前秩序混乱，希望规范管理",
        ],
    };
    pick(options, i, 41)
        .unwrap_or("小区公共设施需要维修")
        .replace("{b}", building)
}

/// The request type of a demo case: mostly complaints; now and then, for a property or grid
/// matter filed from the app or the hotline that the category takes it for, a request for help,
/// a consultation, a suggestion or a praise. Halted cases stay complaints.
pub(super) fn kind_for(entry: &CategoryEntry, source: Source, halted: bool, i: u64) -> IssueKind {
    let routine = matches!(entry.default_level, Some(Level::Property | Level::Grid));
    if halted || source == Source::Patrol || !routine {
        return IssueKind::Complaint;
    }
    let kind = match i % 12 {
        2 => IssueKind::Help,
        5 => IssueKind::Suggestion,
        8 => IssueKind::Consultation,
        10 => IssueKind::Praise,
        _ => IssueKind::Complaint,
    };
    if entry.kinds.contains(&kind) {
        kind
    } else {
        IssueKind::Complaint
    }
}

/// What the handler answers, by request type.
pub(super) fn reply_for(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::Complaint | IssueKind::Help => "已收到，安排人员处理",
        IssueKind::Consultation => "您好，物业费标准按合同执行，可到物业服务中心查阅公示",
        IssueKind::Suggestion => "感谢建议，已纳入下季度改进计划",
        IssueKind::Praise => "感谢表扬，已转达相关工作人员",
    }
}

/// The caller of a demo hotline case, with a 12345 ticket number for most of them.
pub(super) fn caller_for(i: u64) -> Result<HotlineCaller, DomainError> {
    let names = ["刘先生", "陈女士", "张阿姨", "赵师傅", "黄先生"];
    let name = pick(&names, i, 43).unwrap_or("王先生");
    let phone = format!("139{:08}", (i * 7_919) % 100_000_000);
    let ticket_no = (!i.is_multiple_of(5))
        .then(|| TicketNo::parse(&format!("12345-2026-{:06}", 100_000 + i)))
        .transpose()?;
    Ok(HotlineCaller::new(
        DisplayName::parse(name)?,
        PhoneNumber::parse(&phone)?,
        ticket_no,
    ))
}
