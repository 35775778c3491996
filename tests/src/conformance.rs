//! Every response a test receives is held to the contract (`openapi/openapi.json`): its status
//! must be one the operation documents, a problem's `code` one the operation lists for that
//! status, and a JSON success body must carry every field its schema calls required. So the
//! whole end-to-end suite doubles as a check that the spec tells a client the truth.

use std::sync::OnceLock;

use serde_json::Value;

/// One documented operation: its path template split into segments, and its responses.
struct Operation {
    method: String,
    segments: Vec<String>,
    responses: Value,
}

struct Contract {
    operations: Vec<Operation>,
    schemas: Value,
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let doc = linli_api::openapi_document();
        let mut operations = Vec::new();
        if let Some(paths) = doc["paths"].as_object() {
            for (path, item) in paths {
                for (method, op) in item.as_object().into_iter().flatten() {
                    operations.push(Operation {
                        method: method.to_uppercase(),
                        segments: path.split('/').map(str::to_owned).collect(),
                        responses: op["responses"].clone(),
                    });
                }
            }
        }
        Contract {
            operations,
            schemas: doc["components"]["schemas"].clone(),
        }
    })
}

/// The operation a request reached: the template with the most literal segments that matches.
fn operation(method: &str, path: &str) -> Option<&'static Operation> {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    let method = if method == "HEAD" { "GET" } else { method };
    contract()
        .operations
        .iter()
        .filter(|op| op.method == method && op.segments.len() == segments.len())
        .filter_map(|op| {
            let mut literal = 0;
            for (t, s) in op.segments.iter().zip(&segments) {
                if t.starts_with('{') {
                    if s.is_empty() {
                        return None;
                    }
                } else if t == s {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, op))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, op)| op)
}

/// Statuses any route can answer with outside its own contract: the connection-level limits.
fn global(status: u16, code: &str) -> bool {
    matches!(
        (status, code),
        (408, "request_timeout") | (429, "too_many_connections") | (405, "method_not_allowed")
    )
}

/// Headers a client acts on: when the server sends one, the contract must declare it.
const WATCHED_HEADERS: [&str; 15] = [
    "content-language",
    "location",
    "etag",
    "retry-after",
    "idempotent-replayed",
    "www-authenticate",
    "content-disposition",
    "cache-control",
    "x-content-type-options",
    "x-request-id",
    "referrer-policy",
    "x-frame-options",
    "content-security-policy",
    "ratelimit",
    "ratelimit-policy",
];

/// Panic (failing the test) when a response breaks the contract of the operation it reached.
#[track_caller]
pub fn check(
    method: &str,
    path: &str,
    status: u16,
    headers: &awc::http::header::HeaderMap,
    body: &Value,
) {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    let Some(op) = operation(method, path) else {
        return;
    };
    let code = body["code"].as_str().unwrap_or_default();
    if global(status, code) {
        return;
    }
    let key = status.to_string();
    let documented = op.responses.get(&key).or_else(|| {
        (400..500)
            .contains(&status)
            .then(|| op.responses.get("4XX"))
            .flatten()
    });
    let Some(response) = documented else {
        panic!("{method} {path} answered {status} ({body}), which its contract does not document");
    };
    let declared: Vec<String> = response["headers"]
        .as_object()
        .map(|h| h.keys().map(|k| k.to_lowercase()).collect())
        .unwrap_or_default();
    for name in WATCHED_HEADERS {
        assert!(
            headers.get(name).is_none() || declared.iter().any(|d| d == name),
            "{method} {path} answered {status} with header `{name}`, which its contract does not declare"
        );
    }
    if method == "HEAD" {
        // The status and headers of the `GET`, never a body to check.
        return;
    }
    if content_type == Some("application/problem+json") {
        let allowed = problem_codes(response);
        assert!(
            allowed.is_empty() || allowed.iter().any(|c| c == code),
            "{method} {path} answered {status} with code `{code}`, not among {allowed:?}"
        );
        return;
    }
    if (200..300).contains(&status) && content_type == Some("application/json") {
        let schema = &response["content"]["application/json"]["schema"];
        check_required(method, path, schema, body, 2);
    }
}

fn problem_codes(response: &Value) -> Vec<String> {
    let schema = &response["content"]["application/problem+json"]["schema"];
    schema["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|part| part["properties"]["code"]["enum"].as_array())
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect()
}

fn resolve(schema: &Value) -> &Value {
    match schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => &contract().schemas[name],
        None => schema,
    }
}

/// Every required property is present, down to `depth` levels of objects and array items.
#[track_caller]
fn check_required(method: &str, path: &str, schema: &Value, body: &Value, depth: u8) {
    let schema = resolve(schema);
    if depth == 0 {
        return;
    }
    if let (Some(items), Some(values)) = (schema.get("items"), body.as_array()) {
        for v in values {
            check_required(method, path, items, v, depth - 1);
        }
        return;
    }
    let Some(obj) = body.as_object() else {
        return;
    };
    for name in schema["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        assert!(
            obj.contains_key(name),
            "{method} {path}: the response lacks `{name}`, which the contract calls required: {body}"
        );
        if let Some(sub) = schema["properties"].get(name) {
            check_required(method, path, sub, &obj[name], depth - 1);
        }
    }
}
