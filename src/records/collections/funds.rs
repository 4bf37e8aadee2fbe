//! The funds: members, relations and storage.

use crate::models::document::Documents;
use crate::models::domain::Fund;
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { Fund {
    name: Text(300), acronym: Text(30), launch_year: Int(1900, 2200), description: Text(5000),
    chair: Text(300), chair_organisation: Slug, governance: Text(5000),
    steering_committee_members: Slugs(100), gcm_alignment: Text(5000), framework: Slug,
    figures: Items(100), sources: Items(50),
}}

impl Collection for Fund {
    const SINGULAR: &'static str = "fund";
    const LIST: ListSpec = ListSpec::sorted(&["id", "name", "year", "updated_at"]);
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
}
