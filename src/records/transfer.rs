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
//! is already used in the database is a problem, so an import never overwrites; the built-in
//! dataset loads as an import that keeps such records instead ([`Policy::KeepUsedIds`]).

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde_json::{Map, Value, json};

use super::catalogue::{self, CATALOGUE};
use super::check::is_slug;
use super::{Collection, engine, relations};
use crate::db::{self, AnyConnection};
use crate::models::change::{self, Action};
use crate::models::{Lang, Meta, Record, Store, instant, now, search};

/// The `format` of an export's header line.
pub const FORMAT: &str = "iom-lrg-export";
/// The version of that format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Records read per query while exporting.
const PAGE: i64 = 500;

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
    let mut out = BTreeMap::new();
    for entry in CATALOGUE {
        out.insert(entry.name, entry.ops.total(conn)?);
    }
    Ok(out)
}

fn line<C: Collection>(record: &Record<C>) -> Result<Vec<u8>, ExportError> {
    let meta = &record.meta;
    let value = json!({
        "collection": C::NAME,
        "id": record.id,
        "version": meta.version,
        "created_at": instant(&meta.created_at),
        "updated_at": instant(&meta.updated_at),
        "deleted_at": meta.deleted_at.as_ref().map(instant),
        "data": record.data,
    });
    let mut bytes = serde_json::to_vec(&value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes every record of a collection as export lines.
pub fn export_collection<C: Collection>(
    conn: &mut AnyConnection,
    out: &mut dyn Write,
    progress: &mut Progress,
) -> Result<u64, ExportError> {
    let mut after: Option<String> = None;
    let mut written = 0;
    loop {
        let records = C::Store::page(conn, after.as_deref(), PAGE)?;
        let Some(last) = records.last() else {
            return Ok(written);
        };
        after = Some(last.id.clone());
        for record in &records {
            out.write_all(&line::<C>(record)?)?;
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
        for entry in CATALOGUE {
            records += entry.ops.export(conn, out, &mut progress)?;
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
        match &self.place {
            // In a JSON dataset the record's pointer and the member's make one pointer.
            Place::Pointer(pointer) => write!(f, "{pointer}{}: {}", self.field, self.message),
            Place::Line(_) if self.field.is_empty() => {
                write!(f, "{}: {}", self.place, self.message)
            }
            Place::Line(_) => write!(f, "{}: {} {}", self.place, self.field, self.message),
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
pub struct Incoming {
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
    let collection = object
        .get("collection")
        .and_then(Value::as_str)
        .and_then(catalogue::entry)
        .map(|e| e.name);
    if collection.is_none() {
        problems.push(problem(
            &place,
            "/collection",
            format!(
                "must be one of: {}",
                catalogue::names().collect::<Vec<_>>().join(", ")
            ),
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
        if !CATALOGUE.iter().any(|e| e.dataset_key == key) {
            problems.push(problem(
                &Place::Pointer(format!("/{key}")),
                "",
                format!(
                    "is not a collection; the dataset's keys are: {}",
                    CATALOGUE
                        .iter()
                        .map(|e| e.dataset_key)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let mut out = Vec::new();
    for entry in CATALOGUE {
        let (key, collection) = (entry.dataset_key, entry.name);
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
pub struct Checked<C> {
    place: Place,
    id: String,
    data: C,
    meta: Option<Meta>,
}

fn prefixed(place: &Place, field: &str) -> String {
    // In NDJSON the record's document is the line's `data`.
    if matches!(place, Place::Line(_)) {
        format!("/data{field}")
    } else {
        field.to_owned()
    }
}

fn check<C: Collection>(
    incoming: Incoming,
    problems: &mut Vec<ImportProblem>,
) -> Option<Checked<C>> {
    match engine::validated::<C>(&incoming.doc, Lang::En) {
        Ok(data) => Some(Checked {
            place: incoming.place,
            id: incoming.id,
            data,
            meta: incoming.meta,
        }),
        Err(invalid) => {
            problems.extend(invalid.0.into_iter().map(|e| {
                problem(
                    &incoming.place,
                    &prefixed(&incoming.place, &e.field),
                    e.message,
                )
            }));
            None
        }
    }
}

/// Validates the records of one collection.
pub fn validate_all<C: Collection>(
    incoming: Vec<Incoming>,
    problems: &mut Vec<ImportProblem>,
) -> Vec<Checked<C>> {
    incoming
        .into_iter()
        .filter_map(|i| check::<C>(i, problems))
        .collect()
}

/// Writes the incoming data over a live record that only the dataset ever wrote, when it
/// differs; whether it did.
fn update_dataset_record<C: Collection>(
    conn: &mut AnyConnection,
    record: &Checked<C>,
) -> Result<bool, ImportError> {
    let Some(current) = C::Store::find(conn, &record.id)? else {
        return Ok(false);
    };
    if current.meta.deleted_at.is_some()
        || current.data == record.data
        || change::written_with_a_key(conn, C::NAME, &record.id)?
    {
        return Ok(false);
    }
    let at = now();
    let links = relations::links(&record.data);
    let Some(updated) = C::Store::update(conn, &current, &record.data, Some(&links), at)? else {
        return Ok(false);
    };
    change::record(
        conn,
        C::NAME,
        &record.id,
        Action::Updated,
        updated.meta.version,
        at,
        None,
    )?;
    Ok(true)
}

/// What to do with a record whose id the database has already used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// It is a problem: an import never overwrites (the CLI's `import`).
    RefuseUsedIds,
    /// The record is left out and the database's kept (the built-in dataset: edits and
    /// deletions made since it was loaded survive).
    KeepUsedIds,
    /// As [`Policy::KeepUsedIds`], except that a live record that only the dataset ever wrote
    /// (no API key in its change-feed history) takes the incoming data when it differs, as an
    /// update with its feed entry (`seed --update`: dataset corrections).
    UpdateDatasetRecords,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records written.
    pub records: u64,
    /// Records left out because their id was used ([`Policy::KeepUsedIds`]).
    pub kept: u64,
    /// Records that took the incoming data ([`Policy::UpdateDatasetRecords`]).
    pub updated: u64,
}

/// The validated records of one collection, whatever their type.
pub trait Batch {
    /// How many records it holds.
    fn count(&self) -> usize;
    /// Writes the records (all but those `policy` keeps out).
    fn write(
        &mut self,
        conn: &mut AnyConnection,
        policy: Policy,
        problems: &mut Vec<ImportProblem>,
        progress: &mut Progress,
        summary: &mut ImportSummary,
    ) -> Result<(), ImportError>;
    /// Checks the references of the live records written.
    fn check_references(
        &self,
        conn: &mut AnyConnection,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<(), ImportError>;
}

impl<C: Collection> Batch for Vec<Checked<C>> {
    fn count(&self) -> usize {
        self.len()
    }

    fn write(
        &mut self,
        conn: &mut AnyConnection,
        policy: Policy,
        problems: &mut Vec<ImportProblem>,
        progress: &mut Progress,
        summary: &mut ImportSummary,
    ) -> Result<(), ImportError> {
        let mut written = Vec::with_capacity(self.len());
        for record in self.drain(..) {
            progress.inc(1);
            if C::Store::id_taken(conn, &record.id)? {
                match policy {
                    Policy::UpdateDatasetRecords => {
                        if update_dataset_record(conn, &record)? {
                            summary.updated += 1;
                            written.push(record);
                        } else {
                            summary.kept += 1;
                        }
                    }
                    Policy::KeepUsedIds => summary.kept += 1,
                    Policy::RefuseUsedIds => problems.push(problem(
                        &record.place,
                        "/id",
                        format!("'{}' is already used in this database", record.id),
                    )),
                }
                continue;
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
            let created = C::Store::insert(
                conn,
                &record.id,
                &record.data,
                &relations::links(&record.data),
                meta.created_at,
            )?;
            if meta.deleted_at.is_some() {
                // Written as the delete flow leaves a record: no links, out of the search index.
                C::Store::delete(conn, &created, &record.data, meta.updated_at)?;
            }
            if record.meta.is_some() {
                C::Store::restore_meta(conn, &record.id, &meta)?;
            }
            let action = if meta.deleted_at.is_some() {
                Action::Deleted
            } else {
                Action::Created
            };
            change::record(
                conn,
                C::NAME,
                &record.id,
                action,
                meta.version,
                meta.updated_at,
                None,
            )?;
            summary.records += 1;
            written.push(record);
        }
        *self = written;
        Ok(())
    }

    fn check_references(
        &self,
        conn: &mut AnyConnection,
        problems: &mut Vec<ImportProblem>,
    ) -> Result<(), ImportError> {
        for record in self {
            if record.meta.as_ref().is_some_and(|m| m.deleted_at.is_some()) {
                continue;
            }
            for e in relations::unknown_references(conn, &record.data)? {
                problems.push(problem(
                    &record.place,
                    &prefixed(&record.place, &e.field),
                    e.message,
                ));
            }
        }
        Ok(())
    }
}

/// Sorts records by collection and validates them, in catalogue order.
fn plan(records: Vec<Incoming>, problems: &mut Vec<ImportProblem>) -> Vec<Box<dyn Batch>> {
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
    CATALOGUE
        .iter()
        .map(|entry| {
            let incoming = by.remove(entry.name).unwrap_or_default();
            entry.ops.validate(incoming, problems)
        })
        .collect()
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

/// Imports a file (NDJSON export or JSON dataset), all or nothing: an id already used is a
/// problem.
pub fn import(
    conn: &mut AnyConnection,
    reader: &mut dyn BufRead,
    progress: impl FnOnce(u64) -> Progress,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Vec::new();
    let incoming = read(reader, &mut problems)?;
    let summary = load(conn, incoming, problems, Policy::RefuseUsedIds, progress)?;
    db::analyze(conn)?;
    Ok(summary)
}

/// Loads a JSON dataset (shaped like `dataset/iom-lrg.json`) under `policy`, all or nothing.
pub fn import_dataset(
    conn: &mut AnyConnection,
    text: &str,
    policy: Policy,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Vec::new();
    let incoming = read_dataset(text, &mut problems);
    load(conn, incoming, problems, policy, |_| Progress::quiet())
}

fn load(
    conn: &mut AnyConnection,
    incoming: Vec<Incoming>,
    mut problems: Vec<ImportProblem>,
    policy: Policy,
    progress: impl FnOnce(u64) -> Progress,
) -> Result<ImportSummary, ImportError> {
    let mut batches = plan(incoming, &mut problems);
    if !problems.is_empty() {
        // In file order (a stable sort keeps each record's problems in field order).
        problems.sort_by_key(|p| match p.place {
            Place::Line(n) => n,
            Place::Pointer(_) => 0,
        });
        return Err(ImportError::Invalid(problems));
    }
    let total: usize = batches.iter().map(|b| b.count()).sum();
    let mut progress = progress(total as u64);
    let result = db::write_transaction(conn, |conn| {
        let mut summary = ImportSummary::default();
        for batch in &mut batches {
            batch.write(conn, policy, &mut problems, &mut progress, &mut summary)?;
        }
        // References are checked once everything is in, so records may point to records
        // written after them.
        for batch in &batches {
            batch.check_references(conn, &mut problems)?;
        }
        if problems.is_empty() {
            Ok(summary)
        } else {
            // Rolls everything back.
            Err(ImportError::Invalid(std::mem::take(&mut problems)))
        }
    });
    progress.finish();
    result
}

/// Indexes every live record of a collection for search, by writing it again as it is.
pub fn reindex_collection<C: Collection>(conn: &mut AnyConnection) -> QueryResult<u64> {
    let mut after: Option<String> = None;
    let mut indexed = 0;
    loop {
        let records = C::Store::page(conn, after.as_deref(), PAGE)?;
        let Some(last) = records.last() else {
            return Ok(indexed);
        };
        after = Some(last.id.clone());
        for record in &records {
            if record.meta.deleted_at.is_none() {
                C::Store::reindex(conn, record)?;
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
        for entry in CATALOGUE {
            n += entry.ops.reindex(conn)?;
        }
        Ok(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
