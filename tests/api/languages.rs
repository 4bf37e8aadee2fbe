use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, header, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.create_programme(json!({"id": "p1", "title": {"en": "Decent work", "fr": "Travail décent", "es": "Trabajo decente"}, "summary": {"en": "Only English"}}))
        .await;
    app
}

async fn get_with(app: &TestApp, path: &str, accept_language: &str) -> reqwest::Response {
    app.request(Method::GET, path)
        .header("Accept-Language", accept_language)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn accept_language_with_q_values_picks_the_best_served_language() {
    let app = seeded().await;
    let response = get_with(&app, "/v1/programmes/p1", "de-CH, es;q=0.9, fr;q=0.8").await;
    assert_eq!(header(&response, "content-language").as_deref(), Some("es"));
    assert!(
        header(&response, "vary").is_some_and(|v| v.split(", ").any(|h| h == "Accept-Language")),
        "Vary names Accept-Language"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"], "Trabajo decente");

    let french: Value = get_with(&app, "/v1/programmes/p1", "fr-CA")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(french["title"], "Travail décent");
    let fallback = get_with(&app, "/v1/programmes/p1", "de, it;q=0.5").await;
    assert_eq!(header(&fallback, "content-language").as_deref(), Some("en"));
}

#[tokio::test]
async fn the_lang_parameter_overrides_accept_language_and_all_returns_objects() {
    let app = seeded().await;
    let response = get_with(&app, "/v1/programmes/p1?lang=fr", "es").await;
    assert_eq!(header(&response, "content-language").as_deref(), Some("fr"));
    assert_eq!(
        response.json::<Value>().await.unwrap()["title"],
        "Travail décent"
    );

    let all = app.get("/v1/programmes/p1?lang=all").await;
    assert_eq!(
        header(&all, "content-language").as_deref(),
        Some("en, fr, es")
    );
    let body: Value = all.json().await.unwrap();
    assert_eq!(
        body["title"],
        json!({"en": "Decent work", "fr": "Travail décent", "es": "Trabajo decente"})
    );
    assert_eq!(
        body["summary"],
        json!({"en": "Only English", "fr": null, "es": null})
    );
    assert_eq!(body["missing_languages"], json!(["fr", "es"]));

    assert_problem(
        app.get("/v1/programmes/p1?lang=de").await,
        400,
        "invalid-query",
    )
    .await;
    assert_problem(
        app.get("/v1/programmes?lang=EN").await,
        400,
        "invalid-query",
    )
    .await;
}

#[tokio::test]
async fn a_missing_language_falls_back_to_english_and_is_listed() {
    let app = seeded().await;
    let body: Value = app
        .get("/v1/programmes/p1?lang=es")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["title"], "Trabajo decente");
    assert_eq!(body["summary"], "Only English");
    assert_eq!(body["missing_languages"], json!(["es"]));
    let english: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(english["missing_languages"], json!([]));
}

#[tokio::test]
async fn each_language_has_its_own_etag() {
    let app = seeded().await;
    let en = header(&app.get("/v1/programmes/p1?lang=en").await, "etag").unwrap();
    let fr = header(&app.get("/v1/programmes/p1?lang=fr").await, "etag").unwrap();
    let all = header(&app.get("/v1/programmes/p1?lang=all").await, "etag").unwrap();
    assert!(
        en.starts_with("\"v1-en-") && fr.starts_with("\"v1-fr-") && all.starts_with("\"v1-all-")
    );
    let cross = app
        .request(Method::GET, "/v1/programmes/p1?lang=fr")
        .header("If-None-Match", &en)
        .send()
        .await
        .unwrap();
    assert_eq!(
        cross.status(),
        reqwest::StatusCode::OK,
        "the English ETag does not validate the French representation"
    );
}
