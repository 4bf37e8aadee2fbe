//! Programmes (`/v1/programmes`): the reference contract for a collection (create, read with
//! caching headers, ids, 409s and 422s, delete and tombstones, includes), and the built-in
//! dataset's programme with its fund, local governments and filters.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    assert_problem, error_fields, get_ok, header, ids, programme, spawn_app, spawn_seeded_app,
};

fn full_programme() -> Value {
    json!({
        "id": "decent-work-santiago",
        "iati_identifier": "XM-DAC-47066-LRG-1",
        "title": {"en": "Decent work in Santiago", "fr": "Travail décent à Santiago", "es": "Trabajo decente en Santiago"},
        "summary": {"en": "Access to decent work for migrants."},
        "description": "Strengthens local capacities.",
        "status": "implementation",
        "planned_start": "2024-01-01",
        "planned_end": "2025-12-31",
        "actual_start": null,
        "recipient_countries": ["CL", "MX"],
        "locations": [{"name": {"en": "Mexico City", "es": "Ciudad de México"}, "country": "MX", "latitude": 19.43, "longitude": -99.13}],
        "participating_organisations": [{"organisation": "santiago", "role": "implementing"}, {"organisation": "santiago", "role": "funding"}],
        "budget": {"amount": 1500000.5, "currency": "USD"},
        "links": [{"title": "Programme page", "url": "https://example.org/programme"}],
        "sources": [{"title": "IOM page", "url": null, "document": "000_0f8010256cdea50d.txt", "date": "2024-01-25"}]
    })
}

#[tokio::test]
async fn create_returns_201_with_location_etag_and_every_member() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;

    let response = app.post_json("/v1/programmes", &full_programme()).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header(&response, "location").as_deref(),
        Some("/v1/programmes/decent-work-santiago")
    );
    let etag = header(&response, "etag").expect("an ETag");
    assert!(etag.starts_with("\"v1-en-"), "{etag}");
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], "decent-work-santiago");
    assert_eq!(body["iati_identifier"], "XM-DAC-47066-LRG-1");
    assert_eq!(body["title"], "Decent work in Santiago");
    assert_eq!(body["summary"], "Access to decent work for migrants.");
    assert_eq!(body["description"], "Strengthens local capacities.");
    assert_eq!(body["status"], "implementation");
    assert_eq!(body["planned_start"], "2024-01-01");
    assert_eq!(body["planned_end"], "2025-12-31");
    assert_eq!(body["actual_start"], Value::Null);
    assert_eq!(body["recipient_countries"], json!(["CL", "MX"]));
    assert_eq!(
        body["locations"][0],
        json!({"name": "Mexico City", "country": "MX", "latitude": 19.43, "longitude": -99.13})
    );
    assert_eq!(
        body["participating_organisations"][1],
        json!({"organisation": "santiago", "role": "funding"})
    );
    assert_eq!(
        body["budget"],
        json!({"amount": 1500000.5, "currency": "USD"})
    );
    assert_eq!(body["links"][0]["url"], "https://example.org/programme");
    assert_eq!(body["sources"][0]["date"], "2024-01-25");
    assert_eq!(body["version"], 1);
    assert_eq!(body["created_at"], body["updated_at"]);
    let created = body["created_at"].as_str().unwrap();
    assert!(
        created.ends_with('Z') && created.len() == 27,
        "microsecond RFC 3339 in UTC: {created}"
    );
    assert!(body.get("included").is_none(), "embedding is opt-in");

    let fetched: Value = app
        .get("/v1/programmes/decent-work-santiago")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, body);
}

#[tokio::test]
async fn get_returns_the_record_with_caching_headers_and_304_on_a_matching_etag() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "First")).await;

    let response = app.get("/v1/programmes/p1").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    assert!(
        header(&response, "vary").is_some_and(|v| v.split(", ").any(|h| h == "Accept-Language")),
        "Vary names Accept-Language"
    );
    assert_eq!(header(&response, "content-language").as_deref(), Some("en"));
    let etag = header(&response, "etag").unwrap();

    let again = app
        .request(reqwest::Method::GET, "/v1/programmes/p1")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert!(again.text().await.unwrap().is_empty());

    let other = app
        .request(reqwest::Method::GET, "/v1/programmes/p1")
        .header("If-None-Match", "\"v0-en-x\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn get_of_an_unknown_id_is_a_404_problem() {
    let app = spawn_app().await;
    let problem = assert_problem(
        app.get("/v1/programmes/nothing-here").await,
        404,
        "not-found",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("nothing-here"));
}

#[tokio::test]
async fn create_without_id_derives_it_from_the_english_title_with_a_suffix_when_taken() {
    let app = spawn_app().await;
    let first = app
        .create_programme(
            json!({"title": {"en": "Décent Work: Santiago & Mexico!", "fr": "Autre"}}),
        )
        .await;
    let second = app
        .create_programme(json!({"title": "Décent work, Santiago & Mexico"}))
        .await;
    assert_eq!(first["id"], "decent-work-santiago-mexico");
    assert_eq!(second["id"], "decent-work-santiago-mexico-2");
}

#[tokio::test]
async fn create_with_a_taken_or_deleted_id_is_a_409() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "First")).await;
    assert_problem(
        app.post_json("/v1/programmes", &programme("p1", "Again"))
            .await,
        409,
        "conflict",
    )
    .await;

    assert_eq!(
        app.delete("/v1/programmes/p1").await.status(),
        StatusCode::NO_CONTENT
    );
    let problem = assert_problem(
        app.post_json("/v1/programmes", &programme("p1", "Reborn"))
            .await,
        409,
        "conflict",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("never reused"));
}

#[tokio::test]
async fn create_lists_every_broken_member_in_one_422_and_writes_nothing() {
    let app = spawn_app().await;
    let body = json!({
        "id": "Not A Slug",
        "title": "",
        "status": "finished",
        "planned_start": "2024-02-30",
        "actual_start": "2024-05-01",
        "actual_end": "2024-04-01",
        "recipient_countries": ["CL", "ZZ", "CL", 7],
        "locations": [{"name": "Santiago", "country": "cl", "latitude": 100}],
        "participating_organisations": [{"organisation": "x", "role": "owner"}],
        "budget": {"amount": -1, "currency": "DOLLARS"},
        "links": [{"title": "Page", "url": "ftp://example.org"}],
        "sources": [{"title": ""}],
        "created_at": "2024-01-01T00:00:00Z",
        "colour": "blue"
    });
    let problem = assert_problem(
        app.post_json("/v1/programmes", &body).await,
        422,
        "validation-failed",
    )
    .await;
    let fields = error_fields(&problem);
    for expected in [
        "/id",
        "/title",
        "/status",
        "/planned_start",
        "/actual_end",
        "/recipient_countries/1",
        "/recipient_countries/2",
        "/recipient_countries/3",
        "/locations/0/country",
        "/locations/0/latitude",
        "/locations/0",
        "/participating_organisations/0/role",
        "/budget/amount",
        "/budget/currency",
        "/links/0/url",
        "/sources/0/title",
        "/created_at",
        "/colour",
    ] {
        assert!(
            fields.contains(&expected.to_owned()),
            "{expected} missing from {fields:?}"
        );
    }
    for error in problem["errors"].as_array().unwrap() {
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{error}"
        );
    }
    let list: Value = app
        .get("/v1/programmes?count=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["meta"]["total"], 0);
}

#[tokio::test]
async fn create_naming_an_unknown_organisation_is_a_422_naming_it() {
    let app = spawn_app().await;
    app.create_organisation("known").await;
    let body = json!({"title": "T", "participating_organisations": [
        {"organisation": "known", "role": "funding"},
        {"organisation": "unknown-city", "role": "implementing"}
    ]});
    let problem = assert_problem(
        app.post_json("/v1/programmes", &body).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["/participating_organisations/1/organisation"]
    );
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown-city")
    );
}

#[tokio::test]
async fn delete_answers_204_then_the_record_is_gone_with_410() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "First")).await;

    let response = app.delete("/v1/programmes/p1").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());

    assert_problem(app.get("/v1/programmes/p1").await, 410, "gone").await;
    assert_problem(app.delete("/v1/programmes/p1").await, 410, "gone").await;
    assert_problem(
        app.patch_json("/v1/programmes/p1", &json!({"title": "x"}))
            .await,
        410,
        "gone",
    )
    .await;
    assert_problem(app.delete("/v1/programmes/never").await, 404, "not-found").await;
    let list: Value = app.get("/v1/programmes").await.json().await.unwrap();
    assert_eq!(list["data"], json!([]));
}

#[tokio::test]
async fn include_organisations_embeds_them_next_to_the_ids() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;
    app.create_organisation("mexico-city").await;
    app.create_organisation("unrelated").await;
    app.create_programme(json!({"id": "p1", "title": "P", "participating_organisations": [
        {"organisation": "santiago", "role": "implementing"}, {"organisation": "mexico-city", "role": "implementing"}
    ]}))
    .await;

    let one: Value = app
        .get("/v1/programmes/p1?include=organisations&lang=fr")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        one["participating_organisations"][0]["organisation"],
        "santiago"
    );
    let embedded: Vec<&str> = one["included"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        embedded,
        vec!["santiago", "mexico-city"],
        "in the order of the ids"
    );
    assert_eq!(
        one["included"]["organisations"][0]["name"],
        "Organisation santiago (fr)"
    );

    let list: Value = app
        .get("/v1/programmes?include=organisations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["data"][0]["included"]["organisations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    assert_problem(
        app.get("/v1/programmes/p1?include=funds").await,
        400,
        "invalid-query",
    )
    .await;
    assert_problem(
        app.get("/v1/programmes?include=organisations,funds").await,
        400,
        "invalid-query",
    )
    .await;
}

#[tokio::test]
async fn the_programme_is_linked_to_its_fund_and_local_governments() {
    let app = spawn_seeded_app().await;
    let p = get_ok(
        &app,
        "/v1/programmes/santiago-mexico-city-partnership?include=organisations,fund&lang=es",
    )
    .await;
    assert_eq!(p["recipient_countries"], json!(["CL", "MX"]));
    assert_eq!(p["fund"], "mmptf");
    assert_eq!(p["status"], Value::Null, "the source gives no status");
    assert_eq!(p["budget"], Value::Null);
    assert_eq!(p["planned_start"], Value::Null);
    assert_eq!(
        p["engagement_areas"],
        json!([]),
        "the source links it to no engagement area"
    );
    assert_eq!(p["locations"][1]["name"], "Ciudad de México");
    let orgs: Vec<&str> = p["included"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        orgs,
        ["santiago-local-government", "mexico-city-local-government"]
    );
    assert_eq!(p["included"]["fund"][0]["acronym"], "MMPTF");
    let fr = get_ok(&app, "/v1/programmes?q=travail%20decent&lang=fr").await;
    assert_eq!(ids(&fr), ["santiago-mexico-city-partnership"]);
    let by_fund = get_ok(&app, "/v1/programmes?fund=mmptf&country=MX").await;
    assert_eq!(ids(&by_fund), ["santiago-mexico-city-partnership"]);
}
