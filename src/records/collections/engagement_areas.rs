//! The engagement areas: members and storage.

use crate::models::document::Documents;
use crate::models::domain::{Activity, EngagementArea};
use crate::records::members::members;
use crate::records::{Collection, ListSpec};

members! { EngagementArea {
    position: Int(1, 1000), title: Text(300), description: Text(5000), activities: Items(100),
    sources: Items(50),
}}

members! { Activity, unique = (id) { id: Slug, text: Text(1000) }}

impl Collection for EngagementArea {
    const SINGULAR: &'static str = "engagement area";
    const LIST: ListSpec = ListSpec::sorted(&["position", "id", "title", "updated_at"]);
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }
}
