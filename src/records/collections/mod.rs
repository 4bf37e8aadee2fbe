//! Each collection's rules: its `Collection` implementation (relations, storage) and its
//! members with the rule of each ([`members!`]), one file per collection, on the data type that
//! `models` stores. The members every record shares (sources, key figures) are declared here.

mod contacts;
mod engagement_areas;
mod events;
mod forums;
mod frameworks;
mod funds;
mod institution;
mod migration_domains;
mod organisations;
mod programmes;
mod recommendations;

use serde_json::{Map, Value};

use super::check::Checker;
use super::members::members;
use crate::models::Source;
use crate::models::domain::{Figure, QUALIFIERS};

members! { Source {
    title: Text(500), publisher: Text(300), url: Url, document: Str(500), date: Date,
    note: Text(2000),
}}

members! { Figure, after = figure_dated, unique = (id) {
    id: Slug, label: Text(500), value: Number(-1e15, 1e15), qualifier: OneOf(&QUALIFIERS),
    unit: SnakeCode, year: Int(1900, 2200), as_of: Date, source: Text(500),
}}

/// A key figure needs the year or the date it holds for.
fn figure_dated(_: Option<&Figure>, object: &Map<String, Value>, path: &str, c: &mut Checker) {
    let given = |member: &str| object.get(member).is_some_and(|v| !v.is_null());
    if !given("year") && !given("as_of") {
        c.fail(
            path,
            "a figure needs the year or the date (as_of) it holds for",
        );
    }
}
