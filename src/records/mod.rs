//! The record engine, below HTTP: what a collection is ([`Collection`], implemented on each data
//! type), the one catalogue of collections, validation ([`check`]), the relations between
//! records ([`relations`]), and the flows that change records ([`engine`]: create, merge-patch,
//! delete, each with its change-feed entry, version check and idempotency) and move them in
//! bulk ([`transfer`]: export and import; [`dataset`]: the built-in dataset, loaded as an
//! import; [`generate`]: synthetic datasets). Nothing here sees a request: the HTTP layer
//! (`api`) parses requests into the inputs these functions take.

pub mod catalogue;
pub mod check;
pub mod collections;
pub mod dataset;
pub mod engine;
pub mod generate;
pub mod lists;
pub mod members;
pub mod relations;
pub mod transfer;

use serde::Serialize;

pub use check::Checker;
pub use lists::ListSpec;
pub use members::Members;
pub use relations::Relation;

use crate::models::{Named, Store};

/// A representation beyond JSON (and CSV, which every list has) that a collection's records
/// can be read in; the api layer gives each its media type and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// GeoJSON (RFC 7946): a Feature per record, placed by its locations.
    GeoJson,
    /// iCalendar (RFC 5545): a VEVENT per record whose day is known.
    Calendar,
    /// IATI 2.03 activity XML: an `iati-activity` per record that has what IATI requires.
    Iati,
}

/// A collection of records with the shared contract of docs/API.md, implemented on its data
/// type (the validated form of a record, every language included).
/// Its members and their rules come from [`members!`](members::members).
pub trait Collection:
    Members + Named + Clone + PartialEq + Serialize + Send + Sync + 'static
{
    /// One record, in messages: `programme`.
    const SINGULAR: &'static str;
    /// The members that name other records.
    const RELATIONS: &'static [Relation] = &[];
    /// The sorts and filters of its list.
    const LIST: ListSpec = ListSpec::sorted(&["id"]);
    /// What its records can be read as beyond JSON (lists also answer CSV).
    const REPRESENTATIONS: &'static [Representation] = &[];
    /// Where the records are kept.
    type Store: Store<Self>;

    /// The English title (or name) a POST without `id` derives one from.
    fn english_title(&self) -> String;
    /// What a deleted record keeps: all of it, unless it holds personal data.
    fn tombstone(&self) -> Self {
        self.clone()
    }
}
