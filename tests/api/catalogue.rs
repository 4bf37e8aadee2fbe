//! The catalogue of collections (`records::catalogue`) is the one list: every collection in it
//! is routed, documented under its tag, exported, searchable and linked from the root index.
//! A collection added to the catalogue and missing from any of these fails here.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_seeded_app;
use iom_lrg_api::records::catalogue::CATALOGUE;

#[tokio::test]
async fn every_collection_of_the_catalogue_is_routed_documented_exported_and_searched() {
    let app = spawn_seeded_app().await;
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    let export = app.get("/v1/export").await.text().await.unwrap();
    let header: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    let index: Value = app.get("/").await.json().await.unwrap();
    assert_eq!(CATALOGUE.len(), 11, "the catalogue lists every collection");
    for entry in CATALOGUE {
        let name = entry.name;
        let path = format!("/v1/{name}");
        // Routed, and answering.
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        // Documented, under its tag.
        assert!(tags.contains(&entry.tag), "the tag {} of {name}", entry.tag);
        let item = &doc["paths"][&path];
        assert_eq!(item["get"]["tags"][0], entry.tag, "{path} is documented");
        if entry.singleton {
            assert!(item["patch"].is_object(), "{path} takes PATCH");
            assert!(item["post"].is_null(), "{path} takes no POST");
        } else {
            assert!(item["post"].is_object(), "{path} takes POST");
            let record = &doc["paths"][format!("{path}/{{id}}")];
            for method in ["get", "patch", "delete"] {
                assert!(record[method].is_object(), "{path}/{{id}} takes {method}");
            }
            assert_eq!(
                index["links"]["collections"][name], path,
                "the root index links {name}"
            );
        }
        // Exported, and counted in the export's header.
        assert!(
            header["counts"][name].as_i64().is_some_and(|n| n > 0),
            "{name} in the export header: {header}"
        );
        assert!(
            export.contains(&format!("\"collection\":\"{name}\"")),
            "{name} has export lines"
        );
        // Searchable.
        let search = app
            .get(&format!("/v1/search?q=migration&collection={name}"))
            .await;
        assert_eq!(search.status(), StatusCode::OK, "search in {name}");
    }
    assert_eq!(
        index["links"]["institution"], "/v1/institution",
        "the singleton is linked from the root index"
    );
}

#[test]
fn the_catalogue_names_each_collection_once_with_its_own_dataset_key_and_tag() {
    let mut names: Vec<&str> = CATALOGUE.iter().map(|e| e.name).collect();
    let mut keys: Vec<&str> = CATALOGUE.iter().map(|e| e.dataset_key).collect();
    let mut tags: Vec<&str> = CATALOGUE.iter().map(|e| e.tag).collect();
    for list in [&mut names, &mut keys, &mut tags] {
        let before = list.len();
        list.sort_unstable();
        list.dedup();
        assert_eq!(list.len(), before, "no repeats in {list:?}");
    }
    let dataset: Value = serde_json::from_str(iom_lrg_api::records::dataset::DATASET).unwrap();
    for entry in CATALOGUE {
        assert!(
            dataset.get(entry.dataset_key).is_some(),
            "the built-in dataset has {}",
            entry.dataset_key
        );
    }
}

#[tokio::test]
async fn every_record_served_has_the_members_its_documented_schema_lists() {
    let app = spawn_seeded_app().await;
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    for entry in CATALOGUE {
        let schema_name = iom_lrg_api::api::schema_name(entry.name).unwrap();
        let schema = &doc["components"]["schemas"][format!("{schema_name}Out")];
        let mut documented: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{schema_name}Out is documented"))
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "included")
            .collect();
        documented.sort_unstable();
        for lang in ["en", "fr", "all"] {
            let records: Vec<Value> = if entry.singleton {
                vec![
                    app.get(&format!("/v1/{}?lang={lang}", entry.name))
                        .await
                        .json()
                        .await
                        .unwrap(),
                ]
            } else {
                let page: Value = app
                    .get(&format!("/v1/{}?lang={lang}&limit=100", entry.name))
                    .await
                    .json()
                    .await
                    .unwrap();
                page["data"].as_array().unwrap().clone()
            };
            assert!(!records.is_empty(), "{} has records", entry.name);
            for record in records {
                let mut served: Vec<&str> = record
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                served.sort_unstable();
                assert_eq!(
                    served, documented,
                    "{}/{} in {lang}: the members served are the ones {schema_name}Out documents",
                    entry.name, record["id"]
                );
            }
        }
    }
}
