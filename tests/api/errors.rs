use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, header, programme, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    for body in [
        &b"{\"title\": "[..],
        b"not json",
        b"{\"title\": \"a\"} trailing",
        b"\xff\xfe{}",
        b"",
    ] {
        let response = app
            .request(Method::POST, "/v1/programmes")
            .header("Content-Type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_problem(response, 400, "malformed-body").await;
    }
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let response = app
        .request(Method::POST, "/v1/programmes")
        .header("Content-Type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "malformed-body").await;
}

#[tokio::test]
async fn a_wrong_or_missing_content_type_is_a_415_problem() {
    let app = spawn_app().await;
    let body = programme("p1", "T").to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/xml"),
        Some("application/merge-patch+json"),
        None,
    ] {
        let mut request = app
            .request(Method::POST, "/v1/programmes")
            .body(body.clone());
        if let Some(ct) = content_type {
            request = request.header("Content-Type", ct);
        }
        assert_problem(request.send().await.unwrap(), 415, "unsupported-media-type").await;
    }
    let charset = app
        .request(Method::POST, "/v1/programmes")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(charset.status(), StatusCode::CREATED);
    let patch = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Content-Type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(patch, 415, "unsupported-media-type").await;
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_422() {
    let app = spawn_app().await;
    for body in [json!([1, 2]), json!("title"), json!(null), json!(3)] {
        let problem = assert_problem(
            app.post_json("/v1/programmes", &body).await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(error_fields(&problem), vec![""]);
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let huge = json!({"id": "big", "title": "T", "description": "x".repeat(70 * 1024)});
    let problem = assert_problem(
        app.post_json("/v1/programmes", &huge).await,
        413,
        "payload-too-large",
    )
    .await;
    assert!(problem["detail"].is_string());
    assert_problem(app.get("/v1/programmes/big").await, 404, "not-found").await;
}

#[tokio::test]
async fn unknown_routes_are_404_problems_and_wrong_methods_are_405_with_allow() {
    let app = spawn_app().await;
    assert_problem(app.get("/v1/nothing").await, 404, "not-found").await;
    assert_problem(app.get("/v2/programmes").await, 404, "not-found").await;
    assert_problem(app.get("/v1/programmes/a/b").await, 404, "not-found").await;

    for (method, path, allow) in [
        (Method::PUT, "/v1/programmes/p1", "DELETE, GET, HEAD, PATCH"),
        (Method::DELETE, "/v1/programmes", "GET, HEAD, POST"),
        (Method::PATCH, "/v1/organisations", "GET, HEAD, POST"),
        (Method::POST, "/health/live", "GET, HEAD"),
        (Method::POST, "/openapi.json", "GET, HEAD"),
        (Method::OPTIONS, "/v1/programmes", "GET, HEAD, POST"),
        (Method::from_bytes(b"PURGE").unwrap(), "/", "GET, HEAD"),
    ] {
        let response = app.request(method.clone(), path).send().await.unwrap();
        assert_eq!(
            header(&response, "allow").as_deref(),
            Some(allow),
            "{method} {path}"
        );
        assert_problem(response, 405, "method-not-allowed").await;
    }
}

#[tokio::test]
async fn strings_with_nul_or_control_characters_are_422_not_500() {
    let app = spawn_app().await;
    let body = json!({"id": "p1", "title": "Nul\u{0000}byte", "iati_identifier": "tab\there"});
    let problem = assert_problem(
        app.post_json("/v1/programmes", &body).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["/iati_identifier", "/title"]);
    let ok = app
        .post_json(
            "/v1/programmes",
            &json!({"title": "مرحبا 🌍 שלום", "description": "Line one\nLine two"}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["title"], "مرحبا 🌍 שלום");
}

#[tokio::test]
async fn hostile_query_strings_are_400s_or_empty_results_never_500s() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    for query in [
        "q=%27%3B%20DROP%20TABLE%20programmes%3B--",
        "q=%22unterminated",
        "q=a%25b_c",
        "id=%27%20OR%201%3D1",
        "limit=99999999999999999999",
        "limit=-1",
        "cursor=%00%00",
        "q=%F0%9F%8C%8D%20work",
        "sort=-",
        "%ff=1",
    ] {
        let response = app.get(&format!("/v1/programmes?{query}")).await;
        assert!(
            response.status() == StatusCode::OK || response.status() == StatusCode::BAD_REQUEST,
            "{query}: {}",
            response.status()
        );
        if response.status() == StatusCode::BAD_REQUEST {
            assert_eq!(
                header(&response, "content-type").as_deref(),
                Some("application/problem+json")
            );
        }
    }
    let still: Value = app
        .get("/v1/programmes?count=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["meta"]["total"], 1);
}

#[tokio::test]
async fn ids_that_are_not_slugs_are_404s_without_touching_the_database() {
    let app = spawn_app().await;
    for path in [
        "/v1/programmes/a%00b",
        "/v1/programmes/UPPER",
        "/v1/events/%F0%9F%8C%8D",
        &format!("/v1/contacts/{}", "a".repeat(5000)),
    ] {
        let problem = assert_problem(app.get(path).await, 404, "not-found").await;
        assert!(
            problem["detail"].as_str().unwrap().len() < 200,
            "the id is not echoed back: {problem}"
        );
        assert_problem(app.delete(path).await, 404, "not-found").await;
    }
    // A trailing slash is a path with an empty id, not a wrong method.
    assert_problem(app.get("/v1/programmes/").await, 404, "not-found").await;
}

#[tokio::test]
async fn an_if_match_header_that_carries_no_readable_tag_is_a_412() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    for value in ["", ",", " , "] {
        let response = app
            .request(Method::PATCH, "/v1/programmes/p1")
            .header("Content-Type", "application/json")
            .header("If-Match", value)
            .body(r#"{"status": "closed"}"#)
            .send()
            .await
            .unwrap();
        assert_problem(response, 412, "precondition-failed").await;
    }
    let unchanged: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(unchanged["version"], 1);
}

#[tokio::test]
async fn a_patch_naming_unknown_or_read_only_members_is_a_422_even_with_null() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    for body in [
        json!({"colour": null}),
        json!({"version": null}),
        json!({"created_at": null, "status": "closed"}),
    ] {
        assert_problem(
            app.patch_json("/v1/programmes/p1", &body).await,
            422,
            "validation-failed",
        )
        .await;
    }
}

#[tokio::test]
async fn out_of_range_instants_are_400s_and_finer_than_microseconds_is_truncated() {
    let app = spawn_app().await;
    let created = app.create_programme(programme("p1", "T")).await;
    for value in [
        "10000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:00:00-02:00",
    ] {
        assert_problem(
            app.get(&format!(
                "/v1/programmes?updated_since={}",
                value.replace('+', "%2B")
            ))
            .await,
            400,
            "invalid-query",
        )
        .await;
    }
    let exact = created["created_at"]
        .as_str()
        .unwrap()
        .trim_end_matches('Z')
        .to_owned();
    let body: Value = app
        .get(&format!("/v1/programmes?updated_since={exact}999Z"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["data"].as_array().unwrap().len(),
        1,
        "nanoseconds beyond the stored microseconds are dropped"
    );
}
