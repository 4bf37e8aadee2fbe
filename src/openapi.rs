//! The OpenAPI document: metadata, tags and shared components. Paths and their schemas are
//! collected from the route table (`api::routes`), so the document is built from the code.

use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

/// The document's metadata.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "IOM work with local and regional governments",
        description = "Publishes the International Organization for Migration's work with local and regional \
governments (LRGs): programmes, partner organisations and more, in English, French and Spanish.\n\n\
Conventions (docs/API.md): cursor paging (`limit`, `cursor`, `Link: rel=\"next\"`), filters as query \
parameters (repeated or comma-separated values mean OR), `lang` / `Accept-Language`, strong ETags with \
`If-None-Match` and `If-Match`, JSON Merge Patch, and RFC 9457 problem documents for every error \
(their types are listed at `/problems`).",
        license(name = "MIT", identifier = "MIT"),
        version = env!("CARGO_PKG_VERSION"),
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "Search", description = "Full-text search across every collection, ranked, in English, French or Spanish"),
        (name = "Changes", description = "The change feed, in commit order, for mirrors"),
        (name = "Keys", description = "API keys (admin)"),
        (name = "Service", description = "Index, health, metrics and problem types"),
    ),
    components(schemas(
        crate::error::Problem,
        crate::error::FieldError,
        crate::api::LangParam,
        crate::api::docs::CountryCode
    )),
    modifiers(&BearerAuth, &CollectionTags)
)]
pub struct ApiDoc;

/// The `bearer` security scheme: API keys sent as `Authorization: Bearer <key>`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key (`lrg_...`), created with `iom-lrg-api keys create` or `POST /v1/keys`"))
                    .build(),
            ),
        );
    }
}

/// One tag per collection of the catalogue, in catalogue order, before the service tags.
struct CollectionTags;

impl utoipa::Modify for CollectionTags {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::tag::TagBuilder;
        let mut tags: Vec<_> = crate::records::catalogue::CATALOGUE
            .iter()
            .map(|e| {
                TagBuilder::new()
                    .name(e.tag)
                    .description(Some(e.tag_description))
                    .build()
            })
            .collect();
        tags.extend(openapi.tags.take().unwrap_or_default());
        openapi.tags = Some(tags);
    }
}

/// The OpenAPI document the service serves at `/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::api::routes)
        .split_for_parts();
    with_patch_schemas(doc)
}

/// A PATCH body is a JSON Merge Patch of the create body: any subset of its members. For each
/// `XWrite` a PATCH takes, this adds `XPatch` (the same members, none required) and points the
/// PATCH operation at it, so clients and fuzzers see what the server accepts.
fn with_patch_schemas(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Ref, Schema};
    let mut patches = Vec::new();
    for item in doc.paths.paths.values_mut() {
        let Some(RefOr::T(body)) = item.patch.as_mut().and_then(|op| op.request_body.as_mut())
        else {
            continue;
        };
        for content in body.content.values_mut() {
            let RefOr::T(content) = content else { continue };
            let name = match &content.schema {
                Some(RefOr::Ref(r)) => r
                    .ref_location
                    .strip_prefix("#/components/schemas/")
                    .map(str::to_owned),
                _ => None,
            };
            if let Some(write) = name.filter(|n| n.ends_with("Write")) {
                let patch = write.replace("Write", "Patch");
                content.schema = Some(RefOr::Ref(Ref::from_schema_name(patch.clone())));
                patches.push((write, patch));
            }
        }
    }
    if let Some(components) = doc.components.as_mut() {
        for (write, patch) in patches {
            let Some(RefOr::T(Schema::Object(mut object))) =
                components.schemas.get(&write).cloned()
            else {
                continue;
            };
            object.required.clear();
            object.example = None;
            object.description = Some(format!(
                "A JSON Merge Patch (RFC 7396) of `{write}`: any of its members; null removes an optional member or a language."
            ));
            components
                .schemas
                .insert(patch, RefOr::T(Schema::Object(object)));
        }
    }
    doc
}

/// The document as the committed `openapi/openapi.json` holds it: pretty-printed, newline-ended.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
