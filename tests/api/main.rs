//! The API driven over HTTP, as a client would. Each test gets its own app and a fresh database:
//! a temporary SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set.

// Tests may unwrap: a failure is the assertion.
#![allow(clippy::unwrap_used)]

mod catalogue;
mod changes;
mod cli;
mod contacts;
mod dataset;
mod engagement_areas;
mod errors;
mod events;
mod exact;
mod faults;
mod formats;
mod forums;
mod frameworks;
mod funds;
mod guide;
mod helpers;
mod hostile;
mod http;
mod iati;
mod instances;
mod institution;
mod keys;
mod languages;
mod migration_domains;
mod migrations;
mod openapi;
mod operations;
mod organisations;
mod paging;
mod programmes;
mod push;
mod recommendations;
mod relations;
mod relevance;
mod search;
mod service;
mod tallies;
mod transfer;
mod webhooks;
mod writes;
