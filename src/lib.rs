//! `iom-lrg-api`: a REST/JSON service publishing the International Organization for Migration's
//! work with local and regional governments.
//!
//! Layers, each importing only the ones after it (docs/ARCHITECTURE.md):
//! `startup` -> `api` (HTTP) -> `records` (the record engine and the catalogue of collections)
//! -> `models` (storage) -> `db`. `error` is the one place HTTP meets errors; `openapi` holds the
//! document's metadata; `config` and `telemetry` are read by `startup` and `main`.

pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod models;
pub mod openapi;
pub mod push;
pub mod records;
pub mod startup;
pub mod telemetry;
