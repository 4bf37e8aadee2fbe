//! The frameworks: members, relations and storage.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::{FRAMEWORK_KINDS, Framework, Principle};
use crate::records::check::Checker;
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { Framework, after = principles_counted {
    title: Text(300), acronym: Text(30), kind: OneOf(&FRAMEWORK_KINDS), year: Int(1900, 2200),
    description: Text(5000), quote: Text(5000), signatories: Text(1000),
    guiding_principles: Items(100), guiding_principles_total: Int(0, 1000),
    commits_to: Slugs(50), sources: Items(50),
}}

members! { Principle, unique = (id) { id: Slug, title: Text(300) }}

/// A framework lists at most as many guiding principles as it has.
fn principles_counted(
    _: Option<&Framework>,
    object: &Map<String, Value>,
    _: &str,
    c: &mut Checker,
) {
    let listed = object
        .get("guiding_principles")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if let Some(total) = object
        .get("guiding_principles_total")
        .and_then(Value::as_u64)
        && (total as usize) < listed
    {
        c.fail(
            "/guiding_principles_total",
            "must not be less than the number of guiding_principles listed",
        );
    }
}

impl Collection for Framework {
    const SINGULAR: &'static str = "framework";
    const LIST: ListSpec =
        ListSpec::sorted(&["id", "title", "year", "updated_at"]).filtered(&["kind", "year"]);
    const RELATIONS: &'static [Relation] =
        &[Relation::to("commits_to", "frameworks").include("commits_to")];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }
}
