//! The funds: validation and relations.

use serde_json::{Map, Value};

use super::check_figures;
use crate::models::document::Documents;
use crate::models::domain::Fund;
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Fund {
    const SINGULAR: &'static str = "fund";
    const TEXT_MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "description",
        "chair",
        "governance",
        "gcm_alignment",
    ];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "launch_year",
        "description",
        "chair",
        "chair_organisation",
        "governance",
        "steering_committee_members",
        "gcm_alignment",
        "framework",
        "figures",
        "sources",
    ];
    const RELATIONS: &'static [Relation] = &[
        Relation::to("chair_organisation", "organisations")
            .filter("organisation")
            .include("chair_organisation")
            .reverse("funds"),
        Relation::to("steering_committee_members", "organisations")
            .filter("organisation")
            .include("steering_committee_members")
            .reverse("funds"),
        Relation::to("framework", "frameworks")
            .filter("framework")
            .include("framework")
            .reverse("funds"),
    ];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let launch_year = c
            .int(doc, "", "launch_year", false, 1900, 2200)
            .map(|y| y as i32);
        let description = c.text(doc, "", "description", false, Len(5000));
        let chair = c.text(doc, "", "chair", false, Len(300));
        let chair_organisation = c.slug(doc, "", "chair_organisation", false);
        let governance = c.text(doc, "", "governance", false, Len(5000));
        let steering_committee_members = c.slug_list(doc, "", "steering_committee_members", 100);
        let gcm_alignment = c.text(doc, "", "gcm_alignment", false, Len(5000));
        let framework = c.slug(doc, "", "framework", false);
        let figures = check_figures(doc, "figures", c);
        let sources = c.sources(doc);
        Some(Fund {
            name: name?,
            acronym,
            launch_year,
            description,
            chair,
            chair_organisation,
            governance,
            steering_committee_members,
            gcm_alignment,
            framework,
            figures,
            sources,
        })
    }
}
