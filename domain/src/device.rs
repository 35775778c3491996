//! Phones registered for push: the vendor push service's device token and the platform.

use crate::DomainError;

/// The push ecosystems Linli's gateway speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Ios,
    Android,
    /// HarmonyOS (鸿蒙), reached through Huawei's push kit.
    Harmony,
}

named_variants! {
    Platform {
        Ios => "ios",
        Android => "android",
        Harmony => "harmony",
    }
    unknown(raw) => DomainError::invalid("platform", format!("unknown platform `{raw}`"))
}

/// A device token as the vendor SDK hands it out: 1 to 512 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeviceToken(String);

impl DeviceToken {
    pub const MAX_LEN: usize = 512;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(DomainError::invalid("token", "must not be empty"));
        }
        if t.len() > Self::MAX_LEN {
            return Err(DomainError::invalid(
                "token",
                format!("must be at most {} characters", Self::MAX_LEN),
            ));
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(DomainError::invalid(
                "token",
                "must be visible ASCII characters without spaces",
            ));
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_round_trip_and_unknown_ones_fail() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()).unwrap(), p);
        }
        assert!(Platform::parse("symbian").is_err());
    }

    #[test]
    fn tokens_are_trimmed_visible_ascii_of_bounded_length() {
        assert_eq!(
            DeviceToken::parse(" abc:DEF_12 ").unwrap().as_str(),
            "abc:DEF_12"
        );
        for bad in ["", "   ", "a b", "令牌", &"x".repeat(513)] {
            assert!(DeviceToken::parse(bad).is_err(), "{bad:?}");
        }
    }
}
