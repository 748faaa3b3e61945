//! Rows for kinds without a projection of ours (CRDs, aggregated APIs), from
//! the server's Table format. The server renders ages as text at request
//! time; those become [`Cell::Age`] so they tick like ours.

use super::{Cell, Column, Row};
use crate::table::{TableColumn, TableRow};
use jiff::Timestamp;
use serde_json::Value;

/// How a server column turns into cells.
fn is_age(column: &TableColumn) -> bool {
    column.name.eq_ignore_ascii_case("age")
}

/// The server's columns as ours (names upper-cased as kubectl prints them).
pub fn table_columns(columns: &[TableColumn]) -> Vec<Column> {
    columns
        .iter()
        .map(|c| Column {
            name: c.name.to_uppercase(),
            priority: u8::try_from(c.priority.clamp(0, 255)).unwrap_or(u8::MAX),
        })
        .collect()
}

/// One server row as ours. `row.object` (asked for with
/// `includeObject=Metadata`) gives the key, namespace and creation time.
pub fn from_table_row(columns: &[TableColumn], row: &TableRow) -> Row {
    let meta = row.object.as_ref().map(|o| &o.metadata);
    let created = meta
        .and_then(|m| m.creation_timestamp.as_ref())
        .map(|t| t.0.as_millisecond());
    let cells: Vec<Cell> = columns
        .iter()
        .zip(row.cells.iter().chain(std::iter::repeat(&Value::Null)))
        .map(|(column, value)| cell(column, value, created))
        .collect();
    let name = meta
        .and_then(|m| m.name.clone())
        .or_else(|| {
            columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case("name"))
                .and_then(|i| row.cells.get(i))
                .and_then(|v| v.as_str().map(str::to_owned))
        })
        .unwrap_or_default();
    Row {
        uid: meta.and_then(|m| m.uid.clone()).unwrap_or_default(),
        name,
        namespace: meta.and_then(|m| m.namespace.clone()),
        cells,
        created,
    }
}

fn cell(column: &TableColumn, value: &Value, created: Option<i64>) -> Cell {
    // A timestamp, whatever the column: a date column of a CRD carries the
    // raw RFC 3339 time; kubectl shows it as an age.
    if column.column_type == "date" || is_age(column) {
        if let Some(ms) = value
            .as_str()
            .and_then(|s| s.parse::<Timestamp>().ok())
            .map(|t| t.as_millisecond())
        {
            return Cell::Age { since_ms: Some(ms) };
        }
        // The server's "Age" is the creation time rendered at request time.
        if is_age(column) && created.is_some() {
            return Cell::Age { since_ms: created };
        }
    }
    match value {
        Value::Number(n) if column.column_type == "integer" || n.is_i64() => match n.as_i64() {
            Some(v) => Cell::Number { value: v },
            None => Cell::text(n.to_string()),
        },
        Value::String(s) => Cell::text(s.clone()),
        // kubectl prints a missing value as <none>.
        Value::Null => Cell::text("<none>"),
        other => Cell::text(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::PartialObject;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
    use serde_json::json;

    fn col(name: &str, ty: &str, priority: i32) -> TableColumn {
        TableColumn {
            name: name.into(),
            column_type: ty.into(),
            format: String::new(),
            priority,
            description: String::new(),
        }
    }

    fn row(cells: Vec<Value>, created: &str) -> TableRow {
        TableRow {
            cells,
            object: Some(PartialObject {
                metadata: ObjectMeta {
                    name: Some("thing".into()),
                    namespace: Some("ns".into()),
                    uid: Some("u1".into()),
                    creation_timestamp: Some(Time(created.parse().expect("time"))),
                    ..Default::default()
                },
            }),
        }
    }

    #[test]
    fn columns_keep_priority_and_upper_case_names() {
        let cols = table_columns(&[col("Name", "string", 0), col("Node IP", "string", 1)]);
        assert_eq!(cols[0].name, "NAME");
        assert_eq!(cols[0].priority, 0);
        assert_eq!(cols[1].name, "NODE IP");
        assert_eq!(cols[1].priority, 1);
    }

    #[test]
    fn age_ticks_from_creation_and_dates_parse() {
        let columns = [
            col("Name", "string", 0),
            col("Replicas", "integer", 0),
            col("Age", "string", 0),
            col("Last Seen", "date", 0),
            col("Ratio", "number", 1),
            col("Ready", "boolean", 1),
            col("Missing", "string", 1),
        ];
        let r = from_table_row(
            &columns,
            &row(
                vec![
                    json!("thing"),
                    json!(3),
                    json!("12s"),
                    json!("2026-01-01T00:04:00Z"),
                    json!(0.5),
                    json!(true),
                ],
                "2026-01-01T00:00:00Z",
            ),
        );
        assert_eq!(r.uid, "u1");
        assert_eq!(r.namespace.as_deref(), Some("ns"));
        assert_eq!(r.cells[1], Cell::Number { value: 3 });
        let now: Timestamp = "2026-01-01T00:05:30Z".parse().expect("now");
        assert_eq!(
            r.render(now),
            vec!["thing", "3", "5m30s", "90s", "0.5", "true", "<none>"]
        );
    }

    #[test]
    fn age_without_object_stays_text() {
        let columns = [col("Name", "string", 0), col("Age", "string", 0)];
        let r = from_table_row(
            &columns,
            &TableRow {
                cells: vec![json!("x"), json!("3d")],
                object: None,
            },
        );
        assert_eq!(r.name, "x");
        assert_eq!(r.cells[1], Cell::text("3d"));
    }
}
