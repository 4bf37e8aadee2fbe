//! The contacts: members, relations and storage.

use crate::models::document::Documents;
use crate::models::domain::{Contact, HONORIFICS};
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

// The personal members are optional in the type (a tombstone erases them) but required in a
// document.
members! { Contact {
    honorific: OneOf(&HONORIFICS), given_name: Required(Str(100)),
    family_name: Required(Str(100)), job_title: Required(Text(300)), department: Text(300),
    unit: Text(300), email: Required(Email), organisation: Slug, focal_point_for: Text(500),
    sources: Items(50),
}}

impl Collection for Contact {
    const SINGULAR: &'static str = "contact";
    const LIST: ListSpec = ListSpec::sorted(&["name", "id", "updated_at"]);
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

    fn tombstone(&self) -> Self {
        self.erased()
    }
}
