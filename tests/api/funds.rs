//! Funds (`/v1/funds`): the built-in dataset's fund with its chair, steering committee, figures
//! and includes, in three languages.

use serde_json::json;

use crate::helpers::{get_ok, spawn_seeded_app};

#[tokio::test]
async fn the_fund_has_its_chair_steering_committee_and_figure() {
    let app = spawn_seeded_app().await;
    let fund = get_ok(
        &app,
        "/v1/funds/mmptf?include=programmes,steering_committee_members",
    )
    .await;
    assert_eq!(fund["launch_year"], 2019);
    assert_eq!(fund["chair_organisation"], "iom");
    assert_eq!(
        fund["steering_committee_members"],
        json!(["mayors-migration-council"])
    );
    assert_eq!(fund["framework"], "gcm");
    assert_eq!(fund["figures"][0]["value"], 50.0);
    assert_eq!(fund["figures"][0]["unit"], "percent");
    assert_eq!(fund["figures"][0]["year"], 2021);
    assert_eq!(
        fund["included"]["programmes"][0]["id"],
        "santiago-mexico-city-partnership"
    );
    assert_eq!(
        fund["included"]["steering_committee_members"][0]["id"],
        "mayors-migration-council"
    );
    let governance = get_ok(&app, "/v1/funds/mmptf?lang=fr").await["governance"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        governance.contains("Conseil des maires pour la migration"),
        "{governance}"
    );
    assert!(
        !governance.contains("Commission européenne"),
        "the slip about the European Commission is corrected"
    );
}
