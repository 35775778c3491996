//! The committed OpenAPI contract (`openapi/openapi.json`) and the tool that regenerates it
//! from the router: `cargo run -p linli-openapi`.

use std::path::PathBuf;

/// The document the server generates, as committed (pretty JSON, trailing newline).
pub fn generate() -> String {
    let mut json = linli_api::openapi_json();
    json.push('\n');
    json
}

/// Where the committed document lives.
pub fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}
