//! `/v1/organisations`: the organisations that take part in programmes, forums and funds.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{FilterKind, ListSpec, SortKind};
use crate::models::Facet;
use crate::models::organisation::{KINDS, OrganisationData};

impl Served for OrganisationData {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("kind", FilterKind::Kind(&KINDS)),
            ("country", FilterKind::Country),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("created_at", SortKind::Instant),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Kind), ("country", Facet::Country)],
    };
}

collection_routes! {
    collection: OrganisationData,
    path: "/organisations",
    item_path: "/organisations/{id}",
    tag: "Organisations",
    list: list_organisations "Lists organisations.",
    get: get_organisation "Reads one organisation.",
    create: create_organisation "Creates an organisation.",
    update: update_organisation "Updates an organisation (JSON Merge Patch).",
    delete: delete_organisation "Deletes an organisation, leaving a tombstone; 409 while records point to it.",
}
