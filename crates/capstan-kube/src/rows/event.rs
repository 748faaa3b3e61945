//! Events (core/v1) as `kubectl get events -o wide` shows them (printEvent).

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::Event;

pub fn event_columns() -> Vec<Column> {
    vec![
        Column::new("LAST SEEN", 0),
        Column::new("TYPE", 0),
        Column::new("REASON", 0),
        Column::new("OBJECT", 0),
        Column::new("SUBOBJECT", 1),
        Column::new("SOURCE", 1),
        Column::new("MESSAGE", 0),
        Column::new("FIRST SEEN", 1),
        Column::new("COUNT", 1),
        Column::new("NAME", 1),
    ]
}

pub fn project_event(e: &Event) -> Row {
    // events.k8s.io-style events set eventTime/series instead of the
    // first/last timestamps and count.
    let first = e
        .first_timestamp
        .as_ref()
        .map(|t| t.0.as_millisecond())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.as_millisecond()));
    let mut last = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0.as_millisecond())
        .or(first);
    let mut count = e.count.unwrap_or(0);
    if let Some(series) = &e.series {
        last = series
            .last_observed_time
            .as_ref()
            .map(|t| t.0.as_millisecond());
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let involved = &e.involved_object;
    let kind = involved.kind.as_deref().unwrap_or_default().to_lowercase();
    let object = match involved.name.as_deref() {
        Some(name) if !name.is_empty() => format!("{kind}/{name}"),
        _ => kind,
    };
    let cells = vec![
        Cell::Age { since_ms: last },
        Cell::text(e.type_.clone().unwrap_or_default()),
        Cell::text(e.reason.clone().unwrap_or_default()),
        Cell::text(object),
        Cell::text(involved.field_path.clone().unwrap_or_default()),
        Cell::text(source(e)),
        Cell::text(e.message.as_deref().unwrap_or_default().trim()),
        Cell::Age { since_ms: first },
        Cell::Number {
            value: i64::from(count),
        },
        Cell::text(e.metadata.name.clone().unwrap_or_default()),
    ];
    Row::new(&e.metadata, cells)
}

/// `component, host`; newer events only name a reporting controller.
fn source(e: &Event) -> String {
    let src = e.source.as_ref();
    let component = src
        .and_then(|s| s.component.as_deref())
        .filter(|c| !c.is_empty());
    let host = src
        .and_then(|s| s.host.as_deref())
        .filter(|h| !h.is_empty());
    match component {
        Some(c) => match host {
            Some(h) => format!("{c}, {h}"),
            None => c.to_owned(),
        },
        None => {
            let controller = e.reporting_component.as_deref().unwrap_or_default();
            match e.reporting_instance.as_deref().filter(|i| !i.is_empty()) {
                Some(i) => format!("{controller}, {i}"),
                None => controller.to_owned(),
            }
        }
    }
}
