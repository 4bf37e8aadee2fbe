//! `/v1/contacts`: focal points. Names and emails are personal data: a deleted contact's
//! tombstone keeps neither.

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{IncludeSpec, Via};
use super::documents::{DocumentCollection, Reference};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Facet;
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::{Contact, HONORIFICS};

/// The contacts collection.
pub struct Contacts;

impl DocumentCollection for Contacts {
    type Data = Contact;
    const SINGULAR: &'static str = "contact";
    const TEXT_MEMBERS: &'static [&'static str] =
        &["job_title", "department", "unit", "focal_point_for"];
    const MEMBERS: &'static [&'static str] = &[
        "honorific",
        "given_name",
        "family_name",
        "job_title",
        "department",
        "unit",
        "email",
        "organisation",
        "focal_point_for",
        "sources",
    ];
    const LIST: ListSpec = ListSpec {
        collection: "contacts",
        filters: &[("organisation", FilterKind::Slug)],
        sorts: &[
            ("name", SortKind::Text),
            ("id", SortKind::Id),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "name",
        facets: &[("organisation", Facet::Related(&["organisation"]))],
    };
    const INCLUDES: &'static [IncludeSpec] = &[IncludeSpec {
        name: "organisation",
        target: "organisations",
        via: Via::Outgoing("organisation"),
    }];

    // Ids come from the job title, not the name: an id stays in the tombstone and the change
    // feed after the personal data is erased.
    fn english_title(data: &Contact) -> String {
        data.job_title
            .as_ref()
            .map_or_else(|| "contact".to_owned(), |t| t.en.clone())
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Contact> {
        let honorific = c.one_of(doc, "", "honorific", false, &HONORIFICS);
        let given_name = c.string(doc, "", "given_name", true, Len(100));
        let family_name = c.string(doc, "", "family_name", true, Len(100));
        let job_title = c.text(doc, "", "job_title", true, Len(300));
        let department = c.text(doc, "", "department", false, Len(300));
        let unit = c.text(doc, "", "unit", false, Len(300));
        let email = c.email(doc, "", "email", true);
        let organisation = c.slug(doc, "", "organisation", false);
        let focal_point_for = c.text(doc, "", "focal_point_for", false, Len(500));
        let sources = c.sources(doc);
        Some(Contact {
            honorific,
            given_name: Some(given_name?),
            family_name: Some(family_name?),
            job_title: Some(job_title?),
            department,
            unit,
            email: Some(email?),
            organisation,
            focal_point_for,
            sources,
        })
    }
    fn references(data: &Contact) -> Vec<Reference> {
        data.organisation
            .iter()
            .map(|o| Reference {
                field: "/organisation".into(),
                collection: "organisations",
                id: o.clone(),
            })
            .collect()
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        DocumentFilter {
            related: params
                .filter("organisation")
                .map(|ids| vec![(&["organisation"][..], ids)])
                .unwrap_or_default(),
            ..DocumentFilter::default()
        }
    }
    fn tombstone(data: &Contact) -> Contact {
        data.erased()
    }
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

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ContactFacet {
    Organisation,
}

/// Parameters of `GET /v1/contacts` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ContactListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<ContactFacet>>)]
    facets: Option<Vec<String>>,
    /// name (default; family name), id, updated_at; `-` for descending.
    sort: Option<String>,
    /// Only contacts of these organisations.
    #[param(explode = false, example = json!(["iom"]))]
    organisation: Option<Vec<String>>,
    /// Embeds related records: organisation.
    #[param(explode = false)]
    include: Option<Vec<String>>,
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
    collection: Contacts,
    path: "/contacts",
    item_path: "/contacts/{id}",
    tag: "Contacts",
    out: ContactOut,
    write: ContactWrite,
    page: ContactPage,
    params: ContactListParams,
    include_doc: "Embeds related records: organisation",
    list: list_contacts "Lists focal points, by family name.",
    get: get_contact "Reads one focal point.",
    create: create_contact "Creates a focal point.",
    update: update_contact "Updates a focal point (JSON Merge Patch).",
    delete: delete_contact "Deletes a focal point; the tombstone keeps no name or email.",
}
