//! Full-text search (`q` on lists, `/v1/search`) and facets, on the backend under test.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    assert_problem, header, programme, spawn_app, spawn_beside, spawn_seeded_app, spawn_with,
};

const PARTNERSHIP: &str = "santiago-mexico-city-partnership";

async fn hits(app: &crate::helpers::TestApp, path: &str) -> Vec<String> {
    let response = app.get(path).await;
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|h| match h["collection"].as_str() {
            Some(c) => format!("{c}/{}", h["id"].as_str().unwrap_or("")),
            None => h["id"].as_str().unwrap_or("").to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn search_stems_folds_accents_and_follows_the_language() {
    let app = spawn_seeded_app().await;
    let programme = format!("programmes/{PARTNERSHIP}");
    // English: the singular finds the plural ("migrants and refugees").
    let found = hits(&app, "/v1/search?q=migrant%20refugee&collection=programmes").await;
    assert_eq!(found, std::slice::from_ref(&programme));
    // French, with and without accents.
    for q in [
        "travail%20d%C3%A9cent",
        "travail%20decent",
        "TRAVAIL%20DECENT",
    ] {
        let found = hits(&app, &format!("/v1/search?q={q}&lang=fr")).await;
        assert!(found.contains(&programme), "{q}: {found:?}");
    }
    // Spanish, through Accept-Language.
    let response = app
        .request(
            reqwest::Method::GET,
            "/v1/search?q=trabajo%20decente&collection=programmes",
        )
        .header("Accept-Language", "es-CL, es;q=0.9")
        .send()
        .await
        .expect("sent");
    assert_eq!(header(&response, "content-language").as_deref(), Some("es"));
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"][0]["id"], PARTNERSHIP);
    assert!(
        body["data"][0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Asociación")),
        "{body}"
    );
    // The French words are not in the English text.
    assert!(
        hits(&app, "/v1/search?q=travail&lang=en&collection=programmes")
            .await
            .is_empty()
    );
    // The same search filters a list, in the list's language.
    assert_eq!(
        hits(&app, "/v1/programmes?q=travail%20d%C3%A9cent&lang=fr").await,
        [PARTNERSHIP]
    );
    assert!(
        hits(&app, "/v1/programmes?q=travail&lang=en")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn phrases_prefixes_or_and_exclusions() {
    let app = spawn_seeded_app().await;
    let p = |q: &str| format!("/v1/programmes?q={q}");
    assert_eq!(hits(&app, &p("%22decent%20work%22")).await, [PARTNERSHIP]);
    assert!(hits(&app, &p("%22work%20decent%22")).await.is_empty());
    assert_eq!(hits(&app, &p("livelih*")).await, [PARTNERSHIP]);
    assert_eq!(hits(&app, &p("migra*")).await, [PARTNERSHIP]);
    assert_eq!(
        hits(&app, &p("nowhere%20OR%20refugees")).await,
        [PARTNERSHIP]
    );
    assert!(hits(&app, &p("refugees%20-santiago")).await.is_empty());
    assert!(hits(&app, &p("nowhere")).await.is_empty());
}

/// Whatever a search box holds is read, never refused: the syntax is forgiving.
#[tokio::test]
async fn search_syntax_is_forgiving() {
    let app = spawn_seeded_app().await;
    for (typed, meant) in [
        ("%22decent%20work", "%22decent%20work%22"),
        (
            "(decent%20OR%20migrants)%20work",
            "decent%20OR%20migrants%20work",
        ),
        ("OR%20migrants", "migrants"),
        ("migrants%20OR", "migrants"),
        ("migrants%20AND%20cities", "migrants%20cities"),
        ("migrants%20NOT%20cities", "migrants%20-cities"),
        ("migra*tion", "%22migra%20tion%22"),
    ] {
        let found = hits(&app, &format!("/v1/search?q={typed}")).await;
        assert_eq!(
            found,
            hits(&app, &format!("/v1/search?q={meant}")).await,
            "{typed}"
        );
    }
    assert!(!hits(&app, "/v1/search?q=%22decent%20work").await.is_empty());
    for nothing in ["", "%21%21%21", "-closed", "%22%22", "m*"] {
        let body: Value = app
            .get(&format!("/v1/search?q={nothing}&count=true"))
            .await
            .json()
            .await
            .expect("json");
        let found = body["data"].as_array().expect("data").len();
        if nothing == "m*" {
            // A one-letter prefix is the word "m", which no text holds.
            assert_eq!(found, 0, "{nothing}: {body}");
        } else {
            assert_eq!((found, &body["meta"]["total"]), (0, &json!(0)), "{nothing}");
        }
    }
    // A list ignores a q with no word to find, and reads the rest as search does.
    let all = hits(&app, "/v1/programmes").await;
    assert_eq!(hits(&app, "/v1/programmes?q=%21%21").await, all);
    assert_eq!(
        hits(&app, "/v1/programmes?q=%22labour").await,
        hits(&app, "/v1/programmes?q=labour").await
    );
}

#[tokio::test]
async fn bad_search_parameters_are_400s_that_say_why() {
    let app = spawn_app().await;
    let long = "a".repeat(201);
    for (path, reason) in [
        ("/v1/search", "q is required"),
        ("/v1/search?q=a&q=b", "more than once"),
        ("/v1/search?q=a&lang=all", "one language"),
        ("/v1/search?q=a&collection=budgets", "budgets"),
        (
            "/v1/search?q=a&sort=title",
            "unknown query parameter 'sort'",
        ),
        ("/v1/search?q=a&facets=kind", "facet 'kind'"),
        ("/v1/search?q=a&limit=0", "limit"),
        ("/v1/search?q=a&cursor=xyz", ""),
        (&format!("/v1/search?q={long}"), "at most 200"),
        (&format!("/v1/programmes?q={long}"), "at most 200"),
    ] {
        let kind = if path.contains("cursor") {
            "invalid-cursor"
        } else {
            "invalid-query"
        };
        let problem = assert_problem(app.get(path).await, 400, kind).await;
        assert!(
            problem["detail"].as_str().unwrap_or("").contains(reason),
            "{path}: {problem}"
        );
    }
}

#[tokio::test]
async fn the_index_follows_every_write_in_its_transaction() {
    let app = spawn_app().await;
    let search = "/v1/search?q=zanzibar&collection=programmes";
    assert!(hits(&app, search).await.is_empty());
    app.create_programme(json!({
        "id": "p1",
        "title": {"en": "Zanzibar cities", "fr": "Villes de Zanzibar"},
        "summary": {"en": "Welcome <b>migrants</b> & refugees"}
    }))
    .await;
    assert_eq!(hits(&app, search).await, ["programmes/p1"]);
    // French text where there is one, English where French is missing.
    assert_eq!(
        hits(&app, "/v1/search?q=ville&lang=fr").await,
        ["programmes/p1"]
    );
    let body: Value = app
        .get("/v1/search?q=migrants&lang=fr")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"][0]["title"], "Villes de Zanzibar");
    assert_eq!(
        body["data"][0]["snippet"],
        "Welcome &lt;b&gt;<mark>migrants</mark>&lt;/b&gt; &amp; refugees"
    );
    assert_eq!(body["data"][0]["href"], "/v1/programmes/p1");

    let etag = header(&app.get("/v1/programmes/p1").await, "etag").expect("etag");
    let response = app
        .request(reqwest::Method::PATCH, "/v1/programmes/p1")
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", etag)
        .body(json!({"title": {"en": "Mombasa cities", "fr": null}}).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(hits(&app, search).await.is_empty());
    assert_eq!(hits(&app, "/v1/search?q=mombasa").await, ["programmes/p1"]);
    assert!(hits(&app, "/v1/search?q=ville&lang=fr").await.is_empty());

    assert_eq!(app.delete("/v1/programmes/p1").await.status(), 204);
    assert!(hits(&app, "/v1/search?q=mombasa").await.is_empty());
    assert!(hits(&app, "/v1/programmes?q=mombasa").await.is_empty());
}

#[tokio::test]
async fn search_pages_are_ranked_cursor_paged_cached_and_counted() {
    let app = spawn_app().await;
    for (id, title) in [
        ("a1", "Harbour harbour harbour"),
        ("a2", "Harbour"),
        ("a3", "A harbour city"),
    ] {
        app.create_programme(programme(id, title)).await;
    }
    app.create_organisation("harbour-org").await;
    let first: Value = app
        .get("/v1/search?q=harbour&limit=3&count=true&facets=collection")
        .await
        .json()
        .await
        .expect("json");
    // The organisation is called "Organisation harbour-org".
    assert_eq!(first["meta"]["total"], 4);
    assert_eq!(first["meta"]["total_relation"], "eq");
    assert_eq!(first["data"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        first["facets"]["collection"],
        json!([{"value": "programmes", "count": 3}, {"value": "organisations", "count": 1}])
    );
    // The title repeating the word ranks first.
    assert_eq!(first["ranked_by"], "relevance");
    assert_eq!(first["data"][0]["id"], "a1");
    let next = first["links"]["next"].as_str().expect("a next page");
    let second: Value = app.get(next).await.json().await.expect("json");
    assert_eq!(second["data"].as_array().map(Vec::len), Some(1));
    assert!(second["links"]["next"].is_null());
    let mut all: Vec<&str> = first["data"]
        .as_array()
        .into_iter()
        .chain(second["data"].as_array())
        .flatten()
        .filter_map(|h| h["id"].as_str())
        .collect();
    all.sort_unstable();
    assert_eq!(all, ["a1", "a2", "a3", "harbour-org"]);
    // A cursor belongs to its query.
    let cursor = first["meta"]["next_cursor"].as_str().expect("cursor");
    assert_problem(
        app.get(&format!("/v1/search?q=city&limit=2&cursor={cursor}"))
            .await,
        400,
        "invalid-cursor",
    )
    .await;
    // ETags and 304 as for lists.
    let response = app.get("/v1/search?q=harbour").await;
    let etag = header(&response, "etag").expect("etag");
    let again = app
        .request(reqwest::Method::GET, "/v1/search?q=harbour")
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

/// Every hit of a search, following `next`, with the `ranked_by` of each page.
async fn walk_search(app: &crate::helpers::TestApp, path: &str) -> (Vec<String>, Vec<Value>) {
    let (mut all, mut orders) = (Vec::new(), Vec::new());
    let mut next = Some(path.to_owned());
    while let Some(path) = next {
        let page: Value = crate::helpers::get_ok(app, &path).await;
        orders.push(page["ranked_by"].clone());
        all.extend(
            page["data"]
                .as_array()
                .expect("data")
                .iter()
                .filter_map(|h| h["id"].as_str().map(str::to_owned)),
        );
        next = page["links"]["next"].as_str().map(str::to_owned);
    }
    (all, orders)
}

#[tokio::test]
async fn broad_queries_come_most_recently_written_first_with_the_same_hits() {
    // A word held by more than 3 records makes a query broad here, and counting stops at 3
    // hits (5,000 each by default).
    let app = spawn_with(false, |s| {
        s.search_broad_records = 3;
        s.search_count_cap = 3;
    })
    .await;
    for (id, title) in [
        ("a1", "Harbour"),
        ("a2", "Harbour harbour harbour"),
        ("a3", "A harbour city"),
    ] {
        app.create_programme(programme(id, title)).await;
    }
    app.create_organisation("harbour-org").await;
    let newest = ["harbour-org", "a3", "a2", "a1"];
    let (all, orders) = walk_search(&app, "/v1/search?q=harbour&limit=3").await;
    assert_eq!(all, newest);
    assert_eq!(orders, [json!("recency"), json!("recency")]);
    // A prefix of few words is looked up as those words: the same hits, the same order.
    let (all, _) = walk_search(&app, "/v1/search?q=harb*&limit=2").await;
    assert_eq!(all, newest);
    // One common word is enough, whatever the others; a rare word alone is ranked.
    let page = crate::helpers::get_ok(&app, "/v1/search?q=harbour%20city").await;
    assert_eq!(page["ranked_by"], "recency");
    let page = crate::helpers::get_ok(&app, "/v1/search?q=city").await;
    assert_eq!(page["ranked_by"], "relevance");
    assert_eq!(crate::helpers::ids(&page), ["a3"]);
    // Counting stops at the cap and says so; the facets count the newest hits.
    let counted = "/v1/search?q=harbour&limit=1&count=true&facets=collection";
    let page = crate::helpers::get_ok(&app, counted).await;
    assert_eq!(page["meta"]["total"], 3);
    assert_eq!(page["meta"]["total_relation"], "gte");
    assert_eq!(
        page["facets"]["collection"],
        json!([{"value": "programmes", "count": 2}, {"value": "organisations", "count": 1}])
    );
    let page = crate::helpers::get_ok(&app, "/v1/search?q=city&count=true").await;
    assert_eq!(page["meta"]["total"], 1);
    assert_eq!(page["meta"]["total_relation"], "eq");
    let page = crate::helpers::get_ok(
        &app,
        "/v1/search?q=harbour&collection=programmes&facets=collection",
    )
    .await;
    // Exactly the cap is every hit.
    assert_eq!(page["meta"]["total_relation"], "eq");
    assert_eq!(
        page["facets"]["collection"],
        json!([{"value": "programmes", "count": 3}])
    );
    // A prefix of no word matches nothing and makes nothing broad.
    for q in ["city%20OR%20zzq*", "city%20-zzq*"] {
        let page = crate::helpers::get_ok(&app, &format!("/v1/search?q={q}")).await;
        assert_eq!(page["ranked_by"], "relevance", "{q}");
        assert_eq!(crate::helpers::ids(&page), ["a3"], "{q}");
    }
    let page = crate::helpers::get_ok(&app, "/v1/search?q=zzq*").await;
    assert_eq!(crate::helpers::ids(&page), Vec::<&str>::new());
    // A write makes its record the newest; exclusions and collections keep the order.
    let path = "/v1/programmes/a1";
    let etag = header(&app.get(path).await, "etag").expect("etag");
    let response = app
        .request(reqwest::Method::PATCH, path)
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", etag)
        .body(json!({"title": {"en": "Harbour again"}}).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let (all, _) = walk_search(&app, "/v1/search?q=harbour&limit=3").await;
    assert_eq!(all, ["a1", "harbour-org", "a3", "a2"]);
    let (all, orders) = walk_search(
        &app,
        "/v1/search?q=harbour%20-city&collection=programmes&limit=1",
    )
    .await;
    assert_eq!(all, ["a1", "a2"]);
    assert!(orders.iter().all(|o| o == "recency"), "{orders:?}");
    // The same database under the default threshold ranks the same hits by relevance.
    let ranked = spawn_beside(&app).await;
    let (mut by_relevance, orders) = walk_search(&ranked, "/v1/search?q=harbour&limit=3").await;
    assert_eq!(by_relevance[0], "a2", "the title repeating the word first");
    assert!(orders.iter().all(|o| o == "relevance"), "{orders:?}");
    by_relevance.sort_unstable();
    let (mut by_recency, _) = walk_search(&app, "/v1/search?q=harbour").await;
    by_recency.sort_unstable();
    assert_eq!(by_relevance, by_recency);
    // Under the default cap every hit is counted, whatever the order.
    let page = crate::helpers::get_ok(&ranked, counted).await;
    assert_eq!(page["meta"]["total"], 4);
    assert_eq!(page["meta"]["total_relation"], "eq");
    assert_eq!(
        page["facets"]["collection"],
        json!([{"value": "programmes", "count": 3}, {"value": "organisations", "count": 1}])
    );
    // Under it, a prefix of few words is ranked, and finds every record holding any of them.
    let page = crate::helpers::get_ok(&ranked, "/v1/search?q=harb*").await;
    assert_eq!(page["ranked_by"], "relevance");
    for (id, title) in [("b1", "Zebra crossing"), ("b2", "Zeal"), ("b3", "Zenith")] {
        app.create_programme(programme(id, title)).await;
    }
    let mut found = crate::helpers::ids(&crate::helpers::get_ok(&ranked, "/v1/search?q=ze*").await)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    found.sort_unstable();
    assert_eq!(found, ["b1", "b2", "b3"]);
    // A prefix of more than 64 words is broad however few records hold them.
    // (Digits, which no stemmer merges: 65 distinct words.)
    let words: Vec<String> = (0..65).map(|n| format!("zq{n:02}")).collect();
    let mut body = programme("a4", "Glossary");
    body["summary"] = json!({"en": words.join(" ")});
    app.create_programme(body).await;
    let page = crate::helpers::get_ok(&ranked, "/v1/search?q=zq*").await;
    assert_eq!(page["ranked_by"], "recency");
    assert_eq!(crate::helpers::ids(&page), ["a4"]);
    let page = crate::helpers::get_ok(&ranked, "/v1/search?q=zq1*").await;
    assert_eq!(page["ranked_by"], "relevance");
    assert_eq!(crate::helpers::ids(&page), ["a4"]);
}

#[tokio::test]
async fn facets_count_the_whole_filtered_set_not_the_page() {
    let app = spawn_app().await;
    app.create_organisation("city-a").await;
    app.create_organisation("city-b").await;
    for (id, status, countries, orgs) in [
        ("p1", "implementation", vec!["CL"], vec!["city-a"]),
        (
            "p2",
            "implementation",
            vec!["CL", "MX"],
            vec!["city-a", "city-b"],
        ),
        ("p3", "closed", vec!["MX"], vec!["city-b"]),
        ("p4", "pipeline", vec!["MX"], vec![]),
    ] {
        let organisations: Vec<Value> = orgs
            .iter()
            .map(|o| json!({"organisation": o, "role": "implementing"}))
            .collect();
        app.create_programme(json!({
            "id": id, "title": {"en": format!("Programme {id}")}, "status": status,
            "recipient_countries": countries, "participating_organisations": organisations,
        }))
        .await;
    }
    let body: Value = app
        .get("/v1/programmes?limit=1&facets=status,country,organisation")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        body["facets"],
        json!({
            "country": [{"value": "MX", "count": 3}, {"value": "CL", "count": 2}],
            "organisation": [{"value": "city-a", "count": 2}, {"value": "city-b", "count": 2}],
            "status": [
                {"value": "implementation", "count": 2},
                {"value": "closed", "count": 1},
                {"value": "pipeline", "count": 1}
            ]
        })
    );
    // Under a filter (and a search), for the filtered set.
    let body: Value = app
        .get("/v1/programmes?country=MX&q=programme&facets=status,organisation")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["facets"],
        json!({
            "organisation": [{"value": "city-b", "count": 2}, {"value": "city-a", "count": 1}],
            "status": [
                {"value": "closed", "count": 1},
                {"value": "implementation", "count": 1},
                {"value": "pipeline", "count": 1}
            ]
        })
    );
    // Deleted records leave the counts.
    assert_eq!(app.delete("/v1/programmes/p3").await.status(), 204);
    let body: Value = app
        .get("/v1/programmes?facets=status")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["facets"]["status"],
        json!([{"value": "implementation", "count": 2}, {"value": "pipeline", "count": 1}])
    );
    // Without facets=, no facets member.
    let body: Value = app.get("/v1/programmes").await.json().await.expect("json");
    assert!(body.get("facets").is_none());
    for (path, needle) in [
        ("/v1/programmes?facets=colour", "colour"),
        ("/v1/programmes?facets=", "facets"),
        ("/v1/engagement-areas?facets=kind", "no facets"),
    ] {
        let problem = assert_problem(app.get(path).await, 400, "invalid-query").await;
        assert!(
            problem["detail"].as_str().unwrap_or("").contains(needle),
            "{path}: {problem}"
        );
    }
}

#[tokio::test]
async fn document_collections_facet_on_kind_year_and_links() {
    let app = spawn_seeded_app().await;
    let body: Value = app
        .get("/v1/forums?facets=kind,organisation")
        .await
        .json()
        .await
        .expect("json");
    let kinds = body["facets"]["kind"].as_array().expect("kind counts");
    let total: i64 = kinds.iter().filter_map(|k| k["count"].as_i64()).sum();
    let forums = body["data"].as_array().map_or(0, Vec::len) as i64;
    assert_eq!(total, forums, "{body}");
    let body: Value = app
        .get("/v1/events?facets=year,forum")
        .await
        .json()
        .await
        .expect("json");
    assert!(
        body["facets"]["forum"]
            .as_array()
            .is_some_and(|f| f.iter().any(|v| v["value"] == "imrf")),
        "{body}"
    );
    assert!(
        body["facets"]["year"].as_array().is_some_and(|f| f
            .iter()
            .all(|v| v["value"].as_str().is_some_and(|y| y.len() == 4))),
        "{body}"
    );
}

/// One wrong letter in a long word still finds it, after every exact hit; `fuzzy=false` takes
/// words as typed, and a search that finds nothing says what would.
#[tokio::test]
async fn typos_in_words_no_record_holds_are_forgiven_and_suggested_when_nothing_matches() {
    let app = spawn_seeded_app().await;
    let exact = hits(&app, "/v1/search?q=integration&limit=100").await;
    assert!(!exact.is_empty());
    for typo in ["integraton", "intgration", "integartion", "integrationn"] {
        let found = hits(&app, &format!("/v1/search?q={typo}&limit=100")).await;
        for hit in &exact {
            assert!(found.contains(hit), "{typo}: {hit} missing from {found:?}");
        }
    }
    let body: Value = app
        .get("/v1/search?q=integraton&fuzzy=false")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"], json!([]));
    assert_eq!(body["did_you_mean"], "integration");
    assert!(!hits(&app, "/v1/search?q=integration").await.is_empty());
    // Under five letters no typo is forgiven, but one is suggested.
    let body: Value = app
        .get("/v1/search?q=fnud")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"], json!([]));
    assert_eq!(body["did_you_mean"], "fund");
    // A word some record holds is taken as typed (as a spell checker's "missing only" mode):
    // once a record says "integraton", that word finds it alone.
    app.create_programme(json!({"id": "typo-record", "title": {"en": "Integraton pilot"}}))
        .await;
    assert_eq!(
        hits(&app, "/v1/search?q=integraton&limit=100").await,
        ["programmes/typo-record"]
    );
    let body: Value = app
        .get("/v1/search?q=integration")
        .await
        .json()
        .await
        .expect("json");
    assert!(body.get("did_you_mean").is_none(), "{body}");
    assert_problem(
        app.get("/v1/search?q=a&fuzzy=maybe").await,
        400,
        "invalid-query",
    )
    .await;
}

/// Every text a reader sees is found, numbers included, and a contact's hit says how to reach
/// them.
#[tokio::test]
async fn every_visible_text_is_searched_and_contact_hits_carry_how_to_reach_them() {
    let app = spawn_seeded_app().await;
    for (q, lang) in [
        ("281", "en"),
        ("majority", "en"),
        ("rural", "en"),
        ("%22first%20responders%22", "en"),
        ("millones", "es"),
        ("collectivit%C3%A9s", "fr"),
        ("FEMI", "es"),
        ("IMRF", "es"),
    ] {
        let found = hits(&app, &format!("/v1/search?q={q}&lang={lang}&limit=100")).await;
        assert!(
            found
                .iter()
                .any(|h| h == "institution/iom" || h == "forums/imrf"),
            "{q} ({lang}): {found:?}"
        );
    }
    let body: Value = app
        .get("/v1/search?q=indicators&collection=contacts&lang=en")
        .await
        .json()
        .await
        .expect("json");
    let hit = &body["data"][0];
    assert_eq!(hit["collection"], "contacts", "{body}");
    assert!(
        hit["contact"]["email"]
            .as_str()
            .is_some_and(|e| e.contains('@')),
        "{hit}"
    );
    assert!(hit["contact"]["job_title"].as_str().is_some(), "{hit}");
    // Other hits carry no contact card.
    let body: Value = app
        .get("/v1/search?q=fund")
        .await
        .json()
        .await
        .expect("json");
    for hit in body["data"].as_array().unwrap() {
        assert_eq!(
            hit.get("contact").is_some(),
            hit["collection"] == "contacts",
            "{hit}"
        );
    }
}

/// A contact's hit shows the name, and every text of the contact is searched, its job title
/// included (the first text, which the name stands in for as the title).
#[tokio::test]
async fn a_contact_is_found_by_its_job_title_and_shown_by_name() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/v1/contacts",
            &json!({
                "id": "archivist",
                "given_name": "Ana",
                "family_name": "Pérez",
                "job_title": {"en": "Chief Xylographer"},
                "unit": {"en": "Records"},
                "email": "ana@example.org"
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = app
        .get("/v1/search?q=xylographer")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["data"][0]["id"], "archivist", "{body}");
    assert_eq!(body["data"][0]["title"], "Ana Pérez");
    assert_eq!(
        hits(&app, "/v1/search?q=records").await,
        ["contacts/archivist"]
    );
}
