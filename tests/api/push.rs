//! The change feed pushed: Server-Sent Events (live, resumable with `Last-Event-ID`, filtered,
//! kept alive, bounded per client), long polls, and streams fed by writes through another
//! instance. On SQLite, or PostgreSQL under `TEST_DATABASE_URL`.

use std::time::{Duration, Instant};

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, header, spawn_app, spawn_beside, spawn_with};

/// An open event stream, parsed as the SSE specification says: an event is dispatched at a
/// blank line; a comment line starts with `:`.
pub struct Events {
    response: Response,
    buffer: String,
    /// Comments seen so far (`: keep-alive`).
    pub comments: Vec<String>,
}

/// One event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

impl Events {
    pub async fn open(app: &TestApp, query: &str, last_event_id: Option<i64>) -> Events {
        let mut request = app
            .anonymous(Method::GET, &format!("/v1/changes{query}"))
            .header("Accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("text/event-stream")
        );
        assert_eq!(header(&response, "content-encoding"), None);
        Events {
            response,
            buffer: String::new(),
            comments: Vec::new(),
        }
    }

    /// The next event, or `None` when none comes within `within` (or the stream ends).
    pub async fn next(&mut self, within: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Event {
                    id: None,
                    event: None,
                    data: String::new(),
                };
                let mut any = false;
                for line in block.lines() {
                    if let Some(comment) = line.strip_prefix(':') {
                        self.comments.push(comment.trim().to_owned());
                    } else if let Some(id) = line.strip_prefix("id: ") {
                        event.id = Some(id.to_owned());
                        any = true;
                    } else if let Some(name) = line.strip_prefix("event: ") {
                        event.event = Some(name.to_owned());
                    } else if let Some(data) = line.strip_prefix("data: ") {
                        event.data.push_str(data);
                        any = true;
                    }
                }
                if any {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

async fn head(app: &TestApp) -> i64 {
    let page: Value = app.get("/v1/changes?limit=1").await.json().await.unwrap();
    page["meta"]["last_seq"].as_i64().unwrap()
}

async fn create_organisation(app: &TestApp, id: &str) {
    let response = app
        .post_json(
            "/v1/organisations",
            &json!({"id": id, "name": {"en": format!("Organisation {id}")}, "kind": "local_government"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating {id}");
}

#[tokio::test]
async fn a_stream_delivers_a_write_within_a_second() {
    let app = spawn_app().await;
    let since = head(&app).await;
    let mut events = Events::open(&app, &format!("?since={since}"), None).await;
    // Nothing yet: the stream waits.
    assert!(events.next(Duration::from_millis(300)).await.is_none());
    let written = Instant::now();
    create_organisation(&app, "city-a").await;
    let event = events
        .next(Duration::from_secs(1))
        .await
        .expect("the write arrives within a second");
    assert!(written.elapsed() < Duration::from_secs(1));
    assert_eq!(event.event.as_deref(), Some("change"));
    let data: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(data["collection"], "organisations");
    assert_eq!(data["id"], "city-a");
    assert_eq!(data["action"], "created");
    assert_eq!(data["href"], "/v1/organisations/city-a");
    assert_eq!(event.id, Some(data["seq"].to_string()));
    // The entry is the one the JSON feed gives.
    let page: Value = app
        .anonymous(Method::GET, &format!("/v1/changes?since={since}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["data"][0], data);
}

#[tokio::test]
async fn a_stream_resumes_exactly_after_100_forced_reconnects_during_1000_writes() {
    // A dropped stream holds its slot until the server next writes to it, so this client,
    // reconnecting as fast as it can, may hold more than the default 8 for a moment.
    let app = spawn_with(false, |s| s.streams_per_client = 200).await;
    let start = head(&app).await;
    let writer = {
        let (address, key) = (app.address.clone(), app.admin_key.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0..1000 {
                let response = client
                    .post(format!("{address}/v1/organisations"))
                    .bearer_auth(&key)
                    .json(&json!({"id": format!("org-{i}"), "name": {"en": format!("Org {i}")}, "kind": "local_government"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
            }
        })
    };
    let mut seen: Vec<i64> = Vec::new();
    let mut last = start;
    let mut reconnects = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        // Resume with Last-Event-ID; the URL keeps its first `since`, as EventSource does.
        let mut events = Events::open(&app, &format!("?since={start}"), Some(last)).await;
        let mut taken = 0;
        while taken < 10 {
            let Some(event) = events.next(Duration::from_secs(5)).await else {
                break;
            };
            let seq: i64 = event.id.unwrap().parse().unwrap();
            seen.push(seq);
            last = seq;
            taken += 1;
        }
        drop(events);
        reconnects += 1;
        if writer.is_finished() && last >= head(&app).await && reconnects >= 100 {
            break;
        }
        assert!(Instant::now() < deadline, "the stream fell behind");
    }
    writer.await.unwrap();
    assert!(reconnects >= 100);
    let expected: Vec<i64> = (start + 1..=head(&app).await).collect();
    assert_eq!(expected.len(), 1000);
    assert_eq!(seen, expected, "no entry lost, repeated or reordered");
}

#[tokio::test]
async fn streams_and_pages_keep_the_collections_asked_for() {
    let app = spawn_app().await;
    let since = head(&app).await;
    let mut events = Events::open(&app, &format!("?since={since}&collection=funds"), None).await;
    create_organisation(&app, "org-x").await;
    let response = app
        .post_json(
            "/v1/funds",
            &json!({"id": "fund-x", "name": {"en": "Fund X"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let event = events.next(Duration::from_secs(2)).await.expect("the fund");
    let data: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(
        (data["collection"].as_str(), data["id"].as_str()),
        (Some("funds"), Some("fund-x"))
    );

    // Pages filter too, repeated or comma-separated, and start the next read at the head.
    for query in [
        "collection=funds",
        "collection=funds,events",
        "collection=funds&collection=events",
    ] {
        let page: Value = app
            .get(&format!("/v1/changes?since={since}&{query}"))
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["fund-x"], "{query}");
        assert_eq!(page["meta"]["next_since"], page["meta"]["last_seq"]);
    }
    let problem = assert_problem(
        app.get("/v1/changes?collection=nonsense").await,
        400,
        "invalid-query",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("nonsense"));
}

#[tokio::test]
async fn an_idle_stream_is_kept_alive() {
    let app = spawn_with(false, |s| s.stream_keep_alive = 1).await;
    let since = head(&app).await;
    let mut events = Events::open(&app, &format!("?since={since}"), None).await;
    assert!(events.next(Duration::from_millis(2500)).await.is_none());
    assert!(
        events
            .comments
            .iter()
            .filter(|c| *c == "keep-alive")
            .count()
            >= 2,
        "{:?}",
        events.comments
    );
}

#[tokio::test]
async fn last_event_id_wins_over_since_and_bad_stream_requests_are_refused() {
    let app = spawn_app().await;
    create_organisation(&app, "one").await;
    create_organisation(&app, "two").await;
    let first = head(&app).await - 1;
    let mut events = Events::open(&app, "?since=0", Some(first)).await;
    let event = events.next(Duration::from_secs(2)).await.unwrap();
    assert_eq!(event.id, Some((first + 1).to_string()));

    for (query, last_event_id, kind) in [
        ("?limit=5", None, "invalid-query"),
        ("?wait=5", None, "invalid-query"),
        ("", Some("abc"), "invalid-header"),
        ("", Some("-1"), "invalid-header"),
    ] {
        let mut request = app
            .anonymous(Method::GET, &format!("/v1/changes{query}"))
            .header("Accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        assert_problem(request.send().await.unwrap(), 400, kind).await;
    }
    let refused = app
        .anonymous(Method::GET, "/v1/changes")
        .header("Accept", "text/html;q=0, image/png")
        .send()
        .await
        .unwrap();
    assert_problem(refused, 406, "not-acceptable").await;
}

#[tokio::test]
async fn streams_are_bounded_per_client_address() {
    // The server learns that a client left when it next writes: a keep-alive at the latest.
    let app = spawn_with(false, |s| {
        s.streams_per_client = 2;
        s.stream_keep_alive = 1;
    })
    .await;
    let a = Events::open(&app, "", None).await;
    let _b = Events::open(&app, "", None).await;
    let third = app
        .anonymous(Method::GET, "/v1/changes")
        .header("Accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert!(header(&third, "retry-after").is_some());
    assert_problem(third, 429, "too-many-requests").await;
    // A waiting long poll holds a slot too.
    assert_problem(
        app.get("/v1/changes?since=0&wait=1&limit=1&collection=funds")
            .await,
        429,
        "too-many-requests",
    )
    .await;
    drop(a);
    // The slot comes back once the server sees the stream closed.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let again = app
            .anonymous(Method::GET, "/v1/changes")
            .header("Accept", "text/event-stream")
            .send()
            .await
            .unwrap();
        if again.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed stream's slot never came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_long_poll_answers_as_soon_as_an_entry_exists_or_when_its_wait_ends() {
    let app = spawn_app().await;
    let since = head(&app).await;
    // Nothing comes: an empty page after the wait, not before.
    let started = Instant::now();
    let page: Value = app
        .get(&format!("/v1/changes?since={since}&wait=1"))
        .await
        .json()
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(page["data"], json!([]));
    assert_eq!(page["meta"]["next_since"], since);

    // A write during the wait answers it early.
    let writer = {
        let (address, key) = (app.address.clone(), app.admin_key.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            reqwest::Client::new()
                .post(format!("{address}/v1/organisations"))
                .bearer_auth(key)
                .json(&json!({"id": "late", "name": {"en": "Late"}, "kind": "local_government"}))
                .send()
                .await
                .unwrap()
        })
    };
    let started = Instant::now();
    let page: Value = app
        .get(&format!("/v1/changes?since={since}&wait=20"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(page["data"][0]["id"], "late");
    assert_eq!(writer.await.unwrap().status(), StatusCode::CREATED);

    // An entry already there: no wait at all.
    let started = Instant::now();
    let page: Value = app
        .get(&format!("/v1/changes?since={since}&wait=30"))
        .await
        .json()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(page["data"][0]["id"], "late");
    for query in ["wait=61", "wait=-1", "wait=x", "wait=1&wait=2"] {
        assert_problem(
            app.get(&format!("/v1/changes?{query}")).await,
            400,
            "invalid-query",
        )
        .await;
    }
}

#[tokio::test]
async fn a_write_through_one_instance_reaches_a_stream_and_a_long_poll_on_another() {
    let a = spawn_app().await;
    let b = spawn_beside(&a).await;
    let since = head(&a).await;
    let mut events = Events::open(&b, &format!("?since={since}"), None).await;
    let poll = {
        let (address, key) = (b.address.clone(), b.admin_key.clone());
        tokio::spawn(async move {
            reqwest::Client::new()
                .get(format!("{address}/v1/changes?since={since}&wait=10"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = Instant::now();
    create_organisation(&a, "from-a").await;
    let event = events
        .next(Duration::from_secs(1))
        .await
        .expect("the other instance's stream gets the write within a second");
    assert!(written.elapsed() < Duration::from_secs(1));
    assert!(event.data.contains("\"from-a\""));
    let page = poll.await.unwrap();
    assert!(written.elapsed() < Duration::from_secs(2));
    assert_eq!(page["data"][0]["id"], "from-a");
}
