//! `/v1/contacts`: focal points. Names and emails are personal data: a deleted contact's
//! tombstone keeps neither.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{ListSpec, SortKind};
use crate::models::domain::Contact;

impl Served for Contact {
    const LIST: ListSpec = ListSpec {
        filters: &[],
        sorts: &[
            ("name", SortKind::Text),
            ("id", SortKind::Id),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "name",
        facets: &[],
    };
}

collection_routes! {
    collection: Contact,
    path: "/contacts",
    item_path: "/contacts/{id}",
    tag: "Contacts",
    list: list_contacts "Lists focal points, by family name.",
    get: get_contact "Reads one focal point.",
    create: create_contact "Creates a focal point.",
    update: update_contact "Updates a focal point (JSON Merge Patch).",
    delete: delete_contact "Deletes a focal point; the tombstone keeps no name or email.",
}
