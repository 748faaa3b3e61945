//! Interim dispatch until every built-in kind has its projection: pods and
//! namespaces in Rust, everything else from the server's Table.

use kube::api::DynamicObject;

use super::{Cell, Column, Row};
use crate::table::{TableColumn, TableRow};

/// Projects one built-in kind.
pub trait Projector: Sync {
    fn columns(&self) -> Vec<Column>;
    fn project(&self, obj: &DynamicObject) -> Row;
}

struct Typed<K> {
    columns: fn() -> Vec<Column>,
    project: fn(&K) -> Row,
}

impl<K: serde::de::DeserializeOwned + Sync> Projector for Typed<K> {
    fn columns(&self) -> Vec<Column> {
        (self.columns)()
    }
    fn project(&self, obj: &DynamicObject) -> Row {
        match serde_json::to_value(obj).and_then(serde_json::from_value::<K>) {
            Ok(typed) => (self.project)(&typed),
            Err(_) => Row::new(&obj.metadata, Vec::new()),
        }
    }
}

static POD: Typed<k8s_openapi::api::core::v1::Pod> = Typed {
    columns: super::pod_columns,
    project: super::project_pod,
};
static NAMESPACE: Typed<k8s_openapi::api::core::v1::Namespace> = Typed {
    columns: super::namespace_columns,
    project: super::project_namespace,
};

pub fn builtin(group: &str, kind: &str) -> Option<&'static dyn Projector> {
    match (group, kind) {
        ("", "Pod") => Some(&POD),
        ("", "Namespace") => Some(&NAMESPACE),
        _ => None,
    }
}

pub fn table_columns(defs: &[TableColumn]) -> Vec<Column> {
    defs.iter()
        .map(|d| Column {
            name: d.name.to_uppercase(),
            priority: u8::try_from(d.priority.clamp(0, 1)).unwrap_or(1),
        })
        .collect()
}

pub fn from_table_row(defs: &[TableColumn], row: &TableRow) -> Row {
    let meta = row
        .object
        .as_ref()
        .map(|o| o.metadata.clone())
        .unwrap_or_default();
    let cells = defs
        .iter()
        .zip(&row.cells)
        .map(|(d, v)| {
            if d.name == "Age" {
                return Cell::age(meta.creation_timestamp.as_ref());
            }
            match v {
                serde_json::Value::String(s) => Cell::text(s.clone()),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => Cell::Number { value: i },
                    None => Cell::text(n.to_string()),
                },
                serde_json::Value::Null => Cell::text("<none>"),
                other => Cell::text(other.to_string()),
            }
        })
        .collect();
    Row::new(&meta, cells)
}
