//! The short free texts of a new issue that say where it is: parsed once, never re-checked.

use serde::Serialize;

use crate::DomainError;

/// Trimmed, 1 to `max` characters, no control characters at all (one line).
fn one_line(field: &'static str, raw: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(DomainError::invalid(field, "must not be blank"));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

macro_rules! line_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                one_line($field, raw, $max).map(Self)
            }

            /// Absent or blank is `None`; anything else must parse.
            pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, DomainError> {
                match raw.map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => Self::parse(s).map(Some),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }
    };
}

line_type!(
    /// Unit and door of the reporter (e.g. 2单元 301), at most 64 characters.
    UnitText, "unit", 64
);
line_type!(
    /// Where exactly the problem is (e.g. 地下车库B区), at most 200 characters.
    LocationText, "location_text", 200
);
