//! The kinds of the events: the `kind` column of the timeline and of a notification.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The kind of an event (the `kind` column of the timeline, and of a notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    Created,
    Triaged,
    Rejected,
    Withdrawn,
    Answered,
    ConsultationAnswered,
    Acknowledged,
    Declined,
    MediationSettled,
    MediationFailed,
    Deliberated,
    Rectified,
    SupervisionPassed,
    SupervisionFailed,
    Confirmed,
    NotResolved,
    AutoConfirmed,
    RevisitConfirmed,
    RevisitRecurred,
    Escalated,
    RevisitQueued,
    Returned,
    ReturnUpheld,
    ReturnOverruled,
    Reassigned,
    Urged,
    ExtensionRequested,
    ExtensionApproved,
    ExtensionRefused,
    Merged,
    FixedOnPatrol,
    Backstopped,
}

impl EventKind {
    pub const ALL: [EventKind; 32] = [
        EventKind::Created,
        EventKind::Triaged,
        EventKind::Rejected,
        EventKind::Withdrawn,
        EventKind::Answered,
        EventKind::ConsultationAnswered,
        EventKind::Acknowledged,
        EventKind::Declined,
        EventKind::MediationSettled,
        EventKind::MediationFailed,
        EventKind::Deliberated,
        EventKind::Rectified,
        EventKind::SupervisionPassed,
        EventKind::SupervisionFailed,
        EventKind::Confirmed,
        EventKind::NotResolved,
        EventKind::AutoConfirmed,
        EventKind::RevisitConfirmed,
        EventKind::RevisitRecurred,
        EventKind::Escalated,
        EventKind::RevisitQueued,
        EventKind::Returned,
        EventKind::ReturnUpheld,
        EventKind::ReturnOverruled,
        EventKind::Reassigned,
        EventKind::Urged,
        EventKind::ExtensionRequested,
        EventKind::ExtensionApproved,
        EventKind::ExtensionRefused,
        EventKind::Merged,
        EventKind::FixedOnPatrol,
        EventKind::Backstopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Triaged => "triaged",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Answered => "answered",
            Self::ConsultationAnswered => "consultation_answered",
            Self::Acknowledged => "acknowledged",
            Self::Declined => "declined",
            Self::MediationSettled => "mediation_settled",
            Self::MediationFailed => "mediation_failed",
            Self::Deliberated => "deliberated",
            Self::Rectified => "rectified",
            Self::SupervisionPassed => "supervision_passed",
            Self::SupervisionFailed => "supervision_failed",
            Self::Confirmed => "confirmed",
            Self::NotResolved => "not_resolved",
            Self::AutoConfirmed => "auto_confirmed",
            Self::RevisitConfirmed => "revisit_confirmed",
            Self::RevisitRecurred => "revisit_recurred",
            Self::Escalated => "escalated",
            Self::RevisitQueued => "revisit_queued",
            Self::Returned => "returned",
            Self::ReturnUpheld => "return_upheld",
            Self::ReturnOverruled => "return_overruled",
            Self::Reassigned => "reassigned",
            Self::Urged => "urged",
            Self::ExtensionRequested => "extension_requested",
            Self::ExtensionApproved => "extension_approved",
            Self::ExtensionRefused => "extension_refused",
            Self::Merged => "merged",
            Self::FixedOnPatrol => "fixed_on_patrol",
            Self::Backstopped => "backstopped",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("kind", format!("unknown event kind `{raw}`")))
    }
}
