//! The engagement areas: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::{Activity, EngagementArea};
use crate::records::Collection;
use crate::records::check::{Checker, Len};

impl Collection for EngagementArea {
    const SINGULAR: &'static str = "engagement area";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "description"];
    const MEMBERS: &'static [&'static str] =
        &["position", "title", "description", "activities", "sources"];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let position = c.int(doc, "", "position", true, 1, 1000);
        let title = c.text(doc, "", "title", true, Len(300));
        let description = c.text(doc, "", "description", false, Len(5000));
        let mut activities = Vec::new();
        let mut ids = Vec::new();
        for (i, item) in c.array(doc, "", "activities", 100).iter().enumerate() {
            let path = format!("/activities/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["id", "text"]);
            let id = c.slug(obj, &path, "id", true);
            let text = c.text(obj, &path, "text", true, Len(1000));
            if let (Some(id), Some(text)) = (id, text) {
                ids.push((i, id.clone()));
                activities.push(Activity { id, text });
            }
        }
        c.unique(&ids, "/activities");
        let sources = c.sources(doc);
        Some(EngagementArea {
            position: position? as i32,
            title: title?,
            description,
            activities,
            sources,
        })
    }
}
