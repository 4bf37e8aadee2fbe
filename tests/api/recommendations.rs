//! Recommendations (`/v1/recommendations`): the events they target, the `target_event` filter
//! and the `target_events` include, on the built-in dataset.

use serde_json::json;

use crate::helpers::{get_ok, ids, spawn_seeded_app};

#[tokio::test]
async fn recommendations_target_events_and_are_found_by_them() {
    let app = spawn_seeded_app().await;
    let targeting = get_ok(&app, "/v1/recommendations?target_event=imrf-2026").await;
    assert_eq!(ids(&targeting), ["city-access-to-global-deliberations"]);
    let rec = get_ok(
        &app,
        "/v1/recommendations/city-access-to-global-deliberations?include=target_events&lang=es",
    )
    .await;
    assert_eq!(
        rec["target_events"],
        json!(["global-refugee-forum-2023", "imrf-2026"])
    );
    assert_eq!(
        rec["included"]["target_events"][1]["title"],
        "Foro de Examen de la Migración Internacional 2026"
    );
}
