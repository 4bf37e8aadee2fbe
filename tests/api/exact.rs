//! HTTP exactly, the second part: `If-Match` takes only tags the server could have issued,
//! an idempotent replay never returns what a delete erased, `Vary` is merged and errors are
//! compressed only when they really are, `Last-Modified` with `If-Modified-Since`, and CSV with
//! fixed columns and a whole-collection download.

use std::io::Read;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, header, programme, spawn_app, spawn_seeded_app};

#[tokio::test]
async fn if_match_holds_only_for_a_tag_the_server_could_have_issued() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    let read = app.get("/v1/programmes/p1").await;
    let issued = header(&read, "etag").unwrap();
    for forged in [
        "\"v1-en-x\"",
        "\"v1\"",
        "\"v1-xx-0123456789abcdef\"",
        "\"v1-en-0123456789ABCDEF\"",
        "W/\"v1-en-0123456789abcdef\"",
    ] {
        let patch = app
            .request(Method::PATCH, "/v1/programmes/p1")
            .header("content-type", "application/merge-patch+json")
            .header("if-match", forged)
            .body(r#"{"status": "closed"}"#)
            .send()
            .await
            .unwrap();
        assert_problem(patch, 412, "precondition-failed").await;
    }
    let unchanged: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(unchanged["version"], 1, "no forged tag wrote");
    let patch = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("content-type", "application/merge-patch+json")
        .header("if-match", issued.as_str())
        .body(r#"{"status": "closed"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_idempotent_replay_after_a_delete_is_a_410_without_the_erased_personal_data() {
    let app = spawn_seeded_app().await;
    let body = json!({"id": "liaison-officer", "given_name": "Ana", "family_name": "Pérez",
        "job_title": "Liaison officer", "email": "ana.perez@example.org"})
    .to_string();
    let post = || {
        app.request(Method::POST, "/v1/contacts")
            .header("content-type", "application/json")
            .header("idempotency-key", "create-ana")
            .body(body.clone())
            .send()
    };
    let first = post().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let replay = post().await.unwrap();
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert!(
        replay
            .text()
            .await
            .unwrap()
            .contains("ana.perez@example.org")
    );

    assert_eq!(
        app.delete("/v1/contacts/liaison-officer").await.status(),
        StatusCode::NO_CONTENT
    );
    let after = post().await.unwrap();
    let problem = assert_problem(after, 410, "gone").await;
    let text = problem.to_string();
    assert!(
        !text.contains("Pérez") && !text.contains("ana.perez"),
        "{text}"
    );
    assert!(text.contains("/v1/contacts/liaison-officer"), "{text}");
    // Nothing was created again.
    assert_eq!(
        app.get("/v1/contacts/liaison-officer").await.status(),
        StatusCode::GONE
    );
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip body that decodes");
    text
}

#[tokio::test]
async fn vary_is_merged_and_an_error_is_compressed_only_when_it_really_is() {
    let app = spawn_seeded_app().await;
    let list = app
        .request(Method::GET, "/v1/programmes")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&list, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(list.headers().get_all("vary").iter().count(), 1);
    let vary = header(&list, "vary").unwrap().to_ascii_lowercase();
    for name in ["accept-language", "accept", "origin", "accept-encoding"] {
        assert!(
            vary.split(',').any(|v| v.trim() == name),
            "Vary names {name}: {vary}"
        );
    }
    let page: Value = serde_json::from_str(&gunzip(&list.bytes().await.unwrap())).unwrap();
    assert!(page["data"].as_array().is_some_and(|d| !d.is_empty()));

    // A body over the limit: the 413 says gzip only if its body is gzip.
    let big = format!("{{\"id\": \"p\", \"title\": \"{}\"}}", "x".repeat(200_000));
    let too_large = app
        .request(Method::POST, "/v1/programmes")
        .header("accept-encoding", "gzip")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let gzipped = header(&too_large, "content-encoding").as_deref() == Some("gzip");
    let bytes = too_large.bytes().await.unwrap();
    let text = if gzipped {
        gunzip(&bytes)
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    let problem: Value = serde_json::from_str(&text).expect("a problem document");
    assert_eq!(problem["status"], 413);

    // A 404 asked for gzip is compressed for real too, and keeps its problem type.
    let missing = app
        .request(Method::GET, "/v1/programmes/nope")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let gzipped = header(&missing, "content-encoding").as_deref() == Some("gzip");
    let bytes = missing.bytes().await.unwrap();
    let text = if gzipped {
        gunzip(&bytes)
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    assert!(text.contains("/problems/not-found"), "{text}");
}

/// Waits until the current second has passed: `Last-Modified` is only sent once the second of
/// the last change is over (a later change in it would carry the same date).
async fn next_second() {
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

#[tokio::test]
async fn records_and_pages_carry_last_modified_and_answer_if_modified_since() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    app.create_programme(programme("p2", "U")).await;
    next_second().await;
    for path in ["/v1/programmes/p1", "/v1/programmes?limit=1"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let modified = header(&first, "last-modified").expect("Last-Modified");
        let etag = header(&first, "etag").unwrap();
        let since = |date: &str| {
            app.request(Method::GET, path)
                .header("if-modified-since", date)
                .send()
        };
        let not_modified = since(&modified).await.unwrap();
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(
            header(&not_modified, "etag").as_deref(),
            Some(etag.as_str())
        );
        assert_eq!(header(&not_modified, "content-type"), None, "{path}");
        assert_eq!(header(&not_modified, "last-modified"), None, "{path}");
        // Cached or not, the answer is the same: ask again.
        let again = since(&modified).await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path} (cached)");
        let earlier = since("Sat, 01 Jan 2000 00:00:00 GMT").await.unwrap();
        assert_eq!(earlier.status(), StatusCode::OK, "{path}");
        let unreadable = since("yesterday").await.unwrap();
        assert_eq!(unreadable.status(), StatusCode::OK, "{path}: ignored");
        // If-None-Match takes precedence: a stale tag means a 200 whatever the date says.
        let both = app
            .request(Method::GET, path)
            .header("if-modified-since", modified.as_str())
            .header("if-none-match", "\"p-en-0000000000000000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(both.status(), StatusCode::OK, "{path}");
    }

    // A change to p2 leaves p1's date alone but moves the page's.
    let p1 = header(&app.get("/v1/programmes/p1").await, "last-modified").unwrap();
    let page = header(&app.get("/v1/programmes?limit=1").await, "last-modified").unwrap();
    assert_eq!(
        app.patch_json("/v1/programmes/p2", &json!({"status": "closed"}))
            .await
            .status(),
        StatusCode::OK
    );
    next_second().await;
    let record = app
        .request(Method::GET, "/v1/programmes/p1")
        .header("if-modified-since", p1.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(record.status(), StatusCode::NOT_MODIFIED);
    let listed = app
        .request(Method::GET, "/v1/programmes?limit=1")
        .header("if-modified-since", page.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK, "the page's data changed");
    assert_ne!(header(&listed, "last-modified").unwrap(), page);
}

async fn csv_of(app: &crate::helpers::TestApp, path: &str) -> (csv::StringRecord, usize) {
    let response = app
        .request(Method::GET, path)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = reader.headers().unwrap().clone();
    let mut rows = 0;
    for row in reader.records() {
        assert_eq!(
            row.unwrap().len(),
            columns.len(),
            "{path}: every row is whole"
        );
        rows += 1;
    }
    (columns, rows)
}

#[tokio::test]
async fn csv_columns_are_fixed_per_collection_and_language_setting() {
    let app = spawn_app().await;
    // One programme with every object and text filled, one with almost nothing.
    app.create_programme(
        json!({"id": "full", "title": {"en": "E", "fr": "F", "es": "S"},
        "summary": {"en": "s"}, "budget": {"amount": 10, "currency": "USD"}}),
    )
    .await;
    app.create_programme(programme("bare", "B")).await;
    for lang in ["en", "all"] {
        let (first, rows) = csv_of(&app, &format!("/v1/programmes?lang={lang}&limit=1")).await;
        assert_eq!(rows, 1);
        let (second, _) = csv_of(
            &app,
            &format!("/v1/programmes?lang={lang}&limit=1&sort=-id"),
        )
        .await;
        assert_eq!(first, second, "lang={lang}: the same columns on every page");
        let (empty, rows) = csv_of(
            &app,
            &format!("/v1/programmes?lang={lang}&q=nothingmatches"),
        )
        .await;
        assert_eq!(rows, 0);
        assert_eq!(
            first, empty,
            "lang={lang}: an empty page has the header too"
        );
        assert!(first.iter().any(|c| c == "budget.currency"));
        if lang == "all" {
            for column in ["title.en", "title.fr", "title.es", "summary.es"] {
                assert!(first.iter().any(|c| c == column), "{column}: {first:?}");
            }
        } else {
            assert!(first.iter().any(|c| c == "title"));
        }
    }
}

#[tokio::test]
async fn a_whole_filtered_collection_downloads_as_one_streamed_csv() {
    let app = spawn_seeded_app().await;
    for n in 0..30 {
        app.create_programme(
            json!({"id": format!("gen-{n:02}"), "title": {"en": format!("Generated {n}")},
            "status": if n % 2 == 0 { "closed" } else { "implementation" }}),
        )
        .await;
    }
    let total: Value = app
        .get("/v1/programmes?count=true&status=closed")
        .await
        .json()
        .await
        .unwrap();
    let total = total["meta"]["total"].as_u64().unwrap() as usize;
    let response = app
        .request(
            Method::GET,
            "/v1/programmes.csv?status=closed&lang=fr&sort=-id",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        header(&response, "content-disposition").as_deref(),
        Some("attachment; filename=\"programmes.csv\"")
    );
    assert_eq!(header(&response, "content-language").as_deref(), Some("fr"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = reader.headers().unwrap().clone();
    let (paged, _) = csv_of(&app, "/v1/programmes?lang=fr&limit=1").await;
    assert_eq!(columns, paged, "the download has the pages' columns");
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), total, "every matching record, beyond one page");
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "in the sort asked for");

    for refused in [
        "limit=5",
        "cursor=x",
        "count=true",
        "include=fund",
        "facets=status",
    ] {
        let response = app.get(&format!("/v1/programmes.csv?{refused}")).await;
        assert_problem(response, 400, "invalid-query").await;
    }
    assert_problem(
        app.get("/v1/programmes.csv?colour=red").await,
        400,
        "invalid-query",
    )
    .await;
}
