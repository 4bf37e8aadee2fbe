//! Contacts (`/v1/contacts`): their validation, ids from the job title, the tombstone that keeps
//! no personal data, and the built-in dataset's focal points.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, field, get_ok, header, ids, spawn_seeded_app};

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
async fn the_three_focal_points_have_their_titles_and_emails() {
    let app = spawn_seeded_app().await;
    let contacts = get_ok(&app, "/v1/contacts").await;
    assert_eq!(
        ids(&contacts),
        [
            "external-relations-policy-officer",
            "local-migration-governance-indicators-officer",
            "integrated-city-and-local-solutions-head"
        ],
        "by family name"
    );
    let emails: Vec<&Value> = field(&contacts, "email");
    assert_eq!(
        emails,
        [
            &json!("sngomez@iom.int"),
            &json!("ymanzano@iom.int"),
            &json!("criallant@iom.int")
        ]
    );
    let riallant = get_ok(
        &app,
        "/v1/contacts/integrated-city-and-local-solutions-head?lang=fr&include=organisation",
    )
    .await;
    assert_eq!(riallant["given_name"], "Cécile");
    assert_eq!(riallant["honorific"], "ms");
    assert_eq!(riallant["unit"], "Ville intégrée et solutions locales");
    assert_eq!(riallant["included"]["organisation"][0]["acronym"], "OIM");
    let manzano = get_ok(
        &app,
        "/v1/contacts/local-migration-governance-indicators-officer?lang=es",
    )
    .await;
    assert_eq!(
        manzano["focal_point_for"],
        "Indicadores de Gobernanza de la Migración a nivel local"
    );
    assert_eq!(
        ids(&get_ok(&app, "/v1/contacts?organisation=iom").await).len(),
        3
    );
}
