//! Organisations (`/v1/organisations`): the same contract as programmes, their filters and sort,
//! and the built-in dataset's organisations with their forums and relations to each other.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    assert_problem, error_fields, get_ok, header, ids, spawn_app, spawn_seeded_app,
};

#[tokio::test]
async fn organisations_follow_the_same_contract_as_programmes() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/v1/organisations",
            &json!({"name": {"en": "United Nations Development Programme", "fr": "Programme des Nations Unies pour le développement"},
                    "acronym": {"en": "UNDP", "fr": "PNUD", "es": "PNUD"}, "kind": "un_agency", "website": "https://www.undp.org"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header(&response, "location").as_deref(),
        Some("/v1/organisations/united-nations-development-programme")
    );
    let etag = header(&response, "etag").unwrap();

    let french: Value = app
        .get("/v1/organisations/united-nations-development-programme?lang=fr")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(french["acronym"], "PNUD");
    assert_eq!(
        french["name"],
        "Programme des Nations Unies pour le développement"
    );
    assert_eq!(french["missing_languages"], json!([]));
    let spanish: Value = app
        .get("/v1/organisations/united-nations-development-programme?lang=es")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(spanish["name"], "United Nations Development Programme");
    assert_eq!(spanish["missing_languages"], json!(["es"]));

    let patched = app
        .request(
            reqwest::Method::PATCH,
            "/v1/organisations/united-nations-development-programme",
        )
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", &etag)
        .body(r#"{"country": "US"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    assert_eq!(patched.json::<Value>().await.unwrap()["version"], 2);

    let problem = assert_problem(
        app.post_json(
            "/v1/organisations",
            &json!({"name": "X", "kind": "club", "country": "Chile", "website": "not a url"}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["/kind", "/country", "/website"]
    );
}

#[tokio::test]
async fn organisations_filter_by_kind_and_country_and_sort_by_name() {
    let app = spawn_app().await;
    for (id, name, kind, country) in [
        ("santiago", "Santiago", "local_government", Some("CL")),
        (
            "uclg",
            "United Cities and Local Governments",
            "city_network",
            None,
        ),
        ("mexico-city", "Mexico City", "local_government", Some("MX")),
    ] {
        let response = app
            .post_json(
                "/v1/organisations",
                &json!({"id": id, "name": name, "kind": kind, "country": country}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let ids = |body: Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(app
            .get("/v1/organisations?kind=local_government")
            .await
            .json()
            .await
            .unwrap()),
        vec!["mexico-city", "santiago"]
    );
    assert_eq!(
        ids(app
            .get("/v1/organisations?country=CL,MX&sort=-name")
            .await
            .json()
            .await
            .unwrap()),
        vec!["santiago", "mexico-city"]
    );
    assert_eq!(
        ids(app
            .get("/v1/organisations?sort=name&limit=2")
            .await
            .json()
            .await
            .unwrap()),
        vec!["mexico-city", "santiago"]
    );
    assert_eq!(
        ids(app
            .get("/v1/organisations?q=cities")
            .await
            .json()
            .await
            .unwrap()),
        // Stemmed: "cities" also finds Mexico City.
        vec!["mexico-city", "uclg"]
    );
    assert_problem(
        app.get("/v1/organisations?kind=club").await,
        400,
        "invalid-query",
    )
    .await;
    assert_problem(
        app.get("/v1/organisations?include=budgets").await,
        400,
        "invalid-query",
    )
    .await;
}

#[tokio::test]
async fn the_datasets_organisations_link_to_their_forums_and_to_each_other_both_ways() {
    let app = spawn_seeded_app().await;
    let uclg = get_ok(&app, "/v1/organisations/uclg?include=forums&lang=fr").await;
    assert_eq!(uclg["acronym"], "CGLU");
    let forums: Vec<&str> = uclg["included"]["forums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(forums, ["mayors-mechanism"]);

    let iom = get_ok(&app, "/v1/organisations/iom?include=related").await;
    assert_eq!(
        iom["relations"],
        json!([{"organisation": "un-network-on-migration", "relation": "coordinates"}, {"organisation": "un-network-on-migration", "relation": "hosts_secretariat_of"}])
    );
    let network = get_ok(
        &app,
        "/v1/organisations/un-network-on-migration?include=related_from",
    )
    .await;
    assert_eq!(network["included"]["related_from"][0]["id"], "iom");
    let locals = get_ok(&app, "/v1/organisations?kind=local_government&lang=es").await;
    assert_eq!(
        ids(&locals),
        ["mexico-city-local-government", "santiago-local-government"]
    );
    let unhcr = get_ok(&app, "/v1/organisations/unhcr?lang=es").await;
    assert_eq!(unhcr["acronym"], "ACNUR");
}
