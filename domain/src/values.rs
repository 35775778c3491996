//! Parsed value types: once a value exists it is valid ("parse, don't validate").

use serde::Serialize;

use crate::DomainError;

/// A mainland China mobile number, normalised to 11 digits (`1[3-9]` + 9 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts spaces, dashes and a `+86` / `86` / `0086` prefix.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .or_else(|| {
                if digits.len() == 13 {
                    digits.strip_prefix("86")
                } else {
                    None
                }
            })
            .unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let ok = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if ok {
            Ok(Self(digits.to_owned()))
        } else {
            Err(DomainError::invalid(
                "phone",
                "must be a mainland mobile number: 1[3-9] followed by 9 digits",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****0001`: what staff see of a resident they do not handle.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Masks any stored phone string the same way as [`PhoneNumber::masked`].
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_owned()
    }
}

/// A person's display name as other residents see it: the first character, the rest starred
/// (`王阿姨` → `王**`), so neighbours can tell comments apart without learning who wrote them.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let first: String = chars.next().into_iter().collect();
    let stars = chars.count().max(1);
    format!("{first}{}", "*".repeat(stars))
}

/// A new password that meets the policy: at least 8 characters, at most 128, not a common one.
#[derive(Clone)]
pub struct NewPassword(String);

const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwerty123",
    "qwertyuiop",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "12341234",
    "abc12345",
    "abcd1234",
    "1q2w3e4r",
    "iloveyou",
    "admin123",
    "a1234567",
    "woaini1314",
    "5201314520",
    "87654321",
    "11223344",
    "123123123",
    "qwer1234",
    "asdf1234",
    "zxcvbnm1",
    "1qaz2wsx",
    "aa123456",
    "12qwaszx",
    "password!",
    "passw0rd",
    "welcome1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "dragon12",
    "monkey12",
    "letmein1",
    "trustno1",
    "superman",
];

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let chars = raw.chars().count();
        if chars < 8 {
            return Err(DomainError::invalid(
                "password",
                "must be at least 8 characters",
            ));
        }
        if chars > 128 {
            return Err(DomainError::invalid(
                "password",
                "must be at most 128 characters",
            ));
        }
        let lower = raw.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) || lower.chars().all(|c| lower.starts_with(c))
        {
            return Err(DomainError::invalid(
                "password",
                "is too common; choose another",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Trimmed text with a character-count range; the building block of the text types below.
fn bounded_text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    let n = trimmed.chars().count();
    if n < min {
        return Err(DomainError::invalid(
            field,
            format!("must be at least {min} characters"),
        ));
    }
    if n > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MIN_CHARS: usize = $min;
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                bounded_text($field, raw, $min, $max).map(Self)
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

text_type!(
    /// What the resident reports: 5 to 2000 characters.
    IssueDescription, "description", 5, 2000
);
text_type!(
    /// A person's or an organisation's display name.
    DisplayName, "display_name", 1, 64
);
text_type!(
    /// The name of a street, community, grid, compound, building or company.
    OrgName, "name", 1, 100
);
text_type!(
    /// A reason, note, message or comment written by a person: 1 to 2000 characters.
    Note, "note", 1, 2000
);
text_type!(
    /// What a daily work assessment checked and found: up to 2000 characters, may be empty.
    AssessmentNotes, "notes", 0, 2000
);
text_type!(
    /// The headline of a notice (公告): 1 to 100 characters.
    NoticeTitle, "title", 1, 100
);
text_type!(
    /// The text of a notice (公告): 1 to 5000 characters.
    NoticeBody, "body", 1, 5000
);
text_type!(
    /// The title of a meeting (议事会, 恳谈会): 1 to 100 characters.
    MeetingTitle, "title", 1, 100
);
text_type!(
    /// What an attendee of a meeting is there as (社区书记, 业主代表): 1 to 64 characters.
    RoleLabel, "role_label", 1, 64
);
text_type!(
    /// The minutes of a meeting (会议纪要): 1 to 10000 characters.
    MeetingMinutesText, "text", 1, 10000
);

/// The resident's satisfaction score, 1 (very dissatisfied) to 5 (very satisfied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Satisfaction(u8);

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Satisfaction {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(5))
            .description(Some("1 (very dissatisfied) to 5 (very satisfied)"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Satisfaction {}

impl Satisfaction {
    pub fn parse(raw: i64) -> Result<Self, DomainError> {
        if (1..=5).contains(&raw) {
            Ok(Self(raw as u8))
        } else {
            Err(DomainError::invalid(
                "satisfaction",
                "must be an integer from 1 to 5",
            ))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Satisfaction {
    type Error = DomainError;
    fn try_from(v: i64) -> Result<Self, DomainError> {
        Self::parse(v)
    }
}

impl From<Satisfaction> for u8 {
    fn from(s: Satisfaction) -> u8 {
        s.0
    }
}

/// A WGS-84 point where the problem is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn parse(lat: f64, lon: f64) -> Result<Self, DomainError> {
        if !(-90.0..=90.0).contains(&lat) || lat.is_nan() {
            return Err(DomainError::invalid("lat", "must be between -90 and 90"));
        }
        if !(-180.0..=180.0).contains(&lon) || lon.is_nan() {
            return Err(DomainError::invalid("lon", "must be between -180 and 180"));
        }
        Ok(Self { lat, lon })
    }
}
