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
    let summary = transfer::import_dataset(conn, json, Policy::KeepUsedIds)?;
    Ok(SeedReport {
        created: usize::try_from(summary.records).unwrap_or(usize::MAX),
        kept: usize::try_from(summary.kept).unwrap_or(usize::MAX),
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
