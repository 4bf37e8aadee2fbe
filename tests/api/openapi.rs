use serde_json::Value;

use crate::helpers::{header, spawn_app};

const REGENERATE: &str = "cargo run -- openapi > openapi/openapi.json";

#[tokio::test]
async fn the_committed_openapi_document_is_the_one_the_code_generates_and_serves() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_else(|_| panic!("openapi/openapi.json is missing; run `{REGENERATE}`"));
    let generated = iom_lrg_api::openapi::document_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale; review the change and run `{REGENERATE}`"
    );

    let app = spawn_app().await;
    let served: Value = app.get("/openapi.json").await.json().await.unwrap();
    let committed: Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(served, committed);
}

#[tokio::test]
async fn the_served_document_has_a_strong_etag_and_revalidates_with_a_304() {
    let app = spawn_app().await;
    let first = app.get("/openapi.json").await;
    assert_eq!(first.status(), reqwest::StatusCode::OK);
    assert_eq!(
        header(&first, "content-type").as_deref(),
        Some("application/json")
    );
    let etag = header(&first, "etag").expect("an ETag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong: {etag}"
    );
    let body = first.bytes().await.unwrap();
    // The same bytes on every request and on another worker: the document is stored once.
    for _ in 0..4 {
        let again = app.get("/openapi.json").await;
        assert_eq!(header(&again, "etag").as_ref(), Some(&etag));
        assert_eq!(again.bytes().await.unwrap(), body);
    }
    for tag in [etag.clone(), format!("W/{etag}"), "*".to_owned()] {
        let response = app
            .request(reqwest::Method::GET, "/openapi.json")
            .header("If-None-Match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304, "If-None-Match: {tag}");
        assert_eq!(header(&response, "etag").as_ref(), Some(&etag));
        assert!(response.bytes().await.unwrap().is_empty());
    }
    let other = app
        .request(reqwest::Method::GET, "/openapi.json")
        .header("If-None-Match", "\"0000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200, "another ETag gets the document");
}

#[test]
fn every_operation_has_an_id_a_summary_a_tag_and_described_responses() {
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut operations = 0;
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_owned()), "operationId {id} is repeated");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{method} {path} response {status} has no description"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    let problem =
                        &response["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(
                        problem, "#/components/schemas/Problem",
                        "{method} {path} {status} lacks the problem schema"
                    );
                }
            }
            if path.starts_with("/v1/") {
                let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
                let has = |code: &str| statuses.iter().any(|s| *s == code);
                assert!(
                    has("400") && has("429") && has("503"),
                    "{method} {path} lacks 400, 429 or 503"
                );
                if method != "get" {
                    for code in ["401", "403"] {
                        assert!(has(code), "{method} {path} lacks {code}");
                    }
                    assert!(
                        op["security"].is_array(),
                        "{method} {path} names no security scheme"
                    );
                }
                // Operations that read a body (the webhook actions that take none cannot be
                // sent one too large or invalid).
                if (method == "post" || method == "patch") && !op["requestBody"].is_null() {
                    assert!(has("413") && has("422"), "{method} {path} lacks 413 or 422");
                }
                // Records take If-Match; keys and webhook subscriptions have no versions.
                if (method == "patch" || method == "delete")
                    && !path.starts_with("/v1/keys")
                    && !path.starts_with("/v1/webhooks")
                {
                    assert!(has("412"), "{method} {path} lacks 412");
                }
            }
        }
    }
    assert!(operations >= 15, "{operations} operations");
}

#[test]
fn list_parameters_in_the_document_are_the_ones_the_lists_accept() {
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    let collections = iom_lrg_api::api::list_parameters();
    assert_eq!(collections.len(), 10);
    for (collection, accepted) in collections {
        let path = format!("/v1/{collection}");
        let mut documented: Vec<String> = doc["paths"][&path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} is not documented"))
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        documented.sort();
        assert_eq!(
            documented, accepted,
            "{path}: documented query parameters differ from the accepted ones"
        );
    }
}

#[test]
fn every_reference_in_the_document_resolves() {
    let json = iom_lrg_api::openapi::document_json();
    let doc: Value = serde_json::from_str(&json).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut rest = json.as_str();
    while let Some(at) = rest.find("\"#/components/schemas/") {
        rest = &rest[at + 22..];
        let name = &rest[..rest.find('"').unwrap()];
        assert!(
            schemas.contains_key(name),
            "#/components/schemas/{name} is referenced but not defined"
        );
    }
}

#[test]
fn every_operation_names_its_security_public_or_bearer() {
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["security"].is_array(),
                "{method} {path} has no security requirement (use [] for public)"
            );
        }
    }
}

#[test]
fn search_and_feed_parameters_in_the_document_are_the_ones_they_accept() {
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    let documented = |path: &str| {
        let mut names: Vec<String> = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let mut search: Vec<String> = iom_lrg_api::api::search::PARAMS
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    search.sort();
    assert_eq!(documented("/v1/search"), search);
    let mut feed: Vec<String> = iom_lrg_api::api::changes::PARAMS
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    feed.sort();
    assert_eq!(documented("/v1/changes"), feed);
}
