//! The category catalogue: what residents can report. The catalogue is data (the district office
//! edits it); here are the code every issue carries, one catalogue entry as parsed, and the part
//! of an entry that routing reads.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    DomainError, issue::IssueKind, level::Level, urgency::SpanOverrides, urgency::Urgency,
    values::Note,
};

/// A category code: a lowercase slug, `[a-z][a-z0-9_]*`, 2 to 32 bytes (e.g. `water_leak`).
/// Stored inline so that it stays `Copy`, like the ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryCode {
    bytes: [u8; CategoryCode::MAX_LEN],
    len: u8,
}

/// Whether `bytes` is a valid code; `const` so that the constants below are checked when
/// compiled.
const fn is_slug(bytes: &[u8]) -> bool {
    if bytes.len() < CategoryCode::MIN_LEN || bytes.len() > CategoryCode::MAX_LEN {
        return false;
    }
    if !bytes[0].is_ascii_lowercase() {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl CategoryCode {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 32;
    /// The pattern of a code, as the spec states it.
    pub const PATTERN: &'static str = "^[a-z][a-z0-9_]{1,31}$";

    pub const FIRE_ESCAPE_BLOCKED: Self = Self::known("fire_escape_blocked");
    pub const FLYING_WIRE_CHARGING: Self = Self::known("flying_wire_charging");
    pub const WATER_LEAK: Self = Self::known("water_leak");
    pub const ELEVATOR_FAULT: Self = Self::known("elevator_fault");
    pub const ELEVATOR_ENTRAPMENT: Self = Self::known("elevator_entrapment");
    pub const GAS_LEAK: Self = Self::known("gas_leak");
    pub const WATER_TANK: Self = Self::known("water_tank");
    pub const STREET_LAMP: Self = Self::known("street_lamp");
    pub const SANITATION: Self = Self::known("sanitation");
    pub const GREENING: Self = Self::known("greening");
    pub const PARKING: Self = Self::known("parking");
    pub const SMALL_ADS: Self = Self::known("small_ads");
    pub const STAIRWELL_CLUTTER: Self = Self::known("stairwell_clutter");
    pub const CHARGING_PILE: Self = Self::known("charging_pile");
    pub const ELEVATOR_INSTALLATION: Self = Self::known("elevator_installation");
    pub const NEIGHBOUR_DISPUTE: Self = Self::known("neighbour_dispute");
    pub const PUBLIC_UTILITIES: Self = Self::known("public_utilities");
    pub const OTHER: Self = Self::known("other");

    /// A code written in the source; a bad one fails to compile (the constants above).
    const fn known(code: &'static str) -> Self {
        let src = code.as_bytes();
        assert!(is_slug(src), "not a category code");
        let mut bytes = [0u8; Self::MAX_LEN];
        let mut i = 0;
        while i < src.len() {
            bytes[i] = src[i];
            i += 1;
        }
        Self {
            bytes,
            len: src.len() as u8,
        }
    }

    /// A code as sent or stored. Not whether the catalogue has it: that is the catalogue's.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let src = raw.as_bytes();
        if !is_slug(src) {
            return Err(DomainError::invalid(
                "category",
                format!(
                    "unknown category `{raw}`: a code is a lowercase slug, 2 to {} characters",
                    Self::MAX_LEN
                ),
            ));
        }
        let mut bytes = [0u8; Self::MAX_LEN];
        bytes[..src.len()].copy_from_slice(src);
        Ok(Self {
            bytes,
            len: src.len() as u8,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Debug for CategoryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CategoryCode({})", self.as_str())
    }
}

impl std::fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CategoryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CategoryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for CategoryCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(Self::PATTERN))
            .min_length(Some(Self::MIN_LEN))
            .max_length(Some(Self::MAX_LEN))
            .description(Some(
                "A category code of the catalogue (`GET /categories`), e.g. `water_leak`.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for CategoryCode {}

/// What routing reads of a category: its default level and urgency, and the spans that replace
/// the urgency's response / resolution windows (电梯困人: a response within 30 minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryRouting {
    /// `None`: the dispatcher decides (`other`).
    pub default_level: Option<Level>,
    pub default_urgency: Urgency,
    pub spans: SpanOverrides,
}

/// One entry of the catalogue, every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryEntry {
    pub code: CategoryCode,
    pub name_zh: CategoryName,
    pub name_en: CategoryName,
    /// The request types (诉求类型) that may be filed under it; at least one.
    pub kinds: Vec<IssueKind>,
    pub default_level: Option<Level>,
    pub default_urgency: Urgency,
    /// The filing screen asks for photos.
    pub photos_expected: bool,
    /// Shown before filing (燃气泄漏请立即拨打119并撤离，不要在此报修).
    pub stop_notice: Option<Note>,
    pub spans: SpanOverrides,
    /// A retired category is kept for the issues filed under it, but takes no new ones.
    pub active: bool,
}

impl CategoryEntry {
    pub fn routing(&self) -> CategoryRouting {
        CategoryRouting {
            default_level: self.default_level,
            default_urgency: self.default_urgency,
            spans: self.spans,
        }
    }

    /// Whether a new issue of `kind` may be filed under it now.
    pub fn accepts(&self, kind: IssueKind) -> Result<(), DomainError> {
        if !self.active {
            return Err(DomainError::invalid(
                "category",
                format!("the category `{}` is retired", self.code),
            ));
        }
        if !self.kinds.contains(&kind) {
            return Err(DomainError::invalid(
                "kind",
                format!(
                    "a {} cannot be filed under `{}`",
                    kind.as_str(),
                    self.code.as_str()
                ),
            ));
        }
        Ok(())
    }
}

/// The request types of a category, at least one, each once, in [`IssueKind::ALL`] order.
pub fn parse_kinds(raw: &[String]) -> Result<Vec<IssueKind>, DomainError> {
    let mut kinds = raw
        .iter()
        .map(|k| IssueKind::parse(k.trim()).map_err(|e| renamed(e, "kinds")))
        .collect::<Result<Vec<_>, _>>()?;
    kinds.sort_by_key(|k| IssueKind::ALL.iter().position(|x| x == k));
    kinds.dedup();
    if kinds.is_empty() {
        return Err(DomainError::invalid(
            "kinds",
            "name at least one request type",
        ));
    }
    Ok(kinds)
}

fn renamed(e: DomainError, field: &'static str) -> DomainError {
    match e {
        DomainError::Invalid { message, .. } => DomainError::Invalid { field, message },
        other => other,
    }
}

/// A category's name in one language: 1 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CategoryName(String);

impl CategoryName {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let trimmed = raw.trim();
        let n = trimmed.chars().count();
        if n == 0 || n > Self::MAX_CHARS {
            return Err(DomainError::invalid(
                field,
                format!("must be 1 to {} characters", Self::MAX_CHARS),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                "must not contain control characters",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A span override in minutes: 1 minute to 90 days.
pub fn parse_span_minutes(
    field: &'static str,
    raw: Option<i64>,
) -> Result<Option<u32>, DomainError> {
    const MAX: i64 = 90 * 24 * 60;
    match raw {
        None => Ok(None),
        Some(m) if (1..=MAX).contains(&m) => Ok(u32::try_from(m).ok()),
        Some(_) => Err(DomainError::invalid(
            field,
            format!("must be 1 to {MAX} minutes"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_are_lowercase_slugs() {
        for ok in ["water_leak", "gas_leak", "a1", "x_2_y"] {
            assert_eq!(CategoryCode::parse(ok).unwrap().as_str(), ok);
        }
        let long = "a".repeat(33);
        for bad in [
            "",
            "a",
            "Water_Leak",
            "1abc",
            "_abc",
            "gas-leak",
            "燃气",
            &long,
        ] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            CategoryCode::GAS_LEAK,
            CategoryCode::parse("gas_leak").unwrap()
        );
        assert_eq!(
            serde_json::to_string(&CategoryCode::WATER_LEAK).unwrap(),
            "\"water_leak\""
        );
        let back: CategoryCode = serde_json::from_str("\"water_tank\"").unwrap();
        assert_eq!(back, CategoryCode::WATER_TANK);
        assert!(serde_json::from_str::<CategoryCode>("\"Bad\"").is_err());
    }

    #[test]
    fn kinds_are_deduplicated_in_order_and_never_empty() {
        let kinds = parse_kinds(&["praise".into(), "complaint".into(), "praise".into()]).unwrap();
        assert_eq!(kinds, vec![IssueKind::Complaint, IssueKind::Praise]);
        assert!(parse_kinds(&[]).is_err());
        assert!(parse_kinds(&["problem".into()]).is_err());
    }
}
