//! The forums: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::{FORUM_KINDS, FORUM_ROLES, Forum, ForumOrganisation};
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Forum {
    const SINGULAR: &'static str = "forum";
    const TEXT_MEMBERS: &'static [&'static str] = &["name", "acronym", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "kind",
        "description",
        "framework",
        "feeds_into",
        "organisations",
        "sources",
    ];
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

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &FORUM_KINDS);
        let description = c.text(doc, "", "description", false, Len(5000));
        let framework = c.slug(doc, "", "framework", false);
        let feeds_into = c.slug_list(doc, "", "feeds_into", 50);
        let mut organisations = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in c.array(doc, "", "organisations", 100).iter().enumerate() {
            let path = format!("/organisations/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["organisation", "role"]);
            let organisation = c.slug(obj, &path, "organisation", true);
            let role = c.one_of(obj, &path, "role", true, &FORUM_ROLES);
            if let (Some(organisation), Some(role)) = (organisation, role) {
                seen.push((i, organisation.clone()));
                organisations.push(ForumOrganisation { organisation, role });
            }
        }
        c.unique(&seen, "/organisations");
        let sources = c.sources(doc);
        Some(Forum {
            name: name?,
            acronym,
            kind: kind?,
            description,
            framework,
            feeds_into,
            organisations,
            sources,
        })
    }
}
