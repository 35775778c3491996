//! The two migration folders (one per dialect) hold the same migrations, each under a version
//! of its own: diesel applies a migration once per version, so two folders sharing a version
//! (two branches each adding "the next" migration) would silently skip one of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeSet, path::Path};

/// (version, name) of every migration folder of one dialect.
fn migrations(dialect: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect);
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .map(|name| {
            let (version, rest) = name.split_once('_').unwrap_or((&name, ""));
            (version.to_owned(), rest.to_owned())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_migration_has_a_version_of_its_own_and_both_dialects_have_the_same() {
    for dialect in ["sqlite", "postgres"] {
        let all = migrations(dialect);
        let versions: BTreeSet<&String> = all.iter().map(|(v, _)| v).collect();
        assert_eq!(
            versions.len(),
            all.len(),
            "{dialect}: a version is used twice: {all:?}"
        );
    }
    assert_eq!(migrations("sqlite"), migrations("postgres"));
}
