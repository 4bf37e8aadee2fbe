//! The organisations: validation and relations.

use serde_json::{Map, Value};

use crate::models::organisation::{
    KINDS, OrganisationData, OrganisationRelation, OrganisationTable, RELATION_KINDS, RELATIONS,
};
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for OrganisationData {
    const SINGULAR: &'static str = "organisation";
    const TEXT_MEMBERS: &'static [&'static str] = &["name", "acronym", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "kind",
        "country",
        "description",
        "website",
        "relations",
        "sources",
    ];
    const RELATIONS: &'static [Relation] = &[Relation::to(RELATIONS, "organisations")
        .keyed("organisation", Some("relation"))
        .include("related")
        .reverse("related_from")];
    type Store = OrganisationTable;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &KINDS);
        let country = c.country(doc, "", "country", false);
        let description = c.text(doc, "", "description", false, Len(5000));
        let website = c.url(doc, "", "website", false);
        let mut relations = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in c.array(doc, "", "relations", 100).iter().enumerate() {
            let path = format!("/relations/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["organisation", "relation"]);
            let organisation = c.slug(obj, &path, "organisation", true);
            let relation = c.one_of(obj, &path, "relation", true, &RELATION_KINDS);
            if let (Some(organisation), Some(relation)) = (organisation, relation) {
                seen.push((i, (organisation.clone(), relation.clone())));
                relations.push(OrganisationRelation {
                    organisation,
                    relation,
                });
            }
        }
        c.unique(&seen, "/relations");
        let sources = c.sources(doc);
        Some(OrganisationData {
            name: name?,
            acronym,
            kind: kind?,
            country,
            description,
            website,
            relations,
            sources,
        })
    }
}
