//! Frameworks (`/v1/frameworks`): the built-in dataset's frameworks, what they commit to (and
//! the `commits_to` include) and their guiding principles, in three languages.

use serde_json::json;

use crate::helpers::{get_ok, spawn_seeded_app};

#[tokio::test]
async fn frameworks_carry_their_year_commitments_and_guiding_principles() {
    let app = spawn_seeded_app().await;
    let mmd = get_ok(
        &app,
        "/v1/frameworks/marrakech-mayors-declaration?include=commits_to",
    )
    .await;
    assert_eq!(mmd["year"], 2018);
    assert_eq!(
        mmd["commits_to"],
        json!(["gcm", "global-compact-on-refugees"])
    );
    assert_eq!(mmd["included"]["commits_to"].as_array().unwrap().len(), 2);
    let gcm = get_ok(&app, "/v1/frameworks/gcm?lang=fr").await;
    assert_eq!(gcm["acronym"], "PMM");
    assert_eq!(gcm["guiding_principles_total"], 10);
    assert_eq!(gcm["guiding_principles"].as_array().unwrap().len(), 3);
}
