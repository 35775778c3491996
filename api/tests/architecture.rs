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
        .filter(|f| read(f).contains("actix"))
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
