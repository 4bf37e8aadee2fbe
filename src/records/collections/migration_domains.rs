//! The migration domains: members and storage.

use crate::models::document::Documents;
use crate::models::domain::MigrationDomain;
use crate::records::members::members;
use crate::records::{Collection, ListSpec};

members! { MigrationDomain {
    position: Int(1, 1000), title: Text(300), sources: Items(50),
}}

impl Collection for MigrationDomain {
    const SINGULAR: &'static str = "migration domain";
    const LIST: ListSpec = ListSpec::sorted(&["position", "id", "title", "updated_at"]);
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }
}
