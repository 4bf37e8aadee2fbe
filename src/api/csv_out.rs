//! Lists as CSV (`Accept: text/csv`): one row per record, for spreadsheets and analysts.
//!
//! Columns are the record's members in the JSON order; an object member becomes one column per
//! member (`budget.amount`, or `title.en`, `title.fr`, `title.es` with `lang=all`); a list of
//! values is joined with "; " (`CL; MX`); a list of objects too, each object's values joined
//! with " / " (`santiago-local-government / implementing`). Null is an empty cell. Embedded
//! records (`include`) and facets have no place in a table and are left out. A cell that a
//! spreadsheet would run as a formula is neutralised ([`neutralised`]), and the response names
//! a file (`Content-Disposition: attachment; filename="<collection>.csv"`).

use actix_web::HttpRequest;
use actix_web::http::header;
use serde_json::{Map, Value};

/// Whether the client prefers CSV to JSON (`Accept: text/csv`, by q-value; JSON on ties).
pub fn wanted(req: &HttpRequest) -> bool {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut csv = 0.0f32;
    let mut json = 0.0f32;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "text/csv" => csv = csv.max(q),
            "application/json" | "application/*" | "*/*" => json = json.max(q),
            _ => {}
        }
    }
    csv > 0.0 && csv > json
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => o
                    .values()
                    .filter(|v| !v.is_null())
                    .map(scalar)
                    .collect::<Vec<_>>()
                    .join(" / "),
                other => scalar(other),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) => o
            .values()
            .filter(|v| !v.is_null())
            .map(scalar)
            .collect::<Vec<_>>()
            .join(" / "),
    }
}

fn flatten(prefix: &str, object: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (name, value) in object {
        if name == "included" {
            continue;
        }
        let column = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            Value::Object(inner) => flatten(&column, inner, out),
            other => out.push((column, scalar(other))),
        }
    }
}

/// A cell a spreadsheet will not run as a formula (OWASP's CSV injection rule): one that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, unless it is a number
/// (`-3.5` stays a number).
fn neutralised(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The records as CSV: a header row of every column any record has, in first-seen order.
pub fn table(records: &[Value]) -> Vec<u8> {
    let rows: Vec<Vec<(String, String)>> = records
        .iter()
        .map(|r| {
            let mut cells = Vec::new();
            if let Value::Object(o) = r {
                flatten("", o, &mut cells);
            }
            cells
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for (column, _) in row {
            if !columns.contains(column) {
                columns.push(column.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(&columns);
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(name, _)| name == c)
                    .map_or(String::new(), |(_, v)| neutralised(v))
            })
            .collect();
        let _ = writer.write_record(&cells);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_multi_valued_members_flatten_into_cells() {
        let csv = table(&[
            json!({"id": "p1", "title": "Decent, work", "recipient_countries": ["CL", "MX"],
                   "budget": {"amount": 10.5, "currency": "USD"},
                   "participating_organisations": [{"organisation": "a", "role": "implementing"}],
                   "fund": null, "included": {"x": []}}),
            json!({"id": "p2", "title": {"en": "E", "fr": "F"}}),
        ]);
        let text = String::from_utf8(csv).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "id,title,recipient_countries,budget.amount,budget.currency,participating_organisations,fund,title.en,title.fr"
        );
        assert_eq!(
            lines[1],
            "p1,\"Decent, work\",CL; MX,10.5,USD,a / implementing,,,"
        );
        assert_eq!(lines[2], "p2,,,,,,,E,F");
    }
}
