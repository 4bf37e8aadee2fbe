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
        (name = "Webhooks", description = "Subscriptions that receive the change feed as signed POSTs, in order, retried (admin; docs/WEBHOOKS.md)"),
        (name = "Service", description = "Index, health, metrics and problem types"),
    ),
    components(schemas(
        crate::error::Problem,
        crate::error::FieldError,
        crate::api::LangParam,
        crate::models::common::CountryCode,
        crate::api::webhooks::WebhookPayload
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
    with_webhooks(with_selections(with_representations(with_http_details(
        with_patch_schemas(doc),
    ))))
}

/// The document's `webhooks` section: what the service POSTs to a subscription's URL.
fn with_webhooks(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use serde_json::json;
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    let header = |name: &str, description: &str, example: &str| {
        json!({"name": name, "in": "header", "required": true, "description": description,
               "schema": {"type": "string"}, "example": example})
    };
    value["webhooks"] = json!({
        "change": {"post": {
            "operationId": "deliver_change",
            "tags": ["Webhooks"],
            // The receiver authenticates a delivery by its signature, not by a credential.
            "security": [{}],
            "summary": "A change of the feed, delivered to a subscription's URL.",
            "description": "One POST per feed entry the subscription follows, in seq order, at least once (deduplicate on `webhook-id`). \
    Signed as Standard Webhooks specifies: `webhook-signature` holds `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, \
    keyed with the base64-decoded part of the secret after `whsec_` (two space-separated signatures while a rotated secret overlaps the new one). \
    Any status but 2xx, and no answer within 10 s, is retried with exponential backoff for 72 hours; 410 Gone disables the subscription. Redirects are not followed.",
            "parameters": [
                header("webhook-id", "The message id: one per entry and subscription, the same on every retry", "msg_wh_3f9a0c1d2e4b5a69_42"),
                header("webhook-timestamp", "When this attempt was sent, in Unix seconds (reject old ones to stop replays)", "1767225600"),
                header("webhook-signature", "`v1,<base64 signature>`, space-separated when two secrets sign", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
            ],
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/WebhookPayload"}}}},
            "responses": {
                "200": {"description": "Received (any 2xx)"},
                "410": {"description": "Gone: the subscription is disabled"},
                "default": {"description": "Anything else: the delivery is retried"},
            },
        }},
    });
    serde_json::from_value(value).unwrap_or(doc)
}

/// `fields=` keeps only some members: for each collection this adds `XSelected` (the members of
/// `XOut`, only `id` required) and makes list items and record reads `anyOf` the two, so a
/// selection conforms to the document while a whole record keeps its required members.
fn with_selections(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use serde_json::json;
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    for collection in crate::records::catalogue::names() {
        if crate::records::catalogue::entry(collection).is_some_and(|e| e.singleton) {
            continue;
        }
        let Some(name) = crate::api::schema_name(collection) else {
            continue;
        };
        let (out, selected) = (format!("{name}Out"), format!("{name}Selected"));
        let schemas = &mut value["components"]["schemas"];
        let Some(mut partial) = schemas.get(&out).cloned() else {
            continue;
        };
        partial["required"] = json!(["id"]);
        partial["description"] = json!(format!(
            "`{out}` with `fields=`: `id` and the members asked for (and `included`, with `include`)"
        ));
        schemas[&selected] = partial;
        let either = json!({"anyOf": [
            {"$ref": format!("#/components/schemas/{out}")},
            {"$ref": format!("#/components/schemas/{selected}")},
        ]});
        schemas[format!("{name}Page")]["properties"]["data"]["items"] = either.clone();
        let read = &mut value["paths"][format!("/v1/{collection}/{{id}}")]["get"]["responses"]["200"]
            ["content"]["application/json"]["schema"];
        if !read.is_null() {
            *read = either;
        }
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// Declares the representations beyond JSON each collection read answers in (its list also
/// answers CSV; programmes and organisations GeoJSON, events iCalendar), and the 406 every
/// negotiated read may answer.
fn with_representations(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use crate::records::Representation;
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::response::ResponseBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::{Ref, RefOr};
    let text = |description: &str| -> RefOr<Schema> {
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(description))
                .build(),
        ))
    };
    let geojson = |kind: &str| -> RefOr<Schema> {
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(format!(
                    "A GeoJSON {kind} (RFC 7946): geometry from the record's locations with coordinates (null without), the record in `properties`"
                )))
                .property(
                    "type",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([kind])),
                )
                .required("type")
                .build(),
        ))
    };
    let not_acceptable = ResponseBuilder::new()
        .description(
            "`Accept` names no media type this operation answers in; `detail` lists those it does",
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                .build(),
        )
        .build();
    for name in crate::records::catalogue::names() {
        let extras = crate::api::representations(name);
        for (path, list) in [
            (format!("/v1/{name}"), true),
            (format!("/v1/{name}/{{id}}"), false),
        ] {
            let Some(operation) = doc.paths.paths.get_mut(&path).and_then(|i| i.get.as_mut())
            else {
                continue;
            };
            if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
                for extra in extras {
                    let (media, schema) = match (extra, list) {
                        (Representation::GeoJson, true) => {
                            ("application/geo+json", geojson("FeatureCollection"))
                        }
                        (Representation::GeoJson, false) => {
                            ("application/geo+json", geojson("Feature"))
                        }
                        (Representation::Calendar, true) => (
                            "text/calendar",
                            text(
                                "An iCalendar (RFC 5545) of every matching event whose day is known (not a page); `Events-Without-Day` counts the others",
                            ),
                        ),
                        (Representation::Calendar, false) => (
                            "text/calendar",
                            text(
                                "An iCalendar (RFC 5545) holding the event; 406 when only its month or year is known",
                            ),
                        ),
                        (Representation::Iati, true) => (
                            "application/xml",
                            text(
                                "IATI 2.03 activities (iati-activities): one iati-activity per programme of the page that has what IATI requires; `IATI-Left-Out` counts the others (docs/IATI.md)",
                            ),
                        ),
                        (Representation::Iati, false) => (
                            "application/xml",
                            text(
                                "IATI 2.03 activities holding this programme's iati-activity; 406 naming what IATI requires and the record lacks",
                            ),
                        ),
                    };
                    ok.content.insert(
                        media.to_owned(),
                        RefOr::T(ContentBuilder::new().schema(Some(schema)).build()),
                    );
                }
            }
            operation
                .responses
                .responses
                .entry("406".to_owned())
                .or_insert_with(|| RefOr::T(not_acceptable.clone()));
        }
    }
    doc
}

/// What each operation of a collection does, beyond its one-line summary (by the prefix of its
/// operation id, which `collection_routes!` gives).
fn collection_description(operation_id: &str) -> Option<&'static str> {
    let prefix = operation_id.split('_').next()?;
    Some(match prefix {
        "list" => {
            "A page of records (`data`, `meta`, `links`), in the sort asked for. `limit` (1-100) \
and `cursor` page through it (also `Link: rel=\"next\"`); filters combine with AND, several values \
of one filter (repeated or comma-separated) with OR; `q` searches the texts in the language served; \
`count=true` adds `meta.total`; `facets` counts values over the whole filtered set; `include` embeds \
related records. `Accept: text/csv` answers the page as CSV. An unknown parameter or value is a 400 \
that names it."
        }
        "get" => {
            "One record, in the language asked for (`lang`, else `Accept-Language`, else English); \
`include` embeds related records. A deleted record answers 410 Gone; `If-None-Match` with its ETag \
answers 304."
        }
        "create" => {
            "Needs an API key with the `write` scope. Texts are a string in the request's \
`Content-Language` (default English) or an object of languages, English required. Without `id`, \
one is derived from the English title. Related ids must name live records. Every broken member \
is listed in a 422; with an `Idempotency-Key`, a retry answers the first response again."
        }
        "update" => {
            "Needs an API key with the `write` scope. A JSON Merge Patch (RFC 7396) of the record: \
a plain string replaces one language (`Content-Language`), null removes a member or a language, \
arrays are replaced whole; the result is validated as a whole. With `If-Match`, a stale version \
is a 412 and nothing is written. A patch that changes nothing keeps the version."
        }
        "delete" => {
            "Needs an API key with the `write` scope. Leaves a tombstone: the id stays taken and \
reads answer 410 Gone; the change feed records the delete. A record that live records point to \
cannot be deleted (409, with `conflicts` naming them)."
        }
        _ => return None,
    })
}

/// Declares what the HTTP layer adds to every operation, from the routes as they are:
/// `If-None-Match` on every read that answers 304; the rate-limit headers on every response of
/// a rate-limited operation, `Retry-After` on 429 and 503, `WWW-Authenticate` on 401 and 403;
/// and a description on each collection operation.
fn with_http_details(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Required};
    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    let integer = || ObjectBuilder::new().schema_type(Type::Integer).build();
    let header = |schema: utoipa::openapi::Object, description: &str| {
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(schema))
                .description(Some(description))
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let exempt = path == "/health/live" || path == "/metrics";
        let operations = [
            (&mut item.get, ""),
            (&mut item.post, "Accept-Post"),
            (&mut item.patch, "Accept-Patch"),
            (&mut item.delete, ""),
        ];
        for (operation, accept) in operations
            .into_iter()
            .filter_map(|(o, a)| o.as_mut().map(|o| (o, a)))
        {
            if operation.description.is_none()
                && let Some(text) = operation
                    .operation_id
                    .as_deref()
                    .and_then(collection_description)
            {
                operation.description = Some(text.to_owned());
            }
            let conditional = operation.responses.responses.contains_key("304");
            if conditional {
                let parameters = operation.parameters.get_or_insert_with(Vec::new);
                let named = |p: &RefOr<utoipa::openapi::path::Parameter>| matches!(p, RefOr::T(p) if p.name == "If-None-Match");
                if !parameters.iter().any(named) {
                    parameters.push(RefOr::T(
                        ParameterBuilder::new()
                            .name("If-None-Match")
                            .parameter_in(ParameterIn::Header)
                            .required(Required::False)
                            .description(Some(
                                "ETags of representations the client holds; a match (weak comparison) answers 304",
                            ))
                            .schema(Some(string()))
                            .build(),
                    ));
                }
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                if !exempt && status != "304" {
                    for (name, description) in [
                        (
                            "RateLimit-Limit",
                            "Requests of this kind (reads or writes) allowed a minute",
                        ),
                        ("RateLimit-Remaining", "Requests left in the current window"),
                        ("RateLimit-Reset", "Seconds until the budget is full again"),
                    ] {
                        response
                            .headers
                            .entry(name.to_owned())
                            .or_insert_with(|| header(integer(), description));
                    }
                }
                if status == "415" && !accept.is_empty() {
                    response
                        .headers
                        .entry(accept.to_owned())
                        .or_insert_with(|| header(string(), "The media types the operation takes"));
                }
                if status == "429" || status == "503" {
                    response
                        .headers
                        .entry("Retry-After".to_owned())
                        .or_insert_with(|| header(integer(), "Seconds to wait before retrying"));
                }
                if status == "401" || status == "403" {
                    response
                        .headers
                        .entry("WWW-Authenticate".to_owned())
                        .or_insert_with(|| {
                            header(
                                string(),
                                "`Bearer` challenge (RFC 6750): with `error=\"invalid_request\"` for a malformed header, `error=\"invalid_token\"` for an unknown or revoked key, `error=\"insufficient_scope\"` and the scope needed on 403",
                            )
                        });
                }
            }
        }
    }
    doc
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
    // A write schema that only a PATCH used (the institution's) is now referenced by nothing.
    let text = serde_json::to_string(&doc).unwrap_or_default();
    if let Some(components) = doc.components.as_mut() {
        components.schemas.retain(|name, _| {
            !name.ends_with("Write") || text.contains(&format!("#/components/schemas/{name}\""))
        });
    }
    doc
}

/// The document as the committed `openapi/openapi.json` holds it: pretty-printed, newline-ended.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
