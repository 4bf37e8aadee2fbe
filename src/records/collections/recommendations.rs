//! The recommendations: members, relations and storage.

use crate::models::document::Documents;
use crate::models::domain::Recommendation;
use crate::records::members::members;
use crate::records::{Collection, ListSpec, Relation};

members! { Recommendation {
    event: Slug, position: Int(1, 1000), text: Text(2000), target_events: Slugs(50),
    sources: Items(50),
}}

impl Collection for Recommendation {
    const SINGULAR: &'static str = "recommendation";
    const LIST: ListSpec = ListSpec::sorted(&["position", "id", "updated_at"]);
    const RELATIONS: &'static [Relation] = &[
        Relation::to("event", "events")
            .filter("event")
            .include("event")
            .reverse("recommendations"),
        Relation::to("target_events", "events")
            .filter("target_event")
            .include("target_events")
            .reverse("targeted_by"),
    ];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.text.en.clone()
    }
}
