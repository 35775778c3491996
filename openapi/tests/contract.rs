//! The committed contract must be what the server generates, and must be complete.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

#[test]
fn committed_spec_is_current() {
    let committed = std::fs::read_to_string(linli_openapi::committed_path())
        .expect("openapi/openapi.json is committed");
    let generated = linli_openapi::generate();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `cargo run -p linli-openapi` and commit it"
    );
}

fn spec() -> Value {
    serde_json::from_str(&linli_openapi::generate()).unwrap()
}

fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_operation_has_an_id_a_tag_and_documented_errors() {
    let spec = spec();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut ids = std::collections::HashSet::new();
    for (path, method, op) in operations(&spec) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{id} has no tag"
        );
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|k| k.starts_with('2')),
            "{id} documents no success response"
        );
        if path.starts_with("/api/v1") {
            let problem = responses.iter().any(|(k, v)| {
                (k.starts_with('4') || k == "4XX")
                    && v["content"].get("application/problem+json").is_some()
            });
            assert!(problem, "{id} documents no problem+json error");
        }
        let secured = op.get("security").is_some();
        if path.starts_with("/api/v1") && !PUBLIC.contains(&id) {
            assert!(secured, "{id} does not declare the bearer scheme");
        }
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

/// The operations anyone may call without a token (`list_categories` needs one with
/// `compound_id`).
const PUBLIC: [&str; 13] = [
    "list_directory_communities",
    "list_directory_compounds",
    "list_directory_buildings",
    "request_sms_code",
    "reset_password",
    "register",
    "login",
    "refresh",
    "logout",
    "list_categories",
    "get_labels",
    "healthz",
    "readyz",
];

/// The operations that move an issue through its workflow (each takes `If-Match`).
const TRANSITIONS: [&str; 10] = [
    "triage_issue",
    "reject_issue",
    "withdraw_issue",
    "answer_issue",
    "submit_rectification",
    "supervise_issue",
    "confirm_issue",
    "revisit_issue",
    "record_deliberation",
    "record_mediation",
];

#[test]
fn the_lifecycle_operation_ids_exist() {
    let spec = spec();
    let ids: Vec<String> = operations(&spec)
        .into_iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .collect();
    for expected in TRANSITIONS.iter().chain(&[
        "create_issue",
        "list_issues",
        "get_issue",
        "list_issue_events",
        "upload_issue_photo",
        "get_photo",
        "add_comment",
        "list_comments",
        "support_issue",
        "list_due_revisits",
        "list_notifications",
        "list_categories",
    ]) {
        assert!(
            ids.iter().any(|i| i == expected),
            "operationId {expected} is missing"
        );
    }
}

fn header_params(op: &Value) -> Vec<String> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == "header")
                .filter_map(|p| p["name"].as_str().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn conditional_and_idempotent_headers_are_documented() {
    let spec = spec();
    let ops = operations(&spec);
    let by_id = |id: &str| {
        ops.iter()
            .find(|(_, _, op)| op["operationId"] == id)
            .map(|(_, _, op)| op.clone())
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    assert!(header_params(&by_id("create_issue")).contains(&"idempotency-key".to_owned()));
    for id in TRANSITIONS {
        let op = by_id(id);
        assert!(
            header_params(&op).contains(&"if-match".to_owned()),
            "{id} lacks If-Match"
        );
        let responses = op["responses"].as_object().unwrap();
        for code in ["409", "412"] {
            assert!(
                responses.contains_key(code),
                "{id} does not document {code}"
            );
        }
    }
}

// ---- The typed contract: closed sets, limits, event data, required fields, headers. ----

fn schema<'a>(spec: &'a Value, name: &str) -> &'a Value {
    let s = &spec["components"]["schemas"][name];
    assert!(s.is_object(), "schema {name} is missing");
    s
}

fn enum_values(schema: &Value) -> Vec<String> {
    let mut values: Vec<String> = match schema["enum"].as_array() {
        Some(vs) => vs
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        // A documented enum: one `const`-like single-value enum per variant.
        None => schema["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|b| b["enum"].as_array().cloned().unwrap_or_default())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    };
    values.sort();
    values
}

fn sorted(values: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    let mut v: Vec<String> = values.into_iter().map(str::to_owned).collect();
    v.sort();
    v
}

#[test]
fn every_closed_set_is_an_enum_with_the_domains_values() {
    use linli_domain::{
        auth::Role, closure::Closure, handler::HandlerKind, issue::*, level::Level,
        urgency::Urgency,
    };
    let spec = spec();
    let expected = [
        (
            "IssueStatus",
            sorted(IssueStatus::ALL.map(IssueStatus::as_str)),
        ),
        ("Level", sorted(Level::ALL.map(Level::as_str))),
        ("Urgency", sorted(Urgency::ALL.map(Urgency::as_str))),
        ("Source", sorted(Source::ALL.map(Source::as_str))),
        ("Closure", sorted(Closure::ALL.map(Closure::as_str))),
        (
            "HandlerKind",
            sorted(HandlerKind::ALL.map(HandlerKind::as_str)),
        ),
        ("EventKind", sorted(EventKind::ALL.map(EventKind::as_str))),
        ("Role", sorted(Role::ALL.map(Role::as_str))),
        ("IssueKind", sorted(IssueKind::ALL.map(IssueKind::as_str))),
        ("RevisitOutcome", sorted(["confirmed", "recurred"])),
        (
            "RejectionKind",
            sorted(["duplicate", "out_of_scope", "invalid"]),
        ),
        (
            "DeliberationDecision",
            sorted([
                "assign_property",
                "assign_grid",
                "assign_department",
                "close",
            ]),
        ),
        ("RedBlackList", sorted(["red", "black"])),
        ("DevicePlatform", sorted(["ios", "android", "harmony"])),
        (
            "SummaryGroupBy",
            sorted([
                "community",
                "compound",
                "property_company",
                "category",
                "level",
                "kind",
            ]),
        ),
        ("TokenType", sorted(["Bearer"])),
    ];
    for (name, values) in expected {
        assert_eq!(enum_values(schema(&spec, name)), values, "enum {name}");
    }
    // The catalogue is data: a category code is a string with the slug pattern, not an enum.
    let code = schema(&spec, "CategoryCode");
    assert_eq!(code["type"], "string");
    assert_eq!(
        code["pattern"],
        linli_domain::category::CategoryCode::PATTERN
    );
    let codes = enum_values(schema(&spec, "ProblemCode"));
    assert!(codes.len() >= 40, "{codes:?}");
    let text = linli_openapi::generate();
    assert!(text.matches("\"enum\"").count() >= 30);
    // Fields that hold a closed set refer to it.
    for (owner, field, target) in [
        ("IssueResponse", "status", "IssueStatus"),
        ("IssueResponse", "category", "CategoryCode"),
        ("IssueResponse", "kind", "IssueKind"),
        ("CategoryResponse", "kinds", "IssueKind"),
        ("IssueResponse", "source", "Source"),
        ("IssueEventResponse", "kind", "EventKind"),
        ("NotificationResponse", "kind", "EventKind"),
        ("UserResponse", "role", "Role"),
        ("CreateIssueRequest", "category", "CategoryCode"),
        ("CreateIssueRequest", "kind", "IssueKind"),
        ("CreateUserRequest", "role", "Role"),
        ("RevisitIssueRequest", "outcome", "RevisitOutcome"),
        ("Problem", "code", "ProblemCode"),
    ] {
        let prop = schema(&spec, owner)["properties"][field].to_string();
        assert!(
            prop.contains(&format!("#/components/schemas/{target}")),
            "{owner}.{field} is not a {target}: {prop}"
        );
    }
}

#[test]
fn every_problem_response_lists_its_codes() {
    let spec = spec();
    let known = enum_values(schema(&spec, "ProblemCode"));
    for (path, method, op) in operations(&spec) {
        for (status, response) in op["responses"].as_object().unwrap() {
            let Some(content) = response["content"].get("application/problem+json") else {
                continue;
            };
            let codes: Vec<String> = content["schema"]["allOf"][1]["properties"]["code"]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} {status} lists no codes"))
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect();
            assert!(!codes.is_empty(), "{method} {path} {status}");
            for c in &codes {
                assert!(
                    known.contains(c),
                    "{method} {path} {status}: unknown code {c}"
                );
            }
        }
    }
    // The specific codes of the workflow are where a client looks for them.
    let ops = operations(&spec);
    let codes_of = |id: &str, status: &str| -> String {
        let (_, _, op) = ops.iter().find(|(_, _, o)| o["operationId"] == id).unwrap();
        op["responses"][status]["content"]["application/problem+json"]["schema"].to_string()
    };
    assert!(codes_of("triage_issue", "409").contains("illegal_transition"));
    assert!(codes_of("triage_issue", "412").contains("stale_version"));
    assert!(codes_of("register", "422").contains("invalid_sms_code"));
    assert!(codes_of("create_user", "409").contains("phone_taken"));
    assert!(codes_of("login", "401").contains("invalid_credentials"));
    assert!(codes_of("support_issue", "409").contains("already_supported"));
    assert!(codes_of("list_issues", "400").contains("invalid_query"));
}

#[test]
fn public_operations_say_so_and_generic_errors_are_documented_where_they_occur() {
    let spec = spec();
    for (path, method, op) in operations(&spec) {
        let id = op["operationId"].as_str().unwrap();
        let security = op["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} declares no security"));
        // `list_categories` is public, and takes the token as an alternative (`{}` or bearer:
        // with `compound_id` it needs one).
        let public = security.is_empty() || id == "list_categories";
        assert_eq!(public, PUBLIC.contains(&id), "{id}");
        let responses = op["responses"].as_object().unwrap();
        if op.get("requestBody").is_some() {
            assert!(
                responses.contains_key("415"),
                "{id} takes a body but documents no 415"
            );
            assert!(
                responses.contains_key("413"),
                "{id} takes a body but documents no 413"
            );
        }
        let has_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if has_query && path.starts_with("/api/") {
            let text = responses["400"].to_string();
            assert!(text.contains("invalid_query"), "{method} {path}: {text}");
        }
        for (status, response) in responses {
            let headers = &response["headers"];
            assert!(headers["X-Request-Id"].is_object(), "{id} {status}");
            if status == "429" || status == "503" {
                assert!(headers["Retry-After"].is_object(), "{id} {status}");
            }
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["name"] == "If-Match" || p["name"] == "Idempotency-Key" {
                assert_eq!(p["schema"]["type"], "string", "{id}");
                assert!(p["schema"]["pattern"].is_string(), "{id}");
            }
        }
    }
}

#[test]
fn limits_are_in_the_schema() {
    use linli_domain::values::{DisplayName, IssueDescription, Note, OrgName};
    let spec = spec();
    let prop = |owner: &str, field: &str| schema(&spec, owner)["properties"][field].clone();
    let d = prop("CreateIssueRequest", "description");
    assert_eq!(d["minLength"], IssueDescription::MIN_CHARS);
    assert_eq!(d["maxLength"], IssueDescription::MAX_CHARS);
    for (owner, field) in [
        ("AnswerIssueRequest", "message"),
        ("SubmitRectificationRequest", "notes"),
        ("SuperviseIssueRequest", "notes"),
        ("RevisitIssueRequest", "notes"),
        ("RecordMediationRequest", "notes"),
        ("RecordDeliberationRequest", "decision"),
        ("RejectIssueRequest", "reason"),
        ("AddCommentRequest", "body"),
    ] {
        assert_eq!(
            prop(owner, field)["maxLength"],
            Note::MAX_CHARS,
            "{owner}.{field}"
        );
        assert_eq!(
            prop(owner, field)["minLength"],
            Note::MIN_CHARS,
            "{owner}.{field}"
        );
    }
    assert_eq!(
        prop("RegisterRequest", "display_name")["maxLength"],
        DisplayName::MAX_CHARS
    );
    assert_eq!(
        prop("CreateStreetRequest", "name")["maxLength"],
        OrgName::MAX_CHARS
    );
    let s = prop("ConfirmIssueRequest", "satisfaction").to_string();
    assert!(
        s.contains("\"minimum\":1") && s.contains("\"maximum\":5"),
        "{s}"
    );
    for (owner, field) in [("RegisterRequest", "phone"), ("CreateUserRequest", "phone")] {
        assert!(prop(owner, field)["pattern"].is_string(), "{owner}.{field}");
    }
    assert_eq!(
        prop("CreateAssessmentRequest", "period")["pattern"],
        "^[0-9]{4}Q[1-4]$"
    );
    // Every page size is 1 to 100.
    for (path, method, op) in operations(&spec) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["name"] == "limit" {
                assert_eq!(p["schema"]["minimum"], 1, "{method} {path}");
                assert_eq!(p["schema"]["maximum"], 100, "{method} {path}");
            }
        }
    }
    // Every timestamp says so.
    for (name, s) in spec["components"]["schemas"].as_object().unwrap() {
        for (field, p) in s["properties"].as_object().into_iter().flatten() {
            if field.ends_with("_at") || field.ends_with("_due") {
                let text = p.to_string();
                assert!(
                    text.contains("date-time") || text.contains("pattern"),
                    "{name}.{field}: {text}"
                );
            }
        }
    }
}

#[test]
fn the_timeline_data_is_typed_by_kind() {
    use linli_domain::issue::EventKind;
    let spec = spec();
    let data = schema(&spec, "EventData");
    let branches = data["oneOf"].as_array().expect("EventData is a oneOf");
    let mut kinds: Vec<String> = branches
        .iter()
        .map(|b| {
            b["properties"]["kind"]["enum"][0]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    kinds.sort();
    assert_eq!(kinds, sorted(EventKind::ALL.map(EventKind::as_str)));
    let triaged = branches
        .iter()
        .find(|b| b["properties"]["kind"]["enum"][0] == "triaged")
        .unwrap();
    assert!(triaged["properties"]["decision"].is_object());
    let created = branches
        .iter()
        .find(|b| b["properties"]["kind"]["enum"][0] == "created")
        .unwrap();
    assert!(
        created["properties"].get("issue").is_none(),
        "no snapshot in the timeline"
    );
    let event = schema(&spec, "IssueEventResponse")["properties"]["data"].to_string();
    assert!(event.contains("#/components/schemas/EventData"), "{event}");
}

#[test]
fn what_the_server_always_sends_is_required_and_nullable_where_null() {
    let spec = spec();
    for name in [
        "IssueResponse",
        "IssueEventResponse",
        "NotificationResponse",
        "UserResponse",
    ] {
        let s = schema(&spec, name);
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for field in s["properties"].as_object().unwrap().keys() {
            assert!(
                required.contains(&field.as_str()),
                "{name}.{field} is not required"
            );
        }
    }
    let issue = schema(&spec, "IssueResponse");
    assert!(
        issue["properties"]["closed_at"]
            .to_string()
            .contains("null")
    );
    assert!(issue["properties"]["reporter"].to_string().contains("null"));
    // The upload is a file to a generator.
    let upload = schema(&spec, "UploadPhotoForm")["properties"]["file"].clone();
    assert_eq!(upload["type"], "string");
    assert_eq!(upload["format"], "binary");
}

#[test]
fn the_served_document_is_the_committed_one() {
    // The docs UI serves utoipa's type; nothing of the contract may be lost on the way.
    let served = serde_json::to_value(linli_api::openapi()).unwrap();
    assert_eq!(served, linli_api::openapi_document());
}

#[test]
fn every_schema_reference_resolves() {
    let spec = spec();
    let text = spec.to_string();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let prefix = "\"#/components/schemas/";
    let missing: std::collections::BTreeSet<&str> = text
        .match_indices(prefix)
        .filter_map(|(at, _)| text[at + prefix.len()..].split('"').next())
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(
        missing.is_empty(),
        "references to schemas the document lacks: {missing:?}"
    );
}
