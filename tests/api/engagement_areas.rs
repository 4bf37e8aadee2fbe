//! Engagement areas (`/v1/engagement-areas`): the built-in dataset's areas in the source's order
//! with their activities, and their corrected translations.

use crate::helpers::{get_ok, ids, spawn_seeded_app};

#[tokio::test]
async fn engagement_areas_come_in_the_sources_order_with_their_activities() {
    let app = spawn_seeded_app().await;
    let areas = get_ok(&app, "/v1/engagement-areas").await;
    assert_eq!(
        ids(&areas),
        [
            "integrate-migration-into-policies",
            "address-drivers-and-structural-challenges",
            "maximize-migrants-skills-and-diversity",
            "empower-local-administrators-and-actors",
            "foster-local-national-coordination"
        ]
    );
    let activity_counts: Vec<usize> = areas["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activities"].as_array().unwrap().len())
        .collect();
    assert_eq!(activity_counts, [5, 5, 8, 2, 3]);
    let fr = get_ok(
        &app,
        "/v1/engagement-areas/empower-local-administrators-and-actors?lang=fr",
    )
    .await;
    let description = fr["description"].as_str().unwrap();
    assert!(
        description.contains("Mécanisme des maires"),
        "{description}"
    );
    assert!(
        !description.contains("groupes de travail régionaux"),
        "translation slips are corrected"
    );
}
