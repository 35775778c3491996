//! Transition rules of the issue state machine.
//!
//! `decide` holds every rule (which command is legal in which state, what data it needs);
//! `apply` only folds an already-decided event, so replaying stored events never re-checks rules
//! that may have changed since.

use super::assignment::*;
use super::*;
use crate::{ids::IssueId, triage};

pub(super) fn file(
    new: NewIssue,
    routing: &CategoryRouting,
    at: Timestamp,
    config: &WorkflowConfig,
) -> (Issue, IssueEvent) {
    let mut suggestion = triage::suggest(routing, new.urgency, &new.place, at, config.rules());
    if !new.building_has_leaders {
        suggestion = suggestion.without_building_leaders(&new.place);
    }
    let issue = Issue {
        id: IssueId(0),
        reporter: new.reporter,
        category: new.category,
        kind: new.kind,
        source: new.source,
        place: new.place,
        description: new.description.into_string(),
        unit: new.unit.map(UnitText::into_string),
        location_text: new.location_text.map(LocationText::into_string),
        lat: new.lat,
        lon: new.lon,
        is_public: new.is_public,
        status: IssueStatus::Submitted,
        status_since: at,
        urgency: suggestion.urgency,
        deadlines: suggestion.deadlines,
        suggestion,
        level: None,
        handler: None,
        created_at: at,
        triaged_at: None,
        responded_at: None,
        rectified_at: None,
        supervised_at: None,
        closed_at: None,
        closure: None,
        satisfaction: None,
        reopen_count: 0,
        sent_back_count: 0,
        escalation_step: 0,
        revisit_queued: false,
        revisited_at: None,
        returned_from: None,
        return_count: 0,
        returns_upheld: 0,
        returns_overruled: 0,
        urge_count: 0,
        extension_count: 0,
        pending_extension: None,
        merged_into: None,
        caller: new.caller,
        spans: routing.spans,
        // The `created` event counts.
        version: 1,
    };
    let event = IssueEvent {
        at,
        from: None,
        to: IssueStatus::Submitted,
        data: EventData::Created {
            issue: Box::new(issue.clone()),
        },
    };
    (issue, event)
}

/// Whether some command of `kind` can be legal for `issue` in its state: the state half of
/// [`decide`], which refuses every other kind before it looks at a command's data. Only data
/// can still make an admitted kind illegal: a mediation-level issue is declined, never accepted,
/// through `answer`; an escalation must name the next step.
pub(super) fn admits(issue: &Issue, kind: CommandKind) -> bool {
    use IssueStatus::*;
    match (kind, issue.status) {
        (CommandKind::Triage | CommandKind::Reject | CommandKind::Withdraw, Submitted)
        | (CommandKind::Answer, Triaged)
        | (CommandKind::RecordDeliberation, InDeliberation)
        | (CommandKind::SubmitRectification, InProgress)
        | (CommandKind::Supervise, AwaitingSupervision)
        | (CommandKind::Confirm | CommandKind::AutoConfirm, AwaitingConfirmation)
        | (CommandKind::Return | CommandKind::Reassign, Triaged | InProgress)
        | (CommandKind::DecideReturn, Returned) => true,
        (CommandKind::FixOnPatrol, Submitted) => issue.source == Source::Patrol,
        (CommandKind::RecordMediation, Triaged | InProgress) => {
            issue.level == Some(Level::Mediation) && issue.kind.is_worked()
        }
        (CommandKind::Escalate, status) => status.is_open(),
        // A merged duplicate's matter is looked at again on its primary; nothing was fixed in a
        // reply to a consultation, suggestion or praise: no 回头看.
        (CommandKind::Revisit, Closed) => issue.closure.is_some_and(Closure::is_revisitable),
        (CommandKind::Urge, Triaged | InDeliberation | InProgress) => true,
        (CommandKind::RequestExtension, Triaged | InDeliberation | InProgress) => {
            issue.pending_extension.is_none()
        }
        (CommandKind::DecideExtension, status) => {
            status.is_on_the_clock() && issue.pending_extension.is_some()
        }
        (CommandKind::Merge, status) => status.is_on_the_clock(),
        (CommandKind::QueueRevisit, Closed) => {
            !issue.revisit_queued && issue.closure.is_some_and(Closure::is_revisitable)
        }
        (CommandKind::Backstop, Triaged) => backstop_handler(issue).is_some(),
        _ => false,
    }
}

pub(super) fn decide(
    issue: &Issue,
    command: &Command,
    at: Timestamp,
    config: &WorkflowConfig,
) -> Result<IssueEvent, DomainError> {
    use IssueStatus::*;

    let from = issue.status;
    let illegal = || DomainError::IllegalTransition {
        command: command.kind().as_str(),
        from,
    };
    if !admits(issue, command.kind()) {
        return Err(illegal());
    }

    // The state is checked first: an illegal move is reported as such even when its data is bad.
    let (to, data) = match (command, from) {
        (Command::Triage(choice), Submitted) => {
            check_choice(choice)?;
            let data = EventData::Triaged {
                suggestion: issue.suggestion.clone(),
                decision: assignment(issue, choice, at, config)?,
            };
            (assigned_status(issue, choice), data)
        }
        (Command::Reject(rejection), Submitted) => {
            if let Rejection::Duplicate { duplicate_of, .. } = rejection {
                // IssueId(0) means "not stored yet": nothing to compare against.
                if issue.id.0 != 0 && *duplicate_of == issue.id {
                    return Err(DomainError::invalid(
                        "duplicate_of",
                        "an issue cannot be a duplicate of itself",
                    ));
                }
            }
            (
                Rejected,
                EventData::Rejected {
                    reason: rejection.reason(),
                },
            )
        }
        (Command::Withdraw, Submitted) => (Withdrawn, EventData::Withdrawn),

        // A consultation, suggestion or praise ends with the handler's reply.
        (
            Command::Answer {
                message,
                accept: true,
                ..
            },
            Triaged,
        ) if !issue.kind.is_worked() => {
            let message = message.as_str().to_owned();
            let data = if issue.kind == IssueKind::Consultation {
                EventData::ConsultationAnswered { message }
            } else {
                EventData::Acknowledged { message }
            };
            (Closed, data)
        }
        // A mediation-level issue is answered by recording the mediation, not by accepting it.
        (
            Command::Answer {
                message,
                accept: true,
                ..
            },
            Triaged,
        ) if issue.level != Some(Level::Mediation) => (
            InProgress,
            EventData::Answered {
                message: message.as_str().to_owned(),
            },
        ),
        (
            Command::Answer {
                message,
                accept: false,
                reason,
            },
            Triaged,
        ) => {
            let reason = reason.as_ref().ok_or_else(|| {
                DomainError::invalid("reason", "a reason is required to decline an issue")
            })?;
            // Declined by building leaders: on to the grid (小事不出网格); by anyone else, or
            // with no grid to take it: back to the dispatcher.
            let backstop = backstop(issue, at, config);
            (
                if backstop.is_some() {
                    Triaged
                } else {
                    Submitted
                },
                EventData::Declined {
                    message: message.as_str().to_owned(),
                    reason: reason.as_str().to_owned(),
                    backstop,
                },
            )
        }

        (Command::Backstop, Triaged) => {
            let backstop = backstop(issue, at, config).ok_or_else(illegal)?;
            (Triaged, EventData::Backstopped { backstop })
        }

        (Command::RecordMediation { settled, notes }, Triaged | InProgress)
            if issue.level == Some(Level::Mediation) =>
        {
            let notes = notes.as_str().to_owned();
            if *settled {
                (AwaitingConfirmation, EventData::MediationSettled { notes })
            } else {
                (InDeliberation, EventData::MediationFailed { notes })
            }
        }

        (Command::RecordDeliberation(minutes), InDeliberation) => {
            let deliberation = minutes.record();
            if deliberation.held_at > at {
                return Err(DomainError::invalid(
                    "held_at",
                    "a deliberation cannot be recorded before it is held",
                ));
            }
            let (to, deadlines) = match &deliberation.outcome {
                DeliberationOutcome::Assign {
                    handler,
                    resolution_due,
                } => match handler.level() {
                    Level::Community | Level::Mediation | Level::Residents => {
                        return Err(DomainError::invalid(
                            "outcome",
                            "a deliberation assigns the matter to a grid, property company or \
                             department handler",
                        ));
                    }
                    // The handler's clock starts when the decision is recorded: that is when
                    // the work reaches it.
                    Level::Grid | Level::Property | Level::Department => (
                        Triaged,
                        Some(config.assignment_deadlines(
                            issue.urgency,
                            issue.spans,
                            at,
                            *resolution_due,
                        )?),
                    ),
                },
                DeliberationOutcome::Close => (Closed, None),
            };
            (
                to,
                EventData::Deliberated {
                    deliberation,
                    deadlines,
                },
            )
        }

        (Command::SubmitRectification { notes, photo_ids }, InProgress) => {
            let supervised = issue
                .level
                .is_some_and(|level| config.supervised_levels.contains(&level));
            let to = if supervised {
                AwaitingSupervision
            } else {
                AwaitingConfirmation
            };
            (
                to,
                EventData::Rectified {
                    notes: notes.as_str().to_owned(),
                    photo_ids: photo_ids.clone(),
                },
            )
        }

        (Command::Supervise { passed, notes }, AwaitingSupervision) => {
            let notes = notes.as_str().to_owned();
            if *passed {
                (AwaitingConfirmation, EventData::SupervisionPassed { notes })
            } else {
                (InProgress, EventData::SupervisionFailed { notes })
            }
        }

        (
            Command::Confirm {
                resolved: true,
                satisfaction,
                comment,
            },
            AwaitingConfirmation,
        ) => {
            let satisfaction = satisfaction.ok_or_else(|| {
                DomainError::invalid(
                    "satisfaction",
                    "a satisfaction rating from 1 to 5 is required to confirm",
                )
            })?;
            (
                Closed,
                EventData::Confirmed {
                    satisfaction,
                    comment: comment.as_ref().map(|c| c.as_str().to_owned()),
                },
            )
        }
        (
            Command::Confirm {
                resolved: false,
                comment,
                ..
            },
            AwaitingConfirmation,
        ) => (
            InProgress,
            EventData::NotResolved {
                comment: comment.as_ref().map(|c| c.as_str().to_owned()),
                resolution_due: Some(renewed_resolution_due(issue, at, config)),
            },
        ),
        (Command::AutoConfirm, AwaitingConfirmation) => (Closed, EventData::AutoConfirmed),

        (Command::Revisit { outcome, notes }, Closed) => {
            let notes = notes.as_str().to_owned();
            match outcome {
                RevisitOutcome::Confirmed => (Closed, EventData::RevisitConfirmed { notes }),
                RevisitOutcome::Recurred => (
                    InProgress,
                    EventData::RevisitRecurred {
                        notes,
                        resolution_due: Some(renewed_resolution_due(issue, at, config)),
                    },
                ),
            }
        }

        (Command::Escalate { step }, status)
            if status.is_open()
                && *step <= 2
                && issue.escalation_step.checked_add(1) == Some(*step) =>
        {
            let target = if *step == 1 {
                EscalationTarget::CommunityOfficial
            } else {
                EscalationTarget::StreetDispatcher
            };
            (
                status,
                EventData::Escalated {
                    step: *step,
                    target,
                },
            )
        }

        (Command::QueueRevisit, Closed) if !issue.revisit_queued => {
            (Closed, EventData::RevisitQueued)
        }

        (Command::Reassign(choice), Triaged | InProgress) => {
            check_reassignment(issue, choice)?;
            if choice.reason.is_none() {
                return Err(DomainError::invalid(
                    "reason",
                    "a reason is required to reassign a case",
                ));
            }
            let from_handler = issue.handler.clone().ok_or_else(illegal)?;
            (
                assigned_status(issue, choice),
                EventData::Reassigned {
                    from_handler,
                    decision: assignment(issue, choice, at, config)?,
                },
            )
        }

        (Command::FixOnPatrol { patrol_id, notes }, Submitted) => (
            Closed,
            EventData::FixedOnPatrol {
                patrol_id: *patrol_id,
                notes: notes.as_str().to_owned(),
            },
        ),

        (Command::Return { reason, note }, Triaged | InProgress) => (
            Returned,
            EventData::Returned {
                reason: *reason,
                note: note.as_str().to_owned(),
            },
        ),

        (
            Command::DecideReturn {
                upheld,
                note,
                reassign_to,
            },
            Returned,
        ) => {
            let note = note.as_str().to_owned();
            match (upheld, reassign_to) {
                (true, Some(choice)) => {
                    check_reassignment(issue, choice)?;
                    (
                        assigned_status(issue, choice),
                        EventData::ReturnUpheld {
                            note,
                            decision: assignment(issue, choice, at, config)?,
                        },
                    )
                }
                (true, None) => {
                    return Err(DomainError::invalid(
                        "handler_id",
                        "an upheld return goes to another handler; choose one",
                    ));
                }
                (false, Some(_)) => {
                    return Err(DomainError::invalid(
                        "handler_id",
                        "a return not upheld goes back to the same handler; choose no other",
                    ));
                }
                (false, None) => (
                    issue.returned_from.unwrap_or(Triaged),
                    EventData::ReturnOverruled { note },
                ),
            }
        }

        (Command::Urge { note }, status) => (
            status,
            EventData::Urged {
                note: note.as_str().to_owned(),
            },
        ),

        (
            Command::RequestExtension {
                new_resolution_due,
                reason,
            },
            status,
        ) => {
            if *new_resolution_due <= issue.deadlines.resolution_due || *new_resolution_due <= at {
                return Err(DomainError::invalid(
                    "new_resolution_due",
                    "an extension asks for a date later than the current resolution deadline",
                ));
            }
            (
                status,
                EventData::ExtensionRequested {
                    new_resolution_due: *new_resolution_due,
                    reason: reason.as_str().to_owned(),
                },
            )
        }

        (
            Command::DecideExtension {
                request_id,
                approved,
                note,
            },
            status,
        ) => {
            let note = note.as_str().to_owned();
            let requested = issue.pending_extension.ok_or_else(illegal)?;
            if !*approved {
                let request_id = *request_id;
                (status, EventData::ExtensionRefused { request_id, note })
            } else if requested <= issue.deadlines.resolution_due {
                // The deadline moved since the request (a new handler, a reopening).
                return Err(DomainError::invalid(
                    "approved",
                    "the requested date is no later than the current deadline; refuse the request",
                ));
            } else {
                (
                    status,
                    EventData::ExtensionApproved {
                        request_id: *request_id,
                        resolution_due: requested,
                        note,
                    },
                )
            }
        }

        (Command::Merge { into }, _) => {
            if *into == issue.id {
                return Err(DomainError::invalid(
                    "into",
                    "a case cannot be merged into itself",
                ));
            }
            (Closed, EventData::Merged { into: *into })
        }

        _ => return Err(illegal()),
    };

    Ok(IssueEvent {
        at,
        from: Some(from),
        to,
        data,
    })
}

pub(super) fn apply(issue: &mut Issue, event: &IssueEvent) {
    let at = event.at;
    match &event.data {
        EventData::Created { issue: created } => {
            // The snapshot already counts its own event (version 1).
            *issue = (**created).clone();
            return;
        }
        EventData::Triaged { decision, .. } => {
            assign(issue, decision);
            issue.triaged_at = Some(at);
        }
        EventData::Returned { .. } => {
            issue.returned_from = event.from;
            issue.return_count = issue.return_count.saturating_add(1);
        }
        EventData::Reassigned { decision, .. } => assign(issue, decision),
        EventData::ReturnUpheld { decision, .. } => {
            assign(issue, decision);
            issue.returned_from = None;
            issue.returns_upheld = issue.returns_upheld.saturating_add(1);
        }
        EventData::ReturnOverruled { .. } => {
            issue.returned_from = None;
            issue.returns_overruled = issue.returns_overruled.saturating_add(1);
        }
        EventData::Rejected { .. } | EventData::Withdrawn => {}
        EventData::Answered { .. } | EventData::MediationSettled { .. } => {
            issue.responded_at.get_or_insert(at);
        }
        EventData::ConsultationAnswered { .. } | EventData::Acknowledged { .. } => {
            issue.responded_at.get_or_insert(at);
            issue.closure = Some(if issue.kind == IssueKind::Consultation {
                Closure::Answered
            } else {
                Closure::Acknowledged
            });
            issue.closed_at = Some(at);
        }
        EventData::Declined {
            backstop: Some(backstop),
            ..
        }
        | EventData::Backstopped { backstop } => hand_over(issue, backstop),
        EventData::Declined { backstop: None, .. } => {
            // Back to the dispatcher, who chooses again.
            issue.level = None;
            issue.handler = None;
        }
        EventData::MediationFailed { .. } => {
            issue.responded_at.get_or_insert(at);
            issue.level = Some(Level::Community);
            issue.handler = Some(Handler::Community {
                community_id: issue.place.community_id,
            });
        }
        EventData::Deliberated {
            deliberation,
            deadlines,
        } => {
            issue.responded_at.get_or_insert(at);
            match (&deliberation.outcome, deadlines) {
                (DeliberationOutcome::Assign { handler, .. }, Some(deadlines)) => {
                    start_clock(issue, handler.level(), handler.clone(), *deadlines);
                }
                // Written before meetings started clocks: the handler kept the old deadlines.
                (DeliberationOutcome::Assign { handler, .. }, None) => {
                    issue.level = Some(handler.level());
                    issue.handler = Some(handler.clone());
                }
                (DeliberationOutcome::Close, _) => {
                    issue.closure = Some(Closure::Deliberation);
                    issue.closed_at = Some(at);
                }
            }
        }
        EventData::Rectified { .. } => issue.rectified_at = Some(at),
        EventData::SupervisionPassed { .. } => issue.supervised_at = Some(at),
        EventData::SupervisionFailed { .. } => {
            issue.sent_back_count = issue.sent_back_count.saturating_add(1);
        }
        EventData::Confirmed { satisfaction, .. } => {
            issue.closure = Some(Closure::Confirmed);
            issue.satisfaction = Some(*satisfaction);
            issue.closed_at = Some(at);
        }
        EventData::NotResolved { resolution_due, .. } => {
            issue.reopen_count = issue.reopen_count.saturating_add(1);
            renew_deadline(issue, *resolution_due);
        }
        EventData::AutoConfirmed => {
            issue.closure = Some(Closure::AutoConfirmed);
            issue.satisfaction = None;
            issue.closed_at = Some(at);
        }
        EventData::RevisitConfirmed { .. } => {
            issue.revisited_at = Some(at);
            issue.revisit_queued = false;
        }
        EventData::RevisitRecurred { resolution_due, .. } => {
            issue.reopen_count = issue.reopen_count.saturating_add(1);
            renew_deadline(issue, *resolution_due);
            issue.revisited_at = Some(at);
            issue.revisit_queued = false;
            // Reopened: the next close is a fresh one, with its own closure and rating.
            issue.closed_at = None;
            issue.closure = None;
            issue.satisfaction = None;
        }
        EventData::FixedOnPatrol { .. } => {
            // Found, answered and fixed in one go; nobody rates it.
            issue.responded_at.get_or_insert(at);
            issue.rectified_at = Some(at);
            issue.closure = Some(Closure::FixedOnPatrol);
            issue.satisfaction = None;
            issue.closed_at = Some(at);
        }
        EventData::Escalated { step, .. } => issue.escalation_step = *step,
        EventData::Urged { .. } => issue.urge_count = issue.urge_count.saturating_add(1),
        EventData::ExtensionRequested {
            new_resolution_due, ..
        } => issue.pending_extension = Some(*new_resolution_due),
        EventData::ExtensionApproved { resolution_due, .. } => {
            issue.pending_extension = None;
            issue.extension_count = issue.extension_count.saturating_add(1);
            renew_deadline(issue, Some(*resolution_due));
        }
        EventData::ExtensionRefused { .. } => issue.pending_extension = None,
        EventData::Merged { into } => {
            issue.closure = Some(Closure::Merged);
            issue.merged_into = Some(*into);
            issue.closed_at = Some(at);
        }
        EventData::RevisitQueued => issue.revisit_queued = true,
    }
    if issue.status != event.to {
        issue.status = event.to;
        issue.status_since = at;
    }
    // A request for more time lapses when the case is off the clock (closed, returned to the
    // dispatcher, awaiting confirmation); a new handler's clock drops it too (`start_clock`).
    if !issue.status.is_on_the_clock() {
        issue.pending_extension = None;
    }
    issue.version += 1;
}

/// A reopened issue gets a whole resolution window again, counted from the reopening (never
/// earlier than the deadline it had): the old deadline may have passed weeks ago.
fn renewed_resolution_due(issue: &Issue, at: Timestamp, config: &WorkflowConfig) -> Timestamp {
    let renewed = config
        .rules()
        .deadlines(issue.urgency, issue.spans, at)
        .resolution_due;
    renewed.max(issue.deadlines.resolution_due)
}

/// Apply a renewed deadline; the escalation ladder starts again with it.
fn renew_deadline(issue: &mut Issue, resolution_due: Option<Timestamp>) {
    if let Some(due) = resolution_due {
        issue.deadlines.resolution_due = due;
        issue.escalation_step = 0;
    }
}

pub(super) fn replay(events: &[IssueEvent]) -> Option<Issue> {
    let (first, rest) = events.split_first()?;
    let EventData::Created { issue } = &first.data else {
        return None;
    };
    let mut issue = (**issue).clone();
    for event in rest {
        // A second `created`, or an event that does not start where the issue is, means the
        // stream is not one issue's history.
        if matches!(event.data, EventData::Created { .. }) || event.from != Some(issue.status) {
            return None;
        }
        apply(&mut issue, event);
    }
    Some(issue)
}
