//! The background task: overdue escalation, auto-confirmation, revisit queueing.

use crate::state::AppState;

/// Start the periodic task (no-op when the interval is 0).
pub fn spawn(state: &AppState) {
    let _ = state;
}
