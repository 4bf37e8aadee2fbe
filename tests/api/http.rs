//! HTTP as RFC 9110 and the contract say, and the limits that keep one client from taking the
//! service down: HEAD, 415, repeated headers, RFC 6750 challenges, bounded metrics labels, the
//! date range, CSV a spreadsheet cannot run, the ceiling on embedded records, and rate budgets
//! that count what a request costs.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, header, programme, spawn_app, spawn_seeded_app, spawn_with};

#[tokio::test]
async fn every_get_answers_head_with_its_headers_and_no_body() {
    let app = spawn_seeded_app().await;
    for path in [
        "/v1/programmes",
        "/v1/programmes/santiago-mexico-city-partnership",
        "/v1/institution",
        "/health/live",
        "/openapi.json",
    ] {
        let get = app.get(path).await;
        assert_eq!(get.status(), StatusCode::OK, "{path}");
        let etag = header(&get, "etag");
        let length = get.bytes().await.unwrap().len();
        let head = app.request(Method::HEAD, path).send().await.unwrap();
        assert_eq!(head.status(), StatusCode::OK, "HEAD {path}");
        assert_eq!(header(&head, "etag"), etag, "HEAD {path}");
        if let Some(declared) = header(&head, "content-length") {
            assert_eq!(declared, length.to_string(), "HEAD {path}");
        }
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path} has no body"
        );
    }
    let head = app
        .request(Method::HEAD, "/v1/programmes/nope")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
    // Where GET is served, a 405 says HEAD is too.
    let put = app
        .request(Method::PUT, "/v1/programmes")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&put, "allow").as_deref(), Some("GET, HEAD, POST"));
}

#[tokio::test]
async fn a_body_of_another_media_type_is_a_415_that_says_what_is_taken() {
    let app = spawn_app().await;
    let body = programme("p1", "T").to_string();
    let post = app
        .request(Method::POST, "/v1/programmes")
        .header("content-type", "text/plain")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&post, "accept-post").as_deref(),
        Some("application/json")
    );
    assert_problem(post, 415, "unsupported-media-type").await;
    assert_eq!(
        app.get("/v1/programmes/p1").await.status(),
        404,
        "nothing written"
    );
    app.create_programme(programme("p1", "T")).await;
    let patch = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("content-type", "application/xml")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&patch, "accept-patch").as_deref(),
        Some("application/merge-patch+json, application/json")
    );
    assert_problem(patch, 415, "unsupported-media-type").await;
}

#[tokio::test]
async fn a_repeated_authorization_or_origin_is_a_400_and_bad_keys_are_named_as_rfc_6750_says() {
    let app = spawn_app().await;
    let twice = app
        .anonymous(Method::POST, "/v1/programmes")
        .header("authorization", format!("Bearer {}", app.admin_key))
        .header("authorization", "Bearer someone-else")
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(twice, 400, "invalid-header").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Authorization")
    );
    let origins = app
        .anonymous(Method::GET, "/v1/programmes")
        .header("origin", "https://a.example")
        .header("origin", "https://b.example")
        .send()
        .await
        .unwrap();
    assert_problem(origins, 400, "invalid-header").await;
    assert_eq!(
        app.get("/v1/programmes/p1").await.status(),
        404,
        "nothing written"
    );

    let challenge = |response: &reqwest::Response| header(response, "www-authenticate").unwrap();
    let none = app
        .anonymous(Method::POST, "/v1/programmes")
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    assert_eq!(challenge(&none), r#"Bearer realm="iom-lrg-api""#);
    let unknown = app
        .anonymous(Method::POST, "/v1/programmes")
        .bearer_auth("not-a-key")
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge(&unknown),
        r#"Bearer realm="iom-lrg-api", error="invalid_token""#
    );
    let malformed = app
        .anonymous(Method::POST, "/v1/programmes")
        .header("authorization", "Basic abc")
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge(&malformed),
        r#"Bearer realm="iom-lrg-api", error="invalid_request""#
    );
}

#[tokio::test]
async fn invented_methods_do_not_grow_the_metrics() {
    let app = spawn_app().await;
    let size = async || app.get("/metrics").await.text().await.unwrap().len();
    // Every label value that can appear exists once first (the scrape's own too).
    app.request(Method::from_bytes(b"WARMUP").unwrap(), "/v1/programmes")
        .send()
        .await
        .unwrap();
    size().await;
    let before = size().await;
    for n in 0..300 {
        let method = Method::from_bytes(format!("M{n}").as_bytes()).unwrap();
        let response = app.request(method, "/v1/programmes").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
    let after = size().await;
    // The counters count up; no label is added.
    assert!(
        after < before + 1024,
        "/metrics grew from {before} to {after} bytes"
    );
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(text.contains("method=\"OTHER\""), "{text}");
    assert!(!text.contains("method=\"M17\""));
}

#[tokio::test]
async fn dates_outside_1900_to_2200_are_refused_so_every_stored_date_pages() {
    let app = spawn_app().await;
    for date in ["0000-01-01", "1899-12-31", "2201-01-01", "9999-12-31"] {
        let mut body = programme("p1", "T");
        body["planned_start"] = json!(date);
        let problem = assert_problem(
            app.post_json("/v1/programmes", &body).await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(
            problem["errors"][0]["field"], "/planned_start",
            "{date}: {problem}"
        );
    }
    for (id, date) in [
        ("a", "1900-01-01"),
        ("b", "2200-12-31"),
        ("c", "2024-05-01"),
    ] {
        let mut body = programme(id, "T");
        body["planned_start"] = json!(date);
        assert_eq!(app.post_json("/v1/programmes", &body).await.status(), 201);
    }
    // Sorted by the date, one per page, both directions: every page answers.
    for sort in ["planned_start", "-planned_start"] {
        let mut path = format!("/v1/programmes?sort={sort}&limit=1");
        let mut seen = Vec::new();
        loop {
            let page: Value = app.get(&path).await.json().await.unwrap();
            seen.extend(
                page["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].clone()),
            );
            match page["links"]["next"].as_str() {
                Some(next) => path = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 3, "{sort}: {seen:?}");
    }
}

#[tokio::test]
async fn csv_cells_are_never_formulas_and_the_download_names_its_file() {
    let app = spawn_app().await;
    app.create_programme(json!({
        "id": "p1",
        "title": {"en": "=HYPERLINK(\"https://evil.example\",\"click\")"},
        "summary": {"en": "@SUM(A1:A9)"},
        "budget": {"amount": 1500, "currency": "USD"}
    }))
    .await;
    let response = app
        .request(Method::GET, "/v1/programmes")
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "content-disposition").as_deref(),
        Some("attachment; filename=\"programmes.csv\"")
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        row.get(columns.iter().position(|c| c == name).unwrap())
            .unwrap()
    };
    assert_eq!(
        cell("title"),
        "'=HYPERLINK(\"https://evil.example\",\"click\")"
    );
    assert_eq!(cell("summary"), "'@SUM(A1:A9)");
    assert_eq!(cell("budget.amount"), "1500.0", "numbers stay numbers");
}

#[tokio::test]
async fn a_page_that_would_embed_too_much_is_a_400_that_says_how_to_page() {
    let app = spawn_app().await;
    {
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        iom_lrg_api::records::generate::generate(&mut conn, 3000, 7).unwrap();
    }
    let problem = assert_problem(
        app.get("/v1/organisations?include=programmes&limit=100&lang=all")
            .await,
        400,
        "invalid-query",
    )
    .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("limit") && detail.contains("2000"),
        "{detail}"
    );
    let small = app
        .get("/v1/organisations?include=programmes&limit=2")
        .await;
    assert_eq!(small.status(), StatusCode::OK);
}

#[tokio::test]
async fn rate_budgets_count_what_a_request_costs_and_a_429_is_readable_cross_origin() {
    let app = spawn_with(false, |s| {
        s.no_rate_limit = false;
        s.read_rate_limit = 12;
        s.write_rate_limit = 2;
    })
    .await;
    // A page with an include and every language costs (1 + 4) x 2 = 10 of the 12.
    let costly = app
        .get("/v1/programmes?include=organisations&lang=all")
        .await;
    assert_eq!(costly.status(), StatusCode::OK);
    assert_eq!(header(&costly, "ratelimit-remaining").as_deref(), Some("2"));
    let next = app.get("/v1/programmes?include=organisations").await;
    assert_eq!(
        next.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "5 units, 2 left"
    );
    for _ in 0..2 {
        assert_eq!(app.get("/v1/programmes").await.status(), StatusCode::OK);
    }
    let limited = app
        .anonymous(Method::GET, "/v1/programmes")
        .header("origin", "https://portal.example")
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&limited, "access-control-allow-origin").as_deref(),
        Some("https://portal.example")
    );
    let exposed = header(&limited, "access-control-expose-headers").unwrap_or_default();
    assert!(
        exposed.to_ascii_lowercase().contains("retry-after"),
        "{exposed}"
    );
    // Readiness reaches the database and is counted; liveness is not.
    assert_eq!(app.get("/health/ready").await.status(), 429);
    assert_eq!(app.get("/health/live").await.status(), 200);
}

/// Exports are written to a file first: clients that ask for one and never read hold no
/// database connection, so the service keeps answering everyone else.
#[tokio::test]
async fn clients_that_never_read_an_export_do_not_take_the_database_away() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app().await;
    {
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        iom_lrg_api::records::generate::generate(&mut conn, 3000, 3).unwrap();
    }
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut idle = Vec::new();
    for _ in 0..24 {
        let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
        socket
            .write_all(b"GET /v1/export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        idle.push(socket);
    }
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    for path in [
        "/health/ready",
        "/v1/programmes?limit=5",
        "/v1/programmes/gen-0000001",
    ] {
        let started = std::time::Instant::now();
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{path}: {:?}",
            started.elapsed()
        );
    }
    // The export itself is whole, and says how long it is.
    let export = app.get("/v1/export").await;
    let length: usize = header(&export, "content-length").unwrap().parse().unwrap();
    let body = export.text().await.unwrap();
    assert_eq!(body.len(), length);
    let first: Value = serde_json::from_str(body.lines().next().unwrap()).unwrap();
    assert_eq!(first["format"], "iom-lrg-export");
    assert!(body.lines().count() > 3000);
    drop(idle);
}

/// A body trickled slower than `--body-timeout` is a 408 and the connection is closed; many at
/// once do not stop others from writing.
#[tokio::test]
async fn bodies_that_trickle_are_cut_with_408_within_the_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_with(false, |s| s.body_timeout = 2).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (address, key) = (address.clone(), app.admin_key.clone());
        tasks.push(tokio::spawn(async move {
            let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
            let head = format!(
                "POST /v1/programmes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n\
                 Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"id\": \"t{n}\""
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            let mut buffer = [0u8; 4096];
            // One byte a second, until the server answers and closes.
            for _ in 0..30 {
                tokio::select! {
                    read = socket.read(&mut buffer) => match read {
                        Ok(0) | Err(_) => break,
                        Ok(k) => answer.extend_from_slice(&buffer[..k]),
                    },
                    () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {
                        if socket.write_all(b" ").await.is_err() {
                            break;
                        }
                    }
                }
            }
            String::from_utf8_lossy(&answer).into_owned()
        }));
    }
    // Meanwhile a whole body is written at once.
    assert_eq!(
        app.post_json("/v1/programmes", &programme("fast", "T"))
            .await
            .status(),
        201
    );
    for task in tasks {
        let answer = task.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("request-timeout"), "{answer}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        app.get("/v1/programmes/t0").await.status(),
        404,
        "nothing written"
    );
}
