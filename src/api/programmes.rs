//! `/v1/programmes`: programmes, modelled on the IATI activity standard.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{FilterKind, ListSpec, SortKind};
use crate::models::Facet;
use crate::models::programme::{ProgrammeData, STATUSES};

impl Served for ProgrammeData {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("status", FilterKind::Status(&STATUSES)),
            ("country", FilterKind::Country),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("created_at", SortKind::Instant),
            ("updated_at", SortKind::Instant),
            ("planned_start", SortKind::Date),
            ("actual_start", SortKind::Date),
        ],
        default_sort: "id",
        facets: &[("status", Facet::Status), ("country", Facet::Country)],
    };
}

collection_routes! {
    collection: ProgrammeData,
    path: "/programmes",
    item_path: "/programmes/{id}",
    tag: "Programmes",
    list: list_programmes "Lists programmes.",
    get: get_programme "Reads one programme.",
    create: create_programme "Creates a programme.",
    update: update_programme "Updates a programme (JSON Merge Patch).",
    delete: delete_programme "Deletes a programme, leaving a tombstone.",
}
