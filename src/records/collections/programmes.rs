//! The programmes: members, relations and storage.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::models::programme::{
    Budget, ENGAGEMENT_AREAS, FUND, Link, Location, PARTICIPATING_ORGANISATIONS, Participation,
    ProgrammeData, ProgrammeTable, ROLES, STATUSES,
};
use crate::records::check::Checker;
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { ProgrammeData, after = dates_in_order {
    iati_identifier: Str(150), title: Text(500), summary: Text(2000), description: Text(20_000),
    status: OneOf(&STATUSES), planned_start: Date, planned_end: Date, actual_start: Date,
    actual_end: Date, recipient_countries: Countries(250), locations: Items(200),
    participating_organisations: Items(200), fund: Slug, engagement_areas: Slugs(50),
    budget: Object, links: Items(100), sources: Items(50),
}}

members! { Location, after = coordinates_together {
    name: Text(200), country: Country, latitude: Number(-90.0, 90.0),
    longitude: Number(-180.0, 180.0),
}}

members! { Participation, unique = (organisation, role) { organisation: Slug, role: OneOf(&ROLES) }}

members! { Link { title: Text(300), url: Url }}

members! { Budget { amount: Number(0.0, 1e15), currency: Currency }}

/// An end is not before its start (checked whatever else is wrong, when both dates are).
fn dates_in_order(
    _: Option<&ProgrammeData>,
    object: &Map<String, Value>,
    _: &str,
    c: &mut Checker,
) {
    let date = |member: &str| {
        let text = object.get(member)?.as_str()?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    };
    for (start, end) in [
        ("planned_start", "planned_end"),
        ("actual_start", "actual_end"),
    ] {
        if let (Some(first), Some(last)) = (date(start), date(end))
            && last < first
        {
            c.fail(format!("/{end}"), format!("must not be before {start}"));
        }
    }
}

/// A place has both coordinates or neither.
fn coordinates_together(
    _: Option<&Location>,
    object: &Map<String, Value>,
    path: &str,
    c: &mut Checker,
) {
    let given = |member: &str| object.get(member).is_some_and(|v| !v.is_null());
    if given("latitude") != given("longitude") {
        c.fail(path, "latitude and longitude go together");
    }
}

impl Collection for ProgrammeData {
    const SINGULAR: &'static str = "programme";
    const REPRESENTATIONS: &'static [crate::records::Representation] = &[
        crate::records::Representation::GeoJson,
        crate::records::Representation::Iati,
    ];
    const LIST: ListSpec = ListSpec::sorted(&[
        "id",
        "title",
        "created_at",
        "updated_at",
        "planned_start",
        "actual_start",
    ])
    .filtered(&["status", "country"]);
    const RELATIONS: &'static [Relation] = &[
        Relation::to(PARTICIPATING_ORGANISATIONS, "organisations")
            .keyed("organisation", Some("role"))
            .filter("organisation")
            .include("organisations")
            .reverse("programmes"),
        Relation::to(FUND, "funds")
            .filter("fund")
            .include("fund")
            .reverse("programmes"),
        Relation::to(ENGAGEMENT_AREAS, "engagement-areas")
            .filter("engagement_area")
            .include("engagement_areas")
            .reverse("programmes"),
    ];
    type Store = ProgrammeTable;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }
}
