//! Newtype identifiers: mixing up an issue id and a user id is a compile error.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_type!(
    /// An account (resident or staff).
    UserId,
    /// 街道
    StreetId,
    /// 社区
    CommunityId,
    /// 网格
    GridId,
    /// 小区
    CompoundId,
    /// 楼栋
    BuildingId,
    /// 物业企业
    PropertyCompanyId,
    /// 诉求
    IssueId,
    IssueEventId,
    PhotoId,
    CommentId,
    /// 公告
    NoticeId,
    NotificationId,
    /// A daily-work assessment (考核) of a property company.
    AssessmentId,
    /// A login session (one refresh token of a rotation family).
    SessionId,
    /// A handler's request for a later resolution deadline (延期申请).
    ExtensionRequestId,
    /// A patrol round (巡查).
    PatrolId,
    /// One finding of a patrol round (问题清单 entry).
    FindingId,
    /// A meeting (联席会议, 民情恳谈会, 议事会) that decides cases.
    MeetingId,
);
