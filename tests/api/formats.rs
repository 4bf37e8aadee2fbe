//! The representations beyond JSON and what every one of them shares: `Accept` negotiated with
//! a 406 naming what an operation answers in, `fields=` on every collection, GeoJSON for
//! programmes and organisations, iCalendar for events; languages, filters, paging and ETags.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, header, programme, spawn_app, spawn_seeded_app};

async fn get_as(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.request(Method::GET, path)
        .header("accept", accept)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_accept_an_operation_cannot_serve_is_a_406_naming_what_it_can() {
    let app = spawn_seeded_app().await;
    let problem = assert_problem(
        get_as(&app, "/v1/programmes", "application/pdf").await,
        406,
        "not-acceptable",
    )
    .await;
    let detail = problem["detail"].as_str().unwrap();
    for media in [
        "application/json",
        "text/csv",
        "application/geo+json",
        "application/xml",
    ] {
        assert!(detail.contains(media), "{detail}");
    }
    assert!(!detail.contains("text/calendar"), "{detail}");
    // Funds have no map and no calendar; a record has no CSV.
    assert_problem(
        get_as(&app, "/v1/funds", "application/geo+json").await,
        406,
        "not-acceptable",
    )
    .await;
    assert_problem(
        get_as(
            &app,
            "/v1/programmes/santiago-mexico-city-partnership",
            "text/csv",
        )
        .await,
        406,
        "not-acceptable",
    )
    .await;
    // A browser's Accept, a wildcard or none at all get JSON.
    for accept in [
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "*/*",
        "application/*",
    ] {
        let response = get_as(&app, "/v1/programmes", accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("application/json"),
            "{accept}"
        );
    }
}

#[tokio::test]
async fn fields_selects_members_on_every_collection_and_names_unknown_ones() {
    let app = spawn_seeded_app().await;
    for collection in iom_lrg_api::records::catalogue::names() {
        if collection == "institution" {
            continue;
        }
        let page: Value = app
            .get(&format!("/v1/{collection}?limit=2"))
            .await
            .json()
            .await
            .unwrap();
        let first = &page["data"][0];
        let id = first["id"].as_str().unwrap();
        let member = first
            .as_object()
            .unwrap()
            .keys()
            .find(|k| *k != "id")
            .unwrap()
            .clone();
        let selected = app
            .get(&format!("/v1/{collection}?limit=2&fields={member},version"))
            .await;
        assert_eq!(selected.status(), StatusCode::OK, "{collection}");
        let selected: Value = selected.json().await.unwrap();
        let mut names: Vec<&str> = selected["data"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        let mut expected = vec!["id", member.as_str(), "version"];
        expected.sort_unstable();
        assert_eq!(names, expected, "{collection}");
        assert_eq!(selected["data"][0][&member], first[&member], "{collection}");

        let record = app
            .get(&format!("/v1/{collection}/{id}?fields=version"))
            .await;
        let etag = header(&record, "etag").unwrap();
        let record: Value = record.json().await.unwrap();
        assert_eq!(
            record,
            json!({"id": id, "version": first["version"]}),
            "{collection}"
        );
        // The whole record has another ETag, and the cache does not mix the two.
        let whole = app.get(&format!("/v1/{collection}/{id}")).await;
        assert_ne!(header(&whole, "etag").unwrap(), etag, "{collection}");
        let whole: Value = whole.json().await.unwrap();
        assert_eq!(&whole, first, "{collection}");

        let problem = assert_problem(
            app.get(&format!("/v1/{collection}?fields=nonsense,{member}"))
                .await,
            400,
            "invalid-query",
        )
        .await;
        assert!(
            problem["detail"].as_str().unwrap().contains("'nonsense'"),
            "{problem}"
        );
        assert_problem(
            app.get(&format!("/v1/{collection}/{id}?fields=")).await,
            400,
            "invalid-query",
        )
        .await;
    }
    // CSV keeps the selected columns, with `id`.
    let csv = get_as(
        &app,
        "/v1/programmes?fields=title,budget&lang=all",
        "text/csv",
    )
    .await
    .text()
    .await
    .unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "id,title.en,title.fr,title.es,budget.amount,budget.currency"
    );
    let download = app
        .get("/v1/programmes.csv?fields=status")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(download.lines().next().unwrap(), "id,status");
}

#[tokio::test]
async fn programmes_are_geojson_features_placed_by_their_locations() {
    let app = spawn_seeded_app().await;
    app.create_programme(programme("unplaced", "A programme with no known place"))
        .await;
    let response = get_as(
        &app,
        "/v1/programmes?lang=fr&limit=1&sort=id&fields=title",
        "application/geo+json",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/geo+json")
    );
    assert_eq!(header(&response, "content-language").as_deref(), Some("fr"));
    let next = header(&response, "link").expect("a next page");
    let etag = header(&response, "etag").unwrap();
    let collection: Value = response.json().await.unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    let feature = &collection["features"][0];
    assert_eq!(feature["type"], "Feature");
    assert_eq!(feature["id"], "santiago-mexico-city-partnership");
    assert_eq!(
        feature["geometry"],
        json!({"type": "MultiPoint", "coordinates": [[-70.64827, -33.45694], [-99.12766, 19.42847]]})
    );
    assert_eq!(
        feature["properties"],
        json!({"id": "santiago-mexico-city-partnership",
            "title": "Partenariat entre les gouvernements locaux de Santiago (Chili) et de Mexico (Mexique)"})
    );
    assert!(collection["meta"]["next_cursor"].is_string());
    assert!(next.contains("rel=\"next\""));

    // The next page, by the link, has the unplaced programme with a null geometry.
    let path = next
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    let second: Value = get_as(&app, &path, "application/geo+json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["features"][0]["id"], "unplaced");
    assert_eq!(second["features"][0]["geometry"], Value::Null);

    // Filters apply; ETags answer 304.
    let chile: Value = get_as(&app, "/v1/programmes?country=MX", "application/geo+json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(chile["features"].as_array().unwrap().len(), 1);
    let again = app
        .request(
            Method::GET,
            "/v1/programmes?lang=fr&limit=1&sort=id&fields=title",
        )
        .header("accept", "application/geo+json")
        .header("if-none-match", etag.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // One record is a Feature with its record ETag (If-Match takes it).
    let record = get_as(
        &app,
        "/v1/programmes/santiago-mexico-city-partnership",
        "application/geo+json",
    )
    .await;
    let record_etag = header(&record, "etag").unwrap();
    assert!(record_etag.starts_with("\"v1-en-"), "{record_etag}");
    let record: Value = record.json().await.unwrap();
    assert_eq!(record["type"], "Feature");
    assert_eq!(record["properties"]["locations"][0]["latitude"], -33.45694);
    // Organisations carry no coordinates: their geometry is null, never guessed.
    let organisations: Value = get_as(&app, "/v1/organisations?limit=3", "application/geo+json")
        .await
        .json()
        .await
        .unwrap();
    for feature in organisations["features"].as_array().unwrap() {
        assert_eq!(feature["geometry"], Value::Null);
    }
}

async fn calendar(
    app: &TestApp,
    path: &str,
) -> (StatusCode, String, Option<String>, Option<String>) {
    let response = get_as(app, path, "text/calendar").await;
    let status = response.status();
    let omitted = header(&response, "events-without-day");
    let etag = header(&response, "etag");
    (status, response.text().await.unwrap(), omitted, etag)
}

#[tokio::test]
async fn events_are_an_icalendar_with_stable_uids_and_no_invented_days() {
    let app = spawn_seeded_app().await;
    let created = app
        .post_json(
            "/v1/events",
            &json!({"id": "gfmd-summit-2026", "title": {"en": "GFMD Summit", "fr": "Sommet du FMMD"},
                "description": {"en": "The yearly summit; with commas, and a long line that a calendar folds at seventy-five octets."},
                "year": 2026, "month": 10, "day": 14, "forum": "gfmd"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let (status, text, omitted, etag) = calendar(&app, "/v1/events?lang=fr").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    for line in [
        "VERSION:2.0",
        "PRODID:-//IOM LRG API//iom-lrg-api",
        "X-WR-CALNAME:OIM et gouvernements locaux et régionaux : événements",
        "UID:gfmd-summit-2026@iom-lrg-api",
        "DTSTART;VALUE=DATE:20261014",
        "SEQUENCE:0",
        // The description is only in English: LANGUAGE is not stated for a mixed record.
        "SUMMARY:Sommet du FMMD",
        "DTEND;VALUE=DATE:20261015",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    // The built-in events are known only to their month or year: left out, and counted.
    assert_eq!(omitted.as_deref(), Some("3"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
    assert!(text.lines().all(|l| l.len() <= 75), "lines are folded");

    // The same UID across requests and versions; SEQUENCE follows the version.
    let again = app
        .request(Method::GET, "/v1/events?lang=fr")
        .header("accept", "text/calendar")
        .header("if-none-match", etag.unwrap().as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        app.patch_json("/v1/events/gfmd-summit-2026", &json!({"day": 15}))
            .await
            .status(),
        StatusCode::OK
    );
    let (_, text, _, _) = calendar(&app, "/v1/events/gfmd-summit-2026").await;
    assert!(text.contains("UID:gfmd-summit-2026@iom-lrg-api"), "{text}");
    assert!(text.contains("SEQUENCE:1"), "{text}");
    assert!(text.contains("DTSTART;VALUE=DATE:20261015"), "{text}");
    assert!(text.contains("SUMMARY;LANGUAGE=en:GFMD Summit"), "{text}");

    // Filters make a calendar per forum.
    let (_, imrf, omitted, _) = calendar(&app, "/v1/events?forum=imrf").await;
    assert_eq!(imrf.matches("BEGIN:VEVENT").count(), 0);
    assert_eq!(omitted.as_deref(), Some("2"));

    // Calendar apps subscribe to an address and send no Accept: /v1/events.ics is the same.
    let feed = app
        .anonymous(Method::GET, "/v1/events.ics?lang=fr")
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert_eq!(
        header(&feed, "content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let feed = feed.text().await.unwrap();
    assert!(feed.contains("UID:gfmd-summit-2026@iom-lrg-api"), "{feed}");
    assert!(feed.contains("SUMMARY:Sommet du FMMD"), "{feed}");
    assert_problem(
        app.get("/v1/events.ics?cursor=x").await,
        400,
        "invalid-query",
    )
    .await;

    // A record known only to its year has no calendar entry; one summary means one language;
    // a calendar is not paged.
    assert_problem(
        get_as(&app, "/v1/events/imrf-2026", "text/calendar").await,
        406,
        "not-acceptable",
    )
    .await;
    assert_problem(
        get_as(&app, "/v1/events?lang=all", "text/calendar").await,
        400,
        "invalid-query",
    )
    .await;
    assert_problem(
        get_as(&app, "/v1/events?limit=5", "text/calendar").await,
        400,
        "invalid-query",
    )
    .await;
}

#[tokio::test]
async fn a_new_database_lists_nothing_in_every_format() {
    let app = spawn_app().await;
    let (status, text, omitted, _) = calendar(&app, "/v1/events").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("BEGIN:VCALENDAR"));
    assert_eq!(omitted.as_deref(), Some("0"));
    let empty: Value = get_as(&app, "/v1/programmes", "application/geo+json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["features"], json!([]));
}
