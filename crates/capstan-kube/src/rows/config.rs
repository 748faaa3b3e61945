//! ConfigMaps and Secrets as `kubectl get -o wide` shows them.

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};

pub fn configmap_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("DATA", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_configmap(c: &ConfigMap) -> Row {
    let count =
        c.data.as_ref().map_or(0, |d| d.len()) + c.binary_data.as_ref().map_or(0, |d| d.len());
    let cells = vec![
        Cell::text(c.metadata.name.clone().unwrap_or_default()),
        Cell::Number {
            value: i64::try_from(count).unwrap_or(i64::MAX),
        },
        Cell::age(c.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&c.metadata, cells)
}

pub fn secret_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("TYPE", 0),
        Column::new("DATA", 0),
        Column::new("AGE", 0),
    ]
}

/// Only counts keys: values never leave the object.
pub fn project_secret(s: &Secret) -> Row {
    let count = s.data.as_ref().map_or(0, |d| d.len());
    let cells = vec![
        Cell::text(s.metadata.name.clone().unwrap_or_default()),
        Cell::text(s.type_.clone().unwrap_or_default()),
        Cell::Number {
            value: i64::try_from(count).unwrap_or(i64::MAX),
        },
        Cell::age(s.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&s.metadata, cells)
}
