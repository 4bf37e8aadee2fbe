//! What a read of a collection is answered in: `Accept` negotiated among what the operation
//! offers (JSON first, CSV on lists, then the collection's own representations), a 406 naming
//! them when it names none; member selection (`fields=`); and the shapes beyond JSON, GeoJSON
//! (RFC 7946) and iCalendar (RFC 5545).

use actix_web::HttpRequest;
use actix_web::http::header;
use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Component, EventLike, Property};
use serde_json::{Value, json};

use super::lang::LangChoice;
use crate::error::AppError;
use crate::records::{Collection, Representation};

/// A media type a read can be answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    GeoJson,
    Calendar,
    Xml,
    /// Server-Sent Events (the change feed's stream).
    EventStream,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv",
            Format::GeoJson => "application/geo+json",
            Format::Calendar => "text/calendar",
            Format::Xml => "application/xml",
            Format::EventStream => "text/event-stream",
        }
    }

    /// Its short name, in cache keys and page ETags.
    pub fn tag(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::GeoJson => "geo",
            Format::Calendar => "ics",
            Format::Xml => "xml",
            Format::EventStream => "sse",
        }
    }

    fn of(representation: Representation) -> Format {
        match representation {
            Representation::GeoJson => Format::GeoJson,
            Representation::Calendar => Format::Calendar,
            Representation::Iati => Format::Xml,
        }
    }
}

/// What a list of `C` answers in, by preference: JSON, CSV, then its own representations.
pub fn list_formats<C: Collection>() -> Vec<Format> {
    let mut formats = vec![Format::Json, Format::Csv];
    formats.extend(C::REPRESENTATIONS.iter().map(|r| Format::of(*r)));
    formats
}

/// What a record of `C` answers in: JSON, then its collection's own representations.
pub fn record_formats<C: Collection>() -> Vec<Format> {
    let mut formats = vec![Format::Json];
    formats.extend(C::REPRESENTATIONS.iter().map(|r| Format::of(*r)));
    formats
}

/// The format `Accept` prefers among `offered` (RFC 9110 section 12.5.1): each offered type
/// takes the q-value of the most specific range that matches it (`type/sub`, then `type/*`,
/// then `*/*`); the highest wins, ties going to the first offered (JSON). No `Accept`, or one
/// with no readable range, is JSON. A browser's `Accept` (`text/html, ..., */*;q=0.8`) asks
/// for HTML, which no read offers, so it gets JSON (its `application/xml;q=0.9` is not taken
/// as a wish for IATI XML). Nothing offered acceptable: a 406 naming what is.
pub fn negotiate(req: &HttpRequest, offered: &[Format]) -> Result<Format, AppError> {
    let first = offered.first().copied().unwrap_or(Format::Json);
    let Some(accept) = req.headers().get(header::ACCEPT) else {
        return Ok(first);
    };
    let ranges: Vec<(String, String, f32)> = accept
        .to_str()
        .unwrap_or("")
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let (kind, sub) = media.split_once('/')?;
            let q = parts
                .filter_map(|p| {
                    let (name, value) = p.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| value.trim().parse::<f32>().ok())
                        .flatten()
                })
                .next()
                .unwrap_or(1.0);
            Some((
                kind.trim().to_owned(),
                sub.trim().to_owned(),
                q.clamp(0.0, 1.0),
            ))
        })
        .collect();
    // A browser asks for HTML first and XML above `*/*`; what it shows best is JSON.
    if ranges.is_empty()
        || ranges
            .iter()
            .any(|(k, s, q)| k == "text" && s == "html" && *q > 0.0)
    {
        return Ok(first);
    }
    let quality = |format: Format| -> f32 {
        let (kind, sub) = format.media_type().split_once('/').unwrap_or(("", ""));
        ranges
            .iter()
            .filter_map(|(k, s, q)| {
                let specificity = match (k == kind, s == sub, k == "*" && s == "*") {
                    (true, true, _) => 2,
                    (true, false, _) if s == "*" => 1,
                    (_, _, true) => 0,
                    _ => return None,
                };
                Some((specificity, *q))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map_or(0.0, |(_, q)| q)
    };
    let mut best: Option<(Format, f32)> = None;
    for &format in offered {
        let q = quality(format);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((format, q));
        }
    }
    best.map(|(format, _)| format).ok_or_else(|| {
        AppError::NotAcceptable(format!(
            "this operation answers in {}; Accept names none of them",
            offered
                .iter()
                .map(|f| f.media_type())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The members of `C` a representation has, in order: `id`, the data's members, then
/// `missing_languages`, the instants and the version (what `collection::render` writes).
pub fn member_names<C: Collection>() -> Vec<&'static str> {
    let mut names = vec!["id"];
    names.extend(C::MEMBERS.iter().map(|m| m.name));
    names.extend(["missing_languages", "created_at", "updated_at", "version"]);
    names
}

/// The members `fields=` selects (`id` always comes too), checked against `C`'s: `None`
/// without the parameter; an unknown name is a 400 naming it and listing the known ones.
pub fn fields<C: Collection>(req: &HttpRequest) -> Result<Option<Vec<String>>, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    if !pairs.iter().any(|(k, _)| k == "fields") {
        return Ok(None);
    }
    let mut asked: Vec<String> = Vec::new();
    for value in pairs
        .iter()
        .filter(|(k, _)| k == "fields")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        if !asked.iter().any(|a| a == value) {
            asked.push(value.to_owned());
        }
    }
    let known = member_names::<C>();
    if asked.is_empty() {
        return Err(AppError::InvalidQuery(format!(
            "fields names no member; name some of: {}",
            known.join(", ")
        )));
    }
    let unknown: Vec<&str> = asked
        .iter()
        .map(String::as_str)
        .filter(|a| !known.contains(a))
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::InvalidQuery(format!(
            "fields names no member called {}; the members of {} are: {}",
            unknown
                .iter()
                .map(|u| format!("'{u}'"))
                .collect::<Vec<_>>()
                .join(", "),
            C::NAME,
            known.join(", ")
        )));
    }
    Ok(Some(asked))
}

/// Keeps only `id`, the selected members and `included` (records embedded on request).
pub fn select(value: &mut Value, fields: &[String]) {
    if let Value::Object(members) = value {
        members.retain(|name, _| {
            name == "id" || name == "included" || fields.iter().any(|f| f == name)
        });
    }
}

/// A rendered record as a GeoJSON Feature: its `id`, a geometry from the `locations` that have
/// coordinates (a Point for one, a MultiPoint for several, null for none: a place is never
/// guessed), and the record, its selected members only, as `properties`.
pub fn feature(record: &Value, fields: Option<&[String]>) -> Value {
    let points: Vec<Value> = record
        .get("locations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|place| {
            let longitude = place.get("longitude")?.as_f64()?;
            let latitude = place.get("latitude")?.as_f64()?;
            Some(json!([longitude, latitude]))
        })
        .collect();
    let geometry = match points.as_slice() {
        [] => Value::Null,
        [point] => json!({"type": "Point", "coordinates": point}),
        _ => json!({"type": "MultiPoint", "coordinates": points}),
    };
    let mut properties = record.clone();
    if let Some(fields) = fields {
        select(&mut properties, fields);
    }
    json!({"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties})
}

/// A page (its JSON envelope) as a GeoJSON FeatureCollection: the records become features;
/// `meta`, `links` and `facets` stay as foreign members (RFC 7946 section 6.1).
pub fn feature_collection(page: Value, fields: Option<&[String]>) -> Value {
    let Value::Object(mut page) = page else {
        return page;
    };
    let features: Vec<Value> = page
        .remove("data")
        .and_then(|d| d.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|record| feature(record, fields))
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("type".into(), json!("FeatureCollection"));
    out.insert("features".into(), Value::Array(features));
    out.extend(page);
    Value::Object(out)
}

/// Whether a calendar can be made in `lang`: an event has one summary, so `lang=all` cannot.
pub fn calendar_language(format: Format, lang: LangChoice) -> Result<(), AppError> {
    if format == Format::Calendar && lang == LangChoice::All {
        return Err(AppError::InvalidQuery(
            "an iCalendar event has one summary: ask for one language (lang=en, fr or es)".into(),
        ));
    }
    Ok(())
}

/// The day of a rendered event, when the record knows it (`year`, `month` and `day`).
pub fn event_day(event: &Value) -> Option<NaiveDate> {
    let part = |name: &str| event.get(name).and_then(Value::as_i64);
    NaiveDate::from_ymd_opt(
        i32::try_from(part("year")?).ok()?,
        u32::try_from(part("month")?).ok()?,
        u32::try_from(part("day")?).ok()?,
    )
}

/// What the calendar is called, in its language.
fn calendar_name(lang: LangChoice) -> &'static str {
    match lang.tag() {
        "fr" => "OIM et gouvernements locaux et régionaux : événements",
        "es" => "OIM y gobiernos locales y regionales: eventos",
        _ => "IOM and local and regional governments: events",
    }
}

fn instant(event: &Value, name: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(event.get(name)?.as_str()?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Rendered events as one VCALENDAR, with how many were left out: an event the source knows
/// only to its month or year has no day, and a calendar entry needs one, so it is left out
/// rather than given an invented day. Each VEVENT: UID `{id}@iom-lrg-api` (stable across
/// requests and versions), DTSTAMP and LAST-MODIFIED from `updated_at`, CREATED, SEQUENCE from
/// the version (0 for version 1), an all-day DTSTART (DTEND the day after), SUMMARY and
/// DESCRIPTION in the language (with LANGUAGE when the record has that language).
pub fn calendar(events: &[Value], lang: LangChoice) -> (String, usize) {
    let mut calendar = icalendar::Calendar::empty();
    let name = calendar_name(lang);
    calendar.properties.extend([
        Property::new("VERSION", "2.0"),
        Property::new(
            "PRODID",
            concat!(
                "-//IOM LRG API//iom-lrg-api ",
                env!("CARGO_PKG_VERSION"),
                "//EN"
            ),
        ),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("NAME", name),
        Property::new("X-WR-CALNAME", name),
        Property::new("REFRESH-INTERVAL", "P1D")
            .add_parameter("VALUE", "DURATION")
            .done(),
    ]);
    let code = lang.tag();
    let mut omitted = 0;
    for event in events {
        let Some(day) = event_day(event) else {
            omitted += 1;
            continue;
        };
        let id = event["id"].as_str().unwrap_or_default();
        let version = event["version"].as_u64().unwrap_or(1);
        let mut entry = icalendar::Event::new();
        // An all-day event: DTEND is exclusive, the day after (RFC 5545 section 3.6.1).
        entry
            .uid(&format!("{id}@iom-lrg-api"))
            .sequence(u32::try_from(version.saturating_sub(1)).unwrap_or(0))
            .starts(day)
            .ends(day.succ_opt().unwrap_or(day));
        if let Some(updated) = instant(event, "updated_at") {
            entry.timestamp(updated).last_modified(updated);
        }
        if let Some(created) = instant(event, "created_at") {
            entry.created(created);
        }
        // The texts are in the language asked for, unless the record lacks it (then English,
        // and `missing_languages` says so): LANGUAGE is only stated when it is certain.
        let complete = event["missing_languages"]
            .as_array()
            .is_none_or(|missing| missing.is_empty());
        for (property, member) in [("SUMMARY", "title"), ("DESCRIPTION", "description")] {
            if let Some(text) = event.get(member).and_then(Value::as_str) {
                let mut line = Property::new(property, text);
                if complete {
                    line.add_parameter("LANGUAGE", code);
                }
                entry.append_property(line.done());
            }
        }
        calendar.push(entry.done());
    }
    (calendar.to_string(), omitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn pick(accept: Option<&str>, offered: &[Format]) -> Result<Format, AppError> {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        negotiate(&req.to_http_request(), offered)
    }

    #[test]
    fn accept_is_negotiated_by_q_value_and_specificity() {
        let all = [Format::Json, Format::Csv, Format::GeoJson, Format::Calendar];
        assert_eq!(pick(None, &all).ok(), Some(Format::Json));
        assert_eq!(pick(Some("text/csv"), &all).ok(), Some(Format::Csv));
        assert_eq!(
            pick(Some("application/geo+json, application/json;q=0.5"), &all).ok(),
            Some(Format::GeoJson)
        );
        assert_eq!(pick(Some("text/*"), &all).ok(), Some(Format::Csv));
        // A browser gets JSON: every type ties at */*.
        assert_eq!(
            pick(
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                &all
            )
            .ok(),
            Some(Format::Json)
        );
        // The most specific range decides: */* allows, text/csv;q=0 refuses CSV.
        assert_eq!(
            pick(
                Some("*/*, application/json;q=0"),
                &[Format::Json, Format::Csv]
            )
            .ok(),
            Some(Format::Csv)
        );
        assert_eq!(pick(Some("nonsense"), &all).ok(), Some(Format::Json));
        let refused = pick(Some("application/xml"), &[Format::Json, Format::Csv]);
        assert!(
            matches!(&refused, Err(AppError::NotAcceptable(d)) if d.contains("application/json, text/csv")),
            "{refused:?}"
        );
    }

    #[test]
    fn a_feature_is_placed_only_by_known_coordinates() {
        let record = json!({"id": "p", "title": "T", "locations": [
            {"name": "A", "latitude": 1.5, "longitude": 2.5},
            {"name": "B", "latitude": null, "longitude": null}]});
        let one = feature(&record, Some(&["title".to_owned()]));
        assert_eq!(
            one["geometry"],
            json!({"type": "Point", "coordinates": [2.5, 1.5]})
        );
        assert_eq!(one["properties"], json!({"id": "p", "title": "T"}));
        let none = feature(&json!({"id": "q", "locations": []}), None);
        assert_eq!(none["geometry"], Value::Null);
    }

    #[test]
    fn events_without_a_day_are_left_out_of_calendars() {
        let events = [
            json!({"id": "a", "title": "Forum", "year": 2026, "month": 5, "day": 4, "version": 3,
                "updated_at": "2026-01-02T03:04:05.000000Z", "created_at": "2026-01-01T00:00:00.000000Z"}),
            json!({"id": "b", "title": "Hearings", "year": 2022, "month": 5, "day": null, "version": 1}),
        ];
        let (text, omitted) = calendar(&events, LangChoice::One(crate::models::Lang::Fr));
        assert_eq!(omitted, 1);
        assert!(text.contains("UID:a@iom-lrg-api"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20260504"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20260505"), "{text}");
        assert!(text.contains("SEQUENCE:2"), "{text}");
        assert!(text.contains("DTSTAMP:20260102T030405Z"), "{text}");
        assert!(text.contains("SUMMARY;LANGUAGE=fr:Forum"), "{text}");
        assert!(!text.contains("Hearings"), "{text}");
    }
}
