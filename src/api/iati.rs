//! Programmes as IATI 2.03 activities (docs/IATI.md has the mapping, member by member and code
//! by code). An activity is written only from facts the record holds: a programme that lacks
//! an element the standard requires (a status, a date, a description, a participating
//! organisation) is left out, with its reasons, never completed with a guess.

use std::collections::HashMap;
use std::fmt::Write;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use quick_xml::escape::escape;
use serde::Serialize;
use serde_json::Value;

use super::collection;
use super::lang::LangChoice;
use crate::db::{self, AnyConnection, Pool};
use crate::error::AppError;
use crate::models::organisation::OrganisationData;
use crate::models::programme::{ProgrammeData, ROLES, STATUSES};
use crate::models::{Filter, Lang, ListQuery};

/// IOM's IATI organisation identifier, the reporting organisation of every activity.
pub const REPORTING_ORG: &str = "XM-DAC-47066";
/// IATI's OrganisationType code for IOM: 40, multilateral.
const REPORTING_ORG_TYPE: &str = "40";

/// IOM's name, by language, for `reporting-org`.
const IOM: [(&str, &str); 3] = [
    ("en", "International Organization for Migration"),
    ("fr", "Organisation internationale pour les migrations"),
    ("es", "Organización Internacional para las Migraciones"),
];

/// The `iati-identifier` of a programme: its own `iati_identifier` when it has one, else
/// derived from IOM's organisation identifier and the programme's id, which is IOM LRG's own
/// identifier of the activity, unique and never reused (docs/IATI.md, "Identifiers").
pub fn identifier(programme: &Value) -> String {
    match programme["iati_identifier"].as_str() {
        Some(given) if !given.is_empty() => given.to_owned(),
        _ => format!(
            "{REPORTING_ORG}-LRG-{}",
            programme["id"].as_str().unwrap_or_default()
        ),
    }
}

/// Narrative elements for a text in every language (`lang=all` rendering: `{"en": .., ..}`),
/// each with its `xml:lang`; nothing for an absent text.
fn narratives(out: &mut String, text: &Value, indent: &str) {
    for lang in Lang::ALL {
        if let Some(value) = text.get(lang.code()).and_then(Value::as_str) {
            let _ = writeln!(
                out,
                "{indent}<narrative xml:lang=\"{}\">{}</narrative>",
                lang.code(),
                escape(value)
            );
        }
    }
}

fn code_of(list: &[&str], value: &str) -> Option<usize> {
    list.iter().position(|v| *v == value).map(|i| i + 1)
}

/// One programme, rendered in every language (`lang=all`), as an `iati-activity` element; or
/// why it cannot be one. `organisations` holds the participating organisations, rendered in
/// every language, by id (their names become narratives).
pub fn activity(
    programme: &Value,
    organisations: &HashMap<String, Value>,
) -> Result<String, Vec<String>> {
    let mut missing = Vec::new();
    let status = programme["status"]
        .as_str()
        .and_then(|s| code_of(&STATUSES, s));
    if status.is_none() {
        missing.push("no status: IATI requires activity-status".to_owned());
    }
    let dates: Vec<(u8, &str)> = [
        (1, "planned_start"),
        (2, "actual_start"),
        (3, "planned_end"),
        (4, "actual_end"),
    ]
    .into_iter()
    .filter_map(|(code, member)| programme[member].as_str().map(|d| (code, d)))
    .collect();
    if dates.is_empty() {
        missing.push("no date: IATI requires at least one activity-date".to_owned());
    }
    let description = [&programme["description"], &programme["summary"]]
        .into_iter()
        .find(|t| t.is_object());
    if description.is_none() {
        missing.push("no description or summary: IATI requires a description".to_owned());
    }
    let participants = programme["participating_organisations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if participants.is_empty() {
        missing.push(
            "no participating organisation: IATI requires at least one participating-org"
                .to_owned(),
        );
    }
    if !missing.is_empty() {
        return Err(missing);
    }

    let mut out = String::new();
    let updated = programme["updated_at"].as_str().unwrap_or_default();
    let currency = programme["budget"]["currency"].as_str();
    let _ = write!(
        out,
        "  <iati-activity last-updated-datetime=\"{}\" xml:lang=\"en\"",
        escape(updated)
    );
    if let Some(currency) = currency {
        let _ = write!(out, " default-currency=\"{}\"", escape(currency));
    }
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "    <iati-identifier>{}</iati-identifier>",
        escape(identifier(programme).as_str())
    );
    let _ = writeln!(
        out,
        "    <reporting-org ref=\"{REPORTING_ORG}\" type=\"{REPORTING_ORG_TYPE}\">"
    );
    for (lang, name) in IOM {
        let _ = writeln!(
            out,
            "      <narrative xml:lang=\"{lang}\">{}</narrative>",
            escape(name)
        );
    }
    out.push_str("    </reporting-org>\n    <title>\n");
    narratives(&mut out, &programme["title"], "      ");
    out.push_str("    </title>\n");
    // IATI's DescriptionType 1 (General) for the description; a summary stands in for it.
    out.push_str("    <description type=\"1\">\n");
    narratives(&mut out, description.unwrap_or(&Value::Null), "      ");
    out.push_str("    </description>\n");
    for participant in &participants {
        let role = participant["role"]
            .as_str()
            .and_then(|r| code_of(&ROLES, r))
            .unwrap_or(4);
        let _ = writeln!(out, "    <participating-org role=\"{role}\">");
        let id = participant["organisation"].as_str().unwrap_or_default();
        match organisations.get(id) {
            Some(organisation) => narratives(&mut out, &organisation["name"], "      "),
            None => {
                let _ = writeln!(
                    out,
                    "      <narrative xml:lang=\"en\">{}</narrative>",
                    escape(id)
                );
            }
        }
        out.push_str("    </participating-org>\n");
    }
    let _ = writeln!(
        out,
        "    <activity-status code=\"{}\"/>",
        status.unwrap_or_default()
    );
    for (code, date) in &dates {
        let _ = writeln!(
            out,
            "    <activity-date type=\"{code}\" iso-date=\"{}\"/>",
            escape(*date)
        );
    }
    for country in programme["recipient_countries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let _ = writeln!(out, "    <recipient-country code=\"{}\"/>", escape(country));
    }
    for place in programme["locations"].as_array().into_iter().flatten() {
        let point = match (place["latitude"].as_f64(), place["longitude"].as_f64()) {
            (Some(latitude), Some(longitude)) => Some(format!("{latitude} {longitude}")),
            _ => None,
        };
        out.push_str("    <location>\n      <name>\n");
        narratives(&mut out, &place["name"], "        ");
        out.push_str("      </name>\n");
        if let Some(point) = point {
            let _ = writeln!(
                out,
                "      <point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\">\n        <pos>{point}</pos>\n      </point>"
            );
        }
        out.push_str("    </location>\n");
    }
    // A budget needs its period: written when the planned dates give it, as IATI's
    // BudgetType 1 (original) and BudgetStatus 1 (indicative), valued at the planned start.
    if let (Some(amount), Some(currency), Some(start), Some(end)) = (
        programme["budget"]["amount"].as_f64(),
        currency,
        programme["planned_start"].as_str(),
        programme["planned_end"].as_str(),
    ) {
        let _ = writeln!(
            out,
            "    <budget type=\"1\" status=\"1\">\n      <period-start iso-date=\"{}\"/>\n      <period-end iso-date=\"{}\"/>\n      <value currency=\"{}\" value-date=\"{}\">{amount}</value>\n    </budget>",
            escape(start),
            escape(end),
            escape(currency),
            escape(start)
        );
    }
    out.push_str("  </iati-activity>\n");
    Ok(out)
}

/// The organisations the programmes name, rendered in every language, by id.
pub fn participants_of(
    conn: &mut AnyConnection,
    programmes: &[Value],
) -> Result<HashMap<String, Value>, AppError> {
    let mut ids: Vec<String> = programmes
        .iter()
        .flat_map(|p| {
            p["participating_organisations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|p| p["organisation"].as_str().map(str::to_owned))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    super::render_live(conn, "organisations", &ids, LangChoice::All)
}

/// Programmes (rendered in every language) as one `iati-activities` document, with the ids
/// and reasons of those left out; `None` when none can be an activity (IATI requires one).
pub fn document(
    programmes: &[Value],
    organisations: &HashMap<String, Value>,
) -> (Option<String>, Vec<(String, Vec<String>)>) {
    // No generated-datetime here: a page or record keeps its ETag while its data does.
    let mut body = header(None);
    let mut written = 0;
    let mut left_out = Vec::new();
    for programme in programmes {
        match activity(programme, organisations) {
            Ok(xml) => {
                body.push_str(&xml);
                written += 1;
            }
            Err(reasons) => left_out.push((
                programme["id"].as_str().unwrap_or_default().to_owned(),
                reasons,
            )),
        }
    }
    body.push_str(FOOTER);
    ((written > 0).then_some(body), left_out)
}

/// Why no activity could be written, for a 406.
pub fn none_publishable(left_out: &[(String, Vec<String>)]) -> AppError {
    AppError::NotAcceptable(format!(
        "no programme here has what an IATI activity requires, so no IATI document can be made: {}; read them as application/json",
        left_out
            .iter()
            .map(|(id, reasons)| format!("{id}: {}", reasons.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

/// The opening of an `iati-activities` document, with `generated-datetime` when given (the
/// whole file says when it was made; pages and records leave it out, so their ETags hold).
pub fn header(at: Option<DateTime<Utc>>) -> String {
    let generated = at.map_or(String::new(), |at| {
        format!(
            " generated-datetime=\"{}\"",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )
    });
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\"{generated}>\n"
    )
}

/// The closing of an `iati-activities` document.
pub const FOOTER: &str = "</iati-activities>\n";

/// The programmes left out: their ids and what each lacks.
pub type LeftOutList = Vec<(String, Vec<String>)>;

/// How many left-out programmes the report lists at most (it counts them all).
pub const REPORT_MAX: usize = 1_000;

/// Writes every live programme that can be an activity into `out` as one document, from one
/// snapshot, in id order; answers how many were written and the left-out ones (their ids and
/// reasons, the first [`REPORT_MAX`], and how many in all).
fn write_all(
    conn: &mut AnyConnection,
    out: &mut dyn std::io::Write,
) -> Result<(usize, LeftOutList, usize), AppError> {
    db::read_transaction(conn, |conn| {
        // Every live organisation's name first (a programme's participants are among them).
        let mut organisations: HashMap<String, Value> = HashMap::new();
        let by_id = ListQuery {
            sort: "id".into(),
            ..ListQuery::default()
        };
        collection::each_record::<OrganisationData>(
            conn,
            by_id.clone(),
            &Filter::default(),
            |o| {
                organisations.insert(o.id.clone(), collection::render_all_languages(o));
                Ok(())
            },
        )?;
        let (mut written, mut left_out, mut left_out_count) = (0, Vec::new(), 0);
        let failed = |e: std::io::Error| {
            AppError::Unavailable(format!("the IATI file could not be written: {e}"))
        };
        out.write_all(header(Some(Utc::now())).as_bytes())
            .map_err(failed)?;
        collection::each_record::<ProgrammeData>(conn, by_id, &Filter::default(), |record| {
            let programme = collection::render_all_languages(record);
            match activity(&programme, &organisations) {
                Ok(xml) => {
                    out.write_all(xml.as_bytes()).map_err(failed)?;
                    written += 1;
                }
                Err(reasons) => {
                    left_out_count += 1;
                    if left_out.len() < REPORT_MAX {
                        left_out.push((record.id.clone(), reasons));
                    }
                }
            }
            Ok(())
        })?;
        out.write_all(FOOTER.as_bytes()).map_err(failed)?;
        Ok((written, left_out, left_out_count))
    })
}

/// `GET /v1/iati/activities.xml`: every live programme that has what IATI requires, as one
/// IATI 2.03 activities file (docs/IATI.md), written from one snapshot to a temporary file and
/// streamed, like the export. `IATI-Left-Out` counts the programmes left out;
/// `/v1/iati/report` says why.
#[utoipa::path(
    tag = "Programmes",
    security(()),
    responses(
        (status = 200, description = "Every publishable programme as an IATI 2.03 activities file (valid against the IATI schema)",
            content_type = "application/xml", body = String, headers(
            ("IATI-Left-Out" = i64, description = "Live programmes left out for lacking what IATI requires (see /v1/iati/report)"),
        )),
        (status = 409, description = "No programme has what an IATI activity requires, and an IATI file must hold one; `conflicts` lists the first programmes, `/v1/iati/report` why", body = crate::error::Problem, content_type = "application/problem+json"),
        super::ListErrors,
    )
)]
#[get("/iati/activities.xml")]
pub async fn activities_file(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    super::extract::single_query(&req, &[])?;
    let counts = std::sync::Arc::new(std::sync::Mutex::new((0, 0, Vec::new())));
    let seen = counts.clone();
    let (file, length) = super::export::spool(pool, move |conn, out| {
        let (written, left_out, count) = write_all(conn, out)?;
        if let Ok(mut seen) = seen.lock() {
            *seen = (written, count, left_out.into_iter().map(|(id, _)| id).collect());
        }
        if written == 0 {
            return Err(AppError::Conflict {
                detail: "no programme has what an IATI activity requires (a status, a date, a description, a participating organisation), and an IATI file must hold one: GET /v1/iati/report says what each lacks".into(),
                conflicts: None,
            });
        }
        Ok(())
    })
    .await
    .map_err(|e| match e {
        AppError::Conflict { detail, .. } => AppError::Conflict {
            detail,
            conflicts: counts.lock().ok().map(|c| c.2.iter().take(20).cloned().collect()),
        },
        other => other,
    })?;
    let left_out = counts.lock().map(|c| c.1).unwrap_or_default();
    let mut response = super::export::stream_file(file, length, "application/xml; charset=utf-8");
    response.headers_mut().insert(
        HeaderName::from_static("iati-left-out"),
        HeaderValue::from(left_out),
    );
    Ok(response)
}

/// What `/v1/iati/report` says.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IatiReport {
    /// Programmes written as activities in `/v1/iati/activities.xml`.
    pub activities: usize,
    /// Live programmes left out.
    pub left_out: usize,
    /// The first 1,000 left out, in id order, with what each lacks.
    pub programmes: Vec<LeftOut>,
}

/// A programme left out of the IATI file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeftOut {
    /// The programme's id.
    pub id: String,
    /// What IATI requires and the programme lacks.
    pub reasons: Vec<String>,
}

/// `GET /v1/iati/report`: which programmes the IATI file holds and which it leaves out, and
/// why (what the standard requires that the record lacks).
#[utoipa::path(
    tag = "Programmes",
    security(()),
    responses(
        (status = 200, description = "How many programmes are activities, and the left-out ones with their reasons", body = IatiReport),
        super::ListErrors,
    )
)]
#[get("/iati/report")]
pub async fn report(req: HttpRequest, pool: web::Data<Pool>) -> Result<HttpResponse, AppError> {
    super::extract::single_query(&req, &[])?;
    let (activities, left_out, count) =
        super::extract::run(&pool, |conn| write_all(conn, &mut std::io::sink())).await?;
    let report = IatiReport {
        activities,
        left_out: count,
        programmes: left_out
            .into_iter()
            .map(|(id, reasons)| LeftOut { id, reasons })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_programme_without_the_required_facts_is_left_out_with_its_reasons() {
        let bare = json!({"id": "p", "title": {"en": "T"}, "status": null,
            "participating_organisations": []});
        let reasons = activity(&bare, &HashMap::new()).unwrap_err();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        let full = json!({"id": "p", "iati_identifier": null, "title": {"en": "T & co", "fr": "T"},
            "summary": {"en": "S"}, "description": null, "status": "closed",
            "planned_start": "2020-01-01", "planned_end": "2020-12-31",
            "recipient_countries": ["CL"], "locations": [],
            "participating_organisations": [{"organisation": "o", "role": "funding"}],
            "budget": {"amount": 10.5, "currency": "USD"}, "updated_at": "2026-01-01T00:00:00.000000Z"});
        let xml = activity(&full, &HashMap::new()).unwrap();
        assert!(xml.contains("<iati-identifier>XM-DAC-47066-LRG-p</iati-identifier>"));
        assert!(xml.contains("<narrative xml:lang=\"en\">T &amp; co</narrative>"));
        assert!(xml.contains("<activity-status code=\"4\"/>"));
        assert!(xml.contains("<participating-org role=\"1\">"));
        assert!(xml.contains("<activity-date type=\"1\" iso-date=\"2020-01-01\"/>"));
        assert!(xml.contains("<value currency=\"USD\" value-date=\"2020-01-01\">10.5</value>"));
    }
}
