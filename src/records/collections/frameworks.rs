//! The frameworks: validation and relations.

use serde_json::{Map, Value};

use crate::models::document::Documents;
use crate::models::domain::{FRAMEWORK_KINDS, Framework, Principle};
use crate::records::check::{Checker, Len};
use crate::records::{Collection, Relation};

impl Collection for Framework {
    const SINGULAR: &'static str = "framework";
    const TEXT_MEMBERS: &'static [&'static str] =
        &["title", "acronym", "description", "quote", "signatories"];
    const MEMBERS: &'static [&'static str] = &[
        "title",
        "acronym",
        "kind",
        "year",
        "description",
        "quote",
        "signatories",
        "guiding_principles",
        "guiding_principles_total",
        "commits_to",
        "sources",
    ];
    const RELATIONS: &'static [Relation] =
        &[Relation::to("commits_to", "frameworks").include("commits_to")];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.title.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let title = c.text(doc, "", "title", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &FRAMEWORK_KINDS);
        let year = c.int(doc, "", "year", false, 1900, 2200).map(|y| y as i32);
        let description = c.text(doc, "", "description", false, Len(5000));
        let quote = c.text(doc, "", "quote", false, Len(5000));
        let signatories = c.text(doc, "", "signatories", false, Len(1000));
        let mut guiding_principles = Vec::new();
        let mut ids = Vec::new();
        for (i, item) in c
            .array(doc, "", "guiding_principles", 100)
            .iter()
            .enumerate()
        {
            let path = format!("/guiding_principles/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["id", "title"]);
            let id = c.slug(obj, &path, "id", true);
            let title = c.text(obj, &path, "title", true, Len(300));
            if let (Some(id), Some(title)) = (id, title) {
                ids.push((i, id.clone()));
                guiding_principles.push(Principle { id, title });
            }
        }
        c.unique(&ids, "/guiding_principles");
        let guiding_principles_total = c
            .int(doc, "", "guiding_principles_total", false, 0, 1000)
            .map(|n| n as i32);
        if let Some(total) = guiding_principles_total
            && (total as usize) < guiding_principles.len()
        {
            c.fail(
                "/guiding_principles_total",
                "must not be less than the number of guiding_principles listed",
            );
        }
        let commits_to = c.slug_list(doc, "", "commits_to", 50);
        let sources = c.sources(doc);
        Some(Framework {
            title: title?,
            acronym,
            kind: kind?,
            year,
            description,
            quote,
            signatories,
            guiding_principles,
            guiding_principles_total,
            commits_to,
            sources,
        })
    }
}
