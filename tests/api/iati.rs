//! Programmes as IATI 2.03 activities: the whole file, the report of what is left out and why,
//! and `Accept: application/xml` on programme lists and records. (The schema and codelist
//! validation runs in the contract checks, with xmllint.)

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, header, spawn_seeded_app};

fn publishable(id: &str) -> Value {
    json!({"id": id, "title": {"en": "Inclusive cities & migrants", "fr": "Villes inclusives"},
        "summary": {"en": "Capacity building.", "es": "Fortalecimiento de capacidades."},
        "status": "closed", "planned_start": "2021-01-01", "planned_end": "2022-12-31",
        "actual_end": "2023-01-31", "recipient_countries": ["CL"],
        "locations": [{"name": {"en": "Santiago"}, "country": "CL", "latitude": -33.45694, "longitude": -70.64827}],
        "participating_organisations": [{"organisation": "uclg", "role": "funding"},
            {"organisation": "santiago-local-government", "role": "implementing"}],
        "budget": {"amount": 120000, "currency": "EUR"}})
}

#[tokio::test]
async fn a_programme_lacking_what_iati_requires_is_left_out_and_the_report_says_why() {
    let app = spawn_seeded_app().await;
    // The built-in programme has no status and no dates (the source gives none).
    let file = app.get("/v1/iati/activities.xml").await;
    let problem = assert_problem(file, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/v1/iati/report"),
        "{problem}"
    );
    let report: Value = app.get("/v1/iati/report").await.json().await.unwrap();
    assert_eq!(report["activities"], 0);
    assert_eq!(report["left_out"], 1);
    assert_eq!(
        report["programmes"][0]["id"],
        "santiago-mexico-city-partnership"
    );
    let reasons = report["programmes"][0]["reasons"].to_string();
    assert!(
        reasons.contains("no status") && reasons.contains("no date"),
        "{reasons}"
    );
    // As a record, the reasons come in a 406.
    let record = app
        .request(
            Method::GET,
            "/v1/programmes/santiago-mexico-city-partnership",
        )
        .header("accept", "application/xml")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(record, 406, "not-acceptable").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("no status"),
        "{problem}"
    );
}

#[tokio::test]
async fn publishable_programmes_are_iati_activities_in_every_language_they_have() {
    let app = spawn_seeded_app().await;
    app.create_programme(publishable("inclusive-cities")).await;
    app.create_programme(publishable("inclusive-cities-2"))
        .await;
    let file = app.get("/v1/iati/activities.xml").await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        header(&file, "content-type").as_deref(),
        Some("application/xml; charset=utf-8")
    );
    assert_eq!(header(&file, "iati-left-out").as_deref(), Some("1"));
    let xml = file.text().await.unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\""
    ));
    assert_eq!(xml.matches("<iati-activity ").count(), 2);
    for fragment in [
        "<iati-identifier>XM-DAC-47066-LRG-inclusive-cities</iati-identifier>",
        "<reporting-org ref=\"XM-DAC-47066\" type=\"40\">",
        "<narrative xml:lang=\"en\">Inclusive cities &amp; migrants</narrative>",
        "<narrative xml:lang=\"fr\">Villes inclusives</narrative>",
        "<narrative xml:lang=\"es\">Fortalecimiento de capacidades.</narrative>",
        "<participating-org role=\"1\">",
        "<participating-org role=\"4\">",
        "<activity-status code=\"4\"/>",
        "<activity-date type=\"1\" iso-date=\"2021-01-01\"/>",
        "<activity-date type=\"4\" iso-date=\"2023-01-31\"/>",
        "<recipient-country code=\"CL\"/>",
        "<pos>-33.45694 -70.64827</pos>",
        "<value currency=\"EUR\" value-date=\"2021-01-01\">120000</value>",
    ] {
        assert!(xml.contains(fragment), "{fragment} in {xml}");
    }
    // The organisation's name, from its record, in its languages.
    let uclg: Value = app
        .get("/v1/organisations/uclg?lang=en")
        .await
        .json()
        .await
        .unwrap();
    let name = uclg["name"].as_str().unwrap().replace('&', "&amp;");
    assert!(xml.contains(&format!("<narrative xml:lang=\"en\">{name}</narrative>")));
    let report: Value = app.get("/v1/iati/report").await.json().await.unwrap();
    assert_eq!(
        (report["activities"].as_u64(), report["left_out"].as_u64()),
        (Some(2), Some(1))
    );

    // Accept: application/xml on a record and on a page; browsers still get JSON.
    let record = app
        .request(Method::GET, "/v1/programmes/inclusive-cities")
        .header("accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(record.status(), StatusCode::OK);
    let etag = header(&record, "etag").unwrap();
    assert!(etag.starts_with("\"v1-en-"), "{etag}");
    assert_eq!(
        record
            .text()
            .await
            .unwrap()
            .matches("<iati-activity ")
            .count(),
        1
    );
    let again = app
        .request(Method::GET, "/v1/programmes/inclusive-cities")
        .header("accept", "application/xml")
        .header("if-none-match", etag.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let page = app
        .request(Method::GET, "/v1/programmes?status=closed&limit=1")
        .header("accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, "link").unwrap().contains("rel=\"next\""));
    assert_eq!(header(&page, "iati-left-out").as_deref(), Some("0"));
    let browser = app
        .request(Method::GET, "/v1/programmes/inclusive-cities")
        .header(
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&browser, "content-type").as_deref(),
        Some("application/json")
    );
}
