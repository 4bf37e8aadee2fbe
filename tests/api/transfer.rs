//! CSV lists, `GET /v1/export`, the `export`/`import`/`generate` commands and round trips
//! between backends.

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{fresh_database, header, spawn_seeded_app, spawn_with};

pub(crate) fn cli(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .arg("--database-url")
        .arg(database_url)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub(crate) fn export(database_url: &str, file: &Path) -> (Value, Vec<String>) {
    let (ok, _, stderr) = cli(database_url, &["export", file.to_str().expect("a path")]);
    assert!(ok, "export failed: {stderr}");
    let text = std::fs::read_to_string(file).expect("the export");
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("a header")).expect("JSON");
    (header, lines.map(str::to_owned).collect())
}

fn sqlite_in(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[tokio::test]
async fn lists_answer_csv_when_asked() {
    let app = spawn_seeded_app().await;
    let response = app
        .request(reqwest::Method::GET, "/v1/programmes?lang=fr")
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(header(&response, "content-language").as_deref(), Some("fr"));
    assert!(
        header(&response, "vary").is_some_and(|v| v.contains("Accept")),
        "Vary names Accept"
    );
    let etag = header(&response, "etag").expect("an ETag");
    let text = response.text().await.expect("a body");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 1);
    let cell = |name: &str| {
        let i = columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name} in {columns:?}"));
        rows[0][i].to_owned()
    };
    assert_eq!(cell("id"), "santiago-mexico-city-partnership");
    assert!(
        cell("title").starts_with("Partenariat"),
        "{}",
        cell("title")
    );
    assert_eq!(cell("recipient_countries"), "CL; MX");
    assert_eq!(
        cell("participating_organisations"),
        "santiago-local-government / implementing; mexico-city-local-government / implementing"
    );
    // The CSV and JSON representations have different ETags; each revalidates.
    let json = app.get("/v1/programmes?lang=fr").await;
    assert_ne!(header(&json, "etag").as_deref(), Some(etag.as_str()));
    let again = app
        .request(reqwest::Method::GET, "/v1/programmes?lang=fr")
        .header("Accept", "text/csv")
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // lang=all: one column per language.
    let text = app
        .request(reqwest::Method::GET, "/v1/organisations?lang=all&id=uclg")
        .header("Accept", "text/csv, application/json;q=0.5")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("a body");
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.contains("name.en") && first.contains("name.fr") && first.contains("name.es"),
        "{first}"
    );
    // JSON stays the default, and wins ties.
    let response = app
        .request(reqwest::Method::GET, "/v1/programmes")
        .header("Accept", "application/json, text/csv")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
}

#[tokio::test]
async fn the_export_endpoint_streams_every_record_stamped_with_the_feed_seq() {
    let app = spawn_seeded_app().await;
    assert_eq!(
        app.delete("/v1/contacts/local-migration-governance-indicators-officer")
            .await
            .status(),
        204
    );
    let response = app.get("/v1/export").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/x-ndjson")
    );
    let text = response.text().await.expect("a body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let feed: Value = app
        .get("/v1/changes?limit=1")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(lines[0]["format"], "iom-lrg-export");
    assert_eq!(lines[0]["seq"], feed["meta"]["last_seq"]);
    let records = &lines[1..];
    let total: i64 = lines[0]["counts"]
        .as_object()
        .expect("counts")
        .values()
        .filter_map(Value::as_i64)
        .sum();
    assert_eq!(records.len() as i64, total);
    let programme = records
        .iter()
        .find(|r| r["id"] == "santiago-mexico-city-partnership")
        .expect("the programme");
    assert_eq!(programme["collection"], "programmes");
    assert_eq!(programme["version"], 1);
    // Every language, in the write schema.
    assert!(programme["data"]["title"]["es"].is_string());
    assert_eq!(programme["data"]["fund"], "mmptf");
    // The deleted contact is there as a tombstone, its personal data erased.
    let contact = records
        .iter()
        .find(|r| r["id"] == "local-migration-governance-indicators-officer")
        .expect("the tombstone");
    assert!(contact["deleted_at"].is_string());
    assert_eq!(contact["version"], 2);
    assert!(contact["data"].get("given_name").is_none_or(Value::is_null));
    // What others point to comes first.
    let position = |c: &str| records.iter().position(|r| r["collection"] == c);
    assert!(position("organisations") < position("programmes"));
    assert_eq!(
        app.get("/v1/export?since=1").await.status(),
        StatusCode::BAD_REQUEST
    );
}

/// SQLite -> PostgreSQL -> SQLite when `TEST_DATABASE_URL` is set (SQLite -> SQLite otherwise):
/// every export is the same, record for record.
#[tokio::test]
async fn export_then_import_on_the_other_backend_round_trips_losslessly() {
    let dir = tempfile::tempdir().expect("a folder");
    let first = sqlite_in(dir.path(), "first.db");
    let source = first.clone();
    let app = spawn_with(true, move |s| s.database_url = source).await;
    // Edits: versions, a deletion, an update with every language.
    let etag = header(
        &app.get("/v1/programmes/santiago-mexico-city-partnership")
            .await,
        "etag",
    )
    .expect("etag");
    let patched = app
        .request(
            reqwest::Method::PATCH,
            "/v1/programmes/santiago-mexico-city-partnership",
        )
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", etag)
        .body(
            json!({"status": "implementation", "budget": {"amount": 1250000.5, "currency": "USD"}})
                .to_string(),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(patched.status(), StatusCode::OK);
    app.create_programme(json!({"id": "short-lived", "title": {"en": "Short-lived"}}))
        .await;
    assert_eq!(app.delete("/v1/programmes/short-lived").await.status(), 204);

    let (header_a, records_a) = export(&first, &dir.path().join("a.ndjson"));
    assert!(records_a.iter().any(|r| r.contains("\"short-lived\"")));

    let (second, _keep) = fresh_database();
    let (ok, _, stderr) = cli(
        &second,
        &[
            "import",
            dir.path().join("a.ndjson").to_str().expect("path"),
        ],
    );
    assert!(ok, "import into {second}: {stderr}");
    let (header_b, records_b) = export(&second, &dir.path().join("b.ndjson"));
    assert_eq!(records_b, records_a, "the second backend's export differs");
    assert_eq!(header_b["counts"], header_a["counts"]);

    let third = sqlite_in(dir.path(), "third.db");
    let (ok, _, stderr) = cli(
        &third,
        &[
            "import",
            dir.path().join("b.ndjson").to_str().expect("path"),
        ],
    );
    assert!(ok, "import back: {stderr}");
    let (_, records_c) = export(&third, &dir.path().join("c.ndjson"));
    assert_eq!(records_c, records_a, "the round trip changed records");
    // An import never overwrites: the same file again is refused.
    let (ok, _, stderr) = cli(
        &third,
        &[
            "import",
            dir.path().join("b.ndjson").to_str().expect("path"),
        ],
    );
    assert!(!ok, "a second import must refuse used ids");
    assert!(stderr.contains("already used"), "{stderr}");
}

#[tokio::test]
async fn a_bad_import_reports_every_problem_with_its_line_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a folder");
    let (url, _keep) = fresh_database();
    let (ok, _, stderr) = cli(&url, &["seed"]);
    assert!(ok, "{stderr}");
    let (before_header, before) = export(&url, &dir.path().join("before.ndjson"));
    let file = dir.path().join("bad.ndjson");
    let header = json!({"format": "iom-lrg-export", "format_version": 1, "seq": 0});
    let good = json!({"collection": "programmes", "id": "fine", "version": 1,
        "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z",
        "deleted_at": null, "data": {"title": {"en": "Fine"}}});
    let bad_title = json!({"collection": "programmes", "id": "no-title", "version": 1,
        "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z",
        "deleted_at": null, "data": {"status": "dreaming"}});
    let bad_reference = json!({"collection": "programmes", "id": "orphan", "version": 1,
        "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z",
        "deleted_at": null, "data": {"title": {"en": "Orphan"}, "fund": "nowhere"}});
    std::fs::write(
        &file,
        format!("{header}\n{good}\n{{not json\n{bad_title}\n{good}\n"),
    )
    .expect("written");
    let (ok, _, stderr) = cli(&url, &["import", file.to_str().expect("path")]);
    assert!(!ok);
    for needle in [
        "line 3: is not JSON",
        "line 4: /data/title",
        "line 4: /data/status",
        "line 5: /id 'fine' appears twice",
    ] {
        assert!(stderr.contains(needle), "{needle} in:\n{stderr}");
    }
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    // A reference to nothing is found after writing, and rolls everything back.
    std::fs::write(&file, format!("{header}\n{good}\n{bad_reference}\n")).expect("written");
    let (ok, _, stderr) = cli(&url, &["import", file.to_str().expect("path")]);
    assert!(!ok);
    assert!(stderr.contains("line 3: /data/fund"), "{stderr}");
    let (after_header, after) = export(&url, &dir.path().join("after.ndjson"));
    assert_eq!(after, before, "a failed import changed the data");
    assert_eq!(after_header["seq"], before_header["seq"]);
}

#[tokio::test]
async fn the_built_in_dataset_imports_as_json_and_generate_is_deterministic() {
    let dir = tempfile::tempdir().expect("a folder");
    let (url, _keep) = fresh_database();
    let dataset = Path::new(env!("CARGO_MANIFEST_DIR")).join("dataset/iom-lrg.json");
    let (ok, _, stderr) = cli(&url, &["import", dataset.to_str().expect("path")]);
    assert!(ok, "{stderr}");
    let (header, records) = export(&url, &dir.path().join("dataset.ndjson"));
    assert_eq!(header["counts"]["programmes"], 1);
    assert!(records.len() > 30);

    // The same seed gives the same records (instants aside); a generated dataset is valid
    // data: it imports.
    let strip = |lines: Vec<String>| -> Vec<Value> {
        lines
            .iter()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).expect("JSON");
                for k in ["created_at", "updated_at"] {
                    v.as_object_mut().map(|o| o.remove(k));
                }
                v
            })
            .collect()
    };
    let mut exports = Vec::new();
    for (name, seed) in [("g1.db", "5"), ("g2.db", "5"), ("g3.db", "6")] {
        let url = sqlite_in(dir.path(), name);
        let (ok, _, stderr) = cli(&url, &["generate", "--programmes", "300", "--seed", seed]);
        assert!(ok, "{stderr}");
        let (header, records) = export(&url, &dir.path().join(format!("{name}.ndjson")));
        assert_eq!(header["counts"]["programmes"], 301);
        exports.push(strip(records));
    }
    assert_eq!(exports[0], exports[1]);
    assert_ne!(exports[0], exports[2]);
    let (again, _keep2) = fresh_database();
    let (ok, _, stderr) = cli(
        &again,
        &[
            "import",
            dir.path().join("g1.db.ndjson").to_str().expect("path"),
        ],
    );
    assert!(ok, "a generated export imports: {stderr}");
    let (ok, _, stderr) = cli(
        &sqlite_in(dir.path(), "g1.db"),
        &["generate", "--programmes", "10"],
    );
    assert!(
        !ok && stderr.contains("already holds generated records"),
        "{stderr}"
    );
}
