//! What people read for each value of the closed sets, in Simplified Chinese and in English. One
//! exhaustive table per set: a new value does not compile without its labels.

use serde::{Deserialize, Serialize};

use crate::{
    auth::Role,
    closure::Closure,
    evaluation::Grade,
    handler::HandlerKind,
    issue::{
        EventKind, ExtensionStatus, IssueKind, IssueStatus, ReturnReason, RevisitOutcome, Source,
    },
    level::Level,
    meeting::{DecisionOutcome, MeetingKind},
    urgency::Urgency,
};

/// A language Linli speaks to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese (`zh-CN`): the default, the language of the district.
    #[default]
    Zh,
    /// English (`en`).
    En,
}

impl Lang {
    /// The language tag to answer with (`Content-Language`).
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The language of one tag (`zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`, …), case-insensitive;
    /// `None` for a language Linli does not speak.
    pub fn of_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "zh" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language an `Accept-Language` value prefers among those Linli speaks: the highest
    /// `q` wins, the earlier one on a tie; `None` if it names neither (or only `*`).
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(Self, f32)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Self::of_tag) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// A value with a label in each language.
pub trait Labelled: Copy + 'static {
    /// Every value of the set, in declaration order.
    const VALUES: &'static [Self];

    /// (Chinese, English).
    fn labels(self) -> (&'static str, &'static str);

    fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = self.labels();
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

macro_rules! labelled {
    ($ty:ident { $($variant:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {
        impl Labelled for $ty {
            const VALUES: &'static [Self] = &[$($ty::$variant),+];

            fn labels(self) -> (&'static str, &'static str) {
                match self {
                    $($ty::$variant => ($zh, $en)),+
                }
            }
        }
    };
}

labelled!(IssueKind {
    Complaint => ("投诉", "Complaint"),
    Help => ("求助", "Request for help"),
    Consultation => ("咨询", "Consultation"),
    Suggestion => ("建议", "Suggestion"),
    Praise => ("表扬", "Praise"),
});

labelled!(IssueStatus {
    Submitted => ("待受理", "Submitted"),
    Triaged => ("已分派", "Assigned"),
    InDeliberation => ("议事协商中", "In deliberation"),
    InProgress => ("办理中", "In progress"),
    Returned => ("退单待裁定", "Returned, awaiting the dispatcher's decision"),
    AwaitingSupervision => ("待业委会督查", "Awaiting the committee's check"),
    AwaitingConfirmation => ("待居民确认", "Awaiting the resident's confirmation"),
    Closed => ("已办结", "Closed"),
    Rejected => ("不予受理", "Rejected"),
    Withdrawn => ("已撤回", "Withdrawn"),
});

labelled!(Level {
    Grid => ("网格", "Grid"),
    Property => ("物业", "Property company"),
    Community => ("社区", "Community"),
    Mediation => ("和事佬调解", "Mediation"),
    Department => ("职能部门", "Government department"),
    Residents => ("居民自治（楼栋长）", "Residents (building leaders)"),
});

labelled!(Urgency {
    Emergency => ("紧急", "Emergency"),
    Urgent => ("加急", "Urgent"),
    Normal => ("一般", "Normal"),
});

labelled!(Source {
    App => ("居民随手拍", "Resident's app"),
    Patrol => ("巡查发现", "Patrol"),
    Hotline => ("热线来电", "Hotline"),
    Meeting => ("会议提出", "Meeting"),
});

labelled!(Closure {
    Confirmed => ("居民确认办结", "Confirmed by the resident"),
    AutoConfirmed => ("逾期未评自动办结", "Closed without the resident's rating"),
    Deliberation => ("议事决定办结", "Closed by a deliberation"),
    Merged => ("重复诉求，已合并", "Merged into another case"),
    FixedOnPatrol => ("巡查立行立改", "Fixed on the spot by a patrol"),
    Answered => ("咨询已答复", "Consultation answered"),
    Acknowledged => ("建议表扬已回复", "Suggestion or praise acknowledged"),
});

labelled!(HandlerKind {
    Grid => ("网格员", "Grid worker"),
    PropertyCompany => ("物业公司", "Property company"),
    Community => ("社区", "Community"),
    Mediators => ("和事佬", "Mediators"),
    Department => ("职能部门", "Government department"),
    BuildingLeaders => ("楼栋长", "Building leaders"),
});

labelled!(EventKind {
    Created => ("提交诉求", "Filed"),
    Triaged => ("分派办理", "Assigned"),
    Rejected => ("不予受理", "Rejected"),
    Withdrawn => ("撤回诉求", "Withdrawn"),
    Answered => ("受理答复", "Answered"),
    ConsultationAnswered => ("咨询已答复", "Consultation answered"),
    Acknowledged => ("已回复办结", "Acknowledged and closed"),
    Declined => ("退回物管中心", "Declined by the handler"),
    MediationSettled => ("调解成功", "Mediation settled"),
    MediationFailed => ("调解未果", "Mediation failed"),
    Deliberated => ("议事决定", "Deliberated"),
    Rectified => ("提交整改", "Rectified"),
    SupervisionPassed => ("业委会督查通过", "Committee check passed"),
    SupervisionFailed => ("业委会督查未通过", "Committee check failed"),
    Confirmed => ("居民确认解决", "Confirmed resolved"),
    NotResolved => ("居民反馈未解决", "Reported not resolved"),
    AutoConfirmed => ("逾期未评自动确认", "Closed without a rating"),
    RevisitConfirmed => ("回头看确认解决", "Revisit confirmed"),
    RevisitRecurred => ("回头看发现复发", "Revisit found it recurred"),
    Escalated => ("超时升级", "Escalated"),
    RevisitQueued => ("列入回头看", "Queued for a revisit"),
    Returned => ("退单", "Returned by the handler"),
    ReturnUpheld => ("退单成立，改派", "Return upheld, reassigned"),
    ReturnOverruled => ("退单不成立，退回原单位", "Return overruled, back to the handler"),
    Reassigned => ("改派", "Reassigned"),
    Urged => ("督办", "Urged"),
    ExtensionRequested => ("申请延期", "Extension requested"),
    ExtensionApproved => ("延期已批准", "Extension approved"),
    ExtensionRefused => ("延期未批准", "Extension refused"),
    Merged => ("合并至主诉求", "Merged into another case"),
    FixedOnPatrol => ("巡查立行立改", "Fixed on the spot by a patrol"),
    Backstopped => ("楼栋长超时未应答，转网格员", "Taken over by the grid worker"),
});

labelled!(ReturnReason {
    NotOurDuty => ("非本单位职责", "Not our duty"),
    WrongPlace => ("属地错误", "Wrong place"),
    OwnershipUnclear => ("权属不清", "Ownership unclear"),
    InsufficientInfo => ("信息不全", "Insufficient information"),
});

labelled!(ExtensionStatus {
    Pending => ("待审批", "Pending"),
    Approved => ("已批准", "Approved"),
    Refused => ("未批准", "Refused"),
    Lapsed => ("已失效", "Lapsed"),
});

labelled!(RevisitOutcome {
    Confirmed => ("确认解决", "Confirmed"),
    Recurred => ("问题复发", "Recurred"),
});

labelled!(Role {
    Resident => ("居民", "Resident"),
    GridWorker => ("网格员", "Grid worker"),
    Dispatcher => ("物管中心调度员", "Dispatcher"),
    PropertyStaff => ("物业人员", "Property staff"),
    CommitteeMember => ("业委会成员", "Owners' committee member"),
    CommunityOfficial => ("社区干部", "Community official"),
    Mediator => ("和事佬", "Mediator"),
    Auditor => ("审计人员", "Auditor"),
    Admin => ("系统管理员", "Administrator"),
    DistrictOffice => ("区物管办", "District property-management office"),
    StreetOfficial => ("街道干部", "Street official"),
    BuildingLeader => ("楼栋长", "Building leader"),
    Volunteer => ("红管家志愿者", "Volunteer (red steward)"),
});

labelled!(MeetingKind {
    Joint => ("物业联席会议", "Joint meeting"),
    ResidentsForum => ("民情恳谈会", "Residents' forum"),
    Deliberation => ("民主议事会", "Deliberation meeting"),
    Quarterly => ("季度例会", "Quarterly meeting"),
    Other => ("会议", "Meeting"),
});

labelled!(DecisionOutcome {
    AssignProperty => ("交由物业办理", "Assigned to the property company"),
    AssignGrid => ("交由网格办理", "Assigned to the grid"),
    AssignDepartment => ("交由职能部门办理", "Assigned to a department"),
    Close => ("议定办结", "Decided and closed"),
});

labelled!(Grade {
    Excellent => ("优秀", "Excellent"),
    Good => ("良好", "Good"),
    Qualified => ("合格", "Qualified"),
    Poor => ("较差", "Poor"),
    NotRated => ("未评定", "Not rated"),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_language_linli_speaks() {
        assert_eq!(Lang::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::Zh));
        assert_eq!(
            Lang::negotiate("en-US,en;q=0.9,zh-CN;q=0.5"),
            Some(Lang::En)
        );
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.4, zh;q=0.6"), Some(Lang::Zh));
        assert_eq!(Lang::negotiate("zh;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::negotiate("fr, *;q=0.1"), None);
        assert_eq!(Lang::negotiate(""), None);
        assert_eq!(Lang::of_tag("ZH_hans"), Some(Lang::Zh));
    }

    #[test]
    fn every_value_has_both_labels() {
        fn check<T: Labelled>() {
            for v in T::VALUES {
                let (zh, en) = v.labels();
                assert!(!zh.is_empty() && !en.is_empty());
                assert!(!zh.is_ascii(), "{en}: the Chinese label is not Chinese");
            }
        }
        check::<IssueKind>();
        check::<IssueStatus>();
        check::<EventKind>();
        check::<Role>();
        assert_eq!(<EventKind as Labelled>::VALUES.len(), EventKind::ALL.len());
    }
}
