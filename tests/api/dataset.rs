//! The built-in dataset as a whole: seeding a new database once (and never again over what users
//! changed), an invalid dataset writing nothing, and every collection holding the source's
//! records in three languages. Each resource's own facts are tested in that resource's file.

use serde_json::{Value, json};

use crate::helpers::{get_ok, spawn_seeded_app};

#[tokio::test]
async fn every_collection_holds_the_sources_records() {
    let app = spawn_seeded_app().await;
    for (collection, count) in [
        ("migration-domains", 4),
        ("engagement-areas", 5),
        ("organisations", 9),
        ("frameworks", 3),
        ("funds", 1),
        ("forums", 4),
        ("events", 3),
        ("recommendations", 2),
        ("programmes", 1),
        ("contacts", 3),
    ] {
        let page = get_ok(&app, &format!("/v1/{collection}?count=true&limit=100")).await;
        assert_eq!(page["meta"]["total"], count, "{collection}");
        for record in page["data"].as_array().unwrap() {
            assert_eq!(
                record["missing_languages"],
                json!([]),
                "{collection}/{}: every text in en, fr, es",
                record["id"]
            );
            assert_eq!(
                record["sources"][0]["date"], "2024-01-25",
                "{collection}/{}",
                record["id"]
            );
            assert_eq!(record["version"], 1);
        }
    }
}

#[tokio::test]
async fn restarting_never_reloads_over_what_users_changed_and_seed_adds_only_what_is_missing() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let first = iom_lrg_api::records::dataset::seed_if_new(&mut conn)
        .unwrap()
        .unwrap();
    assert_eq!(first.created, 36);
    assert_eq!(
        iom_lrg_api::records::dataset::seed_if_new(&mut conn).unwrap(),
        None,
        "a used database is not seeded again"
    );
    let again = iom_lrg_api::records::dataset::seed(&mut conn).unwrap();
    assert_eq!((again.created, again.kept), (0, 36));
}

#[tokio::test]
async fn an_invalid_dataset_writes_nothing_and_says_where() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let mut dataset: Value = serde_json::from_str(iom_lrg_api::records::dataset::DATASET).unwrap();
    dataset["contacts"][1]["email"] = json!("broken");
    dataset["programmes"][0]["fund"] = json!("no-such-fund");
    let error = iom_lrg_api::records::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/contacts/1/email"), "{error}");
    dataset["contacts"][1]["email"] = json!("ymanzano@iom.int");
    let error = iom_lrg_api::records::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/programmes/0/fund"), "{error}");
    assert_eq!(
        iom_lrg_api::models::change::last_seq(&mut conn).unwrap(),
        0,
        "nothing was written"
    );
}
