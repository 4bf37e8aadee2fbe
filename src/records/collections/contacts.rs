//! The contacts: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::{Contact, HONORIFICS};
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Contact {
    const SINGULAR: &'static str = "contact";
    const TEXT_MEMBERS: &'static [&'static str] =
        &["job_title", "department", "unit", "focal_point_for"];
    const MEMBERS: &'static [&'static str] = &[
        "honorific",
        "given_name",
        "family_name",
        "job_title",
        "department",
        "unit",
        "email",
        "organisation",
        "focal_point_for",
        "sources",
    ];
    const RELATIONS: &'static [Relation] = &[Relation::to("organisation", "organisations")
        .filter("organisation")
        .include("organisation")
        .reverse("contacts")];
    type Store = Documents;

    // Ids come from the job title, not the name: an id stays in the tombstone and the change
    // feed after the personal data is erased.
    fn english_title(&self) -> String {
        self.job_title
            .as_ref()
            .map_or_else(|| "contact".to_owned(), |t| t.en.clone())
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let honorific = c.one_of(doc, "", "honorific", false, &HONORIFICS);
        let given_name = c.string(doc, "", "given_name", true, Len(100));
        let family_name = c.string(doc, "", "family_name", true, Len(100));
        let job_title = c.text(doc, "", "job_title", true, Len(300));
        let department = c.text(doc, "", "department", false, Len(300));
        let unit = c.text(doc, "", "unit", false, Len(300));
        let email = c.email(doc, "", "email", true);
        let organisation = c.slug(doc, "", "organisation", false);
        let focal_point_for = c.text(doc, "", "focal_point_for", false, Len(500));
        let sources = c.sources(doc);
        Some(Contact {
            honorific,
            given_name: Some(given_name?),
            family_name: Some(family_name?),
            job_title: Some(job_title?),
            department,
            unit,
            email: Some(email?),
            organisation,
            focal_point_for,
            sources,
        })
    }

    fn tombstone(&self) -> Self {
        self.erased()
    }
}
