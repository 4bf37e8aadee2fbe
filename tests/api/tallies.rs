//! Maintained counts (issue 12): `count=true` and facets of programmes are read from tallies
//! that every write keeps. After creates, edits of each key, a title-only edit, deletes and a
//! restart, every answer equals what counting the listed programmes gives.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, get_ok, spawn_app, spawn_seeded_app};

const FACETS: [(&str, &str); 5] = [
    ("status", "status"),
    ("country", "recipient_countries"),
    ("organisation", "participating_organisations"),
    ("fund", "fund"),
    ("engagement_area", "engagement_areas"),
];

/// The values a programme has for a facet, as the API shows them.
fn values(programme: &Value, member: &str) -> Vec<String> {
    let mut out: Vec<String> = match &programme[member] {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .or_else(|| i["organisation"].as_str().map(str::to_owned))
            })
            .collect(),
        _ => vec![],
    };
    out.sort();
    out.dedup();
    out
}

/// Every live programme (walked page by page).
async fn all_programmes(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = "/v1/programmes?limit=100".to_owned();
    loop {
        let page = get_ok(app, &path).await;
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["meta"]["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/programmes?limit=100&cursor={cursor}"),
            None => return out,
        }
    }
}

/// The filters whose values, paired with a status, the tallies keep facets for.
const PAIRED: [&str; 3] = ["country", "fund", "engagement_area"];

/// The member of a programme a filter reads.
fn member(filter: &str) -> &'static str {
    FACETS.iter().find(|(f, _)| *f == filter).unwrap().1
}

/// Asserts that the total and every facet are the counts of the programmes themselves:
/// unfiltered, under each single-value filter, and under each status paired with one value of
/// a country, fund or engagement area.
async fn assert_counts_agree(app: &TestApp) {
    let programmes = all_programmes(app).await;
    let mut scopes: Vec<Vec<(String, String)>> = vec![vec![]];
    let mut add = |scope: Vec<(String, String)>| {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    };
    for (filter, member) in FACETS {
        for p in &programmes {
            for v in values(p, member) {
                add(vec![(filter.to_owned(), v.clone())]);
                if PAIRED.contains(&filter) {
                    for status in values(p, "status") {
                        add(vec![
                            ("status".to_owned(), status),
                            (filter.to_owned(), v.clone()),
                        ]);
                    }
                }
            }
        }
    }
    // A value no programme has counts nothing, alone or paired.
    add(vec![("country".to_owned(), "ZW".to_owned())]);
    add(vec![
        ("status".to_owned(), "closed".to_owned()),
        ("country".to_owned(), "ZW".to_owned()),
    ]);
    assert!(
        scopes.iter().any(|s| s.len() == 2),
        "the programmes give pairs to check"
    );
    for scope in scopes {
        let matching: Vec<&Value> = programmes
            .iter()
            .filter(|p| {
                scope
                    .iter()
                    .all(|(filter, value)| values(p, member(filter)).contains(value))
            })
            .collect();
        let query: String = scope.iter().map(|(f, v)| format!("&{f}={v}")).collect();
        let facets = FACETS.map(|(f, _)| f).join(",");
        let page = get_ok(
            app,
            &format!("/v1/programmes?limit=1&count=true&facets={facets}{query}"),
        )
        .await;
        assert_eq!(
            page["meta"]["total"],
            json!(matching.len()),
            "total, filter {query}"
        );
        for (facet, member) in FACETS {
            let mut expected: BTreeMap<String, u64> = BTreeMap::new();
            for p in &matching {
                for v in values(p, member) {
                    *expected.entry(v).or_insert(0) += 1;
                }
            }
            let got: BTreeMap<String, u64> = page["facets"][facet]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["value"].as_str().unwrap().to_owned(),
                        v["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(got, expected, "facet {facet}, filter {query}");
        }
    }
}

#[tokio::test]
async fn counts_and_facets_follow_every_kind_of_write() {
    let app = spawn_app().await;
    for org in ["santiago", "mexico", "lima"] {
        app.create_organisation(org).await;
    }
    assert_counts_agree(&app).await;
    for (id, status, countries, orgs) in [
        ("p1", "closed", vec!["CL"], vec!["santiago"]),
        (
            "p2",
            "implementation",
            vec!["MX"],
            vec!["mexico", "santiago"],
        ),
        ("p3", "closed", vec!["MX", "CL"], vec!["mexico"]),
        ("p4", "pipeline", vec!["PE"], vec!["lima", "lima"]),
        ("p5", "implementation", vec![], vec![]),
    ] {
        let participating: Vec<Value> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({"organisation": o, "role": if i == 0 { "implementing" } else { "funding" }})
            })
            .collect();
        app.create_programme(json!({"id": id, "title": id, "status": status,
            "recipient_countries": countries, "participating_organisations": participating}))
            .await;
    }
    assert_counts_agree(&app).await;

    // Each key changes, then a title alone (no key moves), then a delete.
    for (id, patch) in [
        ("p1", json!({"status": "implementation"})),
        ("p2", json!({"recipient_countries": ["MX", "PE"]})),
        (
            "p3",
            json!({"participating_organisations": [{"organisation": "lima", "role": "implementing"}]}),
        ),
        ("p5", json!({"status": null, "recipient_countries": ["CL"]})),
        ("p4", json!({"title": {"en": "Renamed"}})),
    ] {
        let response = app
            .patch_json(&format!("/v1/programmes/{id}"), &patch)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "PATCH {id} {patch}");
        assert_counts_agree(&app).await;
    }
    let response = app.delete("/v1/programmes/p3").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_counts_agree(&app).await;

    // A refused write moves nothing.
    let response = app
        .patch_json("/v1/programmes/p1", &json!({"status": "finished"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_counts_agree(&app).await;

    let totals = get_ok(&app, "/v1/programmes?count=true&status=implementation").await;
    assert_eq!(totals["meta"]["total"], 2, "p1 and p2");
}

/// How many live programmes the tallies hold for a status paired with a key (read behind the
/// API: the answer must come from them, not from counting the matches).
fn tallied_pair(app: &TestApp, scope_dim: &str, scope_value: &str) -> Option<i64> {
    use diesel::prelude::*;
    use iom_lrg_api::db::schema::programme_tallies as t;
    let pool = crate::helpers::open_pool(&app.database_url);
    let mut conn = pool.get().unwrap();
    t::table
        .filter(t::scope_dim.eq(scope_dim))
        .filter(t::scope_value.eq(scope_value))
        .filter(t::dim.eq(""))
        .select(t::n)
        .first::<i64>(&mut *conn)
        .optional()
        .unwrap()
}

#[tokio::test]
async fn facets_under_a_status_and_a_country_fund_or_area_follow_writes() {
    let app = spawn_seeded_app().await;
    for (id, status, countries, fund, areas) in [
        (
            "q1",
            "closed",
            vec!["CL"],
            Some("mmptf"),
            vec!["integrate-migration-into-policies"],
        ),
        (
            "q2",
            "closed",
            vec!["CL", "MX"],
            Some("mmptf"),
            vec![
                "integrate-migration-into-policies",
                "foster-local-national-coordination",
            ],
        ),
        (
            "q3",
            "pipeline",
            vec!["MX"],
            None,
            vec!["foster-local-national-coordination"],
        ),
    ] {
        app.create_programme(json!({"id": id, "title": id, "status": status,
            "recipient_countries": countries, "fund": fund, "engagement_areas": areas,
            "participating_organisations": [
                {"organisation": "santiago-local-government", "role": "implementing"}]}))
            .await;
    }
    assert_counts_agree(&app).await;
    assert_eq!(tallied_pair(&app, "status+fund", "closed+mmptf"), Some(2));
    assert_eq!(tallied_pair(&app, "status+country", "closed+CL"), Some(2));
    assert_eq!(
        tallied_pair(
            &app,
            "status+engagement_areas",
            "pipeline+foster-local-national-coordination"
        ),
        Some(1)
    );

    // A status, a country, a fund and an area each move; then a delete.
    for (id, patch) in [
        ("q1", json!({"status": "implementation"})),
        ("q2", json!({"recipient_countries": ["PE"]})),
        ("q2", json!({"fund": null})),
        (
            "q3",
            json!({"engagement_areas": ["integrate-migration-into-policies"]}),
        ),
        ("q3", json!({"status": null})),
    ] {
        let response = app
            .patch_json(&format!("/v1/programmes/{id}"), &patch)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "PATCH {id} {patch}");
        assert_counts_agree(&app).await;
    }
    assert_eq!(tallied_pair(&app, "status+fund", "closed+mmptf"), Some(0));
    assert_eq!(tallied_pair(&app, "status+country", "closed+PE"), Some(1));
    assert_eq!(app.delete("/v1/programmes/q2").await.status(), 204);
    assert_counts_agree(&app).await;
    assert_eq!(tallied_pair(&app, "status+country", "closed+PE"), Some(0));
    let page = get_ok(
        &app,
        "/v1/programmes?status=implementation&fund=mmptf&count=true&facets=country",
    )
    .await;
    assert_eq!(page["meta"]["total"], 1, "q1 alone");
    assert_eq!(
        page["facets"]["country"],
        json!([{"value": "CL", "count": 1}])
    );
}

#[tokio::test]
async fn a_database_without_tallies_is_tallied_when_opened() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;
    for (id, status) in [("p1", "closed"), ("p2", "closed"), ("p3", "pipeline")] {
        app.create_programme(json!({"id": id, "title": id, "status": status,
            "recipient_countries": ["CL"],
            "participating_organisations": [{"organisation": "santiago", "role": "implementing"}]}))
            .await;
    }
    // As a database that predates the tallies: emptied behind the API, then opened again.
    {
        use diesel::connection::SimpleConnection;
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        conn.batch_execute("DELETE FROM programme_tallies").unwrap();
        drop(conn);
        let _reopened = crate::helpers::open_pool(&app.database_url);
    }
    let page = get_ok(&app, "/v1/programmes?count=true&facets=status&country=CL").await;
    assert_eq!(page["meta"]["total"], 3);
    assert_eq!(
        page["facets"]["status"],
        json!([{"value": "closed", "count": 2}, {"value": "pipeline", "count": 1}])
    );
    assert_counts_agree(&app).await;
}

#[tokio::test]
async fn an_import_counts_live_programmes_and_not_its_tombstones() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;
    for (id, status) in [("p1", "closed"), ("p2", "pipeline"), ("gone", "closed")] {
        app.create_programme(json!({"id": id, "title": id, "status": status,
            "recipient_countries": ["CL"],
            "participating_organisations": [{"organisation": "santiago", "role": "implementing"}]}))
            .await;
    }
    assert_eq!(app.delete("/v1/programmes/gone").await.status(), 204);
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("export.ndjson");
    crate::transfer::export(&app.database_url, &file);

    // Imported records are created, then given their meta: the tombstone is deleted again.
    let (second, _keep) = crate::helpers::fresh_database();
    let (ok, _, stderr) = crate::transfer::cli(&second, &["import", file.to_str().unwrap()]);
    assert!(ok, "import: {stderr}");
    let imported = crate::helpers::spawn_with(false, move |s| s.database_url = second).await;
    let page = get_ok(
        &imported,
        "/v1/programmes?count=true&facets=status&country=CL",
    )
    .await;
    assert_eq!(page["meta"]["total"], 2, "the tombstone is not counted");
    assert_eq!(
        page["facets"]["status"],
        json!([{"value": "closed", "count": 1}, {"value": "pipeline", "count": 1}])
    );
    assert_counts_agree(&imported).await;
}
