//! The recommendations: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::Recommendation;
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Recommendation {
    const SINGULAR: &'static str = "recommendation";
    const TEXT_MEMBERS: &'static [&'static str] = &["text"];
    const MEMBERS: &'static [&'static str] =
        &["event", "position", "text", "target_events", "sources"];
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

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let event = c.slug(doc, "", "event", true);
        let position = c.int(doc, "", "position", true, 1, 1000).map(|p| p as i32);
        let text = c.text(doc, "", "text", true, Len(2000));
        let target_events = c.slug_list(doc, "", "target_events", 50);
        let sources = c.sources(doc);
        Some(Recommendation {
            event: event?,
            position: position?,
            text: text?,
            target_events,
            sources,
        })
    }
}
