//! A corpus of hostile and broken requests against every write and list endpoint: each gets a
//! 4xx problem document, never a 5xx, and nothing is written (the change feed does not move and
//! the export is the same).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, header, spawn_seeded_app};

const COLLECTIONS: [&str; 10] = [
    "programmes",
    "organisations",
    "migration-domains",
    "engagement-areas",
    "funds",
    "frameworks",
    "forums",
    "events",
    "recommendations",
    "contacts",
];

async fn last_seq(app: &TestApp) -> i64 {
    app.get("/v1/changes?limit=1")
        .await
        .json::<Value>()
        .await
        .unwrap()["meta"]["last_seq"]
        .as_i64()
        .unwrap()
}

/// The whole dataset as the export gives it, header aside (its instant changes).
async fn export_records(app: &TestApp) -> Vec<String> {
    let text = app.get("/v1/export").await.text().await.unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

/// Sends a request and checks it is refused with a 4xx problem document.
async fn refused(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> u16 {
    let response = app
        .request(method.clone(), path)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let media = header(&response, "content-type").unwrap_or_default();
    assert!(status.is_client_error(), "{method} {path}: {status}");
    assert_eq!(
        media, "application/problem+json",
        "{method} {path}: {status}"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], status.as_u16());
    status.as_u16()
}

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let deep = format!("{}{}", "{\"a\":".repeat(3000), "}".repeat(3000));
    vec![
        ("truncated", b"{\"title\": {\"en\": \"Tru".to_vec()),
        ("deeply nested", deep.into_bytes()),
        ("invalid utf-8", b"{\"title\": \"\xff\xfe\xfd\"}".to_vec()),
        ("nul in a string", br#"{"title": "a\u0000b", "name": "a\u0000b", "text": "x\u0000"}"#.to_vec()),
        ("raw nul byte", b"{\"title\": \"a\x00b\"}".to_vec()),
        ("wrong types", br#"{"title": 5, "name": [1], "position": "first", "kind": {}, "year": "2020", "sources": "none"}"#.to_vec()),
        ("array", b"[{\"title\": \"x\"}]".to_vec()),
        ("number", b"42".to_vec()),
        ("empty", Vec::new()),
        ("sql", br#"{"id": "x'; DROP TABLE programmes;--", "title": 1}"#.to_vec()),
        ("huge number", br#"{"position": 1e999, "year": 99999999999999999999999}"#.to_vec()),
        ("duplicate members", br#"{"title": "a", "title": 7}"#.to_vec()),
    ]
}

#[tokio::test]
async fn hostile_bodies_on_every_write_endpoint_are_4xx_problems_and_write_nothing() {
    let app = spawn_seeded_app().await;
    let before = last_seq(&app).await;
    let exported = export_records(&app).await;
    let mut targets: Vec<(Method, String)> = Vec::new();
    for collection in COLLECTIONS {
        targets.push((Method::POST, format!("/v1/{collection}")));
        let first: Value = app
            .get(&format!("/v1/{collection}?limit=1"))
            .await
            .json()
            .await
            .unwrap();
        let id = first["data"][0]["id"].as_str().unwrap().to_owned();
        targets.push((Method::PATCH, format!("/v1/{collection}/{id}")));
    }
    targets.push((Method::PATCH, "/v1/institution".into()));
    targets.push((Method::POST, "/v1/keys".into()));
    for (method, path) in &targets {
        for (name, body) in bodies() {
            let status = refused(&app, method.clone(), path, "application/json", body).await;
            assert!(
                matches!(status, 400 | 413 | 422),
                "{name} on {method} {path}: {status}"
            );
        }
        let status = refused(&app, method.clone(), path, "text/plain", b"{}".to_vec()).await;
        assert_eq!(status, 415);
        let big = format!("{{\"title\": \"{}\"}}", "x".repeat(10 * 1024 * 1024)).into_bytes();
        assert_eq!(
            refused(&app, method.clone(), path, "application/json", big).await,
            413,
            "{method} {path}"
        );
    }
    assert_eq!(last_seq(&app).await, before, "nothing was written");
    assert!(
        export_records(&app).await == exported,
        "the data changed although every write was refused"
    );
}

#[tokio::test]
async fn hostile_query_strings_on_every_list_are_400s_or_answers_never_5xx() {
    let app = spawn_seeded_app().await;
    let before = last_seq(&app).await;
    let queries = [
        "limit=1000000000000000000000",
        "limit=-5",
        "limit=1&limit=2",
        "cursor=",
        "cursor=%00%01%02",
        "q=%27%20OR%201%3D1%20--",
        "q=%22unterminated%20phrase",
        "q=migr*",
        "q=a%20AND%20OR%20NOT%20(",
        "q=%F0%9F%8C%8D%E2%80%AE%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9",
        "sort=-&sort=id",
        "id=%27%3B--",
        "lang=%00",
        "include=%00",
        "updated_since=2024-13-45T99:99:99Z",
        "%FF%FE=1",
        "q=a&q=b",
    ];
    for collection in COLLECTIONS.iter().chain(["changes"].iter()) {
        for query in queries {
            let path = format!("/v1/{collection}?{query}");
            let response = app.get(&path).await;
            let status = response.status();
            assert!(
                status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
                "{path}: {status}"
            );
            if status == StatusCode::BAD_REQUEST {
                assert_eq!(
                    header(&response, "content-type").as_deref(),
                    Some("application/problem+json"),
                    "{path}"
                );
            }
        }
        let huge_cursor = format!("/v1/{collection}?cursor={}", "A".repeat(6_000));
        let status = app.get(&huge_cursor).await.status();
        assert!(status.is_client_error(), "{collection}: {status}");
    }
    assert_eq!(last_seq(&app).await, before);
}

#[tokio::test]
async fn emoji_right_to_left_and_metacharacters_are_stored_and_searched_as_text() {
    let app = spawn_seeded_app().await;
    let title = "هجرة 🌍 \u{202e}reversed\u{202c} 100% _under_ 'quoted' \"double\" ; DROP TABLE programmes; -- * OR";
    let created = app
        .post_json(
            "/v1/programmes",
            &json!({"id": "unicode-test", "title": title}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let stored: Value = app
        .get("/v1/programmes/unicode-test")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["title"], title);
    let found: Value = app
        .get("/v1/programmes?q=reversed%20under")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["data"][0]["id"], "unicode-test");
    // `%` is punctuation, never a LIKE wildcard: alone it is no word to find (a list ignores
    // such a q), and beside a word it changes nothing.
    let ids = |body: &Value| body["data"].as_array().map(|d| d.len());
    let plain: Value = app.get("/v1/programmes").await.json().await.unwrap();
    let percent: Value = app.get("/v1/programmes?q=%25").await.json().await.unwrap();
    assert_eq!(ids(&percent), ids(&plain));
    let none: Value = app
        .get("/v1/programmes?q=revers%25")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["data"].as_array().map(Vec::len), Some(0), "{none}");
}
