//! Runs every example of docs/GUIDE.md against a service with the built-in dataset, in order,
//! and checks each response against the one the guide shows, so the guide cannot go stale.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_seeded_app};

struct Example {
    line: usize,
    request: String,
    response: String,
}

/// The `http` / `http-response` block pairs of the guide.
fn examples(guide: &str) -> Vec<Example> {
    let mut blocks: Vec<(usize, String, String)> = Vec::new();
    let mut current: Option<(usize, String, String)> = None;
    for (n, line) in guide.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(kind)) if !kind.is_empty() => {
                current = Some((n + 1, kind.to_owned(), String::new()))
            }
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some((_, _, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut iter = blocks
        .into_iter()
        .filter(|(_, kind, _)| kind.starts_with("http"))
        .peekable();
    while let Some((line, kind, request)) = iter.next() {
        assert_eq!(
            kind, "http",
            "docs/GUIDE.md:{line}: a response block without its request"
        );
        let (_, next_kind, response) = iter
            .next()
            .unwrap_or_else(|| panic!("docs/GUIDE.md:{line}: a request without its response"));
        assert_eq!(next_kind, "http-response", "docs/GUIDE.md:{line}");
        out.push(Example {
            line,
            request,
            response,
        });
    }
    out
}

/// Splits "first line, header lines, blank line, body".
fn parts(text: &str) -> (String, Vec<(String, String)>, String) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default().trim().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    (first, headers, body.trim().to_owned())
}

/// `expected` is contained in `actual`: shown members match, `"..."` matches anything present,
/// arrays match element by element.
fn contains(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::String(s), a) if s == "..." => {
            if a.is_null() {
                Err(format!("{at}: expected a value, got null"))
            } else {
                Ok(())
            }
        }
        (Value::Object(e), Value::Object(a)) => e.iter().try_for_each(|(k, v)| {
            let field = format!("{at}/{k}");
            a.get(k)
                .ok_or_else(|| format!("{field}: missing"))
                .and_then(|av| contains(v, av, &field))
        }),
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{at}: expected {} items, got {}", e.len(), a.len()));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (ev, av))| contains(ev, av, &format!("{at}/{i}")))
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at}: expected {e}, got {a}")),
    }
}

fn substitute(text: &str, app: &TestApp, etag: &str, next_cursor: &str) -> String {
    text.replace("{{key}}", &app.admin_key)
        .replace("{{etag}}", etag)
        .replace("{{next_cursor}}", next_cursor)
}

#[tokio::test]
async fn every_example_in_the_guide_gives_the_response_it_shows() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/GUIDE.md")).unwrap();
    let examples = examples(&guide);
    assert!(examples.len() >= 15, "{} examples", examples.len());
    let app = spawn_seeded_app().await;
    let (mut etag, mut next_cursor) = (String::new(), String::new());
    for example in examples {
        let at = format!("docs/GUIDE.md:{}", example.line);
        let (request_line, headers, body) =
            parts(&substitute(&example.request, &app, &etag, &next_cursor));
        let (method, path) = request_line
            .split_once(' ')
            .unwrap_or_else(|| panic!("{at}: bad request line"));
        let mut request = app.anonymous(Method::from_bytes(method.as_bytes()).unwrap(), path);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if !body.is_empty() {
            request = request.body(body.into_bytes());
        }
        let response = request.send().await.unwrap();

        let (status_line, expected_headers, expected_body) = parts(&example.response);
        let expected_status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{at}: bad status line"));
        assert_eq!(response.status().as_u16(), expected_status, "{at}: status");
        for (name, value) in &expected_headers {
            let actual: Vec<&str> = response
                .headers()
                .get_all(name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            assert!(!actual.is_empty(), "{at}: header {name} missing");
            if value != "..." {
                assert!(
                    actual.contains(&value.as_str()),
                    "{at}: header {name} is {actual:?}, not {value}"
                );
            }
        }
        if let Some(value) = response.headers().get("etag").and_then(|v| v.to_str().ok()) {
            etag = value.to_owned();
        }
        let text = response.text().await.unwrap();
        if !expected_body.is_empty() {
            let expected: Value = serde_json::from_str(&expected_body)
                .unwrap_or_else(|e| panic!("{at}: the guide's JSON: {e}"));
            let actual: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{at}: the response's JSON: {e}: {text}"));
            if let Err(difference) = contains(&expected, &actual, "") {
                panic!("{at}: {difference}\nresponse: {actual}");
            }
            if let Some(cursor) = actual["meta"]["next_cursor"].as_str() {
                next_cursor = cursor.to_owned();
            }
        }
    }
}
