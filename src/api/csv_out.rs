//! Lists as CSV (`Accept: text/csv`, negotiated in `representation`, and downloads): one row
//! per record, for spreadsheets and analysts.
//!
//! The columns are fixed per collection and language setting (`docs::csv_columns`, from the
//! read schema): every page, and the whole-collection download, has the same header whatever
//! its records hold. An object member becomes one column per member (`budget.amount`, or
//! `title.en`, `title.fr`, `title.es` with `lang=all`); a list of values is joined with "; "
//! (`CL; MX`); a list of objects too, each object's values joined with " / "
//! (`santiago-local-government / implementing`). Null, or a member the record lacks, is an empty
//! cell. Embedded records (`include`) and facets have no place in a table and are left out. A
//! cell that a spreadsheet would run as a formula is neutralised ([`neutralised`]), and the
//! response names a file (`Content-Disposition: attachment; filename="<collection>.csv"`).

use serde_json::{Map, Value};

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

/// The cell of `column` (a dotted path) in `record`.
fn cell(record: &Map<String, Value>, column: &str) -> String {
    let mut parts = column.split('.');
    let mut value = parts.next().and_then(|first| record.get(first));
    for part in parts {
        value = value.and_then(|v| v.get(part));
    }
    value.map_or(String::new(), |v| neutralised(&scalar(v)))
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

/// The columns of the members `fields=` selects (and `id`'s), or all of them.
pub fn selected(columns: &[String], fields: Option<&[String]>) -> Vec<String> {
    columns
        .iter()
        .filter(|column| {
            let member = column.split('.').next().unwrap_or("");
            fields.is_none_or(|fields| member == "id" || fields.iter().any(|f| f == member))
        })
        .cloned()
        .collect()
}

/// Writes one record's row.
pub fn write_row<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    columns: &[String],
    record: &Value,
) -> csv::Result<()> {
    let empty = Map::new();
    let record = record.as_object().unwrap_or(&empty);
    writer.write_record(columns.iter().map(|c| cell(record, c)))
}

/// The records as CSV: the header row of `columns`, then a row per record.
pub fn table(records: &[Value], columns: &[String]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(columns);
    for record in records {
        let _ = write_row(&mut writer, columns, record);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_multi_valued_members_flatten_into_cells() {
        let columns: Vec<String> = [
            "id",
            "title",
            "recipient_countries",
            "budget.amount",
            "budget.currency",
            "participating_organisations",
            "fund",
            "title.en",
            "title.fr",
        ]
        .map(String::from)
        .into();
        let csv = table(
            &[
                json!({"id": "p1", "title": "Decent, work", "recipient_countries": ["CL", "MX"],
                   "budget": {"amount": 10.5, "currency": "USD"},
                   "participating_organisations": [{"organisation": "a", "role": "implementing"}],
                   "fund": null, "included": {"x": []}}),
                json!({"id": "p2", "title": {"en": "E", "fr": "F"}}),
            ],
            &columns,
        );
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
        assert_eq!(lines[2], "p2,E / F,,,,,,E,F");
    }
}
