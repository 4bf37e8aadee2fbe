//! The SQLite and PostgreSQL migration trees must stay in step.

use std::collections::BTreeSet;
use std::path::Path;

fn folders(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Table and column names a migration declares, ignoring types (which differ by backend).
fn declared_names(sql: &str) -> Vec<String> {
    sql.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        // Each backend's own engine (FTS5, tsvector) is marked and compared by neither.
        .filter(|l| !l.ends_with("-- sqlite only") && !l.ends_with("-- postgres only"))
        .map(|l| {
            if l.starts_with("CREATE") || l.starts_with("DROP") {
                // The statement up to its column list: table or index name and target.
                l.split('(').next().unwrap_or("").trim().to_owned()
            } else {
                // A column or constraint line: its name (types differ by backend).
                l.split_whitespace().next().unwrap_or("").to_owned()
            }
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migration_trees_have_the_same_steps_and_names() {
    let sqlite = folders("sqlite");
    let postgres = folders("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must have the same folders"
    );
    for folder in &sqlite {
        for file in ["up.sql", "down.sql"] {
            let read = |backend: &str| {
                std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("migrations")
                        .join(backend)
                        .join(folder)
                        .join(file),
                )
                .unwrap_or_else(|e| panic!("{backend}/{folder}/{file}: {e}"))
            };
            assert_eq!(
                declared_names(&read("sqlite")),
                declared_names(&read("postgres")),
                "{folder}/{file} declares different tables, columns or indexes on the two backends"
            );
        }
    }
}
