//! The last pass over the generated OpenAPI document: the parts of the contract that follow
//! from an operation's shape rather than from its handler, applied the same way everywhere.
//!
//! - Every operation needs the bearer token unless it is one of [`PUBLIC_OPERATIONS`]: secure by
//!   default, and the public ones are listed in one place. Public operations say `security: []`
//!   (left out, a generator would read "inherit", not "public"); an operation whose handler
//!   declares its own alternatives (a token or a stream ticket) keeps them.
//! - Every problem response lists the `code`s the operation can answer with at that status: the
//!   codes any operation of that shape gets (a JSON body can be malformed, a query parameter out
//!   of range, a token expired, ...) plus those its description names in backticks.
//! - Responses the server sends for any operation of a shape are declared where they can
//!   happen: 413 and 415 for a body, 400 `invalid_query` for query parameters, 503 when the
//!   database is unreachable.
//! - Response headers sent on every response (`X-Request-Id`) or with a status (`Retry-After`,
//!   `WWW-Authenticate`) are declared; `If-Match` and `Idempotency-Key` carry their pattern.
//! - A field a response always carries is `required` (nullable where it can be null), so a
//!   generated type reads `field: T | null`, not `field?: T`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::ProblemCode;

const PROBLEM_JSON: &str = "application/problem+json";
const PROBLEM_REF: &str = "#/components/schemas/Problem";
/// The operations anyone may call without a token; every other one requires the bearer token
/// (`list_categories` declares its own: public, and with `compound_id` the token).
pub const PUBLIC_OPERATIONS: &[&str] = &[
    "healthz",
    "readyz",
    "request_sms_code",
    "register",
    "login",
    "reset_password",
    "refresh",
    "logout",
    "get_labels",
    "list_directory_communities",
    "list_directory_compounds",
    "list_directory_buildings",
];
/// What `If-Match` accepts: `*`, or an issue's ETag, weak or strong, quoted or bare.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"?[0-9]+"?)$"#;
/// What `Idempotency-Key` accepts: 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = r"^[\x21-\x7E]{1,255}$";
/// Headers particular operations send on success, beyond what their handlers annotate: the
/// end-to-end harness fails any response that carries one of the headers it watches without
/// the contract declaring it, so this list cannot silently fall behind.
const OPERATION_HEADERS: &[(&str, &str, &str, &str)] = &[
    (
        "create_issue",
        "201",
        "Idempotent-Replayed",
        "`true` when this answers a replay of an earlier request with the same Idempotency-Key (the issue was not filed twice)",
    ),
    ("get_photo", "200", "ETag", "The rendition's content hash"),
    (
        "get_photo",
        "200",
        "Cache-Control",
        "`private`: no shared cache may keep it; with a signed URL also `max-age`, the seconds until it expires",
    ),
    (
        "export_issues_csv",
        "200",
        "Content-Disposition",
        "`attachment` with a file name",
    ),
    (
        "export_issue_list",
        "200",
        "Content-Disposition",
        "`attachment` with a file name",
    ),
    (
        "report_summary",
        "200",
        "Content-Disposition",
        "With `Accept: text/csv`: `attachment` with a file name",
    ),
    (
        "report_property_ratings",
        "200",
        "Content-Disposition",
        "With `Accept: text/csv`: `attachment` with a file name",
    ),
    ("stream_events", "200", "Cache-Control", "`no-cache`"),
];
/// The operations whose 201 carries `Location`, the URL of what they created: (operation, what).
const CREATED_AT_LOCATION: &[(&str, &str)] = &[
    ("upload_issue_photo", "photo"),
    ("create_assessment", "assessment"),
    ("publish_notice", "notice"),
    ("compute_rating", "rating run"),
    ("create_survey", "survey"),
    ("issue_rectification_order", "rectification order"),
    ("create_user", "account"),
    ("create_street", "street"),
    ("create_community", "community"),
    ("create_grid", "grid"),
    ("create_compound", "compound"),
    ("create_building", "building"),
    ("create_property_company", "company"),
];

/// Response schemas whose optional fields are really left out (RFC 9457's extension members).
const SPARSE_SCHEMAS: [&str; 1] = ["Problem"];

/// Apply every rule above to a generated document.
pub fn refine(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut response_refs = BTreeSet::new();
    let mut request_refs = BTreeSet::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            refine_operation(path, method, op);
            collect_refs(op.get("responses"), &mut response_refs);
            collect_refs(op.get("requestBody"), &mut request_refs);
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let sent = closure(schemas, response_refs);
        let received = closure(schemas, request_refs);
        for name in sent.difference(&received) {
            if SPARSE_SCHEMAS.contains(&name.as_str()) {
                continue;
            }
            if let Some(schema) = schemas.get_mut(name) {
                require_every_property(schema);
            }
        }
    }
}

/// The shape of an operation, as far as the generic rules care.
struct Shape {
    api: bool,
    /// Under the per-address (and per-account) rate limits: `/auth/*` and every write.
    limited: bool,
    secured: bool,
    json_body: bool,
    multipart_body: bool,
    query: bool,
    if_match: bool,
    idempotency_key: bool,
}

impl Shape {
    fn of(path: &str, method: &str, op: &Map<String, Value>) -> Self {
        let params: Vec<(&str, &str)> = op
            .get("parameters")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| Some((p["in"].as_str()?, p["name"].as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        let body = |ty: &str| {
            op.get("requestBody")
                .and_then(|b| b["content"].get(ty))
                .is_some()
        };
        let header = |name: &str| {
            params
                .iter()
                .any(|(at, n)| *at == "header" && n.eq_ignore_ascii_case(name))
        };
        let api = path.starts_with("/api/");
        let write = matches!(method, "post" | "put" | "patch" | "delete");
        Self {
            api,
            limited: api && (write || path.starts_with("/api/v1/auth/")),
            secured: !PUBLIC_OPERATIONS.contains(
                &op.get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            ),
            json_body: body("application/json"),
            multipart_body: body("multipart/form-data"),
            query: params.iter().any(|(at, _)| *at == "query"),
            if_match: header("If-Match"),
            idempotency_key: header("Idempotency-Key"),
        }
    }

    fn has_body(&self) -> bool {
        self.json_body || self.multipart_body
    }

    /// The codes every operation of this shape can answer with at `status`.
    fn codes(&self, status: &str, writes: bool) -> Vec<ProblemCode> {
        use ProblemCode as C;
        let mut codes = Vec::new();
        let mut add = |on: bool, c: &[ProblemCode]| {
            if on {
                codes.extend_from_slice(c);
            }
        };
        match status {
            "400" | "4XX" => {
                add(self.json_body, &[C::MalformedJson, C::InvalidBody]);
                add(self.multipart_body, &[C::MalformedMultipart]);
                add(self.query, &[C::InvalidQuery]);
                add(self.if_match, &[C::InvalidIfMatch]);
                add(self.idempotency_key, &[C::InvalidIdempotencyKey]);
                if status == "4XX" {
                    add(
                        self.has_body(),
                        &[C::PayloadTooLarge, C::UnsupportedMediaType],
                    );
                    add(true, &[C::ValidationFailed]);
                }
            }
            "401" => add(
                self.secured,
                &[
                    C::MissingToken,
                    C::InvalidToken,
                    C::TokenExpired,
                    C::SessionRevoked,
                ],
            ),
            "403" => add(true, &[C::Forbidden]),
            "404" => add(true, &[C::NotFound]),
            "409" => add(writes, &[C::ConcurrentUpdate]),
            "412" => add(true, &[C::StaleVersion]),
            "413" => add(true, &[C::PayloadTooLarge]),
            "415" => add(true, &[C::UnsupportedMediaType]),
            "422" => add(true, &[C::ValidationFailed]),
            "429" => add(true, &[C::TooManyRequests]),
            "503" => add(true, &[C::ServiceUnavailable]),
            _ => {}
        }
        codes
    }
}

fn refine_operation(path: &str, method: &str, op: &mut Map<String, Value>) {
    let shape = Shape::of(path, method, op);
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !op.contains_key("security") {
        let security = if shape.secured {
            json!([{ "bearer": [] }])
        } else {
            json!([])
        };
        op.insert("security".into(), security);
    }
    refine_parameters(op);
    let writes = op.contains_key("requestBody") || path.contains("/{id}/");
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(responses) = responses else {
        return;
    };
    if shape.api {
        add_generic_responses(&shape, responses);
    }
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        // The operation's own headers first: the generic ones only fill what is left.
        let headers = response
            .entry("headers")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(headers) = headers {
            let created = CREATED_AT_LOCATION.iter().filter(|_| status == "201");
            let location = created.map(|(op, what)| (*op, "Location", format!("The {what}'s URL")));
            let listed = OPERATION_HEADERS
                .iter()
                .filter(|(_, at, _, _)| at == status);
            let listed =
                listed.map(|(op, _, name, description)| (*op, *name, (*description).to_owned()));
            for (_, name, description) in location.chain(listed).filter(|(op, _, _)| *op == id) {
                headers.entry(name).or_insert_with(
                    || json!({"description": description, "schema": {"type": "string"}}),
                );
            }
        }
        declare_headers(status, &shape, response);
        if response
            .get("content")
            .and_then(|c| c.get(PROBLEM_JSON))
            .is_some()
        {
            let mut codes = shape.codes(status, writes);
            codes.extend(named_codes(response.get("description")));
            narrow_problem(status, response, codes);
        }
    }
}

/// The responses every operation of a shape can give, where the handler did not list them.
fn add_generic_responses(shape: &Shape, responses: &mut Map<String, Value>) {
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status)
            .or_insert_with(|| problem_response(description));
    };
    if shape.has_body() {
        add(
            "413",
            "The body is larger than allowed (`payload_too_large`)",
        );
        add(
            "415",
            "The body is not sent with the content type this operation takes (`unsupported_media_type`)",
        );
    }
    if shape.query {
        add(
            "400",
            "A query parameter is malformed or out of range (`invalid_query`)",
        );
    }
    if shape.limited {
        add(
            "429",
            "Too many requests from this address or account (`too_many_requests`); retry after `Retry-After` seconds",
        );
    }
    if shape.secured {
        add(
            "401",
            "No valid access token (`missing_token`, `invalid_token`, `token_expired`, `session_revoked`)",
        );
    }
    add(
        "503",
        "The database is unreachable right now (`service_unavailable`); retry after `Retry-After` seconds",
    );
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
    })
}

/// The known problem codes a response's description names in backticks.
fn named_codes(description: Option<&Value>) -> Vec<ProblemCode> {
    let text = description.and_then(Value::as_str).unwrap_or_default();
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|word| ProblemCode::ALL.into_iter().find(|c| c.as_str() == word))
        .collect()
}

/// The response's problem schema, narrowed to the codes this operation answers with here.
fn narrow_problem(status: &str, response: &mut Map<String, Value>, codes: Vec<ProblemCode>) {
    let codes: BTreeSet<&str> = codes.into_iter().map(ProblemCode::as_str).collect();
    if codes.is_empty() {
        return;
    }
    let schema = json!({
        "allOf": [
            {"$ref": PROBLEM_REF},
            {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "enum": codes},
                    "status": status_schema(status),
                }
            }
        ]
    });
    if let Some(content) = response
        .get_mut("content")
        .and_then(|c| c.get_mut(PROBLEM_JSON))
        .and_then(Value::as_object_mut)
    {
        content.insert("schema".into(), schema);
    }
}

fn status_schema(status: &str) -> Value {
    match status.parse::<u16>() {
        Ok(n) => json!({"type": "integer", "enum": [n]}),
        Err(_) => json!({"type": "integer", "minimum": 400, "maximum": 499}),
    }
}

/// Headers the server sends with this response.
fn declare_headers(status: &str, shape: &Shape, response: &mut Map<String, Value>) {
    let headers = response
        .entry("headers")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(headers) = headers else {
        return;
    };
    let mut declare = |name: &str, description: &str, schema: Value| {
        headers
            .entry(name)
            .or_insert_with(|| json!({"description": description, "schema": schema}));
    };
    declare(
        "X-Request-Id",
        "The request's id, as sent in `X-Request-Id` or made up; quote it when reporting a problem",
        json!({"type": "string"}),
    );
    let text = || json!({"type": "string"});
    declare("X-Content-Type-Options", "`nosniff`", text());
    declare("Referrer-Policy", "`no-referrer`", text());
    declare(
        "X-Frame-Options",
        "`DENY`: no page may frame the API",
        text(),
    );
    declare(
        "Content-Security-Policy",
        "`frame-ancestors 'none'`",
        text(),
    );
    if shape.limited {
        declare(
            "RateLimit-Policy",
            "The rate-limit policies this request counted against, e.g. `\"auth\";q=20;w=60` (draft-ietf-httpapi-ratelimit-headers)",
            text(),
        );
        declare(
            "RateLimit",
            "What is left of each policy, e.g. `\"auth\";r=19;t=3`",
            text(),
        );
    }
    if shape.api {
        declare(
            "Cache-Control",
            "`no-store`: tokens and personal data stay out of every cache",
            text(),
        );
    }
    if status.starts_with('4') || status.starts_with('5') {
        declare(
            "Content-Language",
            "`zh-CN` or `en`: the language of `title` and `detail` (from `Accept-Language`, else the district's default)",
            text(),
        );
    }
    match status {
        "401" => declare(
            "WWW-Authenticate",
            "Always `Bearer`",
            json!({"type": "string", "enum": ["Bearer"]}),
        ),
        "429" | "503" => declare(
            "Retry-After",
            "Seconds to wait before trying again",
            json!({"type": "integer", "minimum": 0}),
        ),
        _ => {}
    }
}

/// `If-Match` and `Idempotency-Key` are plain strings with a pattern (not nullable: absent is
/// how a client says "none").
fn refine_parameters(op: &mut Map<String, Value>) {
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
        return;
    };
    for p in params.iter_mut() {
        let pattern = match p["name"].as_str() {
            Some(n) if n.eq_ignore_ascii_case("If-Match") => IF_MATCH_PATTERN,
            Some(n) if n.eq_ignore_ascii_case("Idempotency-Key") => IDEMPOTENCY_KEY_PATTERN,
            _ => continue,
        };
        p["schema"] = json!({"type": "string", "pattern": pattern});
    }
}

fn collect_refs(value: Option<&Value>, out: &mut BTreeSet<String>) {
    match value {
        Some(Value::Object(map)) => {
            for (k, v) in map {
                if k == "$ref"
                    && let Some(name) = v
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    out.insert(name.to_owned());
                } else {
                    collect_refs(Some(v), out);
                }
            }
        }
        Some(Value::Array(items)) => items.iter().for_each(|v| collect_refs(Some(v), out)),
        _ => {}
    }
}

/// The schemas reachable from `roots` through `$ref`s.
fn closure(schemas: &Map<String, Value>, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut refs = BTreeSet::new();
        collect_refs(schemas.get(&name), &mut refs);
        todo.extend(refs.into_iter().filter(|r| !seen.contains(r)));
    }
    seen
}

/// Every property of an object schema (and of each `oneOf`/`allOf` branch) is required.
fn require_every_property(schema: &mut Value) {
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(branches) = schema.get_mut(key).and_then(Value::as_array_mut) {
            branches.iter_mut().for_each(require_every_property);
        }
    }
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let names: Option<Vec<Value>> = obj
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| props.keys().map(|k| Value::from(k.as_str())).collect());
    if let Some(names) = names {
        obj.insert("required".into(), Value::Array(names));
    }
}
