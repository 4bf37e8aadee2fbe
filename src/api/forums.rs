//! `/v1/forums`: global forums (IMRF, GFMD, Global Refugee Forum) and the mechanisms that bring
//! cities into them (the Mayors Mechanism).

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{IncludeSpec, Via};
use super::documents::{DocumentCollection, Reference};
use super::input::{Checker, Len, pointer};
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Facet;
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::{FORUM_KINDS, FORUM_ROLES, Forum, ForumOrganisation};

/// The forums collection.
pub struct Forums;

impl DocumentCollection for Forums {
    type Data = Forum;
    const SINGULAR: &'static str = "forum";
    const TEXT_MEMBERS: &'static [&'static str] = &["name", "acronym", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "kind",
        "description",
        "framework",
        "feeds_into",
        "organisations",
        "sources",
    ];
    const LIST: ListSpec = ListSpec {
        collection: "forums",
        filters: &[
            ("kind", FilterKind::OneOf(&FORUM_KINDS)),
            ("organisation", FilterKind::Slug),
            ("framework", FilterKind::Slug),
            ("feeds_into", FilterKind::Slug),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[
            ("kind", Facet::Field),
            ("organisation", Facet::Related(&["organisations"])),
            ("framework", Facet::Related(&["framework"])),
            ("feeds_into", Facet::Related(&["feeds_into"])),
        ],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "organisations",
            target: "organisations",
            via: Via::Outgoing("organisations"),
        },
        IncludeSpec {
            name: "feeds_into",
            target: "forums",
            via: Via::Outgoing("feeds_into"),
        },
        IncludeSpec {
            name: "fed_by",
            target: "forums",
            via: Via::Incoming {
                collection: "forums",
                relations: &["feeds_into"],
            },
        },
        IncludeSpec {
            name: "framework",
            target: "frameworks",
            via: Via::Outgoing("framework"),
        },
        IncludeSpec {
            name: "events",
            target: "events",
            via: Via::Incoming {
                collection: "events",
                relations: &["forum"],
            },
        },
    ];

    fn english_title(data: &Forum) -> String {
        data.name.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Forum> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &FORUM_KINDS);
        let description = c.text(doc, "", "description", false, Len(5000));
        let framework = c.slug(doc, "", "framework", false);
        let feeds_into = c.slug_list(doc, "", "feeds_into", 50);
        let mut organisations = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in c.array(doc, "", "organisations", 100).iter().enumerate() {
            let path = format!("/organisations/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["organisation", "role"]);
            let organisation = c.slug(obj, &path, "organisation", true);
            let role = c.one_of(obj, &path, "role", true, &FORUM_ROLES);
            if let (Some(organisation), Some(role)) = (organisation, role) {
                seen.push((i, organisation.clone()));
                organisations.push(ForumOrganisation { organisation, role });
            }
        }
        c.unique(&seen, "/organisations");
        let sources = c.sources(doc);
        Some(Forum {
            name: name?,
            acronym,
            kind: kind?,
            description,
            framework,
            feeds_into,
            organisations,
            sources,
        })
    }
    fn references(data: &Forum) -> Vec<Reference> {
        let mut refs: Vec<Reference> = data
            .framework
            .iter()
            .map(|f| Reference {
                field: "/framework".into(),
                collection: "frameworks",
                id: f.clone(),
            })
            .collect();
        refs.extend(data.feeds_into.iter().enumerate().map(|(i, f)| Reference {
            field: format!("/feeds_into/{i}"),
            collection: "forums",
            id: f.clone(),
        }));
        refs.extend(
            data.organisations
                .iter()
                .enumerate()
                .map(|(i, o)| Reference {
                    field: pointer(&format!("/organisations/{i}"), "organisation"),
                    collection: "organisations",
                    id: o.organisation.clone(),
                }),
        );
        refs
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        let mut related = Vec::new();
        for (param, relation) in [
            ("organisation", "organisations"),
            ("framework", "framework"),
            ("feeds_into", "feeds_into"),
        ] {
            if let Some(ids) = params.filter(param) {
                related.push((relation_names(relation), ids));
            }
        }
        DocumentFilter {
            kind: params.filter("kind"),
            related,
            ..DocumentFilter::default()
        }
    }
}

fn relation_names(relation: &str) -> &'static [&'static str] {
    match relation {
        "organisations" => &["organisations"],
        "framework" => &["framework"],
        _ => &["feeds_into"],
    }
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

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ForumFacet {
    Kind,
    Organisation,
    Framework,
    FeedsInto,
}

/// Parameters of `GET /v1/forums` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ForumListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<ForumFacet>>)]
    facets: Option<Vec<String>>,
    /// id (default), name, updated_at; `-` for descending.
    sort: Option<String>,
    /// Only these kinds.
    #[param(explode = false, value_type = Option<Vec<ForumKind>>)]
    kind: Option<Vec<String>>,
    /// Only forums in which one of these organisations takes part.
    #[param(explode = false, example = json!(["uclg"]))]
    organisation: Option<Vec<String>>,
    /// Only forums reviewing one of these frameworks.
    #[param(explode = false)]
    framework: Option<Vec<String>>,
    /// Only mechanisms feeding one of these forums.
    #[param(explode = false, example = json!(["gfmd"]))]
    feeds_into: Option<Vec<String>>,
    /// Embeds related records: organisations, feeds_into, fed_by, framework, events.
    #[param(explode = false)]
    include: Option<Vec<String>>,
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
    collection: Forums,
    path: "/forums",
    item_path: "/forums/{id}",
    tag: "Forums",
    out: ForumOut,
    write: ForumWrite,
    page: ForumPage,
    params: ForumListParams,
    include_doc: "Embeds related records: organisations, feeds_into, fed_by, framework, events",
    list: list_forums "Lists global forums and the mechanisms that bring LRGs into them.",
    get: get_forum "Reads one forum or mechanism.",
    create: create_forum "Creates a forum or mechanism.",
    update: update_forum "Updates a forum (JSON Merge Patch).",
    delete: delete_forum "Deletes a forum, leaving a tombstone; 409 while records name it.",
}
