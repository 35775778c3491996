//! The request type (诉求类型) of an issue, and the caller of a hotline case.

use serde::{Deserialize, Serialize};

use crate::{
    DomainError,
    values::{DisplayName, PhoneNumber},
};

/// What the person wants. Complaints and requests for help are worked (answer, rectification,
/// supervision, confirmation); the others end with the handler's reply: a consultation is
/// answered and closed, a suggestion or a praise is acknowledged and closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IssueKind {
    /// 投诉: something is wrong and must be put right (the default).
    #[default]
    Complaint,
    /// 求助: help is needed.
    Help,
    /// 咨询: a question, answered and closed.
    Consultation,
    /// 建议: an idea, acknowledged and closed.
    Suggestion,
    /// 表扬: thanks, acknowledged and closed.
    Praise,
}

named_variants! {
    IssueKind {
        Complaint => "complaint",
        Help => "help",
        Consultation => "consultation",
        Suggestion => "suggestion",
        Praise => "praise",
    }
    unknown(raw) => DomainError::invalid(
        "kind",
        format!("unknown request type `{raw}`: complaint, help, consultation, suggestion or praise"),
    )
}

impl IssueKind {
    /// Worked through rectification (and supervision) to the resident's confirmation.
    pub fn is_worked(self) -> bool {
        matches!(self, Self::Complaint | Self::Help)
    }
}

/// Who called the hotline (12345 or the centre's own line), as the dispatcher took it down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineCaller {
    pub name: String,
    /// The number to call back; shown in full only to whoever handles or triages the case.
    pub phone: String,
    /// The external ticket number (12345 工单号), when the call came through 12345.
    pub ticket_no: Option<String>,
}

impl HotlineCaller {
    pub fn new(name: DisplayName, phone: PhoneNumber, ticket_no: Option<TicketNo>) -> Self {
        Self {
            name: name.into_string(),
            phone: phone.as_str().to_owned(),
            ticket_no: ticket_no.map(TicketNo::into_string),
        }
    }
}

/// An external ticket number: 1 to 40 ASCII letters, digits or `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketNo(String);

impl TicketNo {
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim();
        if t.is_empty()
            || t.len() > Self::MAX_LEN
            || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(DomainError::invalid(
                "ticket_no",
                format!("must be 1 to {} letters, digits or `-`", Self::MAX_LEN),
            ));
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}
