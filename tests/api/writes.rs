use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, header, programme, spawn_app};

#[tokio::test]
async fn a_plain_string_patch_replaces_only_the_content_language() {
    let app = spawn_app().await;
    app.create_programme(
        json!({"id": "p1", "title": {"en": "Decent work", "fr": "Travail", "es": "Trabajo"}}),
    )
    .await;

    let response = app
        .request(Method::PATCH, "/v1/programmes/p1?lang=all")
        .header("Content-Type", "application/merge-patch+json")
        .header("Content-Language", "fr")
        .body(r#"{"title": "Travail décent"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "etag").unwrap().starts_with("\"v2-all-"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["title"],
        json!({"en": "Decent work", "fr": "Travail décent", "es": "Trabajo"})
    );
    assert_eq!(body["version"], 2);
    assert_ne!(body["updated_at"], body["created_at"]);
}

#[tokio::test]
async fn a_null_language_removes_it_but_english_cannot_be_removed() {
    let app = spawn_app().await;
    app.create_programme(
        json!({"id": "p1", "title": {"en": "Decent work", "es": "Trabajo"}, "summary": "S"}),
    )
    .await;

    let removed = app
        .patch_json(
            "/v1/programmes/p1?lang=all",
            &json!({"title": {"es": null}}),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    let body: Value = removed.json().await.unwrap();
    assert_eq!(
        body["title"],
        json!({"en": "Decent work", "fr": null, "es": null})
    );

    let problem = assert_problem(
        app.patch_json("/v1/programmes/p1", &json!({"title": {"en": null}}))
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["/title/en"]);
    let problem = assert_problem(
        app.patch_json("/v1/programmes/p1", &json!({"title": null}))
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["/title"]);

    let cleared = app
        .patch_json("/v1/programmes/p1", &json!({"summary": null}))
        .await;
    assert_eq!(
        cleared.json::<Value>().await.unwrap()["summary"],
        Value::Null
    );
}

#[tokio::test]
async fn a_create_in_french_only_is_a_422_as_english_is_required() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/v1/programmes")
        .header("Content-Type", "application/json")
        .header("Content-Language", "fr")
        .body(r#"{"title": "Travail décent"}"#)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422, "validation-failed").await;
    assert_eq!(error_fields(&problem), vec!["/title"]);

    let bad_language = app
        .request(Method::POST, "/v1/programmes")
        .header("Content-Type", "application/json")
        .header("Content-Language", "de")
        .body(r#"{"title": "Arbeit"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(bad_language, 400, "invalid-header").await;
}

#[tokio::test]
async fn patch_merges_lists_and_members_and_a_noop_keeps_the_version() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;
    app.create_programme(
        json!({"id": "p1", "title": "T", "recipient_countries": ["CL"], "status": "pipeline"}),
    )
    .await;

    let body: Value = app
        .patch_json(
            "/v1/programmes/p1",
            &json!({"recipient_countries": ["MX", "CL"], "participating_organisations": [{"organisation": "santiago", "role": "funding"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["recipient_countries"], json!(["MX", "CL"]));
    assert_eq!(body["status"], "pipeline");
    assert_eq!(
        body["participating_organisations"][0]["organisation"],
        "santiago"
    );
    assert_eq!(body["version"], 2);

    let same: Value = app
        .patch_json("/v1/programmes/p1", &json!({"status": "pipeline"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        same["version"], 2,
        "a patch that changes nothing is not a change"
    );

    let filtered: Value = app
        .get("/v1/programmes?country=MX&organisation=santiago")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn patch_cannot_change_the_id_or_send_read_only_members() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    let problem = assert_problem(
        app.patch_json("/v1/programmes/p1", &json!({"id": "p2"}))
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["/id"]);
    let problem = assert_problem(
        app.patch_json("/v1/programmes/p1", &json!({"version": 9}))
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["/version"]);
    let same_id = app
        .patch_json(
            "/v1/programmes/p1",
            &json!({"id": "p1", "status": "closed"}),
        )
        .await;
    assert_eq!(same_id.status(), StatusCode::OK);
    assert_problem(
        app.patch_json("/v1/programmes/nope", &json!({"status": "closed"}))
            .await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn if_match_accepts_the_current_etag_in_any_language_and_refuses_a_stale_one() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    let french_etag = header(&app.get("/v1/programmes/p1?lang=fr").await, "etag").unwrap();

    let ok = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Content-Type", "application/json")
        .header("If-Match", &french_etag)
        .body(r#"{"status": "closed"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    let stale = app
        .request(Method::PATCH, "/v1/programmes/p1")
        .header("Content-Type", "application/json")
        .header("If-Match", &french_etag)
        .body(r#"{"status": "suspended"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let weak = app
        .request(Method::DELETE, "/v1/programmes/p1")
        .header(
            "If-Match",
            format!(
                "W/{}",
                header(&app.get("/v1/programmes/p1").await, "etag").unwrap()
            ),
        )
        .send()
        .await
        .unwrap();
    assert_problem(weak, 412, "precondition-failed").await;
    let current: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(
        current["status"], "closed",
        "a refused write changes nothing"
    );

    let star = app
        .request(Method::DELETE, "/v1/programmes/p1")
        .header("If-Match", "*")
        .send()
        .await
        .unwrap();
    assert_eq!(star.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn concurrent_patches_with_the_same_if_match_let_exactly_one_win() {
    let app = spawn_app().await;
    app.create_programme(json!({"id": "p1", "title": "T", "iati_identifier": "start"}))
        .await;
    let etag = header(&app.get("/v1/programmes/p1").await, "etag").unwrap();

    let mut tasks = Vec::new();
    for n in 0..12 {
        let request = app
            .request(Method::PATCH, "/v1/programmes/p1")
            .header("Content-Type", "application/json")
            .header("If-Match", etag.clone())
            .body(json!({"iati_identifier": format!("writer-{n}")}).to_string());
        tasks.push(tokio::spawn(async move {
            request.send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let winners = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!((winners, refused), (1, 11), "{statuses:?}");
    let current: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(current["version"], 2);
}

#[tokio::test]
async fn concurrent_patches_without_if_match_all_apply_and_none_is_lost() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    let mut tasks = Vec::new();
    for n in 0..10 {
        let request = app
            .request(Method::PATCH, "/v1/programmes/p1")
            .header("Content-Type", "application/json")
            .body(json!({"links": [{"title": format!("L{n}"), "url": format!("https://example.org/{n}")}]}).to_string());
        tasks.push(tokio::spawn(async move {
            request.send().await.unwrap().status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let current: Value = app.get("/v1/programmes/p1").await.json().await.unwrap();
    assert_eq!(
        current["version"], 11,
        "each of the ten writes is one version"
    );
}
