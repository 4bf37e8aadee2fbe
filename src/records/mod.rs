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
pub mod relations;
pub mod transfer;

use serde::Serialize;
use serde_json::{Map, Value};

pub use check::Checker;
pub use relations::Relation;

use crate::models::{Named, Store};

/// A collection of records with the shared contract of docs/API.md, implemented on its data
/// type (the validated form of a record, every language included).
pub trait Collection: Named + Clone + PartialEq + Serialize + Send + Sync + 'static {
    /// One record, in messages: `programme`.
    const SINGULAR: &'static str;
    /// The top-level multilingual members (a plain string in a patch replaces one language).
    const TEXT_MEMBERS: &'static [&'static str];
    /// The writable members (besides `id`).
    const MEMBERS: &'static [&'static str];
    /// The members that name other records.
    const RELATIONS: &'static [Relation] = &[];
    /// Where the records are kept.
    type Store: Store<Self>;

    /// The English title (or name) a POST without `id` derives one from.
    fn english_title(&self) -> String;
    /// Validates a whole document (members other than `id`), collecting every error.
    fn check(doc: &Map<String, Value>, checker: &mut Checker) -> Option<Self>;
    /// What a deleted record keeps: all of it, unless it holds personal data.
    fn tombstone(&self) -> Self {
        self.clone()
    }
}
