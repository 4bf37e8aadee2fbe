//! `/v1/forums`: global forums (IMRF, GFMD, Global Refugee Forum) and the mechanisms that bring
//! cities into them (the Mayors Mechanism).

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::domain::FORUM_KINDS;
use crate::models::domain::Forum;
use crate::models::{Facet, Source};

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

/// Kinds of forum.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum ForumKind {
    Forum,
    Mechanism,
    Process,
}

/// Roles of an organisation in a forum.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum ForumRole {
    CoSteering,
    Host,
    Member,
    Observer,
}

/// An organisation's part in a forum.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ForumOrganisationOut {
    #[schema(example = "uclg")]
    organisation: String,
    role: ForumRole,
}

/// A forum or mechanism.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ForumOut {
    /// The forum's id.
    #[schema(example = "mayors-mechanism")]
    id: String,
    /// Its name.
    name: LocalizedText,
    /// Its acronym.
    acronym: Option<LocalizedText>,
    kind: ForumKind,
    /// What it is.
    description: Option<LocalizedText>,
    /// The framework it reviews.
    #[schema(example = "gcm")]
    framework: Option<String>,
    /// Forums this one brings LRGs into.
    #[schema(example = json!(["imrf", "gfmd"]))]
    feeds_into: Vec<String>,
    /// Organisations taking part, with their roles.
    organisations: Vec<ForumOrganisationOut>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<ForumIncluded>,
}

/// Records embedded in a forum by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct ForumIncluded {
    organisations: Option<Vec<super::organisations::OrganisationOut>>,
    feeds_into: Option<Vec<ForumOut>>,
    /// Mechanisms feeding this forum.
    fed_by: Option<Vec<ForumOut>>,
    framework: Option<Vec<super::frameworks::FrameworkOut>>,
    events: Option<Vec<super::events::EventOut>>,
}

/// An organisation and its role, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ForumOrganisationWrite {
    /// An existing organisation's id.
    organisation: String,
    role: ForumRole,
}

/// The body of `POST /v1/forums`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"name": "Global Parliamentary Summit", "kind": "forum"}))]
pub struct ForumWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    #[schema(value_type = TextInput)]
    name: String,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    kind: ForumKind,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    /// An existing framework's id.
    framework: Option<String>,
    /// Existing forums' ids.
    feeds_into: Option<Vec<String>>,
    organisations: Option<Vec<ForumOrganisationWrite>>,
    sources: Option<Vec<Source>>,
}

/// A page of forums.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ForumPage {
    data: Vec<ForumOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Forum,
    path: "/forums",
    item_path: "/forums/{id}",
    tag: "Forums",
    out: ForumOut,
    write: ForumWrite,
    page: ForumPage,
    list: list_forums "Lists global forums and the mechanisms that bring LRGs into them.",
    get: get_forum "Reads one forum or mechanism.",
    create: create_forum "Creates a forum or mechanism.",
    update: update_forum "Updates a forum (JSON Merge Patch).",
    delete: delete_forum "Deletes a forum, leaving a tombstone; 409 while records name it.",
}
