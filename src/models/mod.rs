//! The domain: validated record data, database rows and the queries on them. Nothing here knows
//! about HTTP; every function takes a connection and returns diesel's `QueryResult`.

pub mod change;
pub mod common;
pub mod document;
pub mod domain;
pub mod idempotency;
pub mod key;
pub mod organisation;

pub mod programme;
pub mod relation;
pub mod search;
pub mod secret;
pub mod store;
pub mod tally;
pub mod webhook;

pub use common::{
    Facet, Filter, Lang, ListQuery, MANY_MATCHES, Meta, Named, Plan, Record, SortKey, SortValue,
    Source, Text, WALK_WINDOW, instant, now,
};
pub use store::Store;
