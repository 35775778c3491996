//! The category catalogue, urgency deadlines and triage routing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{field, place, t0};
use linli_domain::{
    DomainError,
    category::Category,
    ids::{CommunityId, GridId, PropertyCompanyId},
    triage::{self, DEFAULT_DEPARTMENT, Handler, Level, Suggestion, TriageOverrides},
    urgency::{DeadlinePolicy, Urgency},
    values::Note,
};

#[test]
fn the_catalogue_is_exactly_the_issue_text() {
    use Level::*;
    use Urgency::*;
    let want: [(&str, &str, Option<Level>, Urgency); 15] = [
        (
            "fire_escape_blocked",
            "消防通道堵塞",
            Some(Property),
            Emergency,
        ),
        (
            "flying_wire_charging",
            "飞线充电",
            Some(Property),
            Emergency,
        ),
        ("water_leak", "漏水", Some(Property), Urgent),
        ("elevator_fault", "电梯故障", Some(Property), Urgent),
        ("street_lamp", "路灯损坏", Some(Property), Normal),
        ("sanitation", "卫生清洁", Some(Property), Normal),
        ("greening", "绿化养护", Some(Property), Normal),
        ("parking", "停车管理", Some(Property), Normal),
        // 小事居民治 (issue 13): the building's leaders first, the grid as backstop.
        ("small_ads", "小广告", Some(Residents), Normal),
        ("stairwell_clutter", "楼道杂物", Some(Residents), Normal),
        ("charging_pile", "充电桩安装", Some(Community), Normal),
        ("elevator_installation", "加装电梯", Some(Community), Normal),
        ("neighbour_dispute", "邻里纠纷", Some(Mediation), Normal),
        (
            "public_utilities",
            "水电气外部供应",
            Some(Department),
            Urgent,
        ),
        ("other", "其他", None, Normal),
    ];
    assert_eq!(Category::ALL.len(), want.len());
    for (category, (code, zh, level, urgency)) in Category::ALL.into_iter().zip(want) {
        let info = category.info();
        assert_eq!(info.code, code);
        assert_eq!(info.name_zh, zh, "{code}");
        assert_eq!(info.default_level, level, "{code}");
        assert_eq!(info.default_urgency, urgency, "{code}");
        assert!(!info.name_en.is_empty(), "{code}");
        assert_eq!(category.as_str(), code);
        assert_eq!(Category::parse(code).unwrap(), category);
        // The serde name is the code.
        assert_eq!(
            serde_json::to_string(&category).unwrap(),
            format!("\"{code}\"")
        );
    }
    assert_eq!(
        field(Category::parse("Water_Leak").unwrap_err()),
        "category"
    );
    assert_eq!(field(Category::parse("").unwrap_err()), "category");
}

#[test]
fn deadlines_per_urgency() {
    let policy = DeadlinePolicy::default();
    for (urgency, respond, resolve) in [
        (Urgency::Emergency, Duration::hours(2), Duration::hours(24)),
        (Urgency::Urgent, Duration::hours(12), Duration::hours(72)),
        (Urgency::Normal, Duration::hours(24), Duration::days(7)),
    ] {
        assert_eq!(policy.windows(urgency), (respond, resolve));
        let d = policy.deadlines(urgency, t0());
        assert_eq!(d.response_due, t0() + respond, "{urgency:?}");
        assert_eq!(d.resolution_due, t0() + resolve, "{urgency:?}");
    }
    let custom = DeadlinePolicy {
        normal: (Duration::hours(48), Duration::days(14)),
        ..DeadlinePolicy::default()
    };
    assert_eq!(
        custom.deadlines(Urgency::Normal, t0()).resolution_due,
        t0() + Duration::days(14)
    );
    for u in Urgency::ALL {
        assert_eq!(Urgency::parse(u.as_str()).unwrap(), u);
    }
    assert!(Urgency::parse("high").is_err());
}

#[test]
fn default_handler_per_level() {
    let p = place();
    let department = DEFAULT_DEPARTMENT.to_owned();
    for (level, handler) in [
        (
            Level::Grid,
            Handler::Grid {
                grid_id: GridId(50),
            },
        ),
        (
            Level::Property,
            Handler::PropertyCompany {
                property_company_id: PropertyCompanyId(7),
            },
        ),
        (
            Level::Community,
            Handler::Community {
                community_id: CommunityId(10),
            },
        ),
        (
            Level::Mediation,
            Handler::Mediators {
                community_id: CommunityId(10),
            },
        ),
        (Level::Department, Handler::Department { name: department }),
    ] {
        assert_eq!(Handler::default_for(level, &p), Some(handler), "{level:?}");
    }
    let no_grid = linli_domain::issue::Place {
        grid_id: None,
        building_id: None,
        ..p
    };
    assert_eq!(Handler::default_for(Level::Grid, &no_grid), None);
    for level in Level::ALL {
        if let Some(h) = Handler::default_for(level, &p) {
            assert_eq!(h.level(), level);
        }
        assert_eq!(Level::parse(level.as_str()).unwrap(), level);
    }
}

#[test]
fn suggestion_per_category() {
    let policy = DeadlinePolicy::default();
    let p = place();
    for category in Category::ALL {
        let info = category.info();
        let s = triage::suggest(category, None, &p, t0(), &policy);
        assert_eq!(s.level, info.default_level, "{category:?}");
        assert_eq!(
            s.handler,
            info.default_level.and_then(|l| Handler::default_for(l, &p)),
            "{category:?}"
        );
        assert_eq!(s.urgency, info.default_urgency);
        assert_eq!(s.deadlines, policy.deadlines(info.default_urgency, t0()));
        // An explicit urgency wins and moves the deadlines.
        let s = triage::suggest(category, Some(Urgency::Emergency), &p, t0(), &policy);
        assert_eq!(s.urgency, Urgency::Emergency);
        assert_eq!(s.deadlines.response_due, t0() + Duration::hours(2));
    }
    let fire = triage::suggest(Category::FireEscapeBlocked, None, &p, t0(), &policy);
    assert_eq!(fire.level, Some(Level::Property));
    assert_eq!(fire.deadlines.resolution_due, t0() + Duration::hours(24));
    let other = triage::suggest(Category::Other, None, &p, t0(), &policy);
    assert_eq!((other.level, other.handler), (None, None));
}

fn suggestion(category: Category) -> Suggestion {
    triage::suggest(category, None, &place(), t0(), &DeadlinePolicy::default())
}

/// No override but a reason: spread it into the overrides a test makes.
fn because(reason: &str) -> TriageOverrides {
    TriageOverrides {
        reason: Note::parse(reason).ok(),
        ..Default::default()
    }
}

fn decide(
    category: Category,
    overrides: TriageOverrides,
) -> Result<triage::TriageDecision, DomainError> {
    triage::decide(
        &suggestion(category),
        overrides,
        &place(),
        t0(),
        &DeadlinePolicy::default(),
    )
}

#[test]
fn accepting_the_suggestion_needs_no_reason() {
    let d = decide(Category::WaterLeak, TriageOverrides::default()).unwrap();
    let s = suggestion(Category::WaterLeak);
    assert_eq!(d.level, Level::Property);
    assert_eq!(Some(d.handler.clone()), s.handler);
    assert_eq!(d.urgency, s.urgency);
    assert_eq!(d.deadlines, s.deadlines);
    assert!(!d.overridden);
    assert_eq!(d.reason, None);

    // Restating the suggested values is not an override either.
    let d = decide(
        Category::WaterLeak,
        TriageOverrides {
            level: Some(Level::Property),
            handler: s.handler.clone(),
            urgency: Some(Urgency::Urgent),
            reason: Note::parse("  ").ok(),
        },
    )
    .unwrap();
    assert!(!d.overridden);
    assert_eq!(d.reason, None, "a blank reason is no reason");
}

#[test]
fn every_override_needs_a_reason() {
    let cases = [
        TriageOverrides {
            level: Some(Level::Grid),
            ..Default::default()
        },
        TriageOverrides {
            handler: Some(Handler::PropertyCompany {
                property_company_id: PropertyCompanyId(99),
            }),
            ..Default::default()
        },
        TriageOverrides {
            urgency: Some(Urgency::Emergency),
            ..Default::default()
        },
        TriageOverrides {
            urgency: Some(Urgency::Emergency),
            reason: Note::parse("   ").ok(),
            ..Default::default()
        },
    ];
    for overrides in cases {
        let err = decide(Category::WaterLeak, overrides.clone()).unwrap_err();
        assert_eq!(field(err), "reason", "{overrides:?}");
        let with_reason = TriageOverrides {
            reason: Note::parse(" 现场核实 ").ok(),
            ..overrides
        };
        let d = decide(Category::WaterLeak, with_reason).unwrap();
        assert!(d.overridden);
        assert_eq!(d.reason.as_deref(), Some("现场核实"), "trimmed");
    }
}

#[test]
fn overriding_the_level_picks_that_level_s_default_handler() {
    let overrides = TriageOverrides {
        level: Some(Level::Mediation),
        ..because("a neighbour's pipe")
    };
    let d = decide(Category::WaterLeak, overrides).unwrap();
    assert_eq!(d.level, Level::Mediation);
    assert_eq!(
        d.handler,
        Handler::Mediators {
            community_id: CommunityId(10)
        }
    );
    assert_eq!(d.urgency, Urgency::Urgent, "urgency kept");
}

#[test]
fn overriding_the_urgency_recomputes_the_deadlines_from_creation() {
    let urgency = Some(Urgency::Emergency);
    let d = decide(
        Category::Greening,
        TriageOverrides {
            urgency,
            ..because("a fallen tree")
        },
    )
    .unwrap();
    assert_eq!(d.urgency, Urgency::Emergency);
    assert_eq!(d.deadlines.response_due, t0() + Duration::hours(2));
    assert_eq!(d.deadlines.resolution_due, t0() + Duration::hours(24));
}

#[test]
fn a_handler_must_match_the_level() {
    // A grid handler for a water leak (property level), and for the department level.
    for level in [None, Some(Level::Department)] {
        let overrides = TriageOverrides {
            level,
            handler: Some(Handler::Grid {
                grid_id: GridId(50),
            }),
            reason: Note::parse("x").ok(),
            ..Default::default()
        };
        let err = decide(Category::WaterLeak, overrides).unwrap_err();
        assert_eq!(field(err), "handler_id", "{level:?}");
    }
    let d = decide(
        Category::WaterLeak,
        TriageOverrides {
            level: Some(Level::Department),
            handler: Some(Handler::Department {
                name: "供水公司".to_owned(),
            }),
            reason: Note::parse("mains pipe").ok(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        d.handler,
        Handler::Department {
            name: "供水公司".to_owned()
        }
    );
}

#[test]
fn other_needs_a_level_from_the_dispatcher_but_no_reason() {
    let err = decide(Category::Other, TriageOverrides::default()).unwrap_err();
    assert_eq!(field(err), "level");
    let d = decide(
        Category::Other,
        TriageOverrides {
            level: Some(Level::Grid),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(d.level, Level::Grid);
    assert_eq!(
        d.handler,
        Handler::Grid {
            grid_id: GridId(50)
        }
    );
    assert!(
        !d.overridden,
        "filling a gap is not overriding a suggestion"
    );
}

#[test]
fn a_grid_level_issue_without_a_grid_needs_a_handler() {
    let no_grid = linli_domain::issue::Place {
        grid_id: None,
        building_id: None,
        ..place()
    };
    let policy = DeadlinePolicy::default();
    let s = triage::suggest(Category::SmallAds, None, &no_grid, t0(), &policy);
    assert_eq!((s.level, s.handler.clone()), (Some(Level::Grid), None));
    let err = triage::decide(&s, TriageOverrides::default(), &no_grid, t0(), &policy).unwrap_err();
    assert_eq!(field(err), "handler_id");
    let d = triage::decide(
        &s,
        TriageOverrides {
            handler: Some(Handler::Grid {
                grid_id: GridId(51),
            }),
            ..Default::default()
        },
        &no_grid,
        t0(),
        &policy,
    )
    .unwrap();
    assert_eq!(
        d.handler,
        Handler::Grid {
            grid_id: GridId(51)
        }
    );
}
