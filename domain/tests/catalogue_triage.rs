//! The category catalogue, urgency deadlines and triage routing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{CATALOGUE, field, place, routing, t0};
use linli_domain::{
    DomainError,
    calendar::DeadlineSpan,
    category::CategoryCode,
    ids::{CommunityId, GridId, PropertyCompanyId},
    issue::{Command, EventData, Issue, WorkflowConfig},
    triage::{self, DEFAULT_DEPARTMENT, Handler, Level, Suggestion, TriageOverrides},
    urgency::{DeadlinePolicy, DeadlineSpans, SpanOverrides, Urgency},
    values::Note,
};

#[test]
fn category_codes_parse_as_slugs_and_serialise_as_themselves() {
    for (code, ..) in CATALOGUE {
        assert_eq!(CategoryCode::parse(code.as_str()).unwrap(), code);
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            format!("\"{}\"", code.as_str())
        );
    }
    assert_eq!(
        field(CategoryCode::parse("Water_Leak").unwrap_err()),
        "category"
    );
    assert_eq!(field(CategoryCode::parse("").unwrap_err()), "category");
}

#[test]
fn a_category_span_replaces_the_urgency_window() {
    let config = WorkflowConfig::default();
    let rules = config.rules();
    let entrapment = triage::suggest(
        &routing(CategoryCode::ELEVATOR_ENTRAPMENT),
        None,
        &place(),
        t0(),
        rules,
    );
    assert_eq!(entrapment.urgency, Urgency::Emergency);
    assert_eq!(
        entrapment.deadlines.response_due,
        t0() + Duration::minutes(30)
    );
    // The resolution window is the urgency's: no span given for it.
    assert_eq!(
        entrapment.deadlines.resolution_due,
        t0() + Duration::hours(24)
    );
    let spans = SpanOverrides::minutes(None, Some(90));
    let base = rules.deadlines(Urgency::Normal, SpanOverrides::default(), t0());
    let d = rules.deadlines(Urgency::Normal, spans, t0());
    assert_eq!(d.response_due, base.response_due);
    assert_eq!(d.resolution_due, t0() + Duration::minutes(90));
}

/// `t0()` is Wednesday 1 May 2024, 16:00 in Shanghai (2024 has no calendar data: a plain
/// week). One working day: Thursday the 2nd, due when it ends; five: 2, 3, 6, 7 and 8 May.
fn normal_due(working_days: u32) -> chrono::DateTime<chrono::Utc> {
    let local_midnight = |day: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2024-05-{day:02}T00:00:00+08:00"))
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    match working_days {
        1 => local_midnight(3),
        5 => local_midnight(9),
        10 => local_midnight(16),
        other => panic!("no expectation for {other}"),
    }
}

#[test]
fn deadlines_per_urgency() {
    let config = WorkflowConfig::default();
    let rules = config.rules();
    for (urgency, respond, resolve) in [
        (
            Urgency::Emergency,
            t0() + Duration::hours(2),
            t0() + Duration::hours(24),
        ),
        (
            Urgency::Urgent,
            t0() + Duration::hours(12),
            t0() + Duration::hours(72),
        ),
        (Urgency::Normal, normal_due(1), normal_due(5)),
    ] {
        let d = rules.deadlines(urgency, SpanOverrides::default(), t0());
        assert_eq!(d.response_due, respond, "{urgency:?}");
        assert_eq!(d.resolution_due, resolve, "{urgency:?}");
    }
    assert_eq!(
        config
            .deadlines
            .spans(Urgency::Normal, SpanOverrides::default()),
        DeadlineSpans {
            response: DeadlineSpan::WorkingDays(1),
            resolution: DeadlineSpan::WorkingDays(5),
        }
    );
    let custom = WorkflowConfig {
        deadlines: DeadlinePolicy {
            normal: DeadlineSpans {
                response: DeadlineSpan::WorkingDays(5),
                resolution: DeadlineSpan::WorkingDays(10),
            },
            ..DeadlinePolicy::default()
        },
        ..WorkflowConfig::default()
    };
    assert_eq!(
        custom
            .rules()
            .deadlines(Urgency::Normal, SpanOverrides::default(), t0())
            .resolution_due,
        normal_due(10)
    );
    // A category's own span (电梯困人: 30 minutes) replaces its urgency's, the other stays.
    let lift = SpanOverrides {
        response: Some(DeadlineSpan::ClockMinutes(30)),
        resolution: None,
    };
    let d = rules.deadlines(Urgency::Emergency, lift, t0());
    assert_eq!(d.response_due, t0() + Duration::minutes(30));
    assert_eq!(d.resolution_due, t0() + Duration::hours(24));
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
    let config = WorkflowConfig::default();
    let rules = config.rules();
    let p = place();
    for (category, level, urgency, span) in CATALOGUE {
        let r = routing(category);
        let s = triage::suggest(&r, None, &p, t0(), rules);
        assert_eq!(s.level, level, "{category:?}");
        assert_eq!(
            s.handler,
            level.and_then(|l| Handler::default_for(l, &p)),
            "{category:?}"
        );
        assert_eq!(s.urgency, urgency);
        if span.is_none() {
            assert_eq!(
                s.deadlines,
                rules.deadlines(urgency, SpanOverrides::default(), t0())
            );
        }
        // An explicit urgency wins and moves the deadlines.
        let s = triage::suggest(&r, Some(Urgency::Normal), &p, t0(), rules);
        assert_eq!(s.urgency, Urgency::Normal);
        assert_eq!(s.deadlines.resolution_due, normal_due(5));
    }
    let fire = triage::suggest(
        &routing(CategoryCode::FIRE_ESCAPE_BLOCKED),
        None,
        &p,
        t0(),
        rules,
    );
    assert_eq!(fire.level, Some(Level::Property));
    assert_eq!(fire.deadlines.resolution_due, t0() + Duration::hours(24));
    let other = triage::suggest(&routing(CategoryCode::OTHER), None, &p, t0(), rules);
    assert_eq!((other.level, other.handler), (None, None));
}

fn suggestion(category: CategoryCode) -> Suggestion {
    triage::suggest(
        &routing(category),
        None,
        &place(),
        t0(),
        WorkflowConfig::default().rules(),
    )
}

/// No override but a reason: spread it into the overrides a test makes.
fn because(reason: &str) -> TriageOverrides {
    TriageOverrides {
        reason: Note::parse(reason).ok(),
        ..Default::default()
    }
}

fn decide(
    category: CategoryCode,
    overrides: TriageOverrides,
) -> Result<triage::TriageChoice, DomainError> {
    triage::decide(&suggestion(category), overrides, &place())
}

#[test]
fn accepting_the_suggestion_needs_no_reason() {
    let d = decide(CategoryCode::WATER_LEAK, TriageOverrides::default()).unwrap();
    let s = suggestion(CategoryCode::WATER_LEAK);
    assert_eq!(d.level, Level::Property);
    assert_eq!(Some(d.handler.clone()), s.handler);
    assert_eq!(d.urgency, s.urgency);
    assert!(!d.overridden);
    assert_eq!(d.reason, None);

    // Restating the suggested values is not an override either.
    let d = decide(
        CategoryCode::WATER_LEAK,
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
        let err = decide(CategoryCode::WATER_LEAK, overrides.clone()).unwrap_err();
        assert_eq!(field(err), "reason", "{overrides:?}");
        let with_reason = TriageOverrides {
            reason: Note::parse(" 现场核实 ").ok(),
            ..overrides
        };
        let d = decide(CategoryCode::WATER_LEAK, with_reason).unwrap();
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
    let d = decide(CategoryCode::WATER_LEAK, overrides).unwrap();
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
fn overriding_the_urgency_sets_the_clock_of_the_assignment() {
    let urgency = Some(Urgency::Emergency);
    let d = decide(
        CategoryCode::GREENING,
        TriageOverrides {
            urgency,
            ..because("a fallen tree")
        },
    )
    .unwrap();
    assert_eq!(d.urgency, Urgency::Emergency);
    // The state machine starts the handler's clock when it assigns the case, three hours
    // after filing here: an emergency's two and 24 hours from then.
    let config = WorkflowConfig::default();
    let (issue, _) = Issue::file(
        common::new_issue(CategoryCode::GREENING),
        &routing(CategoryCode::GREENING),
        t0(),
        &config,
    );
    let at = t0() + Duration::hours(3);
    let event = issue.decide(&Command::Triage(d), at, &config).unwrap();
    let EventData::Triaged { decision, .. } = event.data else {
        panic!("not triaged: {event:?}");
    };
    assert_eq!(decision.deadlines.response_due, at + Duration::hours(2));
    assert_eq!(decision.deadlines.resolution_due, at + Duration::hours(24));
}

#[test]
fn a_category_span_runs_from_each_assignment_not_from_filing() {
    // 电梯困人: a response within 30 minutes of the handler being assigned, not of filing.
    let code = CategoryCode::ELEVATOR_ENTRAPMENT;
    let config = WorkflowConfig::default();
    let (issue, _) = Issue::file(common::new_issue(code), &routing(code), t0(), &config);
    assert_eq!(issue.deadlines.response_due, t0() + Duration::minutes(30));
    let d = decide(code, TriageOverrides::default()).unwrap();
    let at = t0() + Duration::minutes(20);
    let event = issue.decide(&Command::Triage(d), at, &config).unwrap();
    let EventData::Triaged { decision, .. } = event.data else {
        panic!("not triaged: {event:?}");
    };
    assert_eq!(decision.deadlines.response_due, at + Duration::minutes(30));
    // No own resolution span: the emergency's 24 hours.
    assert_eq!(decision.deadlines.resolution_due, at + Duration::hours(24));
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
        let err = decide(CategoryCode::WATER_LEAK, overrides).unwrap_err();
        assert_eq!(field(err), "handler_id", "{level:?}");
    }
    let d = decide(
        CategoryCode::WATER_LEAK,
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
    let err = decide(CategoryCode::OTHER, TriageOverrides::default()).unwrap_err();
    assert_eq!(field(err), "level");
    let d = decide(
        CategoryCode::OTHER,
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
    let config = WorkflowConfig::default();
    let s = triage::suggest(
        &routing(CategoryCode::SMALL_ADS),
        None,
        &no_grid,
        t0(),
        config.rules(),
    );
    assert_eq!((s.level, s.handler.clone()), (Some(Level::Grid), None));
    let err = triage::decide(&s, TriageOverrides::default(), &no_grid).unwrap_err();
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
    )
    .unwrap();
    assert_eq!(
        d.handler,
        Handler::Grid {
            grid_id: GridId(51)
        }
    );
}
