//! `iom-lrg-api`: a REST/JSON service publishing the International Organization for Migration's
//! work with local and regional governments.
//!
//! Layers, each importing only the ones after it: `startup` -> `api` -> `models` -> `db`.
//! `error` is the one place HTTP meets errors; `openapi` holds the document's metadata.

pub mod api;
pub mod config;
pub mod dataset;
pub mod db;
pub mod error;
pub mod generate;
pub mod models;
pub mod openapi;
pub mod startup;
pub mod telemetry;
pub mod transfer;
