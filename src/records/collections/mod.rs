//! Each collection's rules: its `Collection` implementation (members, relations, validation),
//! one file per collection, on the data type that `models` stores.

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

use super::check::{Checker, Len, pointer};
use crate::models::domain::{Figure, QUALIFIERS};

/// Key figures (`key_figures`, `figures`): value, qualifier, unit and when they hold.
pub fn check_figures(doc: &Map<String, Value>, member: &str, c: &mut Checker) -> Vec<Figure> {
    let mut figures = Vec::new();
    let mut ids = Vec::new();
    for (i, item) in c.array(doc, "", member, 100).iter().enumerate() {
        let path = format!("{}/{i}", pointer("", member));
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(
            obj,
            &path,
            &[
                "id",
                "label",
                "value",
                "qualifier",
                "unit",
                "year",
                "as_of",
                "source",
            ],
        );
        let id = c.slug(obj, &path, "id", true);
        let label = c.text(obj, &path, "label", true, Len(500));
        let value = c.number(obj, &path, "value", true, -1e15, 1e15);
        let qualifier = c.one_of(obj, &path, "qualifier", true, &QUALIFIERS);
        let unit = c.slug_like(obj, &path, "unit");
        let year = c
            .int(obj, &path, "year", false, 1900, 2200)
            .map(|y| y as i32);
        let as_of = c.date(obj, &path, "as_of");
        let source = c.string(obj, &path, "source", true, Len(500));
        let given = |member: &str| obj.get(member).is_some_and(|v| !v.is_null());
        if !given("year") && !given("as_of") {
            c.fail(
                path.clone(),
                "a figure needs the year or the date (as_of) it holds for",
            );
        }
        if let Some(id) = &id {
            ids.push((i, id.clone()));
        }
        if let (Some(id), Some(label), Some(value), Some(qualifier), Some(unit), Some(source)) =
            (id, label, value, qualifier, unit, source)
        {
            figures.push(Figure {
                id,
                label,
                value,
                qualifier,
                unit,
                year,
                as_of,
                source,
            });
        }
    }
    c.unique(&ids, &pointer("", member));
    figures
}
