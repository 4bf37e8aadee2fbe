//! Forums (`/v1/forums`): the built-in dataset's forums, their organisations and the forums they
//! feed into, included both ways (`feeds_into`, `fed_by`) and filtered on.

use serde_json::json;

use crate::helpers::{get_ok, ids, spawn_seeded_app};

#[tokio::test]
async fn forums_link_to_their_organisations_and_to_the_forums_they_feed_both_ways() {
    let app = spawn_seeded_app().await;
    let mechanism = get_ok(
        &app,
        "/v1/forums/mayors-mechanism?include=organisations,feeds_into",
    )
    .await;
    assert_eq!(mechanism["kind"], "mechanism");
    assert_eq!(mechanism["feeds_into"], json!(["imrf", "gfmd"]));
    assert_eq!(
        mechanism["organisations"],
        json!([{"organisation": "uclg", "role": "co_steering"}, {"organisation": "mayors-migration-council", "role": "co_steering"}])
    );
    assert_eq!(mechanism["included"]["organisations"][0]["acronym"], "UCLG");
    let gfmd = get_ok(&app, "/v1/forums/gfmd?include=fed_by").await;
    assert_eq!(gfmd["included"]["fed_by"][0]["id"], "mayors-mechanism");
    let feeding_gfmd = get_ok(&app, "/v1/forums?feeds_into=gfmd").await;
    assert_eq!(ids(&feeding_gfmd), ["mayors-mechanism"]);
}
