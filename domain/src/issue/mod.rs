//! The issue (诉求) aggregate: its state machine, commands and the events they produce.
//!
//! `Issue::decide` checks a command against the current state and returns the event it would
//! cause (or a typed error); `Issue::apply` folds an event into the issue. Replaying the events of
//! an issue from `Issue::file` rebuilds it exactly.

mod machine;

use serde::{Deserialize, Serialize};

use crate::{
    DomainError, Timestamp,
    category::{CategoryCode, CategoryRouting},
    handler::Handler,
    ids::{ExtensionRequestId, IssueId, PatrolId, PhotoId, UserId},
    level::Level,
    triage::{Suggestion, TriageChoice, TriageDecision},
    urgency::{Deadlines, SpanOverrides, Urgency},
    values::{IssueDescription, Note, Satisfaction},
};
// Place, Closure and Source live in modules of their own; re-exported here, where they used to be.
pub use crate::{closure::Closure, handler::Backstop, place::Place, source::Source};

mod assignment;
mod config;
mod deliberation;
mod due;
mod event_kind;
mod extension;
mod grounds;
mod kind;
mod outcomes;
mod text;

pub use config::WorkflowConfig;
pub use deliberation::{Deliberation, DeliberationMinutes, DeliberationOutcome};
pub use event_kind::EventKind;
pub use extension::ExtensionStatus;
pub use grounds::{RejectReason, Rejection, ReturnReason};
pub use kind::{HotlineCaller, IssueKind, TicketNo};
pub use outcomes::{EscalationTarget, RevisitOutcome};
pub use text::{LocationText, UnitText};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IssueStatus {
    Submitted,
    Triaged,
    InDeliberation,
    InProgress,
    /// Returned by its handler (退单), waiting in the dispatcher's queue for the decision.
    Returned,
    AwaitingSupervision,
    AwaitingConfirmation,
    Closed,
    Rejected,
    Withdrawn,
}

named_variants! {
    IssueStatus {
        Submitted => "submitted",
        Triaged => "triaged",
        InDeliberation => "in_deliberation",
        InProgress => "in_progress",
        Returned => "returned",
        AwaitingSupervision => "awaiting_supervision",
        AwaitingConfirmation => "awaiting_confirmation",
        Closed => "closed",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
    unknown(raw) => DomainError::invalid("status", format!("unknown status `{raw}`"))
}

impl IssueStatus {
    /// Open issues are those still being worked on: not closed, rejected or withdrawn.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Rejected | Self::Withdrawn)
    }

    /// Whether the deadlines run against the handlers in this status: every open status but
    /// `awaiting_confirmation`, where only the resident is waited for (and auto-confirmation,
    /// not escalation, ends the wait).
    pub fn is_on_the_clock(self) -> bool {
        self.is_open() && self != Self::AwaitingConfirmation
    }
}

impl std::fmt::Display for IssueStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A command on an existing issue. Its texts are parsed values: the domain never re-checks them.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Triage(TriageChoice),
    Reject(Rejection),
    Withdraw,
    /// 部门解答: `accept` → in_progress; otherwise back to the dispatcher with `reason`.
    Answer {
        message: Note,
        accept: bool,
        reason: Option<Note>,
    },
    RecordMediation {
        settled: bool,
        notes: Note,
    },
    RecordDeliberation(DeliberationMinutes),
    SubmitRectification {
        notes: Note,
        photo_ids: Vec<PhotoId>,
    },
    Supervise {
        passed: bool,
        notes: Note,
    },
    /// `satisfaction` is required when `resolved`.
    Confirm {
        resolved: bool,
        satisfaction: Option<Satisfaction>,
        comment: Option<Note>,
    },
    /// Scheduler only: `awaiting_confirmation` for `auto_confirm_after` → closed, no rating.
    AutoConfirm,
    Revisit {
        outcome: RevisitOutcome,
        notes: Note,
    },
    /// Scheduler only: no state change; `step` must be the next one (`escalation_step + 1`).
    Escalate {
        step: u8,
    },
    /// Scheduler only: a closed issue enters the 回头看 queue.
    QueueRevisit,
    /// 退单: the handler sends a triaged or in-progress case back to the dispatcher.
    Return {
        reason: ReturnReason,
        note: Note,
    },
    /// The dispatcher's decision on a return: upheld → `reassign_to` (another handler, required);
    /// not upheld → back to the same handler, and the return counts against it.
    DecideReturn {
        upheld: bool,
        note: Note,
        reassign_to: Option<TriageChoice>,
    },
    /// 改派: the dispatcher takes a triaged or in-progress case from its handler and hands it to
    /// another (the choice carries the required reason).
    Reassign(TriageChoice),
    /// 督办: press the handler of a case being worked on; no state change, counted.
    Urge {
        note: Note,
    },
    /// 延期: the handler asks for a later resolution deadline (one request pending at a time).
    RequestExtension {
        new_resolution_due: Timestamp,
        reason: Note,
    },
    /// The dispatcher's decision on the pending extension request `request_id`: approved moves
    /// the resolution deadline to the requested date.
    DecideExtension {
        request_id: ExtensionRequestId,
        approved: bool,
        note: Note,
    },
    /// Close a duplicate as merged into its primary case `into` (checked by the caller: another
    /// open case of the same compound, itself no duplicate's primary).
    Merge {
        into: IssueId,
    },
    /// 立行立改: a patrol finding fixed on the spot is closed at once by the member who found it,
    /// with what was done; only a `patrol` case just filed (submitted) admits it.
    FixOnPatrol {
        patrol_id: PatrolId,
        notes: Note,
    },
    /// Scheduler only: building leaders left it past the response deadline; the grid takes it.
    Backstop,
}

/// The fieldless mirror of [`Command`], for authorisation and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    Triage,
    Reject,
    Withdraw,
    Answer,
    RecordMediation,
    RecordDeliberation,
    SubmitRectification,
    Supervise,
    Confirm,
    AutoConfirm,
    Revisit,
    Escalate,
    QueueRevisit,
    Return,
    DecideReturn,
    Reassign,
    Urge,
    RequestExtension,
    DecideExtension,
    Merge,
    FixOnPatrol,
    Backstop,
}

impl CommandKind {
    pub const ALL: [CommandKind; 22] = [
        CommandKind::Triage,
        CommandKind::Reject,
        CommandKind::Withdraw,
        CommandKind::Answer,
        CommandKind::RecordMediation,
        CommandKind::RecordDeliberation,
        CommandKind::SubmitRectification,
        CommandKind::Supervise,
        CommandKind::Confirm,
        CommandKind::AutoConfirm,
        CommandKind::Revisit,
        CommandKind::Escalate,
        CommandKind::QueueRevisit,
        CommandKind::Return,
        CommandKind::DecideReturn,
        CommandKind::Reassign,
        CommandKind::Urge,
        CommandKind::RequestExtension,
        CommandKind::DecideExtension,
        CommandKind::Merge,
        CommandKind::FixOnPatrol,
        CommandKind::Backstop,
    ];

    /// Whether a command of this kind may set a deadline (an assignment's clock, a renewed
    /// resolution window), and so needs the current working-day calendar.
    pub fn sets_deadlines(self) -> bool {
        matches!(
            self,
            Self::Triage
                | Self::Reassign
                | Self::DecideReturn
                | Self::RecordDeliberation
                | Self::Confirm
                | Self::Revisit
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Triage => "triage",
            Self::Reject => "reject",
            Self::Withdraw => "withdraw",
            Self::Answer => "answer",
            Self::RecordMediation => "record_mediation",
            Self::RecordDeliberation => "record_deliberation",
            Self::SubmitRectification => "submit_rectification",
            Self::Supervise => "supervise",
            Self::Confirm => "confirm",
            Self::AutoConfirm => "auto_confirm",
            Self::Revisit => "revisit",
            Self::Escalate => "escalate",
            Self::QueueRevisit => "queue_revisit",
            Self::Return => "return",
            Self::DecideReturn => "decide_return",
            Self::Reassign => "reassign",
            Self::Urge => "urge",
            Self::RequestExtension => "request_extension",
            Self::DecideExtension => "decide_extension",
            Self::Merge => "merge",
            Self::FixOnPatrol => "fix_on_patrol",
            Self::Backstop => "backstop",
        }
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Self::Triage(_) => CommandKind::Triage,
            Self::Reject(_) => CommandKind::Reject,
            Self::Withdraw => CommandKind::Withdraw,
            Self::Answer { .. } => CommandKind::Answer,
            Self::RecordMediation { .. } => CommandKind::RecordMediation,
            Self::RecordDeliberation(_) => CommandKind::RecordDeliberation,
            Self::SubmitRectification { .. } => CommandKind::SubmitRectification,
            Self::Supervise { .. } => CommandKind::Supervise,
            Self::Confirm { .. } => CommandKind::Confirm,
            Self::AutoConfirm => CommandKind::AutoConfirm,
            Self::Revisit { .. } => CommandKind::Revisit,
            Self::Escalate { .. } => CommandKind::Escalate,
            Self::QueueRevisit => CommandKind::QueueRevisit,
            Self::Return { .. } => CommandKind::Return,
            Self::DecideReturn { .. } => CommandKind::DecideReturn,
            Self::Reassign(_) => CommandKind::Reassign,
            Self::Urge { .. } => CommandKind::Urge,
            Self::RequestExtension { .. } => CommandKind::RequestExtension,
            Self::DecideExtension { .. } => CommandKind::DecideExtension,
            Self::Merge { .. } => CommandKind::Merge,
            Self::FixOnPatrol { .. } => CommandKind::FixOnPatrol,
            Self::Backstop => CommandKind::Backstop,
        }
    }
}

/// What happened, with its data. Stored as JSON in `issue_events.data`; `kind()` is its column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventData {
    /// In the timeline without the issue's snapshot (the issue itself is one GET away).
    Created {
        #[cfg_attr(feature = "openapi", schema(ignore))]
        issue: Box<Issue>,
    },
    Triaged {
        suggestion: Suggestion,
        decision: TriageDecision,
    },
    Rejected {
        reason: RejectReason,
    },
    Withdrawn,
    Answered {
        message: String,
    },
    /// A consultation (咨询) answered: closed with the answer.
    ConsultationAnswered {
        message: String,
    },
    /// A suggestion (建议) or praise (表扬) acknowledged: closed with the reply.
    Acknowledged {
        message: String,
    },
    /// Back to the dispatcher, or (building leaders) on to the backstop, the grid.
    Declined {
        message: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backstop: Option<Backstop>,
    },
    MediationSettled {
        notes: String,
    },
    MediationFailed {
        notes: String,
    },
    /// `deadlines`: the clock of the handler the meeting assigned (`None` when it closed the
    /// matter, and in events written before meetings started clocks).
    Deliberated {
        deliberation: Deliberation,
        #[serde(default)]
        deadlines: Option<Deadlines>,
    },
    Rectified {
        notes: String,
        photo_ids: Vec<PhotoId>,
    },
    SupervisionPassed {
        notes: String,
    },
    SupervisionFailed {
        notes: String,
    },
    Confirmed {
        satisfaction: Satisfaction,
        comment: Option<String>,
    },
    /// The resident says it is not resolved: back to work, with a fresh resolution deadline
    /// (`None` in events written before deadlines were renewed).
    NotResolved {
        comment: Option<String>,
        #[serde(default)]
        resolution_due: Option<chrono::DateTime<chrono::Utc>>,
    },
    AutoConfirmed,
    RevisitConfirmed {
        notes: String,
    },
    /// The problem came back at the 回头看 revisit: reopened with a fresh resolution deadline.
    RevisitRecurred {
        notes: String,
        #[serde(default)]
        resolution_due: Option<chrono::DateTime<chrono::Utc>>,
    },
    Escalated {
        step: u8,
        target: EscalationTarget,
    },
    RevisitQueued,
    /// 退单: the handler sent it back to the dispatcher.
    Returned {
        reason: ReturnReason,
        note: String,
    },
    /// The return was justified: the case goes to another handler.
    ReturnUpheld {
        note: String,
        decision: TriageDecision,
    },
    /// The return was not justified: back to the same handler, and it counts against it.
    ReturnOverruled {
        note: String,
    },
    /// 改派: taken from `from_handler` and handed to the decision's handler.
    Reassigned {
        from_handler: Handler,
        decision: TriageDecision,
    },
    /// 督办: the handler was pressed to get on with it.
    Urged {
        note: String,
    },
    /// 延期申请: the handler asked for `new_resolution_due`.
    ExtensionRequested {
        new_resolution_due: chrono::DateTime<chrono::Utc>,
        reason: String,
    },
    /// The extension was approved: the resolution deadline is now `resolution_due`.
    ExtensionApproved {
        request_id: ExtensionRequestId,
        resolution_due: chrono::DateTime<chrono::Utc>,
        note: String,
    },
    /// The extension was refused: the deadline stands.
    ExtensionRefused {
        request_id: ExtensionRequestId,
        note: String,
    },
    /// Closed as a duplicate of `into`, which its reporter and supporters follow from now on.
    Merged {
        into: IssueId,
    },
    /// 立行立改: found on patrol `patrol_id` and fixed on the spot; closed without a rating.
    FixedOnPatrol {
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        patrol_id: PatrolId,
        notes: String,
    },
    /// The building leaders let the response deadline pass: the backstop (the grid) takes it.
    Backstopped {
        backstop: Backstop,
    },
}

impl EventData {
    /// The event's kind, snake_case, as in the JSON tag.
    pub fn kind(&self) -> &'static str {
        self.event_kind().as_str()
    }

    /// The event's kind as a closed set.
    pub fn event_kind(&self) -> EventKind {
        match self {
            Self::Created { .. } => EventKind::Created,
            Self::Triaged { .. } => EventKind::Triaged,
            Self::Rejected { .. } => EventKind::Rejected,
            Self::Withdrawn => EventKind::Withdrawn,
            Self::Answered { .. } => EventKind::Answered,
            Self::ConsultationAnswered { .. } => EventKind::ConsultationAnswered,
            Self::Acknowledged { .. } => EventKind::Acknowledged,
            Self::Declined { .. } => EventKind::Declined,
            Self::MediationSettled { .. } => EventKind::MediationSettled,
            Self::MediationFailed { .. } => EventKind::MediationFailed,
            Self::Deliberated { .. } => EventKind::Deliberated,
            Self::Rectified { .. } => EventKind::Rectified,
            Self::SupervisionPassed { .. } => EventKind::SupervisionPassed,
            Self::SupervisionFailed { .. } => EventKind::SupervisionFailed,
            Self::Confirmed { .. } => EventKind::Confirmed,
            Self::NotResolved { .. } => EventKind::NotResolved,
            Self::AutoConfirmed => EventKind::AutoConfirmed,
            Self::RevisitConfirmed { .. } => EventKind::RevisitConfirmed,
            Self::RevisitRecurred { .. } => EventKind::RevisitRecurred,
            Self::Escalated { .. } => EventKind::Escalated,
            Self::RevisitQueued => EventKind::RevisitQueued,
            Self::Returned { .. } => EventKind::Returned,
            Self::ReturnUpheld { .. } => EventKind::ReturnUpheld,
            Self::ReturnOverruled { .. } => EventKind::ReturnOverruled,
            Self::Reassigned { .. } => EventKind::Reassigned,
            Self::Urged { .. } => EventKind::Urged,
            Self::ExtensionRequested { .. } => EventKind::ExtensionRequested,
            Self::ExtensionApproved { .. } => EventKind::ExtensionApproved,
            Self::ExtensionRefused { .. } => EventKind::ExtensionRefused,
            Self::Merged { .. } => EventKind::Merged,
            Self::FixedOnPatrol { .. } => EventKind::FixedOnPatrol,
            Self::Backstopped { .. } => EventKind::Backstopped,
        }
    }

    /// A short human-readable note for the timeline (message, reason, notes, comment), if any.
    pub fn note(&self) -> Option<String> {
        let text = match self {
            Self::Triaged { decision, .. } | Self::Reassigned { decision, .. } => {
                decision.reason.clone()
            }
            Self::Rejected { reason } => Some(match reason {
                RejectReason::Duplicate { duplicate_of, note } if note.trim().is_empty() => {
                    format!("duplicate of issue {duplicate_of}")
                }
                RejectReason::Duplicate { duplicate_of, note } => {
                    format!("duplicate of issue {duplicate_of}: {note}")
                }
                RejectReason::OutOfScope { note } | RejectReason::Invalid { note } => note.clone(),
            }),
            Self::Answered { message }
            | Self::ConsultationAnswered { message }
            | Self::Acknowledged { message } => Some(message.clone()),
            // The reason is what the dispatcher needs; the message is what the resident read.
            Self::Declined {
                message, reason, ..
            } => Some(match message.trim() {
                "" => reason.clone(),
                _ => format!("{reason} — {message}"),
            }),
            Self::MediationSettled { notes }
            | Self::MediationFailed { notes }
            | Self::Rectified { notes, .. }
            | Self::SupervisionPassed { notes }
            | Self::SupervisionFailed { notes }
            | Self::RevisitConfirmed { notes }
            | Self::RevisitRecurred { notes, .. }
            | Self::FixedOnPatrol { notes, .. } => Some(notes.clone()),
            Self::Returned { reason, note } => Some(format!("{}: {note}", reason.as_str())),
            Self::ReturnUpheld { note, .. }
            | Self::ReturnOverruled { note }
            | Self::Urged { note }
            | Self::ExtensionRefused { note, .. } => Some(note.clone()),
            Self::ExtensionRequested {
                new_resolution_due,
                reason,
            } => Some(format!("{} — {reason}", new_resolution_due.to_rfc3339())),
            Self::ExtensionApproved {
                resolution_due,
                note,
                ..
            } => Some(format!("{} — {note}", resolution_due.to_rfc3339())),
            Self::Merged { into } => Some(format!("merged into issue {into}")),
            Self::Deliberated { deliberation, .. } => Some(deliberation.decision.clone()),
            Self::Confirmed { comment, .. } | Self::NotResolved { comment, .. } => comment.clone(),
            Self::Created { .. }
            | Self::Withdrawn
            | Self::AutoConfirmed
            | Self::Escalated { .. }
            | Self::RevisitQueued
            | Self::Backstopped { .. } => None,
        };
        text.filter(|t| !t.trim().is_empty())
    }
}

/// One event of an issue's timeline. `from == to` for events that change no state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueEvent {
    pub at: Timestamp,
    /// `None` only for `created`.
    pub from: Option<IssueStatus>,
    pub to: IssueStatus,
    pub data: EventData,
}

/// What a new issue is made of (already parsed).
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssue {
    pub reporter: UserId,
    pub category: CategoryCode,
    /// 投诉, 求助, 咨询, 建议 or 表扬.
    pub kind: IssueKind,
    pub source: Source,
    pub place: Place,
    pub description: IssueDescription,
    pub unit: Option<UnitText>,
    pub location_text: Option<LocationText>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub is_public: bool,
    /// Explicit urgency; the category's default otherwise.
    pub urgency: Option<Urgency>,
    /// Who called, for a hotline case.
    pub caller: Option<HotlineCaller>,
    /// Whether the issue's building has a building leader (三长) account now: a residents-level
    /// matter (小事居民治) is suggested to them, to the grid otherwise (a fact of storage, looked
    /// up by whoever files).
    pub building_has_leaders: bool,
}

impl NewIssue {
    /// A report filed from the app with only what it must have: no unit, location text or
    /// coordinates, and the category's default urgency.
    pub fn reported(
        reporter: UserId,
        category: CategoryCode,
        place: Place,
        description: IssueDescription,
        is_public: bool,
    ) -> Self {
        Self {
            reporter,
            category,
            kind: IssueKind::Complaint,
            source: Source::App,
            place,
            description,
            unit: None,
            location_text: None,
            lat: None,
            lon: None,
            is_public,
            urgency: None,
            caller: None,
            building_has_leaders: false,
        }
    }
}

/// The issue aggregate. Everything here is derived from its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// `IssueId(0)` until the repository has stored it.
    pub id: IssueId,
    pub reporter: UserId,
    pub category: CategoryCode,
    /// Complaint for issues filed before request types existed.
    #[serde(default)]
    pub kind: IssueKind,
    pub source: Source,
    pub place: Place,
    pub description: String,
    pub unit: Option<String>,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub is_public: bool,
    pub status: IssueStatus,
    /// When the issue entered its current status.
    pub status_since: Timestamp,
    /// The routing suggestion made when it was filed.
    pub suggestion: Suggestion,
    pub level: Option<Level>,
    pub handler: Option<Handler>,
    pub urgency: Urgency,
    pub deadlines: Deadlines,
    pub created_at: Timestamp,
    pub triaged_at: Option<Timestamp>,
    /// The current handler's response: its answer, a mediation or a deliberation record
    /// (cleared when the case is assigned to another handler, whose clock starts afresh).
    pub responded_at: Option<Timestamp>,
    pub rectified_at: Option<Timestamp>,
    pub supervised_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub closure: Option<Closure>,
    pub satisfaction: Option<Satisfaction>,
    pub reopen_count: u32,
    pub sent_back_count: u32,
    pub escalation_step: u8,
    pub revisit_queued: bool,
    pub revisited_at: Option<Timestamp>,
    /// While `returned`: the status it was returned from (where an overruled return goes back).
    #[serde(default)]
    pub returned_from: Option<IssueStatus>,
    /// Returns (退单) by its handlers, and how many of them the dispatcher upheld or overruled.
    #[serde(default)]
    pub return_count: u32,
    #[serde(default)]
    pub returns_upheld: u32,
    #[serde(default)]
    pub returns_overruled: u32,
    /// Times it was urged (督办).
    #[serde(default)]
    pub urge_count: u32,
    /// Extensions (延期) approved, and the date of the request pending a decision, if any.
    #[serde(default)]
    pub extension_count: u32,
    #[serde(default)]
    pub pending_extension: Option<Timestamp>,
    /// Closed as a duplicate of this case (closure `merged`).
    #[serde(default)]
    pub merged_into: Option<IssueId>,
    /// Who called, for a hotline case (personal data: see who may read it).
    #[serde(default)]
    pub caller: Option<HotlineCaller>,
    /// The category's own response / resolution spans, as the catalogue had them when it was
    /// filed (电梯困人: a response within 30 minutes); they apply at every assignment.
    #[serde(default)]
    pub spans: SpanOverrides,
    /// Number of events applied; the optimistic-concurrency version.
    pub version: i64,
}

impl Issue {
    /// A new issue in `submitted` with its routing suggestion (from its category's `routing`),
    /// and its `created` event.
    pub fn file(
        new: NewIssue,
        routing: &CategoryRouting,
        at: Timestamp,
        config: &WorkflowConfig,
    ) -> (Issue, IssueEvent) {
        machine::file(new, routing, at, config)
    }

    /// The event `command` would cause at `at`, or why it cannot be applied.
    pub fn decide(
        &self,
        command: &Command,
        at: Timestamp,
        config: &WorkflowConfig,
    ) -> Result<IssueEvent, DomainError> {
        machine::decide(self, command, at, config)
    }

    /// Whether its state admits a command of `kind` at all (whatever the command's data).
    /// [`Issue::decide`] refuses every kind this refuses, as an illegal transition.
    pub fn admits(&self, kind: CommandKind) -> bool {
        machine::admits(self, kind)
    }

    /// Fold an event into the issue (bumps `version`).
    pub fn apply(&mut self, event: &IssueEvent) {
        machine::apply(self, event)
    }

    /// Rebuild an issue from its events (the first must be `created`).
    pub fn replay(events: &[IssueEvent]) -> Option<Issue> {
        machine::replay(events)
    }

    /// Derived, never stored: on the clock (open, not awaiting the resident's confirmation)
    /// and past its response deadline without a response, or past its resolution deadline.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        due::is_overdue(self, now)
    }

    /// The next escalation step due at `now`, if any: step 1 as soon as it is overdue, step 2
    /// when still overdue `second_escalation_after` past the missed deadline.
    pub fn escalation_due(&self, now: Timestamp, config: &WorkflowConfig) -> Option<u8> {
        due::escalation_due(self, now, config)
    }

    /// Whether the scheduler should auto-confirm it now.
    pub fn auto_confirm_due(&self, now: Timestamp, config: &WorkflowConfig) -> bool {
        due::auto_confirm_due(self, now, config)
    }

    /// Whether the scheduler should hand it to its backstop now ([`Handler::backstop`]): with
    /// its building leaders (`triaged`), no response yet, past the response deadline.
    pub fn backstop_due(&self, now: Timestamp) -> bool {
        due::backstop_due(self, now)
    }

    /// Whether the scheduler should queue it for 回头看 now: closed `revisit_after` ago, not yet
    /// queued or revisited, and rated 3 or less, or an emergency, or in the deterministic
    /// `revisit_sample_percent` sample of the rest (by id).
    pub fn revisit_due(&self, now: Timestamp, config: &WorkflowConfig) -> bool {
        due::revisit_due(self, now, config)
    }
}
