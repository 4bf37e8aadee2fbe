//! The built-in dataset: `dataset/iom-lrg.json`, compiled into the binary and loaded as an
//! import ([`transfer::import_dataset`]) under the policy "keep the records whose ids are used":
//! it is loaded on the first start of an empty database and by `iom-lrg-api seed`; either way
//! only records whose ids were never used are created, so edits and deletions made since
//! survive.

use super::transfer::{self, ImportError, Policy};
use crate::db::AnyConnection;
use crate::models::change;

/// The dataset, as shipped.
pub const DATASET: &str = include_str!("../../dataset/iom-lrg.json");

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    /// Records created.
    pub created: usize,
    /// Records left alone because their id is taken (live, edited or deleted).
    pub kept: usize,
    /// Records that took the dataset's corrections (`seed --update`).
    pub updated: usize,
}

/// Why a load wrote nothing.
#[derive(Debug, thiserror::Error)]
#[error("the dataset cannot be loaded: {0}")]
pub struct SeedError(#[from] ImportError);

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        SeedError(ImportError::from(e))
    }
}

/// Loads the records of `json` whose ids were never used, all or nothing, in one transaction.
pub fn seed_from(conn: &mut AnyConnection, json: &str) -> Result<SeedReport, SeedError> {
    load(conn, json, Policy::KeepUsedIds)
}

/// As [`seed_from`], and also gives the dataset's version to every live record that only the
/// dataset ever wrote (no API key in its change-feed history) where it differs: how a database
/// seeded by an older release takes the dataset's corrections, each as an `updated` entry of
/// the change feed. Records edited through the API, and deleted ones, are kept as they are.
pub fn update_from(conn: &mut AnyConnection, json: &str) -> Result<SeedReport, SeedError> {
    load(conn, json, Policy::UpdateDatasetRecords)
}

/// Applies the built-in dataset's corrections ([`update_from`]).
pub fn update(conn: &mut AnyConnection) -> Result<SeedReport, SeedError> {
    update_from(conn, DATASET)
}

fn load(conn: &mut AnyConnection, json: &str, policy: Policy) -> Result<SeedReport, SeedError> {
    let summary = transfer::import_dataset(conn, json, policy)?;
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(SeedReport {
        created: count(summary.records),
        kept: count(summary.kept),
        updated: count(summary.updated),
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
