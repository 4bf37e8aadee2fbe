//! The institutions: validation and relations.

use serde_json::{Map, Value};

use super::check_figures;
use crate::models::document::Documents;
use crate::models::domain::{Headquarters, Institution};
use crate::records::Collection;
use crate::records::check::{Checker, Len};

impl Collection for Institution {
    const SINGULAR: &'static str = "institution";
    const TEXT_MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "description",
        "principle",
        "mission",
        "migration_context",
        "focus",
        "why_lrgs",
    ];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "headquarters",
        "description",
        "principle",
        "mission",
        "migration_context",
        "focus",
        "why_lrgs",
        "key_figures",
        "sources",
    ];
    type Store = Documents;

    fn english_title(&self) -> String {
        self.name.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Self> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let headquarters = match doc.get("headquarters").filter(|v| !v.is_null()) {
            None => None,
            Some(value) => {
                let obj = c.object(value, "/headquarters");
                obj.and_then(|obj| {
                    c.only(obj, "/headquarters", &["city", "country"]);
                    let city = c.text(obj, "/headquarters", "city", true, Len(200));
                    let country = c.country(obj, "/headquarters", "country", true);
                    Some(Headquarters {
                        city: city?,
                        country: country?,
                    })
                })
            }
        };
        let mut long = |name: &str| c.text(doc, "", name, false, Len(10_000));
        let (description, principle, mission) =
            (long("description"), long("principle"), long("mission"));
        let (migration_context, focus, why_lrgs) =
            (long("migration_context"), long("focus"), long("why_lrgs"));
        let key_figures = check_figures(doc, "key_figures", c);
        let sources = c.sources(doc);
        Some(Institution {
            name: name?,
            acronym,
            headquarters,
            description,
            principle,
            mission,
            migration_context,
            focus,
            why_lrgs,
            key_figures,
            sources,
        })
    }
}
