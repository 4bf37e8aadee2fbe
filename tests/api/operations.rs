//! Running it: rate limits, CORS, security headers, request ids, metrics, configuration,
//! shutdown, and the database going away and coming back.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{assert_problem, header, programme, spawn_app, spawn_with};

#[tokio::test]
async fn each_client_has_separate_read_and_write_budgets_and_a_429_says_when_to_retry() {
    let app = spawn_with(false, |s| {
        s.no_rate_limit = false;
        s.read_rate_limit = 5;
        s.write_rate_limit = 2;
    })
    .await;
    for n in 0..5 {
        let response = app.get("/v1/programmes").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "ratelimit-limit").as_deref(), Some("5"));
        assert_eq!(
            header(&response, "ratelimit-remaining"),
            Some((4 - n).to_string())
        );
        assert!(header(&response, "ratelimit-reset").is_some());
    }
    let limited = app.get("/v1/programmes").await;
    let retry_after: u64 = header(&limited, "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(
        header(&limited, "ratelimit-remaining").as_deref(),
        Some("0")
    );
    assert_problem(limited, 429, "too-many-requests").await;

    // Writes have their own budget, untouched by the reads.
    assert_eq!(
        app.post_json("/v1/programmes", &programme("p1", "T"))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_json("/v1/programmes", &programme("p2", "T"))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_problem(
        app.post_json("/v1/programmes", &programme("p3", "T")).await,
        429,
        "too-many-requests",
    )
    .await;
}

#[tokio::test]
async fn any_origin_may_read_from_a_browser_but_only_configured_origins_may_write() {
    let app = spawn_with(false, |s| {
        s.cors_write_origins = vec!["https://portal.example".into()]
    })
    .await;
    let preflight = |origin: &str, method: &str| {
        app.anonymous(Method::OPTIONS, "/v1/programmes")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method)
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type, if-match",
            )
            .send()
    };
    let read = preflight("https://anyone.example", "GET").await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(
        header(&read, "access-control-allow-origin").as_deref(),
        Some("https://anyone.example")
    );

    let write = preflight("https://portal.example", "PATCH").await.unwrap();
    assert_eq!(write.status(), StatusCode::OK);
    assert_eq!(
        header(&write, "access-control-allow-origin").as_deref(),
        Some("https://portal.example")
    );
    assert!(
        header(&write, "access-control-allow-methods")
            .unwrap()
            .contains("PATCH")
    );

    let refused = preflight("https://anyone.example", "POST").await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
    assert_eq!(
        header(&refused, "content-type").as_deref(),
        Some("application/problem+json")
    );

    // A browser write from a read-only origin is refused before it runs, not run and hidden.
    app.create_programme(programme("p1", "T")).await;
    let sneaky = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Origin", "https://anyone.example")
        .header("Content-Type", "application/json")
        .body(r#"{"status": "closed"}"#)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(sneaky, 403, "cross-origin-refused").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("https://anyone.example"),
        "{problem}"
    );
    let unchanged: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(unchanged["version"], 1, "the refused write did not happen");
    // The service's own pages (Swagger UI's "Try it out") are not cross-origin: a browser sends
    // their Origin on a same-origin POST, and it is the request's own Host.
    let own = app.address.clone();
    let port: u16 = own.rsplit(':').next().unwrap().parse().unwrap();
    let same_origin = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Origin", own.as_str())
        .header("Content-Type", "application/json")
        .body(r#"{"status": "implementation"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK);
    // Another port of the same host is another origin.
    let other_port = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header(
            "Origin",
            format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        )
        .header("Content-Type", "application/json")
        .body(r#"{"status": "closed"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(other_port, 403, "cross-origin-refused").await;
    let allowed = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Origin", "https://portal.example")
        .header("Content-Type", "application/json")
        .body(r#"{"status": "closed"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);

    let simple = app
        .anonymous(Method::GET, "/v1/programmes")
        .header("Origin", "https://anyone.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&simple, "access-control-allow-origin").as_deref(),
        Some("https://anyone.example")
    );
    assert!(
        header(&simple, "access-control-expose-headers")
            .unwrap()
            .to_lowercase()
            .contains("etag")
    );
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let api = app.get("/v1/programmes").await;
    assert_eq!(
        header(&api, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        header(&api, "referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert!(
        header(&api, "content-security-policy")
            .unwrap()
            .starts_with("default-src 'none'")
    );
    let generated = header(&api, "x-request-id").unwrap();
    assert_eq!(generated.len(), 32);
    assert_ne!(
        header(&app.get("/v1/programmes").await, "x-request-id").unwrap(),
        generated
    );

    let docs = app.get("/docs/").await;
    assert!(
        header(&docs, "content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    let echoed = app
        .anonymous(Method::GET, "/nowhere")
        .header("X-Request-Id", "trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&echoed, "x-request-id").as_deref(),
        Some("trace-123")
    );
    assert_eq!(
        header(&echoed, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let replaced = app
        .anonymous(Method::GET, "/v1/programmes")
        .header("X-Request-Id", "has spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(
        header(&replaced, "x-request-id").as_deref(),
        Some("has spaces")
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_show_pool_and_feed() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    app.get("/v1/programmes/p1").await;
    app.get("/v1/programmes/none").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, "content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    assert!(text.contains(r#"iom_lrg_http_requests_total{method="GET",route="/v1/programmes/{id}",status="200"} 1"#), "{text}");
    assert!(text.contains(r#"iom_lrg_http_requests_total{method="GET",route="/v1/programmes/{id}",status="404"} 1"#), "{text}");
    assert!(
        text.contains(
            r#"iom_lrg_http_requests_total{method="POST",route="/v1/programmes",status="201"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains("iom_lrg_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("iom_lrg_db_pool_connections"), "{text}");
    assert!(text.contains("iom_lrg_change_feed_last_seq 1"), "{text}");
}

#[test]
fn a_config_file_gives_settings_below_flags() {
    use iom_lrg_api::config::Cli;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("iom.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:9999\"\nread_rate_limit = 7\nno-seed = true\ncors_write_origins = [\"https://a.example\", \"https://b.example\"]\n").unwrap();
    let args = |extra: &[&str]| {
        let mut a: Vec<std::ffi::OsString> =
            vec!["iom-lrg-api".into(), "--config".into(), file.clone().into()];
        a.extend(extra.iter().map(Into::into));
        a
    };
    let cli = Cli::load_from(args(&[])).unwrap();
    assert_eq!(cli.settings.bind.to_string(), "127.0.0.1:9999");
    assert_eq!(cli.settings.read_rate_limit, 7);
    assert!(cli.settings.no_seed);
    assert_eq!(
        cli.settings.cors_write_origins,
        ["https://a.example", "https://b.example"]
    );
    let cli = Cli::load_from(args(&["--read-rate-limit", "9", "serve"])).unwrap();
    assert_eq!(cli.settings.read_rate_limit, 9, "a flag wins over the file");

    std::fs::write(&file, "colour = \"blue\"\n").unwrap();
    let error = Cli::load_from(args(&[])).unwrap_err().to_string();
    assert!(error.contains("unknown setting 'colour'"), "{error}");
    std::fs::write(&file, "bind = 12\n").unwrap();
    assert!(Cli::load_from(args(&[])).is_err());
}

#[test]
fn the_environment_wins_over_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("iom.toml");
    let from_file = dir.path().join("file.db");
    let from_env = dir.path().join("env.db");
    std::fs::write(
        &file,
        format!("database_url = {:?}\n", from_file.to_str().unwrap()),
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .args(["migrate", "--config", file.to_str().unwrap()])
        .env("DATABASE_URL", &from_env)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(from_env.exists() && !from_file.exists());
}

#[test]
fn sigterm_stops_the_service_cleanly_with_exit_code_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            db.to_str().unwrap(),
            "--log-format",
            "json",
            "--shutdown-timeout",
            "5",
        ])
        .env_remove("DATABASE_URL")
        .env_remove("BIND_ADDR")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        assert!(Instant::now() < deadline, "the service did not start");
        let line = lines.next().expect("a log line").unwrap();
        let Ok(entry) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if entry["fields"]["message"] == "serving" {
            break entry["fields"]["port"].as_u64().unwrap();
        }
    };
    let body = http_get(
        port,
        "Authorization: Bearer lrg_0123456789abcdef_do-not-log-me\r\n",
    );
    assert!(body.contains("\"data\""), "{body}");
    // A request still arriving when SIGTERM comes is finished, not cut: half its body is sent
    // before the signal, the rest after.
    let mut in_flight =
        std::net::TcpStream::connect(("127.0.0.1", u16::try_from(port).unwrap())).unwrap();
    let payload = br#"{"title": "sent across the shutdown"}"#;
    let head = format!(
        "POST /v1/programmes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    std::io::Write::write_all(&mut in_flight, head.as_bytes()).unwrap();
    std::io::Write::write_all(&mut in_flight, &payload[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    std::io::Write::write_all(&mut in_flight, &payload[10..]).unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut in_flight, &mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the in-flight request got its answer (401: no key): {answer:?}"
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the service did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    // The log lines are JSON and never carry the Authorization header.
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter()
            .all(|l| !l.to_lowercase().contains("authorization"))
    );
    // Lines still queued for the log writer at the signal are written out before exit: the
    // in-flight request's line is there.
    assert!(
        rest.iter().any(|l| {
            serde_json::from_str::<Value>(l).is_ok_and(|e| {
                e["fields"]["message"] == "request"
                    && e["fields"]["method"] == "POST"
                    && e["fields"]["status"] == 401
            })
        }),
        "{rest:#?}"
    );
}

/// Whatever reads the service's standard error can stall (a full pipe, a stuck log shipper).
/// Requests go on being answered at full speed, the lines that did not fit are counted at
/// `/metrics`, and SIGTERM still stops the service promptly.
#[test]
fn a_stalled_log_reader_stalls_no_request() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            db.to_str().unwrap(),
            "--log-format",
            "json",
            "--no-rate-limit",
        ])
        .env_remove("DATABASE_URL")
        .env_remove("BIND_ADDR")
        // At exit with its queue full, the log writer's crate says so on standard output.
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        assert!(Instant::now() < deadline, "the service did not start");
        let line = lines.next().expect("a log line").unwrap();
        if let Ok(entry) = serde_json::from_str::<Value>(&line)
            && entry["fields"]["message"] == "serving"
        {
            break u16::try_from(entry["fields"]["port"].as_u64().unwrap()).unwrap();
        }
    };
    // From here on nobody reads standard error: the pipe (64 KiB) fills within a few hundred
    // lines, then the writer's queue. More requests than both hold are pipelined on one
    // connection; with a blocking writer they would stop being answered.
    let requests = iom_lrg_api::telemetry::QUEUED_LINES + 4_000;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut sender = stream.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let one = b"GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for _ in 0..requests {
            sender.write_all(one).unwrap();
        }
    });
    let started = Instant::now();
    let mut answered = 0;
    let mut seen = Vec::new();
    let mut buffer = vec![0; 1 << 16];
    while answered < requests {
        let read = stream
            .read(&mut buffer)
            .unwrap_or_else(|e| panic!("after {answered} answers: {e}"));
        assert!(read > 0, "the connection closed after {answered} answers");
        seen.extend_from_slice(&buffer[..read]);
        // Count complete status lines, keeping any partial tail for the next read.
        let text = String::from_utf8_lossy(&seen).into_owned();
        answered += text.matches("HTTP/1.1 200 OK").count();
        let cut = text.rfind("HTTP/1.1 200 OK").map_or(0, |at| at + 15);
        seen.drain(..cut.min(seen.len()));
    }
    writer.join().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{requests} answers took {:?}",
        started.elapsed()
    );
    let text = http_get_path(port, "/metrics");
    let dropped: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("iom_lrg_log_lines_dropped_total "))
        .unwrap_or_else(|| panic!("no dropped-lines counter in:\n{text}"))
        .trim()
        .parse()
        .unwrap();
    assert!(dropped > 0, "{dropped} lines dropped");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the service did not stop with its log reader stalled"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    drop(lines);
}

/// A blocking GET of `path`, for the tests that run outside the async runtime.
fn http_get_path(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// A blocking GET for the shutdown test, which runs outside the async runtime.
fn http_get(port: u64, extra_headers: &str) -> String {
    use std::io::{Read, Write};
    let port = u16::try_from(port).unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(format!("GET /v1/programmes HTTP/1.1\r\nHost: localhost\r\n{extra_headers}Connection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}
