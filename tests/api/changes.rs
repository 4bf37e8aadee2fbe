//! The change feed: commit order, paging by `since`, idempotent POSTs, and no entry skipped
//! under concurrent writers.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, header, programme, spawn_app, spawn_seeded_app};

async fn feed(app: &TestApp, since: i64, limit: i64) -> Value {
    let response = app
        .get(&format!("/v1/changes?since={since}&limit={limit}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn every_create_update_and_delete_is_in_the_feed_in_order() {
    let app = spawn_app().await;
    assert_eq!(feed(&app, 0, 10).await["meta"]["last_seq"], 0);
    app.create_programme(programme("p1", "T")).await;
    app.patch_json("/v1/programmes/p1", &json!({"status": "closed"}))
        .await;
    app.patch_json("/v1/programmes/p1", &json!({"status": "closed"}))
        .await; // no change, no entry
    app.delete("/v1/programmes/p1").await;
    app.post_json("/v1/programmes", &json!({"title": ""})).await; // refused, no entry

    let page = feed(&app, 0, 100).await;
    let entries: Vec<(String, String, String, i64)> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["collection"].as_str().unwrap().into(),
                c["id"].as_str().unwrap().into(),
                c["action"].as_str().unwrap().into(),
                c["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("programmes".into(), "p1".into(), "created".into(), 1),
            ("programmes".into(), "p1".into(), "updated".into(), 2),
            ("programmes".into(), "p1".into(), "deleted".into(), 3),
        ]
    );
    let seqs: Vec<i64> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(page["meta"]["last_seq"], seqs[2]);
    assert!(page["data"][0]["at"].as_str().unwrap().ends_with('Z'));

    let second = feed(&app, seqs[0], 1).await;
    assert_eq!(second["data"][0]["action"], "updated");
    assert_eq!(second["meta"]["next_since"], seqs[1]);
    let empty = feed(&app, seqs[2], 10).await;
    assert_eq!(empty["data"], json!([]));
    assert_eq!(empty["meta"]["next_since"], seqs[2]);
    for query in [
        "since=-1",
        "since=abc",
        "limit=0",
        "limit=1001",
        "after=3",
        "since=1&since=2",
    ] {
        assert_problem(
            app.get(&format!("/v1/changes?{query}")).await,
            400,
            "invalid-query",
        )
        .await;
    }
}

#[tokio::test]
async fn the_built_in_dataset_appears_in_the_feed_as_created() {
    let app = spawn_seeded_app().await;
    let page = feed(&app, 0, 1000).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 36);
    assert!(
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["action"] == "created" && c["version"] == 1)
    );
}

#[tokio::test]
async fn a_retried_post_with_the_same_idempotency_key_returns_the_first_response() {
    let app = spawn_app().await;
    let send = |key: &str, body: Value| {
        app.request(Method::POST, "/v1/programmes")
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send("key-1", json!({"title": "Once"})).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let (location, etag) = (header(&first, "location"), header(&first, "etag"));
    let first_body: Value = first.json().await.unwrap();

    let retry = send("key-1", json!({"title": "Once"})).await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(
        (header(&retry, "location"), header(&retry, "etag")),
        (location, etag)
    );
    assert_eq!(retry.json::<Value>().await.unwrap(), first_body);
    let list: Value = app
        .get("/v1/programmes?count=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["meta"]["total"], 1, "created once");

    let problem = assert_problem(
        send("key-1", json!({"title": "Another"})).await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key")
    );
    assert_eq!(
        send("key-2", json!({"title": "Once"}))
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED,
        "a new key is a new request"
    );
    assert_problem(
        send("bad key with spaces", json!({"title": "x"}))
            .await
            .unwrap(),
        400,
        "invalid-header",
    )
    .await;

    // Concurrent retries of one request still create once.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let request = app
                .request(Method::POST, "/v1/programmes")
                .header("Idempotency-Key", "key-3")
                .json(&json!({"title": "Racing"}));
            tokio::spawn(async move {
                request.send().await.unwrap().json::<Value>().await.unwrap()["id"].clone()
            })
        })
        .collect();
    let mut ids = BTreeSet::new();
    for task in tasks {
        ids.insert(task.await.unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[tokio::test]
async fn a_reader_following_the_feed_under_concurrent_writers_never_skips_an_entry() {
    let app = spawn_app().await;
    for n in 0..4 {
        app.create_programme(programme(&format!("p{n}"), "T")).await;
    }
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let requests: Vec<_> = (0..15)
                .map(|i| {
                    app.request(Method::PATCH, &format!("/v1/programmes/p{w}"))
                        .header("Content-Type", "application/json")
                        .body(json!({"iati_identifier": format!("w{w}-{i}")}).to_string())
                })
                .collect();
            tokio::spawn(async move {
                for request in requests {
                    assert_eq!(request.send().await.unwrap().status(), StatusCode::OK);
                }
            })
        })
        .collect();
    // Poll while they write, as a mirror would: each page from the last seq seen.
    let mut seen = Vec::new();
    let mut since = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let done = writers.iter().all(|w| w.is_finished());
        let page = feed(&app, since, 7).await;
        for entry in page["data"].as_array().unwrap() {
            seen.push(entry["seq"].as_i64().unwrap());
        }
        since = page["meta"]["next_since"].as_i64().unwrap();
        if done && page["data"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the feed did not settle"
        );
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let all: Vec<i64> = feed(&app, 0, 1000).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(all.len(), 4 + 60);
    assert_eq!(seen, all, "the polling reader saw every entry, in order");
}
