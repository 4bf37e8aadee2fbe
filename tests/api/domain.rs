//! Writes and rules on the domain collections, and how the dataset behaves across restarts.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, header, spawn_app, spawn_seeded_app};

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
async fn a_deleted_contacts_tombstone_keeps_no_personal_data() {
    let app = spawn_seeded_app().await;
    assert_eq!(
        app.delete("/v1/contacts/external-relations-policy-officer")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.get("/v1/contacts/external-relations-policy-officer")
            .await,
        410,
        "gone",
    )
    .await;
    let problem = assert_problem(
        app.post_json("/v1/contacts", &json!({"id": "external-relations-policy-officer", "given_name": "S", "family_name": "G", "job_title": "Officer", "email": "s@example.org"})).await,
        409,
        "conflict",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("never reused"));

    // The stored tombstone itself holds neither the name nor the email.
    let url = &app.database_url;
    let stored = stored_document(url, "contacts", "external-relations-policy-officer");
    assert!(
        !stored.contains("Sashini") && !stored.contains("sngomez@iom.int"),
        "{stored}"
    );
    assert!(
        stored.contains("Migration Policy Officer"),
        "the rest of the record stays: {stored}"
    );
}

/// The `data` column of a document, read straight from the database.
fn stored_document(url: &str, collection: &str, id: &str) -> String {
    use diesel::prelude::*;
    use iom_lrg_api::db::schema::documents;
    let pool = crate::helpers::open_pool(url);
    let mut conn = pool.get().unwrap();
    documents::table
        .filter(documents::collection.eq(collection))
        .filter(documents::id.eq(id))
        .select(documents::data)
        .first::<String>(&mut *conn)
        .unwrap()
}

#[tokio::test]
async fn contacts_need_a_valid_email_and_their_names() {
    let app = spawn_seeded_app().await;
    let problem = assert_problem(
        app.post_json("/v1/contacts", &json!({"given_name": "", "job_title": "Officer", "email": "not-an-email", "honorific": "sir"})).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["/honorific", "/given_name", "/family_name", "/email"]
    );
    let created = app
        .post_json("/v1/contacts", &json!({"given_name": "Ana", "family_name": "Pérez", "job_title": {"en": "Officer", "es": "Oficial"}, "email": "ana@example.org", "organisation": "iom"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        header(&created, "location").as_deref(),
        Some("/v1/contacts/officer"),
        "ids come from the job title, not the name"
    );
}

#[tokio::test]
async fn the_institution_is_a_singleton_read_and_patched_in_place() {
    let app = spawn_seeded_app().await;
    let etag = header(&app.get("/v1/institution?lang=es").await, "etag").unwrap();
    let response = app
        .request(Method::PATCH, "/v1/institution?lang=all")
        .header("Content-Type", "application/merge-patch+json")
        .header("Content-Language", "es")
        .header("If-Match", etag.as_str())
        .body(r#"{"mission": "Misión actualizada"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["mission"]["es"], "Misión actualizada");
    assert!(
        body["mission"]["fr"]
            .as_str()
            .unwrap()
            .starts_with("Elle s'emploie")
            || body["mission"]["fr"].is_string()
    );
    assert_eq!(body["version"], 2);
    let stale = app
        .request(Method::PATCH, "/v1/institution")
        .header("Content-Type", "application/json")
        .header("If-Match", etag.as_str())
        .body(r#"{"focus": null}"#)
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let problem = assert_problem(app.patch_json("/v1/institution", &json!({"key_figures": [{"id": "x", "label": "X", "value": "many", "qualifier": "lots", "unit": "Bad Unit", "source": "s"}]})).await, 422, "validation-failed").await;
    let fields = error_fields(&problem);
    for f in [
        "/key_figures/0/value",
        "/key_figures/0/qualifier",
        "/key_figures/0/unit",
    ] {
        assert!(fields.contains(&f.to_owned()), "{fields:?}");
    }
    let response = app
        .request(Method::POST, "/v1/institution")
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "allow").as_deref(), Some("GET, PATCH"));
    assert_problem(response, 405, "method-not-allowed").await;
    let empty = spawn_app().await;
    assert_problem(empty.get("/v1/institution").await, 404, "not-found").await;
}

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
async fn restarting_never_reloads_over_what_users_changed_and_seed_adds_only_what_is_missing() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let first = iom_lrg_api::dataset::seed_if_new(&mut conn)
        .unwrap()
        .unwrap();
    assert_eq!(first.created, 36);
    assert_eq!(
        iom_lrg_api::dataset::seed_if_new(&mut conn).unwrap(),
        None,
        "a used database is not seeded again"
    );
    let again = iom_lrg_api::dataset::seed(&mut conn).unwrap();
    assert_eq!((again.created, again.kept), (0, 36));
}

#[tokio::test]
async fn an_invalid_dataset_writes_nothing_and_says_where() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let mut dataset: Value = serde_json::from_str(iom_lrg_api::dataset::DATASET).unwrap();
    dataset["contacts"][1]["email"] = json!("broken");
    dataset["programmes"][0]["fund"] = json!("no-such-fund");
    let error = iom_lrg_api::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/contacts/1/email"), "{error}");
    dataset["contacts"][1]["email"] = json!("ymanzano@iom.int");
    let error = iom_lrg_api::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/programmes/0/fund"), "{error}");
    assert_eq!(
        iom_lrg_api::models::change::last_seq(&mut conn).unwrap(),
        0,
        "nothing was written"
    );
}
