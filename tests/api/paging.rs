use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, assert_problem, get_ok, header, programme, spawn_app, spawn_seeded_app,
};

async fn ids(app: &TestApp, path: &str) -> Vec<String> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body: Value = response.json().await.unwrap();
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn following_next_links_visits_every_record_once_and_the_last_page_has_no_next() {
    let app = spawn_app().await;
    for n in 0..7 {
        app.create_programme(programme(&format!("p{n}"), &format!("Programme {n}")))
            .await;
    }
    let mut seen = Vec::new();
    let mut path = "/v1/programmes?limit=3&count=true".to_owned();
    let mut pages = 0;
    loop {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let link = header(&response, "link");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["meta"]["limit"], 3);
        assert_eq!(body["meta"]["total"], if pages == 0 { 7 } else { 8 });
        assert_eq!(body["links"]["self"], path);
        seen.extend(
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match body["links"]["next"].as_str() {
            Some(next) => {
                assert_eq!(link, Some(format!("<{next}>; rel=\"next\"")));
                assert!(body["meta"]["next_cursor"].is_string());
                // A record created meanwhile does not disturb the walk (keyset paging).
                if pages == 1 {
                    app.create_programme(programme("p00", "Sorts before the cursor"))
                        .await;
                }
                path = next.to_owned();
            }
            None => {
                assert_eq!(link, None);
                assert_eq!(body["meta"]["next_cursor"], Value::Null);
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, vec!["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
}

/// Every page of `path` (which has no `limit`) walked `limit` at a time, following `next`.
async fn walk(app: &TestApp, path: &str, limit: usize) -> Vec<String> {
    let mut walked = Vec::new();
    let mut path = format!("{path}&limit={limit}");
    loop {
        let body: Value = app.get(&path).await.json().await.unwrap();
        let page = body["data"].as_array().unwrap();
        assert!(page.len() <= limit, "{path}");
        walked.extend(page.iter().map(|p| p["id"].as_str().unwrap().to_owned()));
        match body["links"]["next"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    walked
}

#[tokio::test]
async fn sorts_break_ties_in_their_direction_and_put_nulls_last_both_ways() {
    let app = spawn_app().await;
    for (id, title, start) in [
        ("a", "Zeta", Some("2024-03-01")),
        ("b", "Alpha", None),
        ("c", "Mu", Some("2023-01-01")),
        ("d", "Alpha", Some("2024-03-01")),
        ("e", "Beta", None),
        ("f", "Alpha", None),
    ] {
        app.create_programme(json!({"id": id, "title": title, "planned_start": start}))
            .await;
    }
    let expected = [
        ("title", vec!["b", "d", "f", "e", "c", "a"]),
        // Descending is ascending read backwards: the Alpha ties come f, d, b.
        ("-title", vec!["a", "c", "e", "f", "d", "b"]),
        // The dated ones first (ties on id ascending), then the undated ones, in id order.
        ("planned_start", vec!["c", "a", "d", "b", "e", "f"]),
        // The dated ones latest first (ties on id descending), the undated ones still last.
        ("-planned_start", vec!["d", "a", "c", "f", "e", "b"]),
        ("id", vec!["a", "b", "c", "d", "e", "f"]),
        ("-id", vec!["f", "e", "d", "c", "b", "a"]),
    ];
    for (sort, order) in &expected {
        assert_eq!(
            &ids(&app, &format!("/v1/programmes?sort={sort}")).await,
            order,
            "{sort}"
        );
    }
    // Created one by one, so created_at is id order: descending is its reverse.
    assert_eq!(
        ids(&app, "/v1/programmes?sort=-created_at").await,
        vec!["f", "e", "d", "c", "b", "a"]
    );

    // Paged 1, 2 and 4 at a time, each order is the same: pages that end on a tie, on the last
    // dated record, or span dated and undated records all continue where they stopped.
    for (sort, order) in &expected {
        for limit in [1, 2, 4] {
            assert_eq!(
                &walk(&app, &format!("/v1/programmes?sort={sort}"), limit).await,
                order,
                "{sort} by {limit}"
            );
        }
    }
    // Filters keep the order (the filtered part of each index range).
    assert_eq!(
        walk(&app, "/v1/programmes?sort=-planned_start&id=a,b,d,f", 1).await,
        vec!["d", "a", "f", "b"]
    );
}

#[tokio::test]
async fn every_documented_sort_of_every_collection_pages_the_same_both_ways() {
    let app = spawn_seeded_app().await;
    let doc: Value = serde_json::from_str(&iom_lrg_api::openapi::document_json()).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(sorts) = item["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "sort"))
            .map(|p| p["schema"]["enum"].as_array().unwrap().clone())
        else {
            continue;
        };
        // Lists only (the CSV, GeoJSON and calendar twins page the same list).
        if path == "/v1/search" || path.contains('.') {
            continue;
        }
        for sort in sorts.iter().filter_map(Value::as_str) {
            if sort.starts_with('-') {
                continue;
            }
            let ascending = ids(&app, &format!("{path}?sort={sort}&limit=100")).await;
            let descending = ids(&app, &format!("{path}?sort=-{sort}&limit=100")).await;
            // Descending reads ascending backwards, except that records without a value stay
            // last: some split of the ascending list, each part reversed, is the descending one.
            let reversed = (0..=ascending.len()).any(|k| {
                let mut parts: Vec<String> = ascending[..k].iter().rev().cloned().collect();
                parts.extend(ascending[k..].iter().rev().cloned());
                parts == descending
            });
            assert!(
                reversed,
                "{path}: {sort} {ascending:?} -{sort} {descending:?}"
            );
            for (order, list) in [
                (sort.to_owned(), &ascending),
                (format!("-{sort}"), &descending),
            ] {
                assert_eq!(
                    &walk(&app, &format!("{path}?sort={order}"), 2).await,
                    list,
                    "{path}?sort={order} by 2"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked} sorts checked");
}

#[tokio::test]
async fn a_forged_cursor_or_one_from_another_query_is_a_400() {
    let app = spawn_app().await;
    for n in 0..3 {
        app.create_programme(programme(&format!("p{n}"), "T")).await;
    }
    let body: Value = app
        .get("/v1/programmes?limit=1&sort=title")
        .await
        .json()
        .await
        .unwrap();
    let cursor = body["meta"]["next_cursor"].as_str().unwrap().to_owned();

    assert_eq!(
        app.get(&format!(
            "/v1/programmes?limit=1&sort=title&cursor={cursor}"
        ))
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!(
            "/v1/programmes?limit=2&sort=title&cursor={cursor}"
        ))
        .await
        .status(),
        StatusCode::OK
    );
    assert_problem(
        app.get(&format!("/v1/programmes?sort=-title&cursor={cursor}"))
            .await,
        400,
        "invalid-cursor",
    )
    .await;
    assert_problem(
        app.get(&format!(
            "/v1/programmes?sort=title&status=closed&cursor={cursor}"
        ))
        .await,
        400,
        "invalid-cursor",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/organisations?sort=name&cursor={cursor}"))
            .await,
        400,
        "invalid-cursor",
    )
    .await;
    let mut forged = cursor.clone();
    forged.replace_range(20..21, if &cursor[20..21] == "A" { "B" } else { "A" });
    assert_problem(
        app.get(&format!("/v1/programmes?sort=title&cursor={forged}"))
            .await,
        400,
        "invalid-cursor",
    )
    .await;
    assert_problem(
        app.get("/v1/programmes?cursor=not-a-cursor").await,
        400,
        "invalid-cursor",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/programmes?cursor={}", "A".repeat(5000)))
            .await,
        400,
        "invalid-cursor",
    )
    .await;
}

/// An empty search box and an empty cursor, as a form sends them, ask for nothing: the first
/// page of the whole list. (List parameters such as `include=` need at least one value.)
#[tokio::test]
async fn an_empty_q_or_cursor_asks_for_nothing() {
    let app = spawn_seeded_app().await;
    let ids = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|r| r["id"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let plain: Value = app.get("/v1/programmes").await.json().await.expect("json");
    for query in ["q=", "q=%20%21%21", "cursor=", "q=&cursor="] {
        let response = app.get(&format!("/v1/programmes?{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(ids(&body), ids(&plain), "{query}");
    }
    for query in ["include=", "id=a,,b", "organisation=", "status="] {
        let problem = assert_problem(
            app.get(&format!("/v1/programmes?{query}")).await,
            400,
            "invalid-query",
        )
        .await;
        assert!(problem["detail"].as_str().is_some(), "{query}");
    }
}

#[tokio::test]
async fn bad_paging_and_unknown_parameters_are_400s_that_name_them() {
    let app = spawn_app().await;
    for (query, needle) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=5&limit=6", "limit"),
        ("sort=budget", "budget"),
        ("sort=", "sort"),
        ("statuss=closed", "statuss"),
        ("status=finished", "finished"),
        ("country=XX", "XX"),
        ("country=cl", "cl"),
        ("organisation=Not%20Slug", "organisation"),
        ("count=yes", "count"),
        ("lang=de", "lang"),
        ("updated_since=yesterday", "updated_since"),
        ("include=everything", "everything"),
        ("facets=colour", "colour"),
    ] {
        let problem = assert_problem(
            app.get(&format!("/v1/programmes?{query}")).await,
            400,
            "invalid-query",
        )
        .await;
        assert!(
            problem["detail"].as_str().unwrap().contains(needle),
            "{query}: {problem}"
        );
    }
    assert_problem(
        app.get("/v1/programmes/p1?lang=xx").await,
        400,
        "invalid-query",
    )
    .await;
    assert_problem(
        app.get("/v1/programmes/p1?colour=red").await,
        400,
        "invalid-query",
    )
    .await;
}

#[tokio::test]
async fn filters_combine_with_and_and_their_values_with_or() {
    let app = spawn_app().await;
    app.create_organisation("santiago").await;
    app.create_organisation("mexico").await;
    for (id, status, countries, org) in [
        ("p1", "closed", vec!["CL"], "santiago"),
        ("p2", "implementation", vec!["MX"], "mexico"),
        ("p3", "closed", vec!["MX", "CL"], "mexico"),
        ("p4", "pipeline", vec!["BR"], "santiago"),
    ] {
        app.create_programme(
            json!({"id": id, "title": id, "status": status, "recipient_countries": countries,
            "participating_organisations": [{"organisation": org, "role": "implementing"}]}),
        )
        .await;
    }
    assert_eq!(
        ids(&app, "/v1/programmes?status=closed").await,
        vec!["p1", "p3"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?status=closed,pipeline").await,
        vec!["p1", "p3", "p4"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?status=closed&status=pipeline").await,
        vec!["p1", "p3", "p4"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?country=CL").await,
        vec!["p1", "p3"]
    );
    assert_eq!(
        ids(
            &app,
            "/v1/programmes?country=CL&status=closed&organisation=mexico"
        )
        .await,
        vec!["p3"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?organisation=santiago").await,
        vec!["p1", "p4"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?id=p4,p2&id=zz").await,
        vec!["p2", "p4"]
    );
    let total: Value = app
        .get("/v1/programmes?country=MX&count=true&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(total["meta"]["total"], 2);
    assert_eq!(total["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn updated_since_returns_records_changed_at_or_after_the_instant() {
    let app = spawn_app().await;
    app.create_programme(programme("old", "Old")).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let fresh = app.create_programme(programme("new", "New")).await;
    let since = fresh["created_at"].as_str().unwrap();
    assert_eq!(
        ids(&app, &format!("/v1/programmes?updated_since={since}")).await,
        vec!["new"]
    );
    let with_offset = "2000-01-01T02:00:00%2B02:00";
    assert_eq!(
        ids(&app, &format!("/v1/programmes?updated_since={with_offset}")).await,
        vec!["new", "old"]
    );
}

#[tokio::test]
async fn q_matches_words_case_and_accent_insensitively_in_the_requested_language() {
    let app = spawn_app().await;
    app.create_programme(json!({"id": "p1", "title": {"en": "Decent work", "fr": "Travail décent"}, "summary": {"en": "Social dialogue"}})).await;
    app.create_programme(
        json!({"id": "p2", "title": {"en": "Health access", "fr": "Accès à la santé"}}),
    )
    .await;
    assert_eq!(ids(&app, "/v1/programmes?q=DECENT").await, vec!["p1"]);
    assert_eq!(
        ids(&app, "/v1/programmes?q=travail%20decent&lang=fr").await,
        vec!["p1"]
    );
    assert_eq!(
        ids(&app, "/v1/programmes?q=travail").await,
        Vec::<String>::new(),
        "English texts do not say travail"
    );
    assert_eq!(
        ids(&app, "/v1/programmes?q=acces&lang=fr").await,
        vec!["p2"]
    );
    // French lacks a summary: the English fallback is searched, as it is shown.
    assert_eq!(
        ids(&app, "/v1/programmes?q=dialogue&lang=fr").await,
        vec!["p1"]
    );
}

#[tokio::test]
async fn list_pages_carry_an_etag_and_answer_304() {
    let app = spawn_app().await;
    app.create_programme(programme("p1", "T")).await;
    let response = app.get("/v1/programmes").await;
    let etag = header(&response, "etag").unwrap();
    let again = app
        .request(reqwest::Method::GET, "/v1/programmes")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    app.create_programme(programme("p2", "T")).await;
    let changed = app
        .request(reqwest::Method::GET, "/v1/programmes")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let seen: HashSet<String> = changed.json::<Value>().await.unwrap()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen.len(), 2);
}

#[tokio::test]
async fn a_cursor_stays_valid_when_the_reader_switches_language_and_include_dedupes() {
    let app = spawn_app().await;
    for n in 0..3 {
        app.create_programme(programme(&format!("p{n}"), "T")).await;
    }
    let first: Value = app
        .get("/v1/programmes?limit=1&sort=title")
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["meta"]["next_cursor"].as_str().unwrap();
    let french = app
        .get(&format!(
            "/v1/programmes?limit=1&sort=title&lang=fr&cursor={cursor}"
        ))
        .await;
    assert_eq!(french.status(), StatusCode::OK);
    let searched: Value = app
        .get("/v1/programmes?limit=1&q=t")
        .await
        .json()
        .await
        .unwrap();
    let cursor = searched["meta"]["next_cursor"].as_str().unwrap();
    assert_problem(
        app.get(&format!(
            "/v1/programmes?limit=1&q=t&lang=fr&cursor={cursor}"
        ))
        .await,
        400,
        "invalid-cursor",
    )
    .await;
}

/// Every record of a list, walked `limit` at a time: `(id, the member sorted on)`.
async fn walk_values(
    app: &TestApp,
    path: &str,
    member: &str,
    limit: usize,
) -> Vec<(String, Value)> {
    let mut walked = Vec::new();
    let mut path = format!("{path}&limit={limit}");
    loop {
        let body: Value = app.get(&path).await.json().await.unwrap();
        for record in body["data"].as_array().unwrap() {
            walked.push((
                record["id"].as_str().unwrap().to_owned(),
                record[member].clone(),
            ));
        }
        match body["links"]["next"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    walked
}

#[tokio::test]
async fn filtered_sorts_are_exact_whether_the_index_walk_fills_the_page_or_the_planner_takes_over()
{
    // 12,000 programmes: more than a walk's window (5,000 index entries), with filters whose
    // counted conditions each match 1,000 records or more (so the sort's index is walked) and
    // which fill a page within the window (a status), fill it across the window's edge (a
    // status and a fund), or match too few in it (the same, updated since the generation: a
    // few dozen records, so the planner answers); and a selective filter (two organisations),
    // which the planner answers at once.
    let app = spawn_app().await;
    {
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        iom_lrg_api::records::generate::generate(&mut conn, 12000, 11).unwrap();
    }
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    for n in (0..12000).step_by(300) {
        let path = format!("/v1/programmes/gen-{n:07}");
        let etag = header(&app.get(&path).await, "etag").unwrap();
        let response = app
            .request(reqwest::Method::PATCH, &path)
            .header("Content-Type", "application/merge-patch+json")
            .header("If-Match", etag)
            .body(json!({"summary": {"en": "Updated"}}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    // The joint counts that choose between the walk and the planner for two conditions agree
    // with counting the matches (two filters are counted, not read from the tallies).
    for (a, b, filter) in [
        (
            ("status", "pipeline"),
            ("fund", "mmptf"),
            "status=pipeline&fund=mmptf",
        ),
        (
            ("country", "KE"),
            ("fund", "mmptf"),
            "country=KE&fund=mmptf",
        ),
        (
            ("participating_organisations", "iom"),
            ("engagement_areas", "maximize-migrants-skills-and-diversity"),
            "organisation=iom&engagement_area=maximize-migrants-skills-and-diversity",
        ),
    ] {
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        let joint = iom_lrg_api::models::tally::both(&mut conn, a, b).unwrap();
        let counted = get_ok(&app, &format!("/v1/programmes?{filter}&count=true&limit=1")).await;
        assert_eq!(
            joint,
            counted["meta"]["total"].as_i64(),
            "{filter}: tallied jointly, and counted"
        );
        assert!(joint.unwrap() > 0, "{filter} matches something");
    }
    {
        let pool = crate::helpers::open_pool(&app.database_url);
        let mut conn = pool.get().unwrap();
        let all = get_ok(&app, "/v1/programmes?count=true&limit=1").await["meta"]["total"].as_i64();
        assert_eq!(
            Some(iom_lrg_api::models::tally::total(&mut conn).unwrap()),
            all
        );
    }
    // A page on one country is walked in the country's own index: a deleted programme of the
    // country is not on it.
    let first_in_kenya = get_ok(&app, "/v1/programmes?country=KE&limit=1").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deleted = app
        .delete(&format!("/v1/programmes/{first_in_kenya}"))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    // Three more of the country's programmes are updated: a rare match for a country walk.
    let page = get_ok(&app, "/v1/programmes?country=KE&limit=3&sort=-id").await;
    for id in crate::helpers::ids(&page) {
        let path = format!("/v1/programmes/{id}");
        let etag = header(&app.get(&path).await, "etag").unwrap();
        let response = app
            .request(reqwest::Method::PATCH, &path)
            .header("Content-Type", "application/merge-patch+json")
            .header("If-Match", etag)
            .body(json!({"summary": {"en": "Updated in Kenya"}}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let recent = format!(
        "status=closed&fund=mmptf&updated_since={}",
        since.replace('+', "%2B")
    );
    let recent_in_kenya = format!("country=KE&updated_since={}", since.replace('+', "%2B"));
    let sorts = [
        ("id", "id"),
        ("-id", "id"),
        ("title", "title"),
        ("-title", "title"),
        ("planned_start", "planned_start"),
        ("-planned_start", "planned_start"),
    ];
    let filters = [
        "status=closed",
        "status=closed&fund=mmptf",
        "status=pipeline&fund=mmptf",
        recent.as_str(),
        "organisation=gen-org-000003,gen-org-000004",
        "country=KE",
        "country=KE&status=closed",
        "country=KE&fund=mmptf",
        recent_in_kenya.as_str(),
        "country=KE,MX&status=closed",
    ];
    for filter in filters {
        let total = get_ok(&app, &format!("/v1/programmes?{filter}&count=true&limit=1")).await
            ["meta"]["total"]
            .as_u64()
            .unwrap() as usize;
        assert!(total > 0, "{filter} matches something");
        for (sort, member) in sorts {
            let path = format!("/v1/programmes?{filter}&sort={sort}&lang=en");
            let by_few = walk_values(&app, &path, member, if total > 1000 { 97 } else { 20 }).await;
            let by_100 = walk_values(&app, &path, member, 100).await;
            assert_eq!(
                by_few, by_100,
                "{path}: the same list whatever the page size"
            );
            let ids: HashSet<&str> = by_few.iter().map(|(id, _)| id.as_str()).collect();
            assert_eq!(
                (ids.len(), by_few.len()),
                (total, total),
                "{path}: each match once"
            );
            // In order: values (compared as the C collation both test databases use, and as
            // ISO dates compare) then ids, both in the sort's direction; no value last.
            let descending = sort.starts_with('-');
            for pair in by_few.windows(2) {
                let [(a_id, a), (b_id, b)] = pair else {
                    unreachable!()
                };
                let key = |id: &String, v: &Value| (v.as_str().map(str::to_owned), id.clone());
                let (a_key, b_key) = (key(a_id, a), key(b_id, b));
                let in_order = match (&a_key.0, &b_key.0) {
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    _ if descending => a_key > b_key,
                    _ => a_key < b_key,
                };
                assert!(in_order, "{path}: {a_key:?} then {b_key:?}");
            }
        }
        // Every record found is in the filter's countries, and the deleted one is not found.
        if let Some(countries) = filter.strip_prefix("country=") {
            let countries: Vec<&str> = countries.split('&').next().unwrap().split(',').collect();
            let walked = walk_values(
                &app,
                &format!("/v1/programmes?{filter}"),
                "recipient_countries",
                100,
            )
            .await;
            assert_eq!(walked.len(), total, "{filter}");
            for (id, found) in walked {
                assert_ne!(id, first_in_kenya, "{filter}: a deleted programme");
                let found: Vec<&str> = found
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect();
                assert!(
                    found.iter().any(|c| countries.contains(c)),
                    "{filter}: {id} is in {found:?}"
                );
            }
        }
        // Every record found matches the status filter.
        if filter.contains("status=closed") {
            let page = get_ok(&app, &format!("/v1/programmes?{filter}&limit=100")).await;
            assert!(
                page["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|p| p["status"] == "closed")
            );
        }
    }
}
