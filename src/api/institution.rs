//! `/v1/institution`: the one institution profile (IOM), with its key figures as data.
//! GET and PATCH only; it is created by the built-in dataset.

use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::documents::{DocumentCollection, Reference, check_figures};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{ListParams, ListSpec, SortKind};
use super::{FigureOut, FigureWrite, RecordMeta, TextInput, collection};
use crate::db::Pool;
use crate::error::AppError;
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::{Headquarters, Institution};

/// The id of the one institution record.
pub const INSTITUTION_ID: &str = "iom";

/// The institution profile, stored as a one-record collection.
pub struct Institutions;

impl DocumentCollection for Institutions {
    type Data = Institution;
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
    const LIST: ListSpec = ListSpec {
        collection: "institution",
        filters: &[],
        sorts: &[("id", SortKind::Id)],
        default_sort: "id",
        facets: &[],
    };
    const INCLUDES: &'static [super::collection::IncludeSpec] = &[];

    fn english_title(data: &Institution) -> String {
        data.name.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Institution> {
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
    fn references(_: &Institution) -> Vec<Reference> {
        Vec::new()
    }
    fn filter(_: &ListParams) -> DocumentFilter {
        DocumentFilter::default()
    }
}

/// Where the institution has its seat.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HeadquartersOut {
    city: LocalizedText,
    #[schema(example = "CH")]
    country: String,
}

/// The institution profile.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InstitutionOut {
    #[schema(example = "iom")]
    id: String,
    name: LocalizedText,
    acronym: Option<LocalizedText>,
    headquarters: Option<HeadquartersOut>,
    /// What the institution is.
    description: Option<LocalizedText>,
    /// The principle it holds to.
    principle: Option<LocalizedText>,
    /// What it sets out to do.
    mission: Option<LocalizedText>,
    /// Why migration is felt first locally.
    migration_context: Option<LocalizedText>,
    /// What it increasingly focuses on.
    focus: Option<LocalizedText>,
    /// Why it works with local and regional governments.
    why_lrgs: Option<LocalizedText>,
    /// Key figures, as data.
    key_figures: Vec<FigureOut>,
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
}

/// A headquarters, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HeadquartersWrite {
    #[schema(value_type = TextInput)]
    city: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    country: String,
}

/// The body of `PATCH /v1/institution` (JSON Merge Patch: every member is optional).
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"mission": {"es": "Fortalecer la resiliencia de todas las personas en movimiento"}}))]
pub struct InstitutionWrite {
    #[schema(value_type = Option<TextInput>)]
    name: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    headquarters: Option<HeadquartersWrite>,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    principle: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    mission: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    migration_context: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    focus: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    why_lrgs: Option<String>,
    key_figures: Option<Vec<FigureWrite>>,
    sources: Option<Vec<Source>>,
}

/// Reads the institution profile.
#[utoipa::path(
    tag = "Institution",
    security(()),
    params(super::LangQuery, super::AcceptLanguage),
    responses(
        (status = 200, description = "The institution profile", body = InstitutionOut, headers(
            ("ETag" = String, description = "Strong entity tag: version and language"),
            ("Content-Language" = String, description = "The language of the texts"),
        )),
        (status = 304, description = "Not modified (If-None-Match)"),
        super::ReadErrors,
    )
)]
#[get("/institution")]
pub async fn get_institution(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    collection::get::<Institutions>(req, pool, INSTITUTION_ID.to_owned()).await
}

/// Updates the institution profile (JSON Merge Patch).
#[utoipa::path(
    tag = "Institution",
    security(("bearer" = [])),
    params(super::LangQuery, super::ContentLanguage, super::IfMatch),
    request_body(content = InstitutionWrite, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = InstitutionOut, headers(("ETag" = String, description = "Strong entity tag"))),
        super::UpdateErrors,
    )
)]
#[patch("/institution")]
pub async fn update_institution(
    req: HttpRequest,
    pool: web::Data<Pool>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    collection::update::<Institutions>(req, pool, INSTITUTION_ID.to_owned(), body).await
}
