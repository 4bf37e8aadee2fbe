//! `/v1/forums`: global forums (IMRF, GFMD, Global Refugee Forum) and the mechanisms that bring
//! cities into them (the Mayors Mechanism).

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{FilterKind, ListSpec, SortKind};
use crate::models::Facet;
use crate::models::domain::{FORUM_KINDS, Forum};

impl Served for Forum {
    const LIST: ListSpec = ListSpec {
        filters: &[("kind", FilterKind::Kind(&FORUM_KINDS))],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Kind)],
    };
}

collection_routes! {
    collection: Forum,
    path: "/forums",
    item_path: "/forums/{id}",
    tag: "Forums",
    list: list_forums "Lists global forums and the mechanisms that bring LRGs into them.",
    get: get_forum "Reads one forum or mechanism.",
    create: create_forum "Creates a forum or mechanism.",
    update: update_forum "Updates a forum (JSON Merge Patch).",
    delete: delete_forum "Deletes a forum, leaving a tombstone; 409 while records name it.",
}
