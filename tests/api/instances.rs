//! Several instances on one database (PostgreSQL under `TEST_DATABASE_URL`, else one SQLite
//! file): each one's response cache stays exact, so a write through one instance is seen by the
//! next read through another.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{header, spawn_beside, spawn_seeded_app};

const PATH: &str = "/v1/programmes/santiago-mexico-city-partnership";

#[tokio::test]
async fn a_write_through_one_instance_is_seen_by_the_next_read_through_another() {
    let a = spawn_seeded_app().await;
    let b = spawn_beside(&a).await;
    // Warm both caches: the record, a list, a search and a facet count.
    let reads = [
        PATH.to_owned(),
        "/v1/programmes?facets=status".to_owned(),
        "/v1/search?q=zanzibar".to_owned(),
    ];
    let mut before = Vec::new();
    for path in &reads {
        for _ in 0..2 {
            let response = b.get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            before.push(header(&response, "etag").expect("etag"));
        }
        assert_eq!(a.get(path).await.status(), StatusCode::OK);
    }
    let etag = before[0].clone();
    // A cached read revalidates: 304 with the same ETag.
    let again = b
        .request(reqwest::Method::GET, PATH)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Write through A.
    let patched = a
        .request(reqwest::Method::PATCH, PATH)
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", &etag)
        .body(
            json!({"status": "implementation", "summary": {"en": "Now in Zanzibar too."}})
                .to_string(),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(patched.status(), StatusCode::OK);

    // The next reads through B see it at once.
    let response = b.get(PATH).await;
    assert_ne!(header(&response, "etag").as_deref(), Some(etag.as_str()));
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "implementation");
    assert_eq!(body["version"], 2);
    let stale = b
        .request(reqwest::Method::GET, PATH)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        stale.status(),
        StatusCode::OK,
        "the old ETag must not revalidate"
    );
    let facets: Value = b
        .get("/v1/programmes?facets=status")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        facets["facets"]["status"],
        json!([{"value": "implementation", "count": 1}])
    );
    let hits: Value = b
        .get("/v1/search?q=zanzibar")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(hits["data"][0]["id"], "santiago-mexico-city-partnership");

    // And the other way round, for a deletion.
    let contact = "/v1/contacts/local-migration-governance-indicators-officer";
    assert_eq!(a.get(contact).await.status(), StatusCode::OK);
    assert_eq!(
        b.delete("/v1/contacts/local-migration-governance-indicators-officer")
            .await
            .status(),
        204
    );
    assert_eq!(
        a.get("/v1/contacts/local-migration-governance-indicators-officer")
            .await
            .status(),
        StatusCode::GONE
    );
}
