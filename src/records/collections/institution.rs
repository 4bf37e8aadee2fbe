//! The institution: members and storage.

use crate::models::document::Documents;
use crate::models::domain::{Headquarters, Institution};
use crate::records::Collection;
use crate::records::members::members;

members! { Institution {
    name: Text(300), acronym: Text(30), headquarters: Object, description: Text(10_000),
    principle: Text(10_000), mission: Text(10_000), migration_context: Text(10_000),
    focus: Text(10_000), why_lrgs: Text(10_000), key_figures: Items(100), sources: Items(50),
}}

members! { Headquarters { city: Text(200), country: Country }}

impl Collection for Institution {
    const SINGULAR: &'static str = "institution";
    type Store = Documents;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }
}
