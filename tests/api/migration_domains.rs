//! Migration domains (`/v1/migration-domains`): the built-in dataset's domains, in the source's
//! order, in three languages.

use serde_json::json;

use crate::helpers::{field, get_ok, spawn_seeded_app};

#[tokio::test]
async fn migration_domains_come_in_the_sources_order_in_each_language() {
    let app = spawn_seeded_app().await;
    let en = get_ok(&app, "/v1/migration-domains").await;
    assert_eq!(
        field(&en, "position"),
        [&json!(1), &json!(2), &json!(3), &json!(4)]
    );
    assert_eq!(
        field(&en, "title"),
        [
            &json!("Migration and development"),
            &json!("Facilitating migration"),
            &json!("Regulating migration"),
            &json!("Forced migration")
        ]
    );
    let fr = get_ok(&app, "/v1/migration-domains?lang=fr").await;
    assert_eq!(
        field(&fr, "title"),
        [
            &json!("Migration et développement"),
            &json!("Faciliter la migration"),
            &json!("Régulation de la migration"),
            &json!("Migration forcée")
        ]
    );
    let es = get_ok(&app, "/v1/migration-domains?lang=es").await;
    assert_eq!(es["data"][3]["title"], "Migración forzada");
}
