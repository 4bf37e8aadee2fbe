//! The events: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::Event;
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Event {
    const SINGULAR: &'static str = "event";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "forum",
        "title",
        "description",
        "year",
        "month",
        "day",
        "sources",
    ];
    const RELATIONS: &'static [Relation] = &[Relation::to("forum", "forums")
        .filter("forum")
        .include("forum")
        .reverse("events")];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let forum = c.slug(doc, "", "forum", false);
        let title = c.text(doc, "", "title", true, Len(300));
        let description = c.text(doc, "", "description", false, Len(5000));
        let year = c.int(doc, "", "year", true, 1900, 2200).map(|y| y as i32);
        let month = c.int(doc, "", "month", false, 1, 12).map(|m| m as u32);
        let day = c.int(doc, "", "day", false, 1, 31).map(|d| d as u32);
        let given = |member: &str| doc.get(member).is_some_and(|v| !v.is_null());
        if given("day") && !given("month") {
            c.fail("/day", "a day needs its month");
        }
        let sources = c.sources(doc);
        let event = Event {
            forum,
            title: title?,
            description,
            year: year?,
            month,
            day,
            sources,
        };
        if day.is_some() && event.span().is_none() {
            c.fail("/day", "is not a day of that month");
        }
        Some(event)
    }
}
