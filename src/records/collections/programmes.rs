//! The programmes: validation and relations.

use serde_json::{Map, Value};

use crate::models::programme::{
    Budget, ENGAGEMENT_AREAS, FUND, Link, Location, PARTICIPATING_ORGANISATIONS, Participation,
    ProgrammeData, ProgrammeTable, ROLES, STATUSES,
};
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for ProgrammeData {
    const SINGULAR: &'static str = "programme";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "summary", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "iati_identifier",
        "title",
        "summary",
        "description",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "recipient_countries",
        "locations",
        "participating_organisations",
        "fund",
        "engagement_areas",
        "budget",
        "links",
        "sources",
    ];
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

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let iati_identifier = c.string(doc, "", "iati_identifier", false, Len(150));
        let title = c.text(doc, "", "title", true, Len(500));
        let summary = c.text(doc, "", "summary", false, Len(2000));
        let description = c.text(doc, "", "description", false, Len(20_000));
        let status = c.one_of(doc, "", "status", false, &STATUSES);
        let planned_start = c.date(doc, "", "planned_start");
        let planned_end = c.date(doc, "", "planned_end");
        let actual_start = c.date(doc, "", "actual_start");
        let actual_end = c.date(doc, "", "actual_end");
        if let (Some(start), Some(end)) = (planned_start, planned_end)
            && end < start
        {
            c.fail("/planned_end", "must not be before planned_start");
        }
        if let (Some(start), Some(end)) = (actual_start, actual_end)
            && end < start
        {
            c.fail("/actual_end", "must not be before actual_start");
        }
        let mut countries = Vec::new();
        for (i, item) in c
            .array(doc, "", "recipient_countries", 250)
            .iter()
            .enumerate()
        {
            if let Some(code) = c.country_value(item, &format!("/recipient_countries/{i}")) {
                countries.push((i, code));
            }
        }
        c.unique(&countries, "/recipient_countries");
        let locations = check_locations(doc, c);
        let participating_organisations = check_participations(doc, c);
        let fund = c.slug(doc, "", "fund", false);
        let mut engagement_areas = Vec::new();
        for (i, item) in c.array(doc, "", "engagement_areas", 50).iter().enumerate() {
            if let Some(id) = c.slug_value(item, &format!("/engagement_areas/{i}")) {
                engagement_areas.push((i, id));
            }
        }
        c.unique(&engagement_areas, "/engagement_areas");
        let budget = check_budget(doc, c);
        let links = check_links(doc, c);
        let sources = c.sources(doc);
        Some(ProgrammeData {
            iati_identifier,
            title: title?,
            summary,
            description,
            status,
            planned_start,
            planned_end,
            actual_start,
            actual_end,
            recipient_countries: countries.into_iter().map(|(_, c)| c).collect(),
            locations,
            participating_organisations,
            fund,
            engagement_areas: engagement_areas.into_iter().map(|(_, id)| id).collect(),
            budget,
            links,
            sources,
        })
    }
}

fn check_locations(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Location> {
    let mut out = Vec::new();
    for (i, item) in c.array(doc, "", "locations", 200).iter().enumerate() {
        let path = format!("/locations/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["name", "country", "latitude", "longitude"]);
        let name = c.text(obj, &path, "name", true, Len(200));
        let country = c.country(obj, &path, "country", true);
        let latitude = c.number(obj, &path, "latitude", false, -90.0, 90.0);
        let longitude = c.number(obj, &path, "longitude", false, -180.0, 180.0);
        let given = |member: &str| obj.get(member).is_some_and(|v| !v.is_null());
        if given("latitude") != given("longitude") {
            c.fail(path.clone(), "latitude and longitude go together");
        }
        if let (Some(name), Some(country)) = (name, country) {
            out.push(Location {
                name,
                country,
                latitude,
                longitude,
            });
        }
    }
    out
}

fn check_participations(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Participation> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (i, item) in c
        .array(doc, "", "participating_organisations", 200)
        .iter()
        .enumerate()
    {
        let path = format!("/participating_organisations/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["organisation", "role"]);
        let organisation = c.slug(obj, &path, "organisation", true);
        let role = c.one_of(obj, &path, "role", true, &ROLES);
        if let (Some(organisation), Some(role)) = (organisation, role) {
            seen.push((i, (organisation.clone(), role.clone())));
            out.push(Participation { organisation, role });
        }
    }
    c.unique(&seen, "/participating_organisations");
    out
}

fn check_links(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Link> {
    let mut out = Vec::new();
    for (i, item) in c.array(doc, "", "links", 100).iter().enumerate() {
        let path = format!("/links/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["title", "url"]);
        let title = c.text(obj, &path, "title", true, Len(300));
        let url = c.url(obj, &path, "url", true);
        if let (Some(title), Some(url)) = (title, url) {
            out.push(Link { title, url });
        }
    }
    out
}

fn check_budget(doc: &Map<String, Value>, c: &mut Checker) -> Option<Budget> {
    let value = doc.get("budget").filter(|v| !v.is_null())?;
    let obj = c.object(value, "/budget")?;
    c.only(obj, "/budget", &["amount", "currency"]);
    let amount = c.number(obj, "/budget", "amount", true, 0.0, 1e15);
    let currency = c.currency(obj, "/budget", "currency");
    Some(Budget {
        amount: amount?,
        currency: currency?,
    })
}
