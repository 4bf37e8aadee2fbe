//! `/v1/organisations`: the organisations that take part in programmes, forums and funds.

use actix_web::{delete, get, patch, post};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{Collection, IncludeSpec, Included, Via};
use super::documents::{Reference, check_references};
use super::input::{Checker, Len, pointer};
use super::lang::{LocalizedText, Renderer};
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::records::Resource;
use super::{LanguageCode, TextInput, instant};
use crate::db::AnyConnection;
use crate::error::FieldError;
use crate::models::Facet;
use crate::models::organisation::{
    self as model, KINDS, Organisation, OrganisationData, OrganisationFilter, OrganisationRelation,
    RELATION_KINDS,
};
use crate::models::{Lang, ListQuery, Meta, SortKey, Source};
use diesel::QueryResult;

/// An organisation, in the requested language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "uclg", "name": "United Cities and Local Governments", "acronym": "UCLG",
    "kind": "city_network", "country": null, "description": null, "website": null, "relations": [],
    "sources": [], "missing_languages": [], "created_at": "2024-01-25T00:00:00.000000Z",
    "updated_at": "2024-01-25T00:00:00.000000Z", "version": 1
}))]
pub struct OrganisationOut {
    /// The organisation's id.
    #[schema(
        example = "uclg",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 80
    )]
    pub id: String,
    /// Its name.
    pub name: LocalizedText,
    /// Its acronym, which may differ by language (UNDP, PNUD).
    pub acronym: Option<LocalizedText>,
    /// What kind of organisation it is.
    #[schema(value_type = OrganisationKind)]
    pub kind: String,
    /// ISO 3166-1 alpha-2 country, for local and national bodies.
    #[schema(example = "CL")]
    pub country: Option<String>,
    /// What the sources say of it.
    pub description: Option<LocalizedText>,
    /// Its website.
    #[schema(example = json!(null))]
    pub website: Option<String>,
    /// How it relates to other organisations.
    pub relations: Vec<OrganisationRelationOut>,
    /// Where these facts come from.
    pub sources: Vec<Source>,
    /// Languages this record lacks in the requested language (shown in English instead).
    #[schema(value_type = Vec<LanguageCode>)]
    pub missing_languages: Vec<Lang>,
    /// When it was created (RFC 3339, UTC, microseconds).
    #[schema(example = "2024-01-25T00:00:00.000000Z")]
    pub created_at: String,
    /// When it last changed.
    #[schema(example = "2024-01-25T00:00:00.000000Z")]
    pub updated_at: String,
    /// 1 at creation, +1 per change.
    #[schema(example = 1)]
    pub version: i32,
    /// Related records asked for with `include`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<OrganisationIncluded>)]
    pub included: Option<Included>,
}

/// Records embedded in an organisation by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct OrganisationIncluded {
    /// Programmes it takes part in.
    programmes: Option<Vec<super::programmes::ProgrammeOut>>,
    /// Forums and mechanisms it takes part in.
    forums: Option<Vec<super::forums::ForumOut>>,
    /// Funds it chairs or sits on the steering committee of.
    funds: Option<Vec<super::funds::FundOut>>,
    /// Organisations it relates to (its `relations`).
    related: Option<Vec<OrganisationOut>>,
    /// Organisations that relate to it.
    related_from: Option<Vec<OrganisationOut>>,
    /// Its focal points.
    contacts: Option<Vec<super::contacts::ContactOut>>,
}

/// A relation to another organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRelationOut {
    /// The other organisation.
    #[schema(example = "un-network-on-migration")]
    pub organisation: String,
    /// How this one relates to it.
    #[schema(value_type = OrganisationRelationKind)]
    pub relation: String,
}

/// Kinds of relation between organisations.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationRelationKind {
    Coordinates,
    HostsSecretariatOf,
    MemberOf,
    PartnerOf,
}

/// Kinds of organisation.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    UnAgency,
    UnNetwork,
    CityNetwork,
    LocalGovernment,
    NationalGovernment,
    IntergovernmentalOrganisation,
    CivilSociety,
    Other,
}

/// The body of `POST /v1/organisations`; in a PATCH every member is optional (JSON Merge Patch).
/// Text members take a string (in the request's `Content-Language`, default English) or an
/// object of languages.
#[derive(ToSchema)]
#[schema(example = json!({
    "id": "mayors-migration-council", "name": {"en": "Mayors Migration Council", "fr": "Conseil des maires pour la migration"},
    "acronym": "MMC", "kind": "city_network"
}))]
#[allow(dead_code)]
pub struct OrganisationWrite {
    /// The id; derived from the English name when omitted. Never changes.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// The name (English required).
    #[schema(value_type = TextInput)]
    name: String,
    /// The acronym.
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    /// What kind of organisation it is.
    kind: OrganisationKind,
    /// ISO 3166-1 alpha-2 country.
    #[schema(pattern = "^[A-Z]{2}$")]
    country: Option<String>,
    /// A description.
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    /// Its website (http or https).
    website: Option<String>,
    /// Relations to existing organisations.
    relations: Option<Vec<OrganisationRelationWrite>>,
    /// Where the facts come from.
    sources: Option<Vec<Source>>,
}

/// A relation, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrganisationRelationWrite {
    organisation: String,
    relation: OrganisationRelationKind,
}

fn render(o: &Organisation, r: &mut Renderer) -> OrganisationOut {
    let d = &o.data;
    OrganisationOut {
        id: o.id.clone(),
        name: r.text(&d.name),
        acronym: r.opt_text(&d.acronym),
        kind: d.kind.clone(),
        country: d.country.clone(),
        description: r.opt_text(&d.description),
        website: d.website.clone(),
        relations: d
            .relations
            .iter()
            .map(|r| OrganisationRelationOut {
                organisation: r.organisation.clone(),
                relation: r.relation.clone(),
            })
            .collect(),
        sources: d.sources.clone(),
        missing_languages: r.take_missing(),
        created_at: instant(&o.meta.created_at),
        updated_at: instant(&o.meta.updated_at),
        version: o.meta.version,
        included: None,
    }
}

/// The organisations collection.
pub struct Organisations;

impl Resource for Organisations {
    const COLLECTION: &'static str = "organisations";
    const SINGULAR: &'static str = "organisation";
    const TEXT_MEMBERS: &'static [&'static str] = &["name", "acronym", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "kind",
        "country",
        "description",
        "website",
        "relations",
        "sources",
    ];
    type Data = OrganisationData;
    type Record = Organisation;

    fn id(record: &Organisation) -> &str {
        &record.id
    }
    fn meta(record: &Organisation) -> &Meta {
        &record.meta
    }
    fn data(record: &Organisation) -> &OrganisationData {
        &record.data
    }
    fn links(data: &Self::Data) -> Vec<crate::models::relation::Link> {
        data.links()
    }
    fn search_entries(data: &Self::Data) -> Vec<crate::models::search::Entry> {
        data.search_entries()
    }
    fn english_title(data: &OrganisationData) -> String {
        data.name.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<OrganisationData> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &KINDS);
        let country = c.country(doc, "", "country", false);
        let description = c.text(doc, "", "description", false, Len(5000));
        let website = c.url(doc, "", "website", false);
        let mut relations = Vec::new();
        let mut seen = Vec::new();
        for (i, item) in c.array(doc, "", "relations", 100).iter().enumerate() {
            let path = format!("/relations/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["organisation", "relation"]);
            let organisation = c.slug(obj, &path, "organisation", true);
            let relation = c.one_of(obj, &path, "relation", true, &RELATION_KINDS);
            if let (Some(organisation), Some(relation)) = (organisation, relation) {
                seen.push((i, (organisation.clone(), relation.clone())));
                relations.push(OrganisationRelation {
                    organisation,
                    relation,
                });
            }
        }
        c.unique(&seen, "/relations");
        let sources = c.sources(doc);
        Some(OrganisationData {
            name: name?,
            acronym,
            kind: kind?,
            country,
            description,
            website,
            relations,
            sources,
        })
    }

    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Organisation>> {
        model::find(conn, id)
    }
    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Self::Record>> {
        model::page(conn, after, limit)
    }
    fn restore_meta(
        conn: &mut AnyConnection,
        id: &str,
        meta: &crate::models::Meta,
    ) -> QueryResult<()> {
        model::restore_meta(conn, id, meta)
    }
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
        model::id_taken(conn, id)
    }
    fn unknown_references(
        conn: &mut AnyConnection,
        data: &OrganisationData,
    ) -> QueryResult<Vec<FieldError>> {
        let references: Vec<Reference> = data
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| Reference {
                field: pointer(&format!("/relations/{i}"), "organisation"),
                collection: model::COLLECTION,
                id: r.organisation.clone(),
            })
            .collect();
        check_references(conn, &references)
    }
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &OrganisationData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Organisation> {
        model::insert(conn, id, data, at)
    }
    fn update(
        conn: &mut AnyConnection,
        current: &Organisation,
        data: &OrganisationData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Option<Organisation>> {
        model::update(conn, current, data, at)
    }
    fn referenced_by(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<String>> {
        crate::models::relation::pointing_to(conn, model::COLLECTION, id)
    }
    fn delete(
        conn: &mut AnyConnection,
        current: &Organisation,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<bool> {
        model::delete(conn, current, at)
    }
}

impl Collection for Organisations {
    type Out = OrganisationOut;
    type Filter = OrganisationFilter;
    const LIST: ListSpec = ListSpec {
        collection: model::COLLECTION,
        filters: &[
            ("kind", FilterKind::OneOf(&KINDS)),
            ("country", FilterKind::Country),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("created_at", SortKind::Instant),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Field), ("country", Facet::Field)],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "programmes",
            target: "programmes",
            via: Via::Incoming {
                collection: "programmes",
                relations: &["participating_organisations"],
            },
        },
        IncludeSpec {
            name: "forums",
            target: "forums",
            via: Via::Incoming {
                collection: "forums",
                relations: &["organisations"],
            },
        },
        IncludeSpec {
            name: "funds",
            target: "funds",
            via: Via::Incoming {
                collection: "funds",
                relations: &["chair_organisation", "steering_committee_members"],
            },
        },
        IncludeSpec {
            name: "related",
            target: "organisations",
            via: Via::Outgoing("relations"),
        },
        IncludeSpec {
            name: "related_from",
            target: "organisations",
            via: Via::Incoming {
                collection: "organisations",
                relations: &["relations"],
            },
        },
        IncludeSpec {
            name: "contacts",
            target: "contacts",
            via: Via::Incoming {
                collection: "contacts",
                relations: &["organisation"],
            },
        },
    ];

    fn filter(params: &ListParams) -> OrganisationFilter {
        OrganisationFilter {
            kind: params.filter("kind"),
            country: params.filter("country"),
        }
    }
    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &OrganisationFilter,
    ) -> QueryResult<Vec<Organisation>> {
        model::list(conn, query, filter)
    }
    fn count(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &OrganisationFilter,
    ) -> QueryResult<i64> {
        model::count(conn, query, filter)
    }
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &OrganisationFilter,
        name: &str,
        facet: Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        let _ = facet;
        model::facet(conn, query, filter, name)
    }
    fn sort_key(record: &Organisation, sort: &str) -> SortKey {
        model::sort_key(record, sort)
    }
    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Organisation>> {
        model::find_live(conn, ids)
    }
    fn render(record: &Organisation, r: &mut Renderer) -> OrganisationOut {
        render(record, r)
    }
    fn included(out: &mut OrganisationOut) -> &mut Option<Included> {
        &mut out.included
    }
}

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum OrganisationFacet {
    Kind,
    Country,
}

/// Query parameters of `GET /v1/organisations`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OrganisationListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<OrganisationFacet>>)]
    facets: Option<Vec<String>>,
    /// Sort field: id, name (English), created_at, updated_at; `-` prefix for descending.
    #[param(example = "-updated_at")]
    sort: Option<String>,
    /// Only these kinds (comma-separated or repeated).
    #[param(explode = false, value_type = Option<Vec<OrganisationKind>>)]
    kind: Option<Vec<String>>,
    /// Only these countries (ISO 3166-1 alpha-2).
    #[param(explode = false)]
    country: Option<Vec<String>>,
    /// Embeds related records: programmes, forums, funds, related, related_from, contacts.
    #[param(explode = false)]
    include: Option<Vec<String>>,
}

/// A page of organisations.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrganisationPage {
    data: Vec<OrganisationOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Organisations,
    path: "/organisations",
    item_path: "/organisations/{id}",
    tag: "Organisations",
    out: OrganisationOut,
    write: OrganisationWrite,
    page: OrganisationPage,
    params: OrganisationListParams,
    include_doc: "Embeds related records (comma-separated): programmes, forums, funds, related, related_from, contacts",
    list: list_organisations "Lists organisations.",
    get: get_organisation "Reads one organisation.",
    create: create_organisation "Creates an organisation.",
    update: update_organisation "Updates an organisation (JSON Merge Patch).",
    delete: delete_organisation "Deletes an organisation, leaving a tombstone; 409 while records point to it.",
}
