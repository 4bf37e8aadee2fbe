//! Events (`/v1/events`): partial dates (year, month, day) and their validation, the date, forum
//! and `upcoming` filters, their includes, and the built-in dataset's events.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, get_ok, ids, spawn_seeded_app};

#[tokio::test]
async fn events_validate_their_partial_dates() {
    let app = spawn_seeded_app().await;
    let problem = assert_problem(
        app.post_json(
            "/v1/events",
            &json!({"title": "E", "year": 2025, "day": 3, "forum": "gfmd"}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["/day"]);
    let problem = assert_problem(
        app.post_json(
            "/v1/events",
            &json!({"title": "E", "year": 2025, "month": 2, "day": 30}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["/day"]);
    let problem = assert_problem(
        app.post_json(
            "/v1/events",
            &json!({"title": "E", "year": 1800, "month": 13}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["/year", "/month"]);
    let ok = app
        .post_json(
            "/v1/events",
            &json!({"title": "GFMD Summit", "year": 2025, "month": 10, "forum": "gfmd"}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let in_october: Value = app
        .get("/v1/events?from=2025-10-31&to=2025-10-31")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(in_october["data"][0]["id"], "gfmd-summit");
    for query in [
        "upcoming=maybe",
        "from=2025-13-01",
        "from=2025-01-01&from=2025-02-01",
        "year=25",
    ] {
        assert_problem(
            app.get(&format!("/v1/events?{query}")).await,
            400,
            "invalid-query",
        )
        .await;
    }
}

#[tokio::test]
async fn events_are_dated_only_as_precisely_as_the_source_and_filter_by_date_and_forum() {
    let app = spawn_seeded_app().await;
    let events = get_ok(&app, "/v1/events").await;
    assert_eq!(
        ids(&events),
        [
            "multi-stakeholder-hearings-2022-05",
            "global-refugee-forum-2023",
            "imrf-2026"
        ]
    );
    let dates: Vec<(Value, Value, Value)> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["year"].clone(), e["month"].clone(), e["day"].clone()))
        .collect();
    assert_eq!(
        dates,
        [
            (json!(2022), json!(5), Value::Null),
            (json!(2023), Value::Null, Value::Null),
            (json!(2026), Value::Null, Value::Null)
        ]
    );
    assert_eq!(
        ids(&get_ok(&app, "/v1/events?from=2023-06-01").await),
        ["global-refugee-forum-2023", "imrf-2026"]
    );
    assert_eq!(
        ids(&get_ok(&app, "/v1/events?to=2022-05-15").await),
        ["multi-stakeholder-hearings-2022-05"]
    );
    assert_eq!(
        ids(&get_ok(&app, "/v1/events?forum=imrf&sort=-date").await),
        ["imrf-2026", "multi-stakeholder-hearings-2022-05"]
    );
    // Today (2026 or later on this machine's clock) the 2026 forum may still be to come; 2022 is past.
    let upcoming = get_ok(&app, "/v1/events?upcoming=true").await;
    assert!(!ids(&upcoming).contains(&"multi-stakeholder-hearings-2022-05"));

    let hearings = get_ok(
        &app,
        "/v1/events/multi-stakeholder-hearings-2022-05?include=recommendations,forum&lang=fr",
    )
    .await;
    assert_eq!(
        hearings["title"],
        "Auditions multipartites informelles (mai 2022)"
    );
    assert_eq!(
        hearings["included"]["recommendations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(hearings["included"]["forum"][0]["id"], "imrf");
}
