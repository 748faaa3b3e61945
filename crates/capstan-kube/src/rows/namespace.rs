//! Namespaces as `kubectl get namespaces -o wide` shows them.

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::Namespace;

pub fn namespace_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("STATUS", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_namespace(ns: &Namespace) -> Row {
    // kubectl prints the phase as is, empty when the server sent none.
    let phase = ns
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    let cells = vec![
        Cell::text(ns.metadata.name.clone().unwrap_or_default()),
        Cell::text(phase),
        Cell::age(ns.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&ns.metadata, cells)
}
