//! The routes of every collection but the institution (`institution.rs`): one entry each,
//! with its paths, tag, and the operation ids and summaries of its six operations (the list,
//! its CSV download, and the record's read, create, update and delete), expanded
//! by [`collection_routes!`] into a module of handlers around the generic ones of
//! [`super::collection`]. What the collection lists, filters and validates is declared on its
//! data type (`records::collections`); the catalogue test checks this table against the
//! catalogue.

collection_routes! {
    organisations: crate::models::organisation::OrganisationData, "/organisations", "Organisations" {
        list_organisations "Lists organisations.";
        download_organisations "/organisations.csv" "Downloads the organisations that match the filters, as one CSV file.";
        get_organisation "Reads one organisation.";
        create_organisation "Creates an organisation.";
        update_organisation "Updates an organisation (JSON Merge Patch).";
        delete_organisation "Deletes an organisation, leaving a tombstone; 409 while records point to it.";
    }
    frameworks: crate::models::domain::Framework, "/frameworks", "Frameworks" {
        list_frameworks "Lists frameworks (compacts, declarations).";
        download_frameworks "/frameworks.csv" "Downloads the frameworks that match the filters, as one CSV file.";
        get_framework "Reads one framework.";
        create_framework "Creates a framework.";
        update_framework "Updates a framework (JSON Merge Patch).";
        delete_framework "Deletes a framework, leaving a tombstone; 409 while records name it.";
    }
    migration_domains: crate::models::domain::MigrationDomain, "/migration-domains", "Migration domains" {
        list_migration_domains "Lists the domains of migration management, in IOM's order.";
        download_migration_domains "/migration-domains.csv" "Downloads the domains of migration management that match the filters, as one CSV file.";
        get_migration_domain "Reads one migration domain.";
        create_migration_domain "Creates a migration domain.";
        update_migration_domain "Updates a migration domain (JSON Merge Patch).";
        delete_migration_domain "Deletes a migration domain, leaving a tombstone.";
    }
    engagement_areas: crate::models::domain::EngagementArea, "/engagement-areas", "Engagement areas" {
        list_engagement_areas "Lists the areas of IOM's engagement with LRGs, in IOM's order.";
        download_engagement_areas "/engagement-areas.csv" "Downloads the areas of IOM's engagement with LRGs that match the filters, as one CSV file.";
        get_engagement_area "Reads one engagement area.";
        create_engagement_area "Creates an engagement area.";
        update_engagement_area "Updates an engagement area (JSON Merge Patch).";
        delete_engagement_area "Deletes an engagement area, leaving a tombstone; 409 while programmes name it.";
    }
    funds: crate::models::domain::Fund, "/funds", "Funds" {
        list_funds "Lists funds.";
        download_funds "/funds.csv" "Downloads the funds that match the filters, as one CSV file.";
        get_fund "Reads one fund.";
        create_fund "Creates a fund.";
        update_fund "Updates a fund (JSON Merge Patch).";
        delete_fund "Deletes a fund, leaving a tombstone; 409 while programmes name it.";
    }
    forums: crate::models::domain::Forum, "/forums", "Forums" {
        list_forums "Lists global forums and the mechanisms that bring LRGs into them.";
        download_forums "/forums.csv" "Downloads the forums and mechanisms that match the filters, as one CSV file.";
        get_forum "Reads one forum or mechanism.";
        create_forum "Creates a forum or mechanism.";
        update_forum "Updates a forum (JSON Merge Patch).";
        delete_forum "Deletes a forum, leaving a tombstone; 409 while records name it.";
    }
    events: crate::models::domain::Event, "/events", "Events" {
        list_events "Lists events, earliest first.";
        download_events "/events.csv" "Downloads the events that match the filters, as one CSV file.";
        get_event "Reads one event.";
        create_event "Creates an event.";
        update_event "Updates an event (JSON Merge Patch).";
        delete_event "Deletes an event, leaving a tombstone; 409 while recommendations name it.";
    }
    recommendations: crate::models::domain::Recommendation, "/recommendations", "Recommendations" {
        list_recommendations "Lists recommendations.";
        download_recommendations "/recommendations.csv" "Downloads the recommendations that match the filters, as one CSV file.";
        get_recommendation "Reads one recommendation.";
        create_recommendation "Creates a recommendation.";
        update_recommendation "Updates a recommendation (JSON Merge Patch).";
        delete_recommendation "Deletes a recommendation, leaving a tombstone.";
    }
    programmes: crate::models::programme::ProgrammeData, "/programmes", "Programmes" {
        list_programmes "Lists programmes.";
        download_programmes "/programmes.csv" "Downloads the programmes that match the filters, as one CSV file.";
        get_programme "Reads one programme.";
        create_programme "Creates a programme.";
        update_programme "Updates a programme (JSON Merge Patch).";
        delete_programme "Deletes a programme, leaving a tombstone.";
    }
    contacts: crate::models::domain::Contact, "/contacts", "Contacts" {
        list_contacts "Lists focal points, by family name.";
        download_contacts "/contacts.csv" "Downloads the focal points that match the filters, as one CSV file.";
        get_contact "Reads one focal point.";
        create_contact "Creates a focal point.";
        update_contact "Updates a focal point (JSON Merge Patch).";
        delete_contact "Deletes a focal point; the tombstone keeps no name or email.";
    }
}

use actix_web::get;

/// `GET /v1/events.ics`: the events calendar (`Accept: text/calendar` on `/v1/events`) at an
/// address of its own, for calendar apps, which subscribe to a URL and send no `Accept`.
#[utoipa::path(
    tag = "Events",
    security(()),
    params(
        crate::api::docs::DownloadDoc<crate::models::domain::Event>,
        crate::api::extract::OneLanguage,
    ),
    responses(
        (status = 200, description = "An iCalendar (RFC 5545) of every matching event whose day is known; `Events-Without-Day` counts the others",
            content_type = "text/calendar", body = String, headers(
            ("ETag" = String, description = "Strong entity tag of the calendar"),
            ("Events-Without-Day" = i64, description = "Matching events known only to their month or year, left out"),
        )),
        (status = 304, description = "Not modified (If-None-Match)"),
        crate::api::ListErrors,
    )
)]
#[get("/events.ics")]
pub async fn events_calendar(
    req: actix_web::HttpRequest,
    pool: actix_web::web::Data<crate::db::Pool>,
    lang: crate::api::extract::Language,
) -> Result<actix_web::HttpResponse, crate::error::AppError> {
    crate::api::collection::calendar_feed::<crate::models::domain::Event>(req, pool, lang).await
}
