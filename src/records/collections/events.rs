//! The events: members, relations and storage.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::Event;
use crate::records::check::Checker;
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { Event, after = known_day {
    forum: Slug, title: Text(300), description: Text(5000), year: Int(1900, 2200),
    month: Int(1, 12), day: Int(1, 31), sources: Items(50),
}}

/// A day needs its month, and must be a day of it.
fn known_day(event: Option<&Event>, object: &Map<String, Value>, _: &str, c: &mut Checker) {
    let given = |member: &str| object.get(member).is_some_and(|v| !v.is_null());
    if given("day") && !given("month") {
        c.fail("/day", "a day needs its month");
    }
    if let Some(event) = event
        && event.day.is_some()
        && event.span().is_none()
    {
        c.fail("/day", "is not a day of that month");
    }
}

impl Collection for Event {
    const SINGULAR: &'static str = "event";
    const REPRESENTATIONS: &'static [crate::records::Representation] =
        &[crate::records::Representation::Calendar];
    const LIST: ListSpec = ListSpec::sorted(&["date", "id", "title", "updated_at"])
        .filtered(&["year", "upcoming", "from", "to"]);
    const RELATIONS: &'static [Relation] = &[Relation::to("forum", "forums")
        .filter("forum")
        .include("forum")
        .reverse("events")];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }
}
