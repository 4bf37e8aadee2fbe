//! The API driven over HTTP, as a client would. Each test gets its own app and a fresh database:
//! a temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set.

// Tests may unwrap: a failure is the assertion.
#![allow(clippy::unwrap_used)]

mod changes;
mod cli;
mod dataset;
mod domain;
mod errors;
mod faults;
mod guide;
mod helpers;
mod hostile;
mod instances;
mod keys;
mod languages;
mod migrations;
mod openapi;
mod operations;
mod organisations;
mod paging;
mod programmes;
mod search;
mod service;
mod transfer;
mod writes;
