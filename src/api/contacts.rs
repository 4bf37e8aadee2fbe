//! `/v1/contacts`: focal points. Names and emails are personal data: a deleted contact's
//! tombstone keeps neither.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
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

/// Honorifics.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum Honorific {
    Ms,
    Mr,
    Mx,
    Dr,
}

/// A focal point.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ContactOut {
    /// The contact's id.
    #[schema(example = "sashini-gomez")]
    id: String,
    honorific: Option<Honorific>,
    #[schema(example = "Sashini")]
    given_name: String,
    #[schema(example = "Gomez")]
    family_name: String,
    /// Their position.
    job_title: LocalizedText,
    department: Option<LocalizedText>,
    unit: Option<LocalizedText>,
    #[schema(example = "sngomez@iom.int", format = Email)]
    email: String,
    /// Their organisation.
    #[schema(example = "iom")]
    organisation: Option<String>,
    /// What they are the focal point for, beyond their position.
    focal_point_for: Option<LocalizedText>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<ContactIncluded>,
}

/// Records embedded in a contact by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct ContactIncluded {
    organisation: Option<Vec<super::organisations::OrganisationOut>>,
}

/// The body of `POST /v1/contacts`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"given_name": "Ana", "family_name": "Pérez", "job_title": "Programme Officer", "email": "ana.perez@example.org", "organisation": "iom"}))]
pub struct ContactWrite {
    /// The id; derived from the English job title when omitted (never from the name, which is
    /// personal data).
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    honorific: Option<Honorific>,
    #[schema(min_length = 1, max_length = 100)]
    given_name: String,
    #[schema(min_length = 1, max_length = 100)]
    family_name: String,
    #[schema(value_type = TextInput)]
    job_title: String,
    #[schema(value_type = Option<TextInput>)]
    department: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    unit: Option<String>,
    #[schema(format = Email)]
    email: String,
    /// An existing organisation's id.
    organisation: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    focal_point_for: Option<String>,
    sources: Option<Vec<Source>>,
}

/// A page of contacts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ContactPage {
    data: Vec<ContactOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Contact,
    path: "/contacts",
    item_path: "/contacts/{id}",
    tag: "Contacts",
    out: ContactOut,
    write: ContactWrite,
    page: ContactPage,
    list: list_contacts "Lists focal points, by family name.",
    get: get_contact "Reads one focal point.",
    create: create_contact "Creates a focal point.",
    update: update_contact "Updates a focal point (JSON Merge Patch).",
    delete: delete_contact "Deletes a focal point; the tombstone keeps no name or email.",
}
