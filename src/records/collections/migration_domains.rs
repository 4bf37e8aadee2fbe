//! The migration domains: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::MigrationDomain;
use crate::records::Collection;
use crate::records::check::{Checker, Len};

impl Collection for MigrationDomain {
    const SINGULAR: &'static str = "migration domain";
    const TEXT_MEMBERS: &'static [&'static str] = &["title"];
    const MEMBERS: &'static [&'static str] = &["position", "title", "sources"];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let position = c.int(doc, "", "position", true, 1, 1000);
        let title = c.text(doc, "", "title", true, Len(300));
        let sources = c.sources(doc);
        Some(MigrationDomain {
            position: position? as i32,
            title: title?,
            sources,
        })
    }
}
