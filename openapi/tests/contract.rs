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
        let public = ["register", "login", "refresh", "logout", "list_categories"];
        if path.starts_with("/api/v1") && !public.contains(&id) {
            assert!(secured, "{id} does not declare the bearer scheme");
        }
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn the_lifecycle_operation_ids_exist() {
    let spec = spec();
    let ids: Vec<String> = operations(&spec)
        .into_iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str().map(str::to_owned))
        .collect();
    for expected in [
        "create_issue",
        "list_issues",
        "get_issue",
        "list_issue_events",
        "upload_issue_photo",
        "get_photo",
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
        "add_comment",
        "list_comments",
        "support_issue",
        "list_due_revisits",
        "list_notifications",
        "list_categories",
    ] {
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
    for id in [
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
    ] {
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
