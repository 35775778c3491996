//! Parsed value types: what they accept, normalise and refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::field;
use linli_domain::values::{
    DisplayName, GeoPoint, IssueDescription, NewPassword, Note, PhoneNumber, Satisfaction,
    mask_name, mask_phone,
};

#[test]
fn phone_numbers_are_normalised_to_eleven_digits() {
    for (raw, want) in [
        ("13800000001", "13800000001"),
        ("+86 138 0000 0001", "13800000001"),
        ("+8613800000001", "13800000001"),
        ("0086 138-0000-0001", "13800000001"),
        ("008613800000001", "13800000001"),
        ("8613800000001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("  19912345678  ", "19912345678"),
        ("15000000000", "15000000000"),
    ] {
        let phone = PhoneNumber::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
        assert_eq!(phone.as_str(), want, "{raw:?}");
    }
}

#[test]
fn phone_numbers_that_are_not_mainland_mobiles_are_refused() {
    for raw in [
        "",
        "12800000000",    // second digit must be 3-9
        "11800000000",    // idem
        "1380000000",     // 10 digits
        "138000000011",   // 12 digits
        "23800000001",    // must start with 1
        "1380000000a",    // letters
        "abcdefghijk",    // letters
        "+1 13800000001", // another country code
        "+86 12800000000",
        "138.0000.0001",          // dots are not separators
        "１３８０００００００１", // full-width digits
    ] {
        let err = PhoneNumber::parse(raw).expect_err(raw);
        assert_eq!(field(err), "phone", "{raw:?}");
    }
}

#[test]
fn phones_are_masked_for_staff_who_do_not_handle_the_resident() {
    let phone = PhoneNumber::parse("+86 138 1234 0001").unwrap();
    assert_eq!(phone.masked(), "138****0001");
    assert_eq!(mask_phone("13812340001"), "138****0001");
    assert_eq!(mask_phone("123"), "****");
}

#[test]
fn names_are_masked_for_other_residents() {
    assert_eq!(mask_name("王阿姨"), "王**");
    assert_eq!(mask_name("李"), "李*");
    assert_eq!(mask_name(" Zhang Wei "), "Z********");
}

#[test]
fn passwords_follow_the_policy() {
    assert!(NewPassword::parse("correct horse").is_ok());
    assert!(
        NewPassword::parse("密码是八个字符吧").is_ok(),
        "8 Chinese chars count as 8"
    );
    assert!(
        NewPassword::parse(&"x1".repeat(64)).is_ok(),
        "128 is the maximum"
    );
    for bad in [
        "",
        "short",
        "1234567",
        "12345678",
        "PASSWORD",
        "Password123",
        "aaaaaaaaaa",
        "woaini1314",
        &format!("{}z", "x1".repeat(64)), // 129 characters
    ] {
        assert_eq!(
            field(NewPassword::parse(bad).err().unwrap()),
            "password",
            "{bad:?}"
        );
    }
    let secret = NewPassword::parse("correct horse").unwrap();
    assert_eq!(secret.expose(), "correct horse");
    assert!(!format!("{secret:?}").contains("horse"), "Debug hides it");
}

#[test]
fn satisfaction_is_one_to_five() {
    for n in 1..=5 {
        assert_eq!(Satisfaction::parse(n).unwrap().value() as i64, n);
    }
    for n in [0, 6, -1, 100, i64::MAX, i64::MIN] {
        assert_eq!(field(Satisfaction::parse(n).unwrap_err()), "satisfaction");
    }
    // JSON goes through the same parse.
    assert!(serde_json::from_str::<Satisfaction>("0").is_err());
    assert!(serde_json::from_str::<Satisfaction>("6").is_err());
    assert_eq!(
        serde_json::from_str::<Satisfaction>("3").unwrap().value(),
        3
    );
    assert_eq!(
        serde_json::to_string(&Satisfaction::parse(4).unwrap()).unwrap(),
        "4"
    );
}

#[test]
fn descriptions_are_5_to_2000_characters_counted_as_characters() {
    let ok = |s: &str| IssueDescription::parse(s).is_ok();
    assert!(!ok("abcd"), "4 ASCII");
    assert!(ok("abcde"), "5 ASCII");
    assert!(!ok("楼道有杂"), "4 Chinese characters");
    assert!(ok("楼道有杂物"), "5 Chinese characters (15 bytes)");
    assert!(ok(&"漏".repeat(2000)), "2000 Chinese characters");
    assert!(!ok(&"漏".repeat(2001)), "2001 Chinese characters");
    assert!(ok(&"a".repeat(2000)));
    assert!(!ok(&"a".repeat(2001)));
    assert!(!ok("   abcd   "), "trimmed before counting");
    assert_eq!(
        IssueDescription::parse("  楼道有杂物  ").unwrap().as_str(),
        "楼道有杂物"
    );
    assert!(!ok("abc\u{0}de"), "control characters");
    assert!(ok("第一行\n第二行"), "newlines are fine");
    assert_eq!(
        field(IssueDescription::parse("abc").unwrap_err()),
        "description"
    );
    assert_eq!(IssueDescription::MIN_CHARS, 5);
    assert_eq!(IssueDescription::MAX_CHARS, 2000);
}

#[test]
fn other_text_types_have_their_bounds() {
    assert!(Note::parse(" ").is_err());
    assert!(Note::parse("好").is_ok());
    assert_eq!(field(Note::parse("").unwrap_err()), "note");
    assert!(DisplayName::parse(&"名".repeat(64)).is_ok());
    assert!(DisplayName::parse(&"名".repeat(65)).is_err());
}

#[test]
fn geo_points_are_wgs84_ranges() {
    assert!(GeoPoint::parse(28.2, 112.9).is_ok());
    assert!(GeoPoint::parse(90.0, -180.0).is_ok());
    assert_eq!(field(GeoPoint::parse(90.1, 0.0).unwrap_err()), "lat");
    assert_eq!(field(GeoPoint::parse(f64::NAN, 0.0).unwrap_err()), "lat");
    assert_eq!(field(GeoPoint::parse(0.0, 181.0).unwrap_err()), "lon");
    assert_eq!(field(GeoPoint::parse(0.0, f64::NAN).unwrap_err()), "lon");
}
