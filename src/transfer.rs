//! Export and import of the whole dataset.
//!
//! An export is NDJSON: a header line `{"format": "iom-lrg-export", "format_version": 1,
//! "seq": N, "exported_at": ..., "counts": {...}}` stamped with the change-feed seq it was taken
//! at (read in one snapshot with the records, so a mirror can load it and follow the feed from
//! `since=N`), then one line per record, deleted ones included (they keep their ids), in an
//! order where what is pointed to comes first:
//! `{"collection", "id", "version", "created_at", "updated_at", "deleted_at", "data"}`, where
//! `data` is the record's writable document with every language.
//!
//! An import reads that NDJSON, or JSON in the shape of the built-in dataset
//! (`{"programmes": [{"id": ..., ...}], ...}`, records created now at version 1). Every record is
//! validated as an API write would be, and every problem is reported (with its line, or its
//! JSON Pointer), before anything is written; then everything is written in one transaction,
//! with the record's own instants and version, and one change-feed entry per record. An id that
//! is already used in the database is a problem, so an import never overwrites.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::QueryResult;
use diesel::prelude::*;
use serde_json::{Map, Value, json};

use crate::api::contacts::Contacts;
use crate::api::engagement_areas::EngagementAreas;
use crate::api::events::Events;
use crate::api::forums::Forums;
use crate::api::frameworks::Frameworks;
use crate::api::funds::Funds;
use crate::api::input::{Checker, is_slug};
use crate::api::instant;
use crate::api::institution::Institutions;
use crate::api::migration_domains::MigrationDomains;
use crate::api::organisations::Organisations;
use crate::api::programmes::Programmes;
use crate::api::recommendations::Recommendations;
use crate::api::records::{self, Resource};
use crate::api::registry::dispatch;
use crate::db::{self, AnyConnection};
use crate::error::AppError;
use crate::models::change::{self, Action};
use crate::models::{Lang, Meta, now, search};

/// The `format` of an export's header line.
pub const FORMAT: &str = "iom-lrg-export";
/// The version of that format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Records read per query while exporting.
const PAGE: i64 = 500;

/// Every collection, in the order exports write them and imports create them: what others
/// point to comes first.
pub const ORDER: [&str; 11] = [
    "organisations",
    "frameworks",
    "migration-domains",
    "engagement-areas",
    "funds",
    "forums",
    "events",
    "recommendations",
    "programmes",
    "contacts",
    "institution",
];

/// Reports how far a long export or import is: a bar on a terminal, a plain line every few
/// seconds otherwise (logs, CI), nothing when quiet.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    label: &'static str,
    total: u64,
    done: u64,
    last: Instant,
}

impl Progress {
    /// Progress for `total` records, drawn on stderr.
    pub fn stderr(label: &'static str, total: u64) -> Self {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} records ({per_sec}, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label);
            bar
        });
        Self {
            bar,
            plain: !terminal,
            label,
            total,
            done: 0,
            last: Instant::now(),
        }
    }

    /// No output (the HTTP export, tests).
    pub fn quiet() -> Self {
        Self {
            bar: None,
            plain: false,
            label: "",
            total: 0,
            done: 0,
            last: Instant::now(),
        }
    }

    pub fn inc(&mut self, n: u64) {
        self.done += n;
        if let Some(bar) = &self.bar {
            bar.inc(n);
        } else if self.plain && self.last.elapsed() >= Duration::from_secs(2) {
            self.last = Instant::now();
            eprintln!("{}: {}/{} records", self.label, self.done, self.total);
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        } else if self.plain {
            eprintln!("{}: {}/{} records, done", self.label, self.done, self.total);
        }
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the database failed: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

/// How many records (deleted ones too) each collection holds.
pub fn counts(conn: &mut AnyConnection) -> QueryResult<BTreeMap<&'static str, i64>> {
    use crate::db::schema::{documents, organisations, programmes};
    let mut out = BTreeMap::new();
    for collection in ORDER {
        let n = match collection {
            "programmes" => programmes::table.count().get_result(conn)?,
            "organisations" => organisations::table.count().get_result(conn)?,
            other => documents::table
                .filter(documents::collection.eq(other))
                .count()
                .get_result(conn)?,
        };
        out.insert(collection, n);
    }
    Ok(out)
}

fn line<R: Resource>(record: &R::Record) -> Result<Vec<u8>, ExportError> {
    let meta = R::meta(record);
    let value = json!({
        "collection": R::COLLECTION,
        "id": R::id(record),
        "version": meta.version,
        "created_at": instant(&meta.created_at),
        "updated_at": instant(&meta.updated_at),
        "deleted_at": meta.deleted_at.as_ref().map(instant),
        "data": R::data(record),
    });
    let mut bytes = serde_json::to_vec(&value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn export_collection<R: Resource>(
    conn: &mut AnyConnection,
    out: &mut dyn Write,
    progress: &mut Progress,
) -> Result<u64, ExportError> {
    let mut after: Option<String> = None;
    let mut written = 0;
    loop {
        let records = R::page(conn, after.as_deref(), PAGE)?;
        let Some(last) = records.last() else {
            return Ok(written);
        };
        after = Some(R::id(last).to_owned());
        for record in &records {
            out.write_all(&line::<R>(record)?)?;
        }
        written += records.len() as u64;
        progress.inc(records.len() as u64);
        if (records.len() as i64) < PAGE {
            return Ok(written);
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub seq: i64,
    pub records: u64,
}

/// Writes the whole dataset to `out`, from one snapshot of the database. `progress` is made
/// once the number of records is known.
pub fn export(
    conn: &mut AnyConnection,
    out: &mut dyn Write,
    progress: impl FnOnce(u64) -> Progress,
) -> Result<ExportSummary, ExportError> {
    db::read_transaction(conn, |conn| {
        let seq = change::last_seq(conn)?;
        let counts = counts(conn)?;
        let total: i64 = counts.values().sum();
        let mut progress = progress(u64::try_from(total).unwrap_or(0));
        let header = json!({
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "seq": seq,
            "exported_at": instant(&now()),
            "counts": counts,
        });
        out.write_all(header.to_string().as_bytes())?;
        out.write_all(b"\n")?;
        let mut records = 0;
        for collection in ORDER {
            records += dispatch!(
                collection,
                export_collection(conn, out, &mut progress),
                otherwise Ok(0)
            )?;
        }
        out.flush()?;
        progress.finish();
        Ok(ExportSummary { seq, records })
    })
}

/// Where a record of an import is, for its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of NDJSON (from 1).
    Line(usize),
    /// A JSON Pointer into a JSON dataset.
    Pointer(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Pointer(p) => write!(f, "{p}"),
        }
    }
}

/// One thing wrong with an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub place: Place,
    /// A JSON Pointer into the record, empty for the whole record.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.place, self.message)
        } else {
            write!(f, "{}: {} {}", self.place, self.field, self.message)
        }
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} problem(s); nothing was imported:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ImportProblem>),
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("the database failed: {0}")]
    Database(String),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Database(e.to_string())
    }
}

/// A record read from an import, not yet validated.
struct Incoming {
    place: Place,
    collection: &'static str,
    id: String,
    doc: Map<String, Value>,
    /// The record's metadata (NDJSON exports); `None` creates it now.
    meta: Option<Meta>,
}

fn problem(place: &Place, field: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        place: place.clone(),
        field: field.to_owned(),
        message: message.into(),
    }
}

fn parse_instant(value: &Value) -> Option<NaiveDateTime> {
    let text = value.as_str()?;
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.fZ").ok()
}

/// Reads one NDJSON record line.
fn read_line(place: Place, text: &str, problems: &mut Vec<ImportProblem>) -> Option<Incoming> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(problem(&place, "", format!("is not JSON: {e}")));
            return None;
        }
    };
    let Value::Object(mut object) = value else {
        problems.push(problem(&place, "", "must be a JSON object"));
        return None;
    };
    let mut ok = true;
    let collection = match object.get("collection").and_then(Value::as_str) {
        Some(c) => ORDER.iter().copied().find(|known| *known == c),
        None => None,
    };
    if collection.is_none() {
        problems.push(problem(
            &place,
            "/collection",
            format!("must be one of: {}", ORDER.join(", ")),
        ));
        ok = false;
    }
    let id = match object.get("id").and_then(Value::as_str) {
        Some(id) if is_slug(id) => id.to_owned(),
        _ => {
            problems.push(problem(&place, "/id", "must be an id (a slug)"));
            ok = false;
            String::new()
        }
    };
    let version = object
        .get("version")
        .and_then(Value::as_i64)
        .and_then(|v| i32::try_from(v).ok())
        .filter(|v| *v >= 1);
    if version.is_none() {
        problems.push(problem(
            &place,
            "/version",
            "must be a whole number, 1 or more",
        ));
        ok = false;
    }
    let created_at = parse_instant(&object["created_at"]);
    let updated_at = parse_instant(&object["updated_at"]);
    for (name, value) in [("created_at", created_at), ("updated_at", updated_at)] {
        if value.is_none() {
            problems.push(problem(
                &place,
                &format!("/{name}"),
                "must be an instant like 2026-01-01T00:00:00.000000Z",
            ));
            ok = false;
        }
    }
    let deleted_at = match &object.get("deleted_at") {
        None | Some(Value::Null) => None,
        Some(v) => match parse_instant(v) {
            Some(t) => Some(t),
            None => {
                problems.push(problem(&place, "/deleted_at", "must be null or an instant"));
                ok = false;
                None
            }
        },
    };
    let doc = match object.remove("data") {
        Some(Value::Object(doc)) => doc,
        _ => {
            problems.push(problem(&place, "/data", "must be an object"));
            return None;
        }
    };
    let known = [
        "collection",
        "id",
        "version",
        "created_at",
        "updated_at",
        "deleted_at",
    ];
    for name in object.keys() {
        if !known.contains(&name.as_str()) {
            problems.push(problem(
                &place,
                &format!("/{name}"),
                "is not a member of an export line",
            ));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(Incoming {
        place,
        collection: collection?,
        id,
        doc,
        meta: Some(Meta {
            created_at: created_at?,
            updated_at: updated_at?,
            version: version?,
            deleted_at,
        }),
    })
}

/// The dataset's keys (as in `dataset/iom-lrg.json`) and the collections they hold.
const DATASET_KEYS: [(&str, &str); 11] = [
    ("organisations", "organisations"),
    ("frameworks", "frameworks"),
    ("migration_domains", "migration-domains"),
    ("engagement_areas", "engagement-areas"),
    ("funds", "funds"),
    ("forums", "forums"),
    ("events", "events"),
    ("recommendations", "recommendations"),
    ("programmes", "programmes"),
    ("contacts", "contacts"),
    ("institution", "institution"),
];

fn read_dataset(text: &str, problems: &mut Vec<ImportProblem>) -> Vec<Incoming> {
    let root = Place::Pointer(String::new());
    let dataset: Map<String, Value> = match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            problems.push(problem(&root, "", "must be a JSON object of collections"));
            return Vec::new();
        }
        Err(e) => {
            problems.push(problem(&root, "", format!("is not JSON: {e}")));
            return Vec::new();
        }
    };
    for key in dataset.keys() {
        if !DATASET_KEYS.iter().any(|(k, _)| k == key) {
            problems.push(problem(
                &Place::Pointer(format!("/{key}")),
                "",
                format!(
                    "is not a collection; the dataset's keys are: {}",
                    DATASET_KEYS.map(|(k, _)| k).join(", ")
                ),
            ));
        }
    }
    let mut out = Vec::new();
    for (key, collection) in DATASET_KEYS {
        let items = match dataset.get(key) {
            None => continue,
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Object(one)) => vec![Value::Object(one.clone())],
            Some(_) => {
                problems.push(problem(
                    &Place::Pointer(format!("/{key}")),
                    "",
                    "must be an array of records",
                ));
                continue;
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            let place = Place::Pointer(format!("/{key}/{i}"));
            let Value::Object(mut doc) = item else {
                problems.push(problem(&place, "", "must be an object"));
                continue;
            };
            match doc.remove("id") {
                Some(Value::String(id)) if is_slug(&id) => out.push(Incoming {
                    place,
                    collection,
                    id,
                    doc,
                    meta: None,
                }),
                _ => problems.push(problem(&place, "/id", "must be an id (a slug)")),
            }
        }
    }
    out
}

/// A validated record, ready to write.
struct Checked<R: Resource> {
    place: Place,
    id: String,
    data: R::Data,
    meta: Option<Meta>,
}

fn check<R: Resource>(incoming: Incoming, problems: &mut Vec<ImportProblem>) -> Option<Checked<R>> {
    let mut checker = Checker::new(Lang::En);
    let data = records::validate::<R>(&incoming.doc, &mut checker);
    match checker.finish(data) {
        Ok(Some(data)) => Some(Checked {
            place: incoming.place,
            id: incoming.id,
            data,
            meta: incoming.meta,
        }),
        Ok(None) => {
            problems.push(problem(&incoming.place, "/data", "is not valid"));
            None
        }
        Err(AppError::Validation(errors)) => {
            let prefix = if matches!(incoming.place, Place::Line(_)) {
                "/data"
            } else {
                ""
            };
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| problem(&incoming.place, &format!("{prefix}{}", e.field), e.message)),
            );
            None
        }
        Err(other) => {
            problems.push(problem(&incoming.place, "", other.to_string()));
            None
        }
    }
}

fn write<R: Resource>(
    conn: &mut AnyConnection,
    record: &Checked<R>,
    problems: &mut Vec<ImportProblem>,
) -> Result<(), ImportError> {
    if R::id_taken(conn, &record.id)? {
        problems.push(problem(
            &record.place,
            "/id",
            format!("'{}' is already used in this database", record.id),
        ));
        return Ok(());
    }
    let meta = record.meta.clone().unwrap_or_else(|| {
        let at = now();
        Meta {
            created_at: at,
            updated_at: at,
            version: 1,
            deleted_at: None,
        }
    });
    let created = R::insert(conn, &record.id, &record.data, meta.created_at)?;
    if meta.deleted_at.is_some() {
        // Written as the delete flow leaves a record: no links, out of the search index.
        R::delete(conn, &created, meta.updated_at)?;
    }
    R::restore_meta(conn, &record.id, &meta)?;
    let action = if meta.deleted_at.is_some() {
        Action::Deleted
    } else {
        Action::Created
    };
    change::record(
        conn,
        R::COLLECTION,
        &record.id,
        action,
        meta.version,
        meta.updated_at,
        None,
    )?;
    Ok(())
}

/// Checks the references of the live records written, once every collection is in (records
/// may point to records written after them).
fn check_references<R: Resource>(
    conn: &mut AnyConnection,
    records: &[Checked<R>],
    problems: &mut Vec<ImportProblem>,
) -> Result<(), ImportError> {
    for record in records {
        if record.meta.as_ref().is_some_and(|m| m.deleted_at.is_some()) {
            continue;
        }
        for e in R::unknown_references(conn, &record.data)? {
            let prefix = if matches!(record.place, Place::Line(_)) {
                "/data"
            } else {
                ""
            };
            problems.push(problem(
                &record.place,
                &format!("{prefix}{}", e.field),
                e.message,
            ));
        }
    }
    Ok(())
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub records: u64,
}

fn validate_all<R: Resource>(
    incoming: Vec<Incoming>,
    problems: &mut Vec<ImportProblem>,
) -> Vec<Checked<R>> {
    incoming
        .into_iter()
        .filter_map(|i| check::<R>(i, problems))
        .collect()
}

fn write_all<R: Resource>(
    conn: &mut AnyConnection,
    records: &[Checked<R>],
    problems: &mut Vec<ImportProblem>,
    progress: &mut Progress,
) -> Result<(), ImportError> {
    for record in records {
        write::<R>(conn, record, problems)?;
        progress.inc(1);
    }
    Ok(())
}

/// Validated records of every collection, in creation order.
struct Plan {
    organisations: Vec<Checked<Organisations>>,
    frameworks: Vec<Checked<Frameworks>>,
    domains: Vec<Checked<MigrationDomains>>,
    areas: Vec<Checked<EngagementAreas>>,
    funds: Vec<Checked<Funds>>,
    forums: Vec<Checked<Forums>>,
    events: Vec<Checked<Events>>,
    recommendations: Vec<Checked<Recommendations>>,
    programmes: Vec<Checked<Programmes>>,
    contacts: Vec<Checked<Contacts>>,
    institution: Vec<Checked<Institutions>>,
}

impl Plan {
    fn len(&self) -> usize {
        self.organisations.len()
            + self.frameworks.len()
            + self.domains.len()
            + self.areas.len()
            + self.funds.len()
            + self.forums.len()
            + self.events.len()
            + self.recommendations.len()
            + self.programmes.len()
            + self.contacts.len()
            + self.institution.len()
    }
}

fn plan(records: Vec<Incoming>, problems: &mut Vec<ImportProblem>) -> Plan {
    let mut by: BTreeMap<&'static str, Vec<Incoming>> = BTreeMap::new();
    let mut seen: HashSet<(&'static str, String)> = HashSet::new();
    for r in records {
        if !seen.insert((r.collection, r.id.clone())) {
            problems.push(problem(
                &r.place,
                "/id",
                format!("'{}' appears twice in {}", r.id, r.collection),
            ));
            continue;
        }
        by.entry(r.collection).or_default().push(r);
    }
    let mut take = |c: &str| by.remove(c).unwrap_or_default();
    Plan {
        organisations: validate_all(take("organisations"), problems),
        frameworks: validate_all(take("frameworks"), problems),
        domains: validate_all(take("migration-domains"), problems),
        areas: validate_all(take("engagement-areas"), problems),
        funds: validate_all(take("funds"), problems),
        forums: validate_all(take("forums"), problems),
        events: validate_all(take("events"), problems),
        recommendations: validate_all(take("recommendations"), problems),
        programmes: validate_all(take("programmes"), problems),
        contacts: validate_all(take("contacts"), problems),
        institution: validate_all(take("institution"), problems),
    }
}

/// Reads an import: NDJSON when the first line is an export header, else a JSON dataset.
fn read(
    reader: &mut dyn BufRead,
    problems: &mut Vec<ImportProblem>,
) -> std::io::Result<Vec<Incoming>> {
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let header: Option<Map<String, Value>> = serde_json::from_str(first.trim())
        .ok()
        .and_then(|v: Value| v.as_object().cloned())
        .filter(|h| h.get("format").and_then(Value::as_str) == Some(FORMAT));
    let Some(header) = header else {
        let mut rest = String::new();
        reader.read_to_string(&mut rest)?;
        return Ok(read_dataset(&(first + &rest), problems));
    };
    if header.get("format_version").and_then(Value::as_u64) != Some(FORMAT_VERSION) {
        problems.push(problem(
            &Place::Line(1),
            "/format_version",
            format!("must be {FORMAT_VERSION}; this build reads version {FORMAT_VERSION} exports"),
        ));
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut number = 1;
    let mut text = String::new();
    loop {
        text.clear();
        if reader.read_line(&mut text)? == 0 {
            break;
        }
        number += 1;
        if text.trim().is_empty() {
            continue;
        }
        if let Some(incoming) = read_line(Place::Line(number), text.trim_end(), problems) {
            out.push(incoming);
        }
    }
    Ok(out)
}

/// Imports a file (NDJSON export or JSON dataset), all or nothing.
pub fn import(
    conn: &mut AnyConnection,
    reader: &mut dyn BufRead,
    progress: impl FnOnce(u64) -> Progress,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Vec::new();
    let incoming = read(reader, &mut problems)?;
    let plan = plan(incoming, &mut problems);
    if !problems.is_empty() {
        // In file order (a stable sort keeps each record's problems in field order).
        problems.sort_by_key(|p| match p.place {
            Place::Line(n) => n,
            Place::Pointer(_) => 0,
        });
        return Err(ImportError::Invalid(problems));
    }
    let total = plan.len() as u64;
    let mut progress = progress(total);
    let result = db::write_transaction(conn, |conn| {
        let p = &mut problems;
        let pr = &mut progress;
        write_all(conn, &plan.organisations, p, pr)?;
        write_all(conn, &plan.frameworks, p, pr)?;
        write_all(conn, &plan.domains, p, pr)?;
        write_all(conn, &plan.areas, p, pr)?;
        write_all(conn, &plan.funds, p, pr)?;
        write_all(conn, &plan.forums, p, pr)?;
        write_all(conn, &plan.events, p, pr)?;
        write_all(conn, &plan.recommendations, p, pr)?;
        write_all(conn, &plan.programmes, p, pr)?;
        write_all(conn, &plan.contacts, p, pr)?;
        write_all(conn, &plan.institution, p, pr)?;
        check_references(conn, &plan.organisations, p)?;
        check_references(conn, &plan.frameworks, p)?;
        check_references(conn, &plan.domains, p)?;
        check_references(conn, &plan.areas, p)?;
        check_references(conn, &plan.funds, p)?;
        check_references(conn, &plan.forums, p)?;
        check_references(conn, &plan.events, p)?;
        check_references(conn, &plan.recommendations, p)?;
        check_references(conn, &plan.programmes, p)?;
        check_references(conn, &plan.contacts, p)?;
        check_references(conn, &plan.institution, p)?;
        if p.is_empty() {
            Ok(())
        } else {
            // Rolls everything back.
            Err(ImportError::Invalid(std::mem::take(p)))
        }
    });
    progress.finish();
    result?;
    db::analyze(conn)?;
    Ok(ImportSummary { records: total })
}

fn reindex_collection<R: Resource>(conn: &mut AnyConnection) -> QueryResult<u64> {
    let mut after: Option<String> = None;
    let mut indexed = 0;
    loop {
        let records = R::page(conn, after.as_deref(), PAGE)?;
        let Some(last) = records.last() else {
            return Ok(indexed);
        };
        after = Some(R::id(last).to_owned());
        for record in &records {
            if R::meta(record).deleted_at.is_none() {
                search::index(
                    conn,
                    R::COLLECTION,
                    R::id(record),
                    &R::search_entries(R::data(record)),
                )?;
                indexed += 1;
            }
        }
        if (records.len() as i64) < PAGE {
            return Ok(indexed);
        }
    }
}

/// Indexes every live record for search when the index is empty but records exist (a database
/// that was migrated from before search). Returns how many records were indexed.
pub fn reindex_if_empty(conn: &mut AnyConnection) -> QueryResult<u64> {
    if !search::is_empty(conn)? || change::last_seq(conn)? == 0 {
        return Ok(0);
    }
    db::write_transaction(conn, |conn| {
        let mut n = 0;
        for collection in ORDER {
            n += dispatch!(collection, reindex_collection(conn), otherwise Ok(0))?;
        }
        Ok(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collections_are_the_registry() -> bool {
        let mut listed: Vec<&str> = crate::api::registry::list_parameters()
            .into_iter()
            .map(|(c, _)| c)
            .chain(["institution"])
            .collect();
        let mut ordered = ORDER.to_vec();
        listed.sort_unstable();
        ordered.sort_unstable();
        listed == ordered
    }

    #[test]
    fn every_collection_is_exported() {
        assert!(collections_are_the_registry());
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_and_field() {
        let mut problems = Vec::new();
        let text = format!(
            "{{\"format\":\"{FORMAT}\",\"format_version\":1,\"seq\":0}}\n\
             not json\n\
             {{\"collection\":\"budgets\",\"id\":\"Bad Id\",\"version\":0,\"created_at\":\"x\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"data\":{{}},\"extra\":1}}\n"
        );
        let read = read(&mut text.as_bytes(), &mut problems).expect("reads");
        assert!(read.is_empty());
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(shown[0].starts_with("line 2: is not JSON"), "{shown:?}");
        for needle in [
            "line 3: /collection",
            "line 3: /id",
            "line 3: /version",
            "line 3: /created_at",
            "line 3: /extra",
        ] {
            assert!(
                shown.iter().any(|s| s.starts_with(needle)),
                "{needle}: {shown:?}"
            );
        }
    }
}
