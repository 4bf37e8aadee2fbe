//! Several instances on one database (PostgreSQL under `TEST_DATABASE_URL`, else one SQLite
//! file): each one's response cache stays exact, so a write through one instance is seen by the
//! next read through another. On PostgreSQL that takes `--cache-exact` ([`exact_pair`]); by
//! default another instance's write is seen within the feed watcher's bound, and an instance's
//! own writes at once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, header, spawn_beside, spawn_beside_with, spawn_with};

const PATH: &str = "/v1/programmes/santiago-mexico-city-partnership";

/// Two instances on one database, both with `--cache-exact`.
async fn exact_pair(seed: bool) -> (TestApp, TestApp) {
    let a = spawn_with(seed, |s| s.cache_exact = true).await;
    let b = spawn_beside_with(&a, |s| s.cache_exact = true).await;
    (a, b)
}

#[tokio::test]
async fn a_write_through_one_instance_is_seen_by_the_next_read_through_another() {
    let (a, b) = exact_pair(true).await;
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
    let again = b.get_if_none_match(PATH, &etag).await;
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
    let stale = b.get_if_none_match(PATH, &etag).await;
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

#[tokio::test]
async fn a_record_first_asked_with_its_etag_is_stored_by_a_full_cache_at_its_second_miss() {
    // One entry: full after the first read. A mirror that holds the ETag revalidates with
    // If-None-Match only; its key must still get into the cache, or every check recomputes.
    let app = spawn_with(true, |s| s.cache_entries = 1).await;
    let first = app.get(PATH).await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = header(&first, "etag").expect("etag");
    // Another record, twice: stored at its second miss, in place of the first.
    let other = "/v1/funds/mmptf";
    for _ in 0..2 {
        assert_eq!(app.get(other).await.status(), StatusCode::OK);
    }
    let revalidate = || async {
        let response = app.get_if_none_match(PATH, &etag).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&response, "etag").as_deref(), Some(etag.as_str()));
        assert!(header(&response, "cache-control").is_some());
        assert!(response.bytes().await.expect("body").is_empty());
    };
    let (hits0, misses0) = cache_counts(&app).await;
    revalidate().await;
    revalidate().await;
    let (hits1, misses1) = cache_counts(&app).await;
    assert_eq!(
        (hits1 - hits0, misses1 - misses0),
        (0, 2),
        "a full cache stores a new key at its second miss, not its first"
    );
    revalidate().await;
    revalidate().await;
    let (hits2, misses2) = cache_counts(&app).await;
    assert_eq!(
        (hits2 - hits1, misses2 - misses1),
        (2, 0),
        "the second conditional miss stored the record"
    );
    // The stored entry is the whole 200, for readers without the ETag.
    let whole = app.get(PATH).await;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(header(&whole, "etag").as_deref(), Some(etag.as_str()));
    let body: Value = whole.json().await.expect("json");
    assert_eq!(body["id"], "santiago-mexico-city-partnership");
    let (hits3, _) = cache_counts(&app).await;
    assert_eq!(hits3 - hits2, 1);
}

/// `response_cache_{hits,misses}_total` of an instance.
async fn cache_counts(app: &TestApp) -> (u64, u64) {
    let (hits, misses, _) = cache_counts_unqueried(app).await;
    (hits, misses)
}

/// `response_cache_{hits,misses,unqueried_hits}_total` of an instance.
async fn cache_counts_unqueried(app: &TestApp) -> (u64, u64, u64) {
    let text = app.get("/metrics").await.text().await.expect("text");
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok())
            .unwrap_or_else(|| panic!("{name} in /metrics"))
    };
    (
        value("iom_lrg_response_cache_hits_total"),
        value("iom_lrg_response_cache_misses_total"),
        value("iom_lrg_response_cache_unqueried_hits_total"),
    )
}

#[tokio::test]
async fn on_sqlite_a_hit_with_nothing_committed_since_is_served_without_a_query() {
    // With `--cache-exact`, PostgreSQL queries on every check (and SQLite is unchanged).
    let sqlite = std::env::var("TEST_DATABASE_URL").map_or(true, |url| url.is_empty());
    let (a, b) = exact_pair(false).await;
    for id in ["kept", "other"] {
        a.create_programme(json!({"id": id, "title": {"en": format!("Programme {id}")}}))
            .await;
    }
    let kept = "/v1/programmes/kept";
    let etag = etag_of(&b, kept).await;
    // Nothing is committed: every further read is a hit, and on SQLite none queries.
    let (hits, misses, unqueried) = cache_counts_unqueried(&b).await;
    for _ in 0..3 {
        let response = b.get_if_none_match(kept, &etag).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }
    let expected = |n: u64| if sqlite { unqueried + n } else { 0 };
    assert_eq!(
        cache_counts_unqueried(&b).await,
        (hits + 3, misses, expected(3))
    );

    // A commit elsewhere, through the other instance: the next hit checks the record's stamp
    // with a query (still a hit, the record did not change), the one after needs none again.
    let other_etag = etag_of(&a, "/v1/programmes/other").await;
    let response = a
        .request(reqwest::Method::PATCH, "/v1/programmes/other")
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", other_etag)
        .body(json!({"status": "closed"}).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(etag_of(&b, kept).await, etag);
    assert_eq!(
        cache_counts_unqueried(&b).await,
        (hits + 4, misses, expected(3))
    );
    assert_eq!(etag_of(&b, kept).await, etag);
    assert_eq!(
        cache_counts_unqueried(&b).await,
        (hits + 5, misses, expected(4))
    );

    // A commit to the record itself: a miss, the new version, and the old ETag is stale.
    let response = a
        .request(reqwest::Method::PATCH, kept)
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", &etag)
        .body(json!({"status": "implementation"}).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let stale = b.get_if_none_match(kept, &etag).await;
    assert_eq!(stale.status(), StatusCode::OK, "the old ETag is stale");
    let body: Value = stale.json().await.expect("json");
    assert_eq!(body["version"], 2);
    assert_eq!(
        cache_counts_unqueried(&b).await,
        (hits + 5, misses + 1, expected(4))
    );
}

async fn etag_of(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    header(&response, "etag").expect("etag")
}

#[tokio::test]
async fn a_cached_record_survives_writes_to_other_records_and_not_its_own() {
    let (a, b) = exact_pair(false).await;
    a.create_organisation("city-hall").await;
    for id in ["kept", "other"] {
        a.create_programme(json!({"id": id, "title": {"en": format!("Programme {id}")},
            "participating_organisations": [{"organisation": "city-hall", "role": "implementing"}]}))
            .await;
    }
    let kept = "/v1/programmes/kept";
    let embedded = "/v1/programmes/kept?include=organisations";
    let list = "/v1/programmes?limit=5";
    // Warm B's cache: each read twice, the second answered from the cache.
    for path in [kept, embedded, list] {
        etag_of(&b, path).await;
        let (hits, _) = cache_counts(&b).await;
        etag_of(&b, path).await;
        assert_eq!(cache_counts(&b).await.0, hits + 1, "{path} is cached");
    }
    let kept_etag = etag_of(&b, kept).await;

    // A write to another programme and one to the organisation, through A.
    patch(&a, "/v1/programmes/other", json!({"status": "closed"})).await;
    patch(
        &a,
        "/v1/organisations/city-hall",
        json!({"name": {"en": "Renamed City Hall"}}),
    )
    .await;

    // The record alone is still answered from B's cache, and still revalidates.
    let (hits, misses) = revalidated_from_cache(&b, kept, &kept_etag).await;
    // What embeds the organisation, and the list, are computed again and show the writes.
    let page: Value = b.get(embedded).await.json().await.expect("json");
    assert_eq!(
        page["included"]["organisations"][0]["name"], "Renamed City Hall",
        "{page}"
    );
    let page: Value = b.get(list).await.json().await.expect("json");
    let other = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "other")
        .expect("other in the list");
    assert_eq!(other["status"], "closed");
    assert_eq!(cache_counts(&b).await, (hits + 1, misses + 2));

    // A write to the record itself, through A: B's next read is the new version.
    patch(
        &a,
        "/v1/programmes/kept",
        json!({"status": "implementation"}),
    )
    .await;
    let response = b.get_if_none_match(kept, &kept_etag).await;
    assert_eq!(response.status(), StatusCode::OK, "the old ETag is stale");
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        (body["status"].clone(), body["version"].clone()),
        (json!("implementation"), json!(2))
    );
    // And its deletion: gone at once, not a cached 200.
    let etag = etag_of(&b, kept).await;
    let deleted = a
        .request(reqwest::Method::DELETE, kept)
        .header("If-Match", etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(b.get(kept).await.status(), StatusCode::GONE);
}

#[tokio::test]
async fn a_cached_list_survives_writes_to_other_collections_and_not_its_own() {
    let (a, b) = exact_pair(false).await;
    let plain = spawn_beside_with(&a, |settings| settings.cache_entries = 0).await;
    a.create_organisation("city-hall").await;
    a.create_programme(json!({"id": "kept", "title": {"en": "Kept"},
        "participating_organisations": [{"organisation": "city-hall", "role": "implementing"}]}))
        .await;
    // Last-Modified is left out during the second of the last change.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let organisations = "/v1/organisations?limit=5";
    let embedding = "/v1/organisations?limit=5&include=programmes";
    let searched = "/v1/organisations?limit=5&q=city";
    let programmes = "/v1/programmes?limit=5";
    for path in [organisations, embedding, searched, programmes] {
        etag_of(&b, path).await;
        let (hits, _) = cache_counts(&b).await;
        etag_of(&b, path).await;
        assert_eq!(cache_counts(&b).await.0, hits + 1, "{path} is cached");
    }
    let listed = b.get(organisations).await;
    let (etag, modified) = (
        header(&listed, "etag").expect("an ETag"),
        header(&listed, "last-modified").expect("a Last-Modified"),
    );

    // A write to a programme, through A.
    patch(
        &a,
        "/v1/programmes/kept",
        json!({"title": {"en": "Renamed"}}),
    )
    .await;

    // The organisations' page is still answered from B's cache, and still revalidates; an
    // instance without a cache answers it with the same ETag and date (the organisations'
    // last change, not the programme's).
    let (hits, misses) = revalidated_from_cache(&b, organisations, &etag).await;
    let uncached = plain.get(organisations).await;
    assert_eq!(header(&uncached, "etag").as_deref(), Some(etag.as_str()));
    assert_eq!(
        header(&uncached, "last-modified").as_deref(),
        Some(modified.as_str()),
        "an organisations' page is as old as the organisations' last change"
    );
    // What embeds programmes, what searches, and the programmes' page are computed again.
    let page: Value = b.get(embedding).await.json().await.expect("json");
    assert_eq!(
        page["data"][0]["included"]["programmes"][0]["title"], "Renamed",
        "{page}"
    );
    assert_eq!(b.get(searched).await.status(), StatusCode::OK);
    let page: Value = b.get(programmes).await.json().await.expect("json");
    assert_eq!(page["data"][0]["title"], "Renamed", "{page}");
    assert_eq!(cache_counts(&b).await, (hits + 1, misses + 3));

    // A write to an organisation, through A: B's next read of their page shows it.
    patch(
        &a,
        "/v1/organisations/city-hall",
        json!({"name": {"en": "Renamed City Hall"}}),
    )
    .await;
    let response = b.get_if_none_match(organisations, &etag).await;
    assert_eq!(response.status(), StatusCode::OK, "the old ETag is stale");
    let page: Value = response.json().await.expect("json");
    assert_eq!(page["data"][0]["name"], "Renamed City Hall", "{page}");
}

/// Revalidates `path` on `app` with `etag`: a 304 answered from the cache (one hit, no miss).
/// Gives the cache's counts from before it.
async fn revalidated_from_cache(app: &TestApp, path: &str, etag: &str) -> (u64, u64) {
    let before = cache_counts(app).await;
    let again = app.get_if_none_match(path, etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    assert_eq!(
        cache_counts(app).await,
        (before.0 + 1, before.1),
        "{path} from the cache"
    );
    before
}

/// PATCHes `path` through `app` with `body`, from its current ETag.
async fn patch(app: &TestApp, path: &str, body: Value) {
    let etag = etag_of(app, path).await;
    let response = app
        .request(reqwest::Method::PATCH, path)
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", etag)
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "PATCH {path}");
}

/// The version `app` answers for `path` now.
async fn version_of(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json::<Value>().await.expect("json")["version"].clone()
}

/// Revalidates `path` on `app` until a hit is served without a query: on PostgreSQL the feed
/// watcher vouches for its head within moments of starting, and until then hits query.
async fn until_a_hit_needs_no_query(app: &TestApp, path: &str, etag: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, _, before) = cache_counts_unqueried(app).await;
        let response = app.get_if_none_match(path, etag).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        if cache_counts_unqueried(app).await.2 > before {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "a hit with nothing committed is served without a query"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_refused_write_leaves_the_cache_view_alone() {
    // A refusal changes nothing, so the next hit still needs no query (on PostgreSQL the view
    // counts this instance's writes, and only the ones it did not refuse).
    let app = crate::helpers::spawn_app().await;
    let kept = "/v1/programmes/kept";
    app.create_programme(json!({"id": "kept", "title": {"en": "Kept"}}))
        .await;
    let etag = etag_of(&app, kept).await;
    // The view may still move on its own once (the create's notification, collected late on a
    // loaded machine), so the round is tried a few times; each counted refusal would make every
    // round's hit query.
    for _ in 0..5 {
        until_a_hit_needs_no_query(&app, kept, &etag).await;
        let stale = app
            .request(reqwest::Method::PATCH, kept)
            .header("Content-Type", "application/merge-patch+json")
            .header("If-Match", "\"0-stale\"")
            .body(json!({"status": "closed"}).to_string())
            .send()
            .await
            .expect("sent");
        assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
        let taken = app
            .post_json(
                "/v1/programmes",
                &json!({"id": "kept", "title": {"en": "Again"}}),
            )
            .await;
        assert_eq!(taken.status(), StatusCode::CONFLICT);

        let (_, _, before) = cache_counts_unqueried(&app).await;
        let hit = app.get_if_none_match(kept, &etag).await;
        assert_eq!(
            hit.status(),
            StatusCode::NOT_MODIFIED,
            "nothing was written"
        );
        if cache_counts_unqueried(&app).await.2 == before + 1 {
            return;
        }
    }
    panic!("the hit after two refused writes is served without a query");
}

#[tokio::test]
async fn by_default_hits_need_no_query_and_another_instances_write_is_seen_within_the_bound() {
    // The default on both backends: on PostgreSQL the view is the feed watcher's head and this
    // instance's writes (docs/API.md, "Response cache"); on SQLite the wal-index header.
    let a = crate::helpers::spawn_app().await;
    let b = spawn_beside(&a).await;
    let kept = "/v1/programmes/kept";
    a.create_programme(json!({"id": "kept", "title": {"en": "Kept"}}))
        .await;
    let etag = etag_of(&b, kept).await;
    until_a_hit_needs_no_query(&b, kept, &etag).await;

    // A write through A reaches B's reads within the bound (2 s), normally in milliseconds.
    patch(&a, kept, json!({"status": "closed"})).await;
    let written = Instant::now();
    while version_of(&b, kept).await != json!(2) {
        assert!(
            written.elapsed() < Duration::from_millis(2500),
            "B still serves the old version {:?} after A's write",
            written.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stale = b.get_if_none_match(kept, &etag).await;
    assert_eq!(stale.status(), StatusCode::OK, "the old ETag is stale");

    // B's own writes are seen by B's next read at once, each time, however fast it follows.
    for version in 3..8 {
        let status = if version % 2 == 0 {
            "closed"
        } else {
            "implementation"
        };
        patch(&b, kept, json!({ "status": status })).await;
        let body: Value = b.get(kept).await.json().await.expect("json");
        assert_eq!(
            (body["version"].clone(), body["status"].clone()),
            (json!(version), json!(status)),
            "B's read right after B's write"
        );
    }
}
