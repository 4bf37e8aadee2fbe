use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_problem, header, spawn_app};

#[tokio::test]
async fn health_endpoints_answer_ok() {
    let app = spawn_app().await;
    for path in ["/health/live", "/health/ready"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    }
}

#[tokio::test]
async fn the_index_links_to_the_docs_the_spec_and_the_collections() {
    let app = spawn_app().await;
    let body: Value = app.get("/").await.json().await.unwrap();
    assert_eq!(body["links"]["docs"], "/docs/");
    assert_eq!(body["links"]["openapi"], "/openapi.json");
    for link in [
        "/docs/",
        "/openapi.json",
        "/v1/programmes",
        "/v1/organisations",
        "/problems",
    ] {
        assert_eq!(app.get(link).await.status(), StatusCode::OK, "{link}");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header(&redirect, "location").as_deref(), Some("/docs/"));
    let page = app.get("/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), StatusCode::OK);
    assert!(
        bundle.bytes().await.unwrap().len() > 100_000,
        "the Swagger UI bundle is vendored"
    );
    let config: Value = app
        .get("/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .map(Value::String)
        .unwrap();
    assert!(config.as_str().unwrap().contains("/openapi.json"));
}

#[tokio::test]
async fn every_problem_type_is_documented_at_its_uri() {
    let app = spawn_app().await;
    let types: Value = app.get("/problems").await.json().await.unwrap();
    let types = types.as_array().unwrap();
    assert!(types.len() >= 15);
    for t in types {
        let uri = t["type"].as_str().unwrap();
        let one: Value = app.get(uri).await.json().await.unwrap();
        assert_eq!(&one, t);
    }
    assert_problem(app.get("/problems/no-such-kind").await, 404, "not-found").await;
}
