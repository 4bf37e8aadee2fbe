//! `iom-lrg-api generate`: a synthetic dataset for benchmarks and scale tests.
//!
//! Realistic in shape: local-government organisations in real cities, and programmes in three
//! languages that work there, with IATI statuses, dates, budgets, one to three participating
//! organisations, the built-in fund and engagement areas. Deterministic: the same seed and size
//! give the same records (ChaCha8, whose stream is fixed across platforms and releases).
//! Programmes go in with multi-row INSERTs, 10,000 per transaction.

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::relations::links;
use crate::db::{self, AnyConnection};
use crate::models::change::{self, Action};
use crate::models::organisation::{OrganisationData, OrganisationTable};
use crate::models::programme::{self, Budget, Location, Participation, ProgrammeData};
use crate::models::{Named, Store, Text, now};

/// Programmes written per transaction.
const TRANSACTION: usize = 10_000;

/// What a run created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerateReport {
    pub organisations: u64,
    pub programmes: u64,
}

/// Why a run stopped (what was committed before stays).
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("the database failed: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("the built-in dataset could not be loaded: {0}")]
    Seed(String),
    #[error(
        "this database already holds generated records (gen-...); generate into a new database"
    )]
    AlreadyGenerated,
}

/// (city, country, English, French, Spanish name where they differ).
const CITIES: [(&str, &str, &str, &str); 40] = [
    ("Santiago", "CL", "Santiago", "Santiago"),
    ("Mexico City", "MX", "Mexico", "Ciudad de México"),
    ("Bogotá", "CO", "Bogotá", "Bogotá"),
    ("Lima", "PE", "Lima", "Lima"),
    ("Quito", "EC", "Quito", "Quito"),
    ("São Paulo", "BR", "São Paulo", "São Paulo"),
    ("Buenos Aires", "AR", "Buenos Aires", "Buenos Aires"),
    ("Guatemala City", "GT", "Guatemala", "Ciudad de Guatemala"),
    ("Tijuana", "MX", "Tijuana", "Tijuana"),
    ("Montréal", "CA", "Montréal", "Montreal"),
    ("Dakar", "SN", "Dakar", "Dakar"),
    ("Abidjan", "CI", "Abidjan", "Abiyán"),
    ("Niamey", "NE", "Niamey", "Niamey"),
    ("Agadez", "NE", "Agadez", "Agadez"),
    ("Bamako", "ML", "Bamako", "Bamako"),
    ("Casablanca", "MA", "Casablanca", "Casablanca"),
    ("Tunis", "TN", "Tunis", "Túnez"),
    ("Nairobi", "KE", "Nairobi", "Nairobi"),
    ("Kampala", "UG", "Kampala", "Kampala"),
    ("Addis Ababa", "ET", "Addis-Abeba", "Adís Abeba"),
    ("Johannesburg", "ZA", "Johannesburg", "Johannesburgo"),
    ("Accra", "GH", "Accra", "Acra"),
    ("Amman", "JO", "Amman", "Amán"),
    ("Beirut", "LB", "Beyrouth", "Beirut"),
    ("Gaziantep", "TR", "Gaziantep", "Gaziantep"),
    ("Athens", "GR", "Athènes", "Atenas"),
    ("Milan", "IT", "Milan", "Milán"),
    ("Barcelona", "ES", "Barcelone", "Barcelona"),
    ("Lyon", "FR", "Lyon", "Lyon"),
    ("Brussels", "BE", "Bruxelles", "Bruselas"),
    ("Geneva", "CH", "Genève", "Ginebra"),
    ("Dhaka", "BD", "Dacca", "Daca"),
    ("Manila", "PH", "Manille", "Manila"),
    ("Jakarta", "ID", "Jakarta", "Yakarta"),
    ("Kathmandu", "NP", "Katmandou", "Katmandú"),
    ("Karachi", "PK", "Karachi", "Karachi"),
    ("Colombo", "LK", "Colombo", "Colombo"),
    ("Suva", "FJ", "Suva", "Suva"),
    ("Port Moresby", "PG", "Port Moresby", "Port Moresby"),
    ("Erbil", "IQ", "Erbil", "Erbil"),
];

/// (English, French, Spanish) programme themes.
const THEMES: [(&str, &str, &str); 12] = [
    ("Decent work", "Travail décent", "Trabajo decente"),
    (
        "Labour inclusion",
        "Insertion professionnelle",
        "Inclusión laboral",
    ),
    (
        "Access to health care",
        "Accès aux soins de santé",
        "Acceso a la atención de salud",
    ),
    ("Social cohesion", "Cohésion sociale", "Cohesión social"),
    (
        "Housing and urban services",
        "Logement et services urbains",
        "Vivienda y servicios urbanos",
    ),
    (
        "Climate resilience",
        "Résilience climatique",
        "Resiliencia climática",
    ),
    ("Migration data", "Données migratoires", "Datos migratorios"),
    (
        "Skills recognition",
        "Reconnaissance des compétences",
        "Reconocimiento de competencias",
    ),
    (
        "Local migration governance",
        "Gouvernance locale des migrations",
        "Gobernanza local de la migración",
    ),
    (
        "Return and reintegration",
        "Retour et réintégration",
        "Retorno y reintegración",
    ),
    (
        "Diaspora engagement",
        "Mobilisation de la diaspora",
        "Participación de la diáspora",
    ),
    (
        "Protection of children on the move",
        "Protection des enfants en déplacement",
        "Protección de la niñez en movimiento",
    ),
];

/// (English, French, Spanish) groups served.
const GROUPS: [(&str, &str, &str); 8] = [
    (
        "migrants and refugees",
        "des migrants et des réfugiés",
        "personas migrantes y refugiadas",
    ),
    ("migrant women", "des femmes migrantes", "mujeres migrantes"),
    ("young migrants", "des jeunes migrants", "jóvenes migrantes"),
    (
        "returning migrants",
        "des migrants de retour",
        "migrantes retornados",
    ),
    (
        "host communities",
        "des communautés d'accueil",
        "comunidades de acogida",
    ),
    (
        "displaced families",
        "des familles déplacées",
        "familias desplazadas",
    ),
    (
        "migrant workers",
        "des travailleurs migrants",
        "trabajadores migrantes",
    ),
    (
        "local authorities",
        "des autorités locales",
        "autoridades locales",
    ),
];

const ENGAGEMENT_AREAS: [&str; 5] = [
    "integrate-migration-into-policies",
    "address-drivers-and-structural-challenges",
    "maximize-migrants-skills-and-diversity",
    "empower-local-administrators-and-actors",
    "foster-local-national-coordination",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn organisation(i: u64) -> (String, OrganisationData) {
    let (city, country, fr, es) = CITIES[i as usize % CITIES.len()];
    let district = i / CITIES.len() as u64 + 1;
    (
        format!("gen-org-{i:06}"),
        OrganisationData {
            name: Text {
                en: format!("{city} local government, district {district}"),
                fr: Some(format!("Gouvernement local de {fr}, district {district}")),
                es: Some(format!("Gobierno local de {es}, distrito {district}")),
            },
            acronym: None,
            kind: "local_government".to_owned(),
            country: Some(country.to_owned()),
            description: None,
            website: None,
            relations: Vec::new(),
            sources: Vec::new(),
        },
    )
}

fn programme(rng: &mut ChaCha8Rng, organisations: u64) -> ProgrammeData {
    let org = rng.random_range(0..organisations);
    let (city, country, city_fr, city_es) = CITIES[org as usize % CITIES.len()];
    let theme = pick(rng, &THEMES);
    let group = pick(rng, &GROUPS);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
        + Duration::days(rng.random_range(0..4000));
    let end = start + Duration::days(rng.random_range(180..1500));
    let status = *pick(
        rng,
        &[
            "pipeline",
            "implementation",
            "implementation",
            "finalisation",
            "closed",
            "closed",
        ],
    );
    let mut participating = vec![Participation {
        organisation: format!("gen-org-{org:06}"),
        role: "implementing".to_owned(),
    }];
    for _ in 0..rng.random_range(0..3) {
        let other = format!("gen-org-{:06}", rng.random_range(0..organisations));
        if participating.iter().all(|p| p.organisation != other) {
            participating.push(Participation {
                organisation: other,
                role: "implementing".to_owned(),
            });
        }
    }
    if rng.random_bool(0.5) {
        participating.push(Participation {
            organisation: "iom".to_owned(),
            role: "accountable".to_owned(),
        });
    }
    let mut areas: Vec<String> = Vec::new();
    for _ in 0..rng.random_range(0..3) {
        let area = (*pick(rng, &ENGAGEMENT_AREAS)).to_owned();
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    let title = Text {
        en: format!("{} for {} in {city}", theme.0, group.0),
        fr: Some(format!("{} {} à {city_fr}", theme.1, group.1)),
        es: Some(format!("{} para {} en {city_es}", theme.2, group.2)),
    };
    let summary = Text {
        en: format!(
            "The local government of {city} and its partners work on {} with {}.",
            theme.0.to_lowercase(),
            group.0
        ),
        fr: Some(format!(
            "Le gouvernement local de {city_fr} et ses partenaires travaillent sur {} au service {}.",
            theme.1.to_lowercase(),
            group.1
        )),
        es: Some(format!(
            "El gobierno local de {city_es} y sus socios trabajan en {} con {}.",
            theme.2.to_lowercase(),
            group.2
        )),
    };
    ProgrammeData {
        iati_identifier: None,
        title,
        summary: Some(summary),
        description: None,
        status: Some(status.to_owned()),
        planned_start: Some(start),
        planned_end: Some(end),
        actual_start: (status != "pipeline").then_some(start),
        actual_end: (status == "closed").then_some(end),
        recipient_countries: vec![country.to_owned()],
        locations: vec![Location {
            name: Text {
                en: city.to_owned(),
                fr: Some(city_fr.to_owned()),
                es: Some(city_es.to_owned()),
            },
            country: country.to_owned(),
            latitude: None,
            longitude: None,
        }],
        participating_organisations: participating,
        fund: rng.random_bool(0.3).then(|| "mmptf".to_owned()),
        engagement_areas: areas,
        budget: Some(Budget {
            amount: f64::from(rng.random_range(20u32..5_000)) * 1_000.0,
            currency: "USD".to_owned(),
        }),
        links: Vec::new(),
        sources: Vec::new(),
    }
}

/// Writes `programmes` generated programmes (and one local government per 50 of them, at least
/// 10) into the database, after the built-in dataset when the database is new.
pub fn generate(
    conn: &mut AnyConnection,
    programmes: u64,
    seed: u64,
) -> Result<GenerateReport, GenerateError> {
    if change::last_seq(conn)? == 0 {
        super::dataset::seed(conn).map_err(|e| GenerateError::Seed(e.to_string()))?;
    }
    if OrganisationTable::id_taken(conn, "gen-org-000000")? {
        return Err(GenerateError::AlreadyGenerated);
    }
    let organisations = (programmes / 50).max(10);
    let at = now();
    db::write_transaction(conn, |conn| {
        for i in 0..organisations {
            let (id, data) = organisation(i);
            OrganisationTable::insert(conn, &id, &data, &links(&data), at)?;
            change::record(
                conn,
                OrganisationData::NAME,
                &id,
                Action::Created,
                1,
                at,
                None,
            )?;
        }
        Ok::<_, GenerateError>(())
    })?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut progress = super::transfer::Progress::stderr("generating", programmes);
    let mut next = 0u64;
    while next < programmes {
        let n = (programmes - next).min(TRANSACTION as u64);
        let batch: Vec<(String, ProgrammeData, _)> = (next..next + n)
            .map(|i| {
                let data = programme(&mut rng, organisations);
                let links = links(&data);
                (format!("gen-{i:07}"), data, links)
            })
            .collect();
        db::write_transaction(conn, |conn| {
            programme::insert_many(conn, &batch, at)?;
            let ids: Vec<&str> = batch.iter().map(|(id, _, _)| id.as_str()).collect();
            change::record_created_many(conn, ProgrammeData::NAME, &ids, at)?;
            Ok::<_, GenerateError>(())
        })?;
        next += n;
        progress.inc(n);
    }
    progress.finish();
    crate::models::tally::compact(conn)?;
    db::analyze(conn)?;
    Ok(GenerateReport {
        organisations,
        programmes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_programmes() {
        let mut a = ChaCha8Rng::seed_from_u64(7);
        let mut b = ChaCha8Rng::seed_from_u64(7);
        let mut c = ChaCha8Rng::seed_from_u64(8);
        let first: Vec<ProgrammeData> = (0..20).map(|_| programme(&mut a, 100)).collect();
        let again: Vec<ProgrammeData> = (0..20).map(|_| programme(&mut b, 100)).collect();
        let other: Vec<ProgrammeData> = (0..20).map(|_| programme(&mut c, 100)).collect();
        assert_eq!(first, again);
        assert_ne!(first, other);
    }
}
