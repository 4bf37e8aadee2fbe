//! The forums: members, relations and storage.

use crate::models::document::Documents;
use crate::models::domain::{FORUM_KINDS, FORUM_ROLES, Forum, ForumOrganisation};
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { Forum {
    name: Text(300), acronym: Text(30), kind: OneOf(&FORUM_KINDS), description: Text(5000),
    framework: Slug, feeds_into: Slugs(50), organisations: Items(100), sources: Items(50),
}}

members! { ForumOrganisation, unique = (organisation) {
    organisation: Slug, role: OneOf(&FORUM_ROLES),
}}

impl Collection for Forum {
    const SINGULAR: &'static str = "forum";
    const LIST: ListSpec = ListSpec::sorted(&["id", "name", "updated_at"]).filtered(&["kind"]);
    const RELATIONS: &'static [Relation] = &[
        Relation::to("framework", "frameworks")
            .filter("framework")
            .include("framework")
            .reverse("forums"),
        Relation::to("feeds_into", "forums")
            .filter("feeds_into")
            .include("feeds_into")
            .reverse("fed_by"),
        Relation::to("organisations", "organisations")
            .keyed("organisation", Some("role"))
            .filter("organisation")
            .include("organisations")
            .reverse("forums"),
    ];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }
}
