//! Projection of built-in kinds to the rows a live table shows: the columns
//! `kubectl get -o wide` prints, computed the way kubectl computes them.
//!
//! Cells that depend on the clock (ages, "5 (3m ago)") carry timestamps
//! rather than rendered text, so the UI can tick them without the backend
//! re-sending rows; [`Cell::render`] gives kubectl's text for a given "now"
//! (the CLI, and the tests against recorded kubectl output).

mod age;
mod builtin;
mod config;
mod cronjob;
mod event;
mod job;
mod labels;
mod namespace;
mod network;
mod node;
mod pod;
#[cfg(test)]
mod pod_tests;
mod service;
mod storage;
mod table;
mod workloads;

pub use age::human_duration;
pub use builtin::{builtin, Projector};
pub use config::{configmap_columns, project_configmap, project_secret, secret_columns};
pub use cronjob::{cronjob_columns, project_cronjob};
pub use event::{event_columns, project_event};
pub use job::{job_columns, project_job};
pub use namespace::{namespace_columns, project_namespace};
pub use network::{
    endpoints_columns, ingress_columns, networkpolicy_columns, project_endpoints, project_ingress,
    project_networkpolicy,
};
pub use node::{node_columns, project_node};
pub use pod::{pod_columns, project_pod};
pub use service::{project_service, service_columns};
pub use storage::{
    project_pv, project_pvc, project_storageclass, pv_columns, pvc_columns, storageclass_columns,
};
pub use table::{from_table_row, table_columns};
pub use workloads::{
    daemonset_columns, deployment_columns, project_daemonset, project_deployment,
    project_replicaset, project_statefulset, replicaset_columns, statefulset_columns,
};

use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// One column of a kind's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Column {
    /// kubectl's header text, e.g. `NOMINATED NODE`.
    pub name: String,
    /// 0: shown by default; 1: only with `-o wide` (as in kubectl's
    /// column definitions).
    pub priority: u8,
}

impl Column {
    pub(crate) fn new(name: &str, priority: u8) -> Self {
        Self {
            name: name.to_owned(),
            priority,
        }
    }
}

/// One cell. Tagged by `type` so the UI can switch on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum Cell {
    /// Shown as is.
    Text { text: String },
    /// A count; sorts numerically.
    Number {
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
        value: i64,
    },
    /// Time since `sinceMs` (Unix ms), rendered like kubectl's AGE. `None`
    /// when the object has no such time (kubectl shows `<unknown>`).
    #[serde(rename_all = "camelCase")]
    Age {
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
        since_ms: Option<i64>,
    },
    /// A pod's restarts: kubectl 1.27+ prints `N (5m ago)` with the time of
    /// the last container termination, which ticks like an age.
    #[serde(rename_all = "camelCase")]
    Restarts {
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
        count: i64,
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
        last_ms: Option<i64>,
    },
}

impl Cell {
    fn text(s: impl Into<String>) -> Self {
        Cell::Text { text: s.into() }
    }

    /// kubectl prints `<none>` for empty optional values.
    fn text_or_none(s: Option<&str>) -> Self {
        match s {
            Some(s) if !s.is_empty() => Cell::text(s),
            _ => Cell::text("<none>"),
        }
    }

    fn age(t: Option<&Time>) -> Self {
        Cell::Age {
            since_ms: t.map(|t| t.0.as_millisecond()),
        }
    }

    /// The text kubectl would print for this cell at `now`.
    pub fn render(&self, now: Timestamp) -> String {
        match self {
            Cell::Text { text } => text.clone(),
            Cell::Number { value } => value.to_string(),
            Cell::Age { since_ms } => match since_ms {
                Some(ms) => age::since(*ms, now),
                None => "<unknown>".to_owned(),
            },
            Cell::Restarts { count, last_ms } => match last_ms {
                Some(ms) if *count != 0 => format!("{count} ({} ago)", age::since(*ms, now)),
                _ => count.to_string(),
            },
        }
    }
}

/// One object projected for a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Row {
    /// Stable key for deltas; empty only for objects not from a server.
    pub uid: String,
    pub name: String,
    pub namespace: Option<String>,
    /// One per column of the kind, in the same order.
    pub cells: Vec<Cell>,
    /// Creation time, Unix ms (sorting by age without parsing cells).
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub created: Option<i64>,
}

impl Row {
    fn new(meta: &ObjectMeta, cells: Vec<Cell>) -> Self {
        Self {
            uid: meta.uid.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            namespace: meta.namespace.clone(),
            cells,
            created: meta
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.as_millisecond()),
        }
    }

    /// kubectl's text for every cell at `now`.
    pub fn render(&self, now: Timestamp) -> Vec<String> {
        self.cells.iter().map(|c| c.render(now)).collect()
    }
}
