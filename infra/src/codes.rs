//! The one table between the domain's closed sets and their stored text. Every code written to
//! or read from a column, and every code literal in a SQL predicate, comes from here, and here it
//! comes from the domain's own `as_str` / `parse`: nothing is typed twice.

use linli_domain::{
    auth::Role,
    closure::Closure,
    handler::HandlerKind,
    issue::{EventData, ExtensionStatus, IssueKind, IssueStatus, Source},
    level::Level,
    urgency::Urgency,
};

use crate::error::{RepoError, RepoResult};

/// A closed set of the domain stored as text.
pub trait Code: Copy + Sized + 'static {
    /// Every value, in the domain's order.
    const ALL: &'static [Self];
    /// What the set is called in an error about a bad stored value.
    const NAME: &'static str;

    /// The stored text: the domain's `as_str`.
    fn code(self) -> &'static str;

    /// The value of stored text (the domain's `parse`); unknown text is corrupt data.
    fn from_code(raw: &str) -> RepoResult<Self>;

    /// The codes of the values for which `keep` holds, for a SQL `IN (...)` list.
    fn codes_where(keep: impl Fn(Self) -> bool) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .copied()
            .filter(|v| keep(*v))
            .map(Self::code)
            .collect()
    }
}

macro_rules! stored_as_text {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Code for $ty {
            const ALL: &'static [Self] = &<$ty>::ALL;
            const NAME: &'static str = $name;

            fn code(self) -> &'static str {
                self.as_str()
            }

            fn from_code(raw: &str) -> RepoResult<Self> {
                <$ty>::parse(raw)
                    .map_err(|_| RepoError::Corrupt(format!("unknown {} `{raw}`", $name)))
            }
        }
    )*};
}

stored_as_text! {
    IssueStatus => "status",
    Level => "level",
    Urgency => "urgency",
    IssueKind => "kind",
    Source => "source",
    Closure => "closure",
    HandlerKind => "handler kind",
    Role => "role",
    ExtensionStatus => "extension status",
}

/// Event kinds (`issue_events.kind`), taken from the events themselves.
pub mod event_kind {
    use super::EventData;

    pub fn revisit_confirmed() -> &'static str {
        EventData::RevisitConfirmed {
            notes: String::new(),
        }
        .kind()
    }

    pub fn revisit_recurred() -> &'static str {
        EventData::RevisitRecurred {
            notes: String::new(),
            resolution_due: None,
        }
        .kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Code + PartialEq + std::fmt::Debug>() {
        let mut seen = std::collections::HashSet::new();
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()).ok(), Some(*v));
            assert!(seen.insert(v.code()), "{} code {} twice", T::NAME, v.code());
            // The code goes into SQL text as a literal: it must need no quoting.
            assert!(
                v.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                v.code()
            );
        }
        assert!(T::from_code("no_such_code").is_err());
    }

    #[test]
    fn every_code_round_trips_and_is_a_plain_word() {
        round_trips::<IssueStatus>();
        round_trips::<Level>();
        round_trips::<Urgency>();
        round_trips::<IssueKind>();
        round_trips::<Source>();
        round_trips::<Closure>();
        round_trips::<HandlerKind>();
        round_trips::<Role>();
    }

    #[test]
    fn codes_where_keeps_the_domain_order() {
        assert_eq!(
            IssueStatus::codes_where(|s| !s.is_open()),
            ["closed", "rejected", "withdrawn"]
        );
    }
}
