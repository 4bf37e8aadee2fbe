//! References between collections: a write naming an unknown or deleted record is a 422 naming
//! the member, a record others point to cannot be deleted (the 409 names them), and a link is
//! found from both of its ends.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, spawn_app, spawn_seeded_app};

#[tokio::test]
async fn a_record_others_point_to_cannot_be_deleted_and_the_409_names_them() {
    let app = spawn_seeded_app().await;
    let problem = assert_problem(app.delete("/v1/organisations/uclg").await, 409, "conflict").await;
    assert_eq!(problem["conflicts"], json!(["forums/mayors-mechanism"]));
    let problem = assert_problem(app.delete("/v1/events/imrf-2026").await, 409, "conflict").await;
    assert_eq!(
        problem["conflicts"],
        json!(["recommendations/city-access-to-global-deliberations"])
    );
    let problem = assert_problem(app.delete("/v1/funds/mmptf").await, 409, "conflict").await;
    assert_eq!(
        problem["conflicts"],
        json!(["programmes/santiago-mexico-city-partnership"])
    );
    let problem = assert_problem(app.delete("/v1/organisations/iom").await, 409, "conflict").await;
    let conflicts = problem["conflicts"].as_array().unwrap();
    assert!(
        conflicts.contains(&json!("contacts/external-relations-policy-officer"))
            && conflicts.contains(&json!("funds/mmptf")),
        "{conflicts:?}"
    );

    // Once the pointing record is gone, the delete goes through.
    assert_eq!(
        app.delete("/v1/recommendations/city-access-to-global-deliberations")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete("/v1/events/imrf-2026").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.get("/v1/events/imrf-2026").await, 410, "gone").await;
}

#[tokio::test]
async fn writes_naming_unknown_or_deleted_records_are_422s_naming_the_member() {
    let app = spawn_seeded_app().await;
    let problem = assert_problem(
        app.post_json(
            "/v1/forums",
            &json!({"name": "City Forum", "kind": "forum", "framework": "no-such-framework", "feeds_into": ["gfmd", "nowhere"],
                    "organisations": [{"organisation": "uclg", "role": "host"}, {"organisation": "ghost", "role": "member"}]}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        [
            "/feeds_into/1",
            "/framework",
            "/organisations/1/organisation"
        ]
    );
    let problem = assert_problem(
        app.post_json(
            "/v1/recommendations",
            &json!({"event": "gone-event", "position": 3, "text": "T"}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["/event"]);
    assert_problem(
        app.patch_json(
            "/v1/programmes/santiago-mexico-city-partnership",
            &json!({"engagement_areas": ["nope"]}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
}

#[tokio::test]
async fn a_programme_can_be_linked_to_engagement_areas_and_found_from_them() {
    let app = spawn_seeded_app().await;
    let patched = app
        .patch_json(
            "/v1/programmes/santiago-mexico-city-partnership",
            &json!({"engagement_areas": ["maximize-migrants-skills-and-diversity"]}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let area: Value = app
        .get("/v1/engagement-areas/maximize-migrants-skills-and-diversity?include=programmes")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        area["included"]["programmes"][0]["id"],
        "santiago-mexico-city-partnership"
    );
    let filtered: Value = app
        .get("/v1/programmes?engagement_area=maximize-migrants-skills-and-diversity")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);
    let problem = assert_problem(
        app.delete("/v1/engagement-areas/maximize-migrants-skills-and-diversity")
            .await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(
        problem["conflicts"],
        json!(["programmes/santiago-mexico-city-partnership"])
    );
}

#[tokio::test]
async fn an_organisation_named_by_a_programme_cannot_be_deleted_until_it_is_not() {
    let app = spawn_app().await;
    app.create_organisation("uclg").await;
    app.create_programme(json!({"id": "p1", "title": "T", "participating_organisations": [{"organisation": "uclg", "role": "funding"}]})).await;

    let problem = assert_problem(app.delete("/v1/organisations/uclg").await, 409, "conflict").await;
    assert_eq!(problem["conflicts"], json!(["programmes/p1"]));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("programmes/p1")
    );

    assert_eq!(
        app.delete("/v1/programmes/p1").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete("/v1/organisations/uclg").await.status(),
        StatusCode::NO_CONTENT
    );
    let problem = assert_problem(
        app.post_json("/v1/programmes", &json!({"title": "T", "participating_organisations": [{"organisation": "uclg", "role": "funding"}]})).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["/participating_organisations/0/organisation"]
    );
}
