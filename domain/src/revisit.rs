//! Which closed issues the 回头看 revisit looks at again: the poorly rated, the emergencies, the
//! unrated auto-confirmations (resolved but unverified), and a deterministic sample of the rest. The storage layer builds its candidate query from these
//! definitions, so they are public.

use crate::{closure::Closure, ids::IssueId, urgency::Urgency, values::Satisfaction};

/// A rating of this or lower always earns a revisit.
pub const POOR_RATING_AT_MOST: u8 = 3;

/// Knuth's multiplicative hash factor (⌊2³² / φ⌋) that spreads ids over the sample.
pub const SAMPLE_HASH_FACTOR: u64 = 2_654_435_761;

/// Issues of this urgency are always revisited.
pub fn always_revisited(urgency: Urgency) -> bool {
    urgency == Urgency::Emergency
}

/// Whether a rating is poor enough to revisit.
pub fn poorly_rated(satisfaction: Satisfaction) -> bool {
    satisfaction.value() <= POOR_RATING_AT_MOST
}

/// Deterministic sample by id: the multiplicative hash modulo 100, so the same issue is always
/// in or out. The factor is 61 mod 100, coprime with 100: any 100 consecutive (non-negative) ids
/// hold exactly `percent` sampled ones. u128 avoids overflow.
pub fn in_sample(id: IssueId, percent: u8) -> bool {
    let hash = u128::from(id.0 as u64) * u128::from(SAMPLE_HASH_FACTOR);
    hash % 100 < u128::from(percent)
}

/// Whether a closed issue is selected for a revisit (once it is old enough and not yet queued):
/// poorly rated, an emergency, closed unrated by the auto-confirmation (`closure`, see
/// `evaluation::is_resolved_unverified`), or in the sample.
pub fn selected(
    id: IssueId,
    satisfaction: Option<Satisfaction>,
    urgency: Urgency,
    closure: Option<Closure>,
    sample_percent: u8,
) -> bool {
    satisfaction.is_some_and(poorly_rated)
        || always_revisited(urgency)
        || crate::evaluation::is_resolved_unverified(closure)
        || in_sample(id, sample_percent)
}
