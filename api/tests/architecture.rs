//! The shape of the code, checked: the application layer imports no actix, HTTP handlers never
//! reach the database schema directly, and no source file grows past 800 lines.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_application_layer_imports_no_actix() {
    let files = rust_files(&root().join("api/src/application"));
    assert!(!files.is_empty(), "api/src/application is missing");
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| {
            let text = read(f);
            text.contains("actix_web") || text.contains("use actix") || text.contains("actix::")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "actix in the application layer: {offenders:?}"
    );
}

#[test]
fn the_api_never_touches_the_schema() {
    let offenders: Vec<_> = rust_files(&root().join("api/src"))
        .iter()
        .filter(|f| read(f).contains("linli_infra::schema") || read(f).contains("schema::"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "schema used in api/src: {offenders:?}"
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut offenders = Vec::new();
    for dir in ["api/src", "infra/src", "domain/src"] {
        for f in rust_files(&root().join(dir)) {
            let lines = read(&f).lines().count();
            if lines > 800 {
                offenders.push(format!("{} ({lines} lines)", f.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "files over 800 lines: {offenders:?}");
}

/// `cargo test --workspace` skips targets that hold no tests (their Cargo.toml says
/// `doctest = false` or `test = false`, which keeps CI fast): a doctest or a unit test added
/// there would never run, so there must be none.
#[test]
fn targets_without_tests_hold_none() {
    let mut offenders = Vec::new();
    // Doc comments of the libraries: only ```text blocks (rustdoc would run any other).
    for dir in [
        "api/src",
        "infra/src",
        "domain/src",
        "openapi/src",
        "tests/src",
    ] {
        for f in rust_files(&root().join(dir)) {
            let mut in_block = false;
            for (n, line) in read(&f).lines().enumerate() {
                let line = line.trim_start();
                let Some(doc) = line
                    .strip_prefix("///")
                    .or_else(|| line.strip_prefix("//!"))
                else {
                    continue;
                };
                let Some(info) = doc.trim_start().strip_prefix("```") else {
                    continue;
                };
                if !in_block && info.trim() != "text" {
                    offenders.push(format!("{}:{}: doctest", f.display(), n + 1));
                }
                in_block = !in_block;
            }
        }
    }
    // Binaries built with `test = false`, and the openapi library (`test = false`).
    let mut no_tests = vec![
        root().join("api/src/main.rs"),
        root().join("openapi/src/main.rs"),
        root().join("openapi/src/lib.rs"),
    ];
    no_tests.extend(rust_files(&root().join("tests/src")));
    for f in no_tests {
        let text = read(&f);
        if text.contains("#[test]") || text.contains("cfg(test)") || text.contains("::test]") {
            offenders.push(format!("{}: unit tests", f.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "tests that `cargo test` would skip: {offenders:?}"
    );
}
