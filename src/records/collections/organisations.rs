//! The organisations: members, relations and storage.

use crate::models::organisation::{
    KINDS, OrganisationData, OrganisationRelation, OrganisationTable, RELATION_KINDS, RELATIONS,
};
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { OrganisationData {
    name: Text(300), acronym: Text(30), kind: OneOf(&KINDS), country: Country,
    description: Text(5000), website: Url, relations: Items(100), sources: Items(50),
}}

members! { OrganisationRelation, unique = (organisation, relation) {
    organisation: Slug, relation: OneOf(&RELATION_KINDS),
}}

impl Collection for OrganisationData {
    const SINGULAR: &'static str = "organisation";
    const REPRESENTATIONS: &'static [crate::records::Representation] =
        &[crate::records::Representation::GeoJson];
    const LIST: ListSpec = ListSpec::sorted(&["id", "name", "created_at", "updated_at"])
        .filtered(&["kind", "country"]);
    const RELATIONS: &'static [Relation] = &[Relation::to(RELATIONS, "organisations")
        .keyed("organisation", Some("relation"))
        .include("related")
        .reverse("related_from")];
    type Store = OrganisationTable;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }
}
