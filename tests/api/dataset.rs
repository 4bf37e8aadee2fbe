//! The built-in dataset as a whole: seeding a new database once (and never again over what users
//! changed), an invalid dataset writing nothing, and every collection holding the source's
//! records in three languages. Each resource's own facts are tested in that resource's file.

use serde_json::{Value, json};

use crate::helpers::{get_ok, spawn_seeded_app};

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
        let page = get_ok(&app, &format!("/v1/{collection}?count=true&limit=100")).await;
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
async fn restarting_never_reloads_over_what_users_changed_and_seed_adds_only_what_is_missing() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let first = iom_lrg_api::records::dataset::seed_if_new(&mut conn)
        .unwrap()
        .unwrap();
    assert_eq!(first.created, 36);
    assert_eq!(
        iom_lrg_api::records::dataset::seed_if_new(&mut conn).unwrap(),
        None,
        "a used database is not seeded again"
    );
    let again = iom_lrg_api::records::dataset::seed(&mut conn).unwrap();
    assert_eq!((again.created, again.kept), (0, 36));
}

#[tokio::test]
async fn an_invalid_dataset_writes_nothing_and_says_where() {
    let (url, _dir) = crate::helpers::fresh_database();
    let pool = crate::helpers::open_pool(&url);
    let mut conn = pool.get().unwrap();
    let mut dataset: Value = serde_json::from_str(iom_lrg_api::records::dataset::DATASET).unwrap();
    dataset["contacts"][1]["email"] = json!("broken");
    dataset["programmes"][0]["fund"] = json!("no-such-fund");
    let error = iom_lrg_api::records::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/contacts/1/email"), "{error}");
    dataset["contacts"][1]["email"] = json!("ymanzano@iom.int");
    let error = iom_lrg_api::records::dataset::seed_from(&mut conn, &dataset.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("/programmes/0/fund"), "{error}");
    assert_eq!(
        iom_lrg_api::models::change::last_seq(&mut conn).unwrap(),
        0,
        "nothing was written"
    );
}

/// A database seeded by an older release takes the dataset's corrections with `seed --update`
/// (through the engine: one change-feed entry each), and keeps what was edited through the API.
#[tokio::test]
async fn seed_update_applies_dataset_corrections_to_records_only_the_dataset_wrote() {
    use iom_lrg_api::records::dataset;
    let app = crate::helpers::spawn_app().await;
    let pool = crate::helpers::open_pool(&app.database_url);
    let mut conn = pool.get().unwrap();
    // The release before the corrections.
    let mut old: Value = serde_json::from_str(dataset::DATASET).unwrap();
    let iom = old["organisations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["id"] == "iom")
        .unwrap();
    iom["kind"] = json!("un_agency");
    let imrf = old["forums"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["id"] == "imrf")
        .unwrap();
    imrf["acronym"] = json!({"en": "IMRF", "fr": "IMRF", "es": "IMRF"});
    let contact = old["contacts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "integrated-city-and-local-solutions-head")
        .unwrap();
    contact["department"]["en"] = json!("Department of Peace and Development Cooperation");
    assert_eq!(
        dataset::seed_from(&mut conn, &old.to_string())
            .unwrap()
            .created,
        36
    );
    let head = iom_lrg_api::models::change::last_seq(&mut conn).unwrap();
    // Plain seed applies nothing over used ids.
    let again = dataset::seed(&mut conn).unwrap();
    assert_eq!((again.created, again.updated, again.kept), (0, 0, 36));
    assert_eq!(
        iom_lrg_api::models::change::last_seq(&mut conn).unwrap(),
        head
    );
    drop(conn);

    // Someone edits the contact through the API: it is theirs now.
    let response = app
        .patch_json(
            "/v1/contacts/integrated-city-and-local-solutions-head",
            &json!({"unit": {"en": "Integrated City and Local Solutions Unit"}}),
        )
        .await;
    assert_eq!(response.status(), 200);

    let mut conn = pool.get().unwrap();
    let report = dataset::update(&mut conn).unwrap();
    assert_eq!((report.created, report.updated), (0, 2), "{report:?}");
    assert_eq!(report.kept, 34);
    let organisation: Value = app.get("/v1/organisations/iom").await.json().await.unwrap();
    assert_eq!(organisation["kind"], "intergovernmental_organisation");
    let forum: Value = app
        .get("/v1/forums/imrf?lang=es")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(forum["acronym"], "FEMI");
    let person: Value = app
        .get("/v1/contacts/integrated-city-and-local-solutions-head")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        person["department"],
        "Department of Peace and Development Cooperation"
    );
    // The API's edit, then one feed entry per correction.
    let feed: Value = app
        .get(&format!("/v1/changes?since={head}"))
        .await
        .json()
        .await
        .unwrap();
    let entries: Vec<(String, String, String)> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["collection"].as_str().unwrap().to_owned(),
                e["id"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "contacts".into(),
                "integrated-city-and-local-solutions-head".into(),
                "updated".into()
            ),
            ("organisations".into(), "iom".into(), "updated".into()),
            ("forums".into(), "imrf".into(), "updated".into()),
        ]
    );
    // Running it again changes nothing.
    let mut conn = pool.get().unwrap();
    assert_eq!(dataset::update(&mut conn).unwrap().updated, 0);
}

/// The content corrections of the dataset, as readers see them in each language.
#[tokio::test]
async fn the_dataset_corrections_read_right_in_every_language() {
    let app = spawn_seeded_app().await;
    let get = |path: String| {
        let app = &app;
        async move { get_ok(app, &path).await }
    };
    for (forum, en, other) in [("imrf", "IMRF", "FEMI"), ("gfmd", "GFMD", "FMMD")] {
        let all = get(format!("/v1/forums/{forum}?lang=all")).await;
        assert_eq!(all["acronym"], json!({"en": en, "fr": other, "es": other}));
    }
    for lang in ["fr", "es"] {
        for path in [
            "/v1/forums/mayors-mechanism",
            "/v1/events/multi-stakeholder-hearings-2022-05",
        ] {
            let text = get(format!("{path}?lang={lang}")).await["description"].to_string();
            assert!(
                !text.contains("IMRF") && !text.contains("GFMD"),
                "{path} {lang}: {text}"
            );
        }
    }
    let iom = get("/v1/organisations/iom".into()).await;
    assert_eq!(iom["kind"], "intergovernmental_organisation");
    let head = get("/v1/contacts/integrated-city-and-local-solutions-head?lang=all".into()).await;
    assert_eq!(
        head["department"],
        json!({
            "en": "Department of Peace and Development Coordination",
            "fr": "Département de la paix et de la coordination du développement",
            "es": "Departamento de Paz y Coordinación del Desarrollo"
        })
    );
    for id in [
        "external-relations-policy-officer",
        "local-migration-governance-indicators-officer",
    ] {
        let officer = get(format!("/v1/contacts/{id}?lang=fr")).await;
        assert_eq!(officer["job_title"], "Chargée des politiques migratoires");
    }
    for id in ["global-refugee-forum-2023", "imrf-2026"] {
        let fr = get(format!("/v1/events/{id}?lang=fr")).await["description"].to_string();
        let es = get(format!("/v1/events/{id}?lang=es")).await["description"].to_string();
        assert!(
            !fr.contains("(en mai 2022)") && fr.contains("à la date de mai 2022"),
            "{fr}"
        );
        assert!(
            !es.contains("(en mayo de 2022)") && es.contains("a mayo de 2022"),
            "{es}"
        );
    }
    let hearings = get("/v1/events/multi-stakeholder-hearings-2022-05?lang=es".into()).await;
    assert!(
        hearings["title"]
            .as_str()
            .unwrap()
            .starts_with("Audiencias oficiosas de múltiples interesados"),
        "{hearings}"
    );
    let fund = get("/v1/funds/mmptf?lang=fr".into()).await;
    assert!(
        fund["gcm_alignment"]
            .as_str()
            .unwrap()
            .contains("approches centrées"),
        "{fund}"
    );
    // Sources name the page a reader can find, in the reader's language, not a file.
    let fund = get("/v1/funds/mmptf?lang=fr".into()).await;
    assert_eq!(
        fund["sources"][0]["title"],
        "Engagement de l'OIM auprès des gouvernements locaux et régionaux et des acteurs locaux"
    );
    assert_eq!(
        fund["sources"][0]["publisher"],
        "Organisation internationale pour les migrations (OIM)"
    );
    assert_eq!(fund["sources"][0]["document"], Value::Null);
    let institution = get("/v1/institution?lang=es".into()).await;
    assert!(
        institution["key_figures"][0]["source"]
            .as_str()
            .unwrap()
            .starts_with("OIM, Compromiso de la OIM"),
        "{institution}"
    );
    assert!(
        head["sources"][0]["note"]["en"]
            .as_str()
            .unwrap()
            .contains("translation slip")
    );
    // Still nothing missing in any language.
    for collection in ["forums", "events", "contacts", "funds", "organisations"] {
        let page = get(format!("/v1/{collection}?limit=100")).await;
        for record in page["data"].as_array().unwrap() {
            assert_eq!(
                record["missing_languages"],
                json!([]),
                "{collection}: {record}"
            );
        }
    }
}

/// Embedded records read as the records do: once each, in their collection's order, and every
/// feed entry says where its record is.
#[tokio::test]
async fn includes_embed_each_record_once_in_order_and_feed_entries_point_to_their_record() {
    let app = spawn_seeded_app().await;
    let iom = get_ok(&app, "/v1/organisations/iom?include=related").await;
    let related: Vec<&str> = iom["included"]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        related,
        ["un-network-on-migration"],
        "named in two roles, embedded once"
    );
    let event = get_ok(
        &app,
        "/v1/events/multi-stakeholder-hearings-2022-05?include=recommendations",
    )
    .await;
    let positions: Vec<i64> = event["included"]["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2], "{event}");
    let feed = get_ok(&app, "/v1/changes?limit=100").await;
    for entry in feed["data"].as_array().unwrap() {
        let href = entry["href"].as_str().unwrap();
        let expected = if entry["collection"] == "institution" {
            "/v1/institution".to_owned()
        } else {
            format!(
                "/v1/{}/{}",
                entry["collection"].as_str().unwrap(),
                entry["id"].as_str().unwrap()
            )
        };
        assert_eq!(href, expected);
        let response = app.get(href).await;
        assert_eq!(response.status(), 200, "{href}");
    }
}
