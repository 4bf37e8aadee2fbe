//! The built-in dataset, read through the API in three languages: a broken or partial load fails.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_seeded_app};

async fn get(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

fn field<'a>(page: &'a Value, name: &str) -> Vec<&'a Value> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r[name])
        .collect()
}

#[tokio::test]
async fn every_collection_holds_the_sources_records() {
    let app = spawn_seeded_app().await;
    for (collection, count) in [
        ("migration-domains", 4),
        ("engagement-areas", 5),
        ("organisations", 9),
        ("frameworks", 3),
        ("funds", 1),
        ("forums", 4),
        ("events", 3),
        ("recommendations", 2),
        ("programmes", 1),
        ("contacts", 3),
    ] {
        let page = get(&app, &format!("/v1/{collection}?count=true&limit=100")).await;
        assert_eq!(page["meta"]["total"], count, "{collection}");
        for record in page["data"].as_array().unwrap() {
            assert_eq!(
                record["missing_languages"],
                json!([]),
                "{collection}/{}: every text in en, fr, es",
                record["id"]
            );
            assert_eq!(
                record["sources"][0]["date"], "2024-01-25",
                "{collection}/{}",
                record["id"]
            );
            assert_eq!(record["version"], 1);
        }
    }
}

#[tokio::test]
async fn migration_domains_and_engagement_areas_come_in_the_sources_order_in_each_language() {
    let app = spawn_seeded_app().await;
    let en = get(&app, "/v1/migration-domains").await;
    assert_eq!(
        field(&en, "position"),
        [&json!(1), &json!(2), &json!(3), &json!(4)]
    );
    assert_eq!(
        field(&en, "title"),
        [
            &json!("Migration and development"),
            &json!("Facilitating migration"),
            &json!("Regulating migration"),
            &json!("Forced migration")
        ]
    );
    let fr = get(&app, "/v1/migration-domains?lang=fr").await;
    assert_eq!(
        field(&fr, "title"),
        [
            &json!("Migration et développement"),
            &json!("Faciliter la migration"),
            &json!("Régulation de la migration"),
            &json!("Migration forcée")
        ]
    );
    let es = get(&app, "/v1/migration-domains?lang=es").await;
    assert_eq!(es["data"][3]["title"], "Migración forzada");

    let areas = get(&app, "/v1/engagement-areas").await;
    assert_eq!(
        ids(&areas),
        [
            "integrate-migration-into-policies",
            "address-drivers-and-structural-challenges",
            "maximize-migrants-skills-and-diversity",
            "empower-local-administrators-and-actors",
            "foster-local-national-coordination"
        ]
    );
    let activity_counts: Vec<usize> = areas["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activities"].as_array().unwrap().len())
        .collect();
    assert_eq!(activity_counts, [5, 5, 8, 2, 3]);
    let fr = get(
        &app,
        "/v1/engagement-areas/empower-local-administrators-and-actors?lang=fr",
    )
    .await;
    let description = fr["description"].as_str().unwrap();
    assert!(
        description.contains("Mécanisme des maires"),
        "{description}"
    );
    assert!(
        !description.contains("groupes de travail régionaux"),
        "translation slips are corrected"
    );
}

#[tokio::test]
async fn the_institution_carries_its_key_figures_as_data() {
    let app = spawn_seeded_app().await;
    let iom = get(&app, "/v1/institution").await;
    assert_eq!(iom["id"], "iom");
    assert_eq!(iom["acronym"], "IOM");
    assert_eq!(
        iom["headquarters"],
        json!({"city": "Geneva", "country": "CH"})
    );
    let figures: Vec<(String, f64, String)> = iom["key_figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["value"].as_f64().unwrap(),
                f["qualifier"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("member-states".to_owned(), 174.0, "exact".to_owned()),
            ("offices".to_owned(), 400.0, "more_than".to_owned()),
            (
                "international-migrants".to_owned(),
                281_000_000.0,
                "about".to_owned()
            ),
            (
                "mmptf-joint-programmes-with-lrg-agreements".to_owned(),
                50.0,
                "exact".to_owned()
            ),
            (
                "marrakech-city-leaders".to_owned(),
                76.0,
                "more_than".to_owned()
            ),
        ]
    );
    assert_eq!(iom["key_figures"][2]["as_of"], "2024-01-25");
    assert_eq!(iom["key_figures"][3]["year"], 2021);
    let fr = get(&app, "/v1/institution?lang=fr").await;
    assert_eq!(fr["acronym"], "OIM");
    assert_eq!(fr["headquarters"]["city"], "Genève");
    assert_eq!(fr["key_figures"][0]["label"], "États membres");
    let es = get(&app, "/v1/institution?lang=es").await;
    assert_eq!(es["headquarters"]["city"], "Ginebra");
}

#[tokio::test]
async fn the_programme_is_linked_to_its_fund_and_local_governments() {
    let app = spawn_seeded_app().await;
    let p = get(
        &app,
        "/v1/programmes/santiago-mexico-city-partnership?include=organisations,fund&lang=es",
    )
    .await;
    assert_eq!(p["recipient_countries"], json!(["CL", "MX"]));
    assert_eq!(p["fund"], "mmptf");
    assert_eq!(p["status"], Value::Null, "the source gives no status");
    assert_eq!(p["budget"], Value::Null);
    assert_eq!(p["planned_start"], Value::Null);
    assert_eq!(
        p["engagement_areas"],
        json!([]),
        "the source links it to no engagement area"
    );
    assert_eq!(p["locations"][1]["name"], "Ciudad de México");
    let orgs: Vec<&str> = p["included"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        orgs,
        ["santiago-local-government", "mexico-city-local-government"]
    );
    assert_eq!(p["included"]["fund"][0]["acronym"], "MMPTF");
    let fr = get(&app, "/v1/programmes?q=travail%20decent&lang=fr").await;
    assert_eq!(ids(&fr), ["santiago-mexico-city-partnership"]);
    let by_fund = get(&app, "/v1/programmes?fund=mmptf&country=MX").await;
    assert_eq!(ids(&by_fund), ["santiago-mexico-city-partnership"]);
}

#[tokio::test]
async fn the_fund_has_its_chair_steering_committee_and_figure() {
    let app = spawn_seeded_app().await;
    let fund = get(
        &app,
        "/v1/funds/mmptf?include=programmes,steering_committee_members",
    )
    .await;
    assert_eq!(fund["launch_year"], 2019);
    assert_eq!(fund["chair_organisation"], "iom");
    assert_eq!(
        fund["steering_committee_members"],
        json!(["mayors-migration-council"])
    );
    assert_eq!(fund["framework"], "gcm");
    assert_eq!(fund["figures"][0]["value"], 50.0);
    assert_eq!(fund["figures"][0]["unit"], "percent");
    assert_eq!(fund["figures"][0]["year"], 2021);
    assert_eq!(
        fund["included"]["programmes"][0]["id"],
        "santiago-mexico-city-partnership"
    );
    assert_eq!(
        fund["included"]["steering_committee_members"][0]["id"],
        "mayors-migration-council"
    );
    let governance = get(&app, "/v1/funds/mmptf?lang=fr").await["governance"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        governance.contains("Conseil des maires pour la migration"),
        "{governance}"
    );
    assert!(
        !governance.contains("Commission européenne"),
        "the slip about the European Commission is corrected"
    );
}

#[tokio::test]
async fn frameworks_forums_and_organisations_link_both_ways() {
    let app = spawn_seeded_app().await;
    let mmd = get(
        &app,
        "/v1/frameworks/marrakech-mayors-declaration?include=commits_to",
    )
    .await;
    assert_eq!(mmd["year"], 2018);
    assert_eq!(
        mmd["commits_to"],
        json!(["gcm", "global-compact-on-refugees"])
    );
    assert_eq!(mmd["included"]["commits_to"].as_array().unwrap().len(), 2);
    let gcm = get(&app, "/v1/frameworks/gcm?lang=fr").await;
    assert_eq!(gcm["acronym"], "PMM");
    assert_eq!(gcm["guiding_principles_total"], 10);
    assert_eq!(gcm["guiding_principles"].as_array().unwrap().len(), 3);

    let mechanism = get(
        &app,
        "/v1/forums/mayors-mechanism?include=organisations,feeds_into",
    )
    .await;
    assert_eq!(mechanism["kind"], "mechanism");
    assert_eq!(mechanism["feeds_into"], json!(["imrf", "gfmd"]));
    assert_eq!(
        mechanism["organisations"],
        json!([{"organisation": "uclg", "role": "co_steering"}, {"organisation": "mayors-migration-council", "role": "co_steering"}])
    );
    assert_eq!(mechanism["included"]["organisations"][0]["acronym"], "UCLG");

    let uclg = get(&app, "/v1/organisations/uclg?include=forums&lang=fr").await;
    assert_eq!(uclg["acronym"], "CGLU");
    let forums: Vec<&str> = uclg["included"]["forums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(forums, ["mayors-mechanism"]);
    let gfmd = get(&app, "/v1/forums/gfmd?include=fed_by").await;
    assert_eq!(gfmd["included"]["fed_by"][0]["id"], "mayors-mechanism");
    let feeding_gfmd = get(&app, "/v1/forums?feeds_into=gfmd").await;
    assert_eq!(ids(&feeding_gfmd), ["mayors-mechanism"]);

    let iom = get(&app, "/v1/organisations/iom?include=related").await;
    assert_eq!(
        iom["relations"],
        json!([{"organisation": "un-network-on-migration", "relation": "coordinates"}, {"organisation": "un-network-on-migration", "relation": "hosts_secretariat_of"}])
    );
    let network = get(
        &app,
        "/v1/organisations/un-network-on-migration?include=related_from",
    )
    .await;
    assert_eq!(network["included"]["related_from"][0]["id"], "iom");
    let locals = get(&app, "/v1/organisations?kind=local_government&lang=es").await;
    assert_eq!(
        ids(&locals),
        ["mexico-city-local-government", "santiago-local-government"]
    );
    let unhcr = get(&app, "/v1/organisations/unhcr?lang=es").await;
    assert_eq!(unhcr["acronym"], "ACNUR");
}

#[tokio::test]
async fn events_are_dated_only_as_precisely_as_the_source_and_recommendations_target_them() {
    let app = spawn_seeded_app().await;
    let events = get(&app, "/v1/events").await;
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
        ids(&get(&app, "/v1/events?from=2023-06-01").await),
        ["global-refugee-forum-2023", "imrf-2026"]
    );
    assert_eq!(
        ids(&get(&app, "/v1/events?to=2022-05-15").await),
        ["multi-stakeholder-hearings-2022-05"]
    );
    assert_eq!(
        ids(&get(&app, "/v1/events?forum=imrf&sort=-date").await),
        ["imrf-2026", "multi-stakeholder-hearings-2022-05"]
    );
    // Today (2026 or later on this machine's clock) the 2026 forum may still be to come; 2022 is past.
    let upcoming = get(&app, "/v1/events?upcoming=true").await;
    assert!(!ids(&upcoming).contains(&"multi-stakeholder-hearings-2022-05"));

    let hearings = get(
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
    let targeting = get(&app, "/v1/recommendations?target_event=imrf-2026").await;
    assert_eq!(ids(&targeting), ["city-access-to-global-deliberations"]);
    let rec = get(
        &app,
        "/v1/recommendations/city-access-to-global-deliberations?include=target_events&lang=es",
    )
    .await;
    assert_eq!(
        rec["target_events"],
        json!(["global-refugee-forum-2023", "imrf-2026"])
    );
    assert_eq!(
        rec["included"]["target_events"][1]["title"],
        "Foro de Examen de la Migración Internacional 2026"
    );
}

#[tokio::test]
async fn the_three_focal_points_have_their_titles_and_emails() {
    let app = spawn_seeded_app().await;
    let contacts = get(&app, "/v1/contacts").await;
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
    let riallant = get(
        &app,
        "/v1/contacts/integrated-city-and-local-solutions-head?lang=fr&include=organisation",
    )
    .await;
    assert_eq!(riallant["given_name"], "Cécile");
    assert_eq!(riallant["honorific"], "ms");
    assert_eq!(riallant["unit"], "Ville intégrée et solutions locales");
    assert_eq!(riallant["included"]["organisation"][0]["acronym"], "OIM");
    let manzano = get(
        &app,
        "/v1/contacts/local-migration-governance-indicators-officer?lang=es",
    )
    .await;
    assert_eq!(
        manzano["focal_point_for"],
        "Indicadores de Gobernanza de la Migración a nivel local"
    );
    assert_eq!(
        ids(&get(&app, "/v1/contacts?organisation=iom").await).len(),
        3
    );
}
