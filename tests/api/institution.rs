//! The institution singleton (`/v1/institution`): read and patched in place, never created or
//! deleted, and the built-in dataset's key figures in three languages.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, get_ok, header, spawn_app, spawn_seeded_app};

#[tokio::test]
async fn the_institution_is_a_singleton_read_and_patched_in_place() {
    let app = spawn_seeded_app().await;
    let etag = header(&app.get("/v1/institution?lang=es").await, "etag").unwrap();
    let response = app
        .request(Method::PATCH, "/v1/institution?lang=all")
        .header("Content-Type", "application/merge-patch+json")
        .header("Content-Language", "es")
        .header("If-Match", etag.as_str())
        .body(r#"{"mission": "Misión actualizada"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["mission"]["es"], "Misión actualizada");
    assert!(
        body["mission"]["fr"]
            .as_str()
            .unwrap()
            .starts_with("Elle s'emploie")
            || body["mission"]["fr"].is_string()
    );
    assert_eq!(body["version"], 2);
    let stale = app
        .request(Method::PATCH, "/v1/institution")
        .header("Content-Type", "application/json")
        .header("If-Match", etag.as_str())
        .body(r#"{"focus": null}"#)
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let problem = assert_problem(app.patch_json("/v1/institution", &json!({"key_figures": [{"id": "x", "label": "X", "value": "many", "qualifier": "lots", "unit": "Bad Unit", "source": "s"}]})).await, 422, "validation-failed").await;
    let fields = error_fields(&problem);
    for f in [
        "/key_figures/0/value",
        "/key_figures/0/qualifier",
        "/key_figures/0/unit",
    ] {
        assert!(fields.contains(&f.to_owned()), "{fields:?}");
    }
    let response = app
        .request(Method::POST, "/v1/institution")
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "allow").as_deref(),
        Some("GET, HEAD, PATCH")
    );
    assert_problem(response, 405, "method-not-allowed").await;
    let empty = spawn_app().await;
    assert_problem(empty.get("/v1/institution").await, 404, "not-found").await;
}

#[tokio::test]
async fn the_institution_carries_its_key_figures_as_data() {
    let app = spawn_seeded_app().await;
    let iom = get_ok(&app, "/v1/institution").await;
    assert_eq!(iom["id"], "iom");
    assert_eq!(iom["acronym"], "IOM");
    assert_eq!(
        iom["headquarters"],
        json!({"city": "Geneva", "country": "CH"})
    );
    let figures: Vec<(String, f64, String)> = iom["key_figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["value"].as_f64().unwrap(),
                f["qualifier"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("member-states".to_owned(), 174.0, "exact".to_owned()),
            ("offices".to_owned(), 400.0, "more_than".to_owned()),
            (
                "international-migrants".to_owned(),
                281_000_000.0,
                "about".to_owned()
            ),
            (
                "mmptf-joint-programmes-with-lrg-agreements".to_owned(),
                50.0,
                "exact".to_owned()
            ),
            (
                "marrakech-city-leaders".to_owned(),
                76.0,
                "more_than".to_owned()
            ),
        ]
    );
    assert_eq!(iom["key_figures"][2]["as_of"], "2024-01-25");
    assert_eq!(iom["key_figures"][3]["year"], 2021);
    let fr = get_ok(&app, "/v1/institution?lang=fr").await;
    assert_eq!(fr["acronym"], "OIM");
    assert_eq!(fr["headquarters"]["city"], "Genève");
    assert_eq!(fr["key_figures"][0]["label"], "États membres");
    let es = get_ok(&app, "/v1/institution?lang=es").await;
    assert_eq!(es["headquarters"]["city"], "Ginebra");
}
