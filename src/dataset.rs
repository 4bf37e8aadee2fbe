//! The built-in dataset: `dataset/iom-lrg.json`, compiled into the binary and loaded through the
//! same validation as API writes. It is loaded on the first start of an empty database and by
//! `iom-lrg-api seed`; either way only records whose ids were never used are created, so edits
//! and deletions made since survive.

use serde_json::{Map, Value};

use crate::api::contacts::Contacts;
use crate::api::engagement_areas::EngagementAreas;
use crate::api::events::Events;
use crate::api::forums::Forums;
use crate::api::frameworks::Frameworks;
use crate::api::funds::Funds;
use crate::api::input::{Checker, is_slug};
use crate::api::institution::Institutions;
use crate::api::migration_domains::MigrationDomains;
use crate::api::organisations::Organisations;
use crate::api::programmes::Programmes;
use crate::api::recommendations::Recommendations;
use crate::api::records::{self, Resource};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, FieldError};
use crate::models::change::{self, Action};
use crate::models::{Lang, now};

/// The dataset, as shipped.
pub const DATASET: &str = include_str!("../dataset/iom-lrg.json");

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    /// Records created.
    pub created: usize,
    /// Records left alone because their id is taken (live, edited or deleted).
    pub kept: usize,
}

/// Why a load wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the dataset is not valid: {}", .0.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("the database failed: {0}")]
    Database(String),
}

impl From<AppError> for SeedError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(errors) => SeedError::Invalid(errors),
            other => SeedError::Database(format!("{other:?}")),
        }
    }
}

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        SeedError::Database(e.to_string())
    }
}

/// The records one collection of the dataset creates, validated, before anything is written.
struct Batch<R: Resource> {
    key: &'static str,
    items: Vec<(usize, String, R::Data)>,
}

fn validate<R: Resource>(
    dataset: &Map<String, Value>,
    key: &'static str,
    errors: &mut Vec<FieldError>,
) -> Batch<R> {
    let items: Vec<Value> = match dataset.get(key) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(one)) => vec![Value::Object(one.clone())],
        _ => {
            errors.push(FieldError::new(format!("/{key}"), "is missing"));
            Vec::new()
        }
    };
    let mut batch = Batch {
        key,
        items: Vec::new(),
    };
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("/{key}/{i}");
        let Some(mut doc) = item.as_object().cloned() else {
            errors.push(FieldError::new(prefix, "must be an object"));
            continue;
        };
        let id = match doc.remove("id") {
            Some(Value::String(id)) if is_slug(&id) => id,
            _ => {
                errors.push(FieldError::new(format!("{prefix}/id"), "must be a slug"));
                continue;
            }
        };
        let mut checker = Checker::new(Lang::En);
        let data = records::validate::<R>(&doc, &mut checker);
        match checker.finish(data) {
            Ok(Some(data)) => batch.items.push((i, id, data)),
            Ok(None) => errors.push(FieldError::new(prefix, "is not valid")),
            Err(AppError::Validation(found)) => errors.extend(
                found
                    .into_iter()
                    .map(|e| FieldError::new(format!("{prefix}{}", e.field), e.message)),
            ),
            Err(other) => errors.push(FieldError::new(prefix, other.to_string())),
        }
    }
    batch
}

/// A deferred check of a created record's references.
type ReferenceCheck =
    Box<dyn Fn(&mut AnyConnection) -> Result<Vec<FieldError>, diesel::result::Error>>;

fn insert<R: Resource>(
    conn: &mut AnyConnection,
    batch: &Batch<R>,
    report: &mut SeedReport,
    created: &mut Vec<ReferenceCheck>,
) -> Result<(), SeedError> {
    for (i, id, data) in &batch.items {
        if R::id_taken(conn, id)? {
            report.kept += 1;
            continue;
        }
        let at = now();
        R::insert(conn, id, data, at)?;
        change::record(conn, R::COLLECTION, id, Action::Created, 1, at, None)?;
        report.created += 1;
        let (data, prefix) = (data.clone(), format!("/{}/{i}", batch.key));
        created.push(Box::new(move |conn| {
            Ok(R::unknown_references(conn, &data)?
                .into_iter()
                .map(|e| FieldError::new(format!("{prefix}{}", e.field), e.message))
                .collect())
        }));
    }
    Ok(())
}

/// Loads the records of `json` whose ids were never used, all or nothing, in one transaction.
pub fn seed_from(conn: &mut AnyConnection, json: &str) -> Result<SeedReport, SeedError> {
    let dataset: Map<String, Value> = serde_json::from_str(json).map_err(|e| {
        SeedError::Invalid(vec![FieldError::new("", format!("not valid JSON: {e}"))])
    })?;
    let mut errors = Vec::new();
    // Creation order: what others point to comes first, so the change feed reads naturally.
    let organisations = validate::<Organisations>(&dataset, "organisations", &mut errors);
    let frameworks = validate::<Frameworks>(&dataset, "frameworks", &mut errors);
    let domains = validate::<MigrationDomains>(&dataset, "migration_domains", &mut errors);
    let areas = validate::<EngagementAreas>(&dataset, "engagement_areas", &mut errors);
    let funds = validate::<Funds>(&dataset, "funds", &mut errors);
    let forums = validate::<Forums>(&dataset, "forums", &mut errors);
    let events = validate::<Events>(&dataset, "events", &mut errors);
    let recommendations = validate::<Recommendations>(&dataset, "recommendations", &mut errors);
    let programmes = validate::<Programmes>(&dataset, "programmes", &mut errors);
    let contacts = validate::<Contacts>(&dataset, "contacts", &mut errors);
    let institution = validate::<Institutions>(&dataset, "institution", &mut errors);
    if !errors.is_empty() {
        return Err(SeedError::Invalid(errors));
    }
    db::write_transaction(conn, |conn| {
        let mut report = SeedReport::default();
        let mut checks = Vec::new();
        insert(conn, &organisations, &mut report, &mut checks)?;
        insert(conn, &frameworks, &mut report, &mut checks)?;
        insert(conn, &domains, &mut report, &mut checks)?;
        insert(conn, &areas, &mut report, &mut checks)?;
        insert(conn, &funds, &mut report, &mut checks)?;
        insert(conn, &forums, &mut report, &mut checks)?;
        insert(conn, &events, &mut report, &mut checks)?;
        insert(conn, &recommendations, &mut report, &mut checks)?;
        insert(conn, &programmes, &mut report, &mut checks)?;
        insert(conn, &contacts, &mut report, &mut checks)?;
        insert(conn, &institution, &mut report, &mut checks)?;
        // References are checked once everything is in, so records may point to each other.
        let mut unknown = Vec::new();
        for check in &checks {
            unknown.extend(check(conn)?);
        }
        if unknown.is_empty() {
            Ok(report)
        } else {
            Err(SeedError::Invalid(unknown))
        }
    })
}

/// Loads the built-in dataset (records whose ids were never used).
pub fn seed(conn: &mut AnyConnection) -> Result<SeedReport, SeedError> {
    seed_from(conn, DATASET)
}

/// Loads the built-in dataset into a database that has never held any record (its change feed
/// is empty); does nothing otherwise.
pub fn seed_if_new(conn: &mut AnyConnection) -> Result<Option<SeedReport>, SeedError> {
    if change::last_seq(conn)? > 0 {
        return Ok(None);
    }
    seed(conn).map(Some)
}
