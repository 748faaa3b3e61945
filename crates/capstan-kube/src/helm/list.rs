//! The release list: the newest revision of each release (as `helm list
//! -a`), once for the CLI or as a live table for the app. The live table
//! watches `owner=helm` Secrets and ConfigMaps through the table machinery
//! ([`crate::table::open_view`]) and folds records into one row a release.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use kube::api::DynamicObject;
use kube::core::{ApiResource, GroupVersionKind};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::read::list_records;
use super::storage::{Driver, Record, OWNER_SELECTOR};
use crate::rows::{Cell, Column, Row};
use crate::table::{
    open_view, Keyed, LiveSink, ViewEvent, ViewHandle, ViewSink, ViewSpec, ViewStatus,
};
use crate::Error;

/// One release as `helm list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmReleaseRow"))]
pub struct ReleaseRow {
    pub name: String,
    pub namespace: String,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub revision: i64,
    /// As stored (RFC 3339).
    pub updated: Option<String>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub updated_ms: Option<i64>,
    pub status: String,
    /// `name-version`.
    pub chart: String,
    pub app_version: String,
    /// The newest record could not be decoded: why.
    pub error: Option<String>,
}

/// What the watch keeps per record: enough to pick the newest revision
/// and show it, decoded once as it arrives.
#[derive(Debug, Clone)]
pub struct RecordRow {
    driver: Driver,
    row: ReleaseRow,
}

fn record_row(record: &Record) -> RecordRow {
    let entry = super::read::history_entry(record);
    RecordRow {
        driver: record.driver,
        row: ReleaseRow {
            name: record.release.clone(),
            namespace: record.namespace.clone(),
            revision: entry.revision,
            updated: entry.updated,
            updated_ms: entry.updated_ms,
            status: entry.status,
            chart: entry.chart,
            app_version: entry.app_version,
            error: entry.error,
        },
    }
}

/// The newest revision of each release, sorted by namespace then name.
/// A revision held by both drivers is read from the Secret.
fn newest<'a>(records: impl Iterator<Item = &'a RecordRow>) -> Vec<ReleaseRow> {
    let mut best: BTreeMap<(String, String), &RecordRow> = BTreeMap::new();
    for r in records {
        let key = (r.row.namespace.clone(), r.row.name.clone());
        let better = match best.get(&key) {
            None => true,
            Some(b) => {
                (r.row.revision, r.driver == Driver::Secret)
                    > (b.row.revision, b.driver == Driver::Secret)
            }
        };
        if better {
            best.insert(key, r);
        }
    }
    best.into_values().map(|r| r.row.clone()).collect()
}

/// Releases in the namespaces given (empty: all), once.
pub async fn list_releases(
    client: &kube::Client,
    context: &str,
    namespaces: &[String],
) -> Result<Vec<ReleaseRow>, Error> {
    let mut records = Vec::new();
    if namespaces.is_empty() {
        records = list_records(client, context, None, None).await?;
    } else {
        for ns in namespaces {
            records.extend(list_records(client, context, Some(ns), None).await?);
        }
    }
    let rows: Vec<RecordRow> = records.iter().map(record_row).collect();
    Ok(newest(rows.iter()))
}

/// Checks the release records can be listed (one Secret, `owner=helm`) in
/// the first namespace given or in all, so a forbidden or unreachable
/// cluster is an error rather than a table that reconnects forever.
pub async fn check_readable(
    client: &kube::Client,
    context: &str,
    namespaces: &[String],
) -> Result<(), Error> {
    let api: kube::Api<k8s_openapi::api::core::v1::Secret> = match namespaces.first() {
        Some(ns) => kube::Api::namespaced(client.clone(), ns),
        None => kube::Api::all(client.clone()),
    };
    let lp = kube::api::ListParams::default()
        .labels(OWNER_SELECTOR)
        .limit(1);
    api.list_metadata(&lp)
        .await
        .map(|_| ())
        .map_err(|e| crate::objects::common::map_err(context, "list", "secrets (helm releases)", e))
}

/// The live table's columns.
pub fn columns() -> Vec<Column> {
    [
        "NAME",
        "NAMESPACE",
        "REVISION",
        "STATUS",
        "CHART",
        "APP VERSION",
        "UPDATED",
    ]
    .iter()
    .map(|n| Column {
        name: (*n).to_string(),
        priority: 0,
    })
    .collect()
}

/// A release as a table row, keyed `namespace/name`.
pub fn table_row(r: &ReleaseRow) -> Row {
    let status = match &r.error {
        Some(_) => format!("{} (unreadable)", r.status),
        None => r.status.clone(),
    };
    Row {
        uid: format!("{}/{}", r.namespace, r.name),
        name: r.name.clone(),
        namespace: Some(r.namespace.clone()),
        cells: vec![
            Cell::Text {
                text: r.name.clone(),
            },
            Cell::Text {
                text: r.namespace.clone(),
            },
            Cell::Number { value: r.revision },
            Cell::Text { text: status },
            Cell::Text {
                text: r.chart.clone(),
            },
            Cell::Text {
                text: r.app_version.clone(),
            },
            Cell::Age {
                since_ms: r.updated_ms,
            },
        ],
        created: r.updated_ms,
    }
}

/// An open release table; dropping it stops its watches.
pub struct ReleaseView {
    _parts: Vec<ViewHandle>,
}

/// Opens the live release table over `namespaces` (empty: all): one watch
/// on `owner=helm` Secrets and one on ConfigMaps per namespace (or one each
/// for all). Sends columns, then a snapshot, then deltas and status.
/// Must run inside Tokio.
pub fn open_release_view(
    client: kube::Client,
    namespaces: &[String],
    sink: Arc<dyn LiveSink>,
) -> ReleaseView {
    let scopes: Vec<Option<String>> = if namespaces.is_empty() {
        vec![None]
    } else {
        let mut seen = std::collections::HashSet::new();
        namespaces
            .iter()
            .filter(|n| seen.insert(n.as_str()))
            .map(|n| Some(n.clone()))
            .collect()
    };
    let drivers = [
        (Driver::Secret, "Secret", "secrets"),
        (Driver::ConfigMap, "ConfigMap", "configmaps"),
    ];
    let parts_count = scopes.len() * drivers.len();
    sink.send(ViewEvent::Columns { columns: columns() });
    let folder = Arc::new(Folder::new(sink, parts_count));
    let mut parts = Vec::new();
    let mut index = 0;
    for scope in &scopes {
        for (driver, kind, plural) in drivers {
            let resource =
                ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("", "v1", kind), plural);
            let spec = ViewSpec {
                resource,
                namespace: scope.clone(),
                label_selector: Some(OWNER_SELECTOR.to_string()),
            };
            let part = Arc::new(PartSink {
                index,
                folder: folder.clone(),
            });
            parts.push(open_view(
                client.clone(),
                spec,
                move |obj: &DynamicObject| {
                    Record::from_dynamic(driver, obj).map(|r| record_row(&r))
                },
                part,
            ));
            index += 1;
        }
    }
    ReleaseView { _parts: parts }
}

/// Folds the parts' records into release rows and sends what changed.
struct Folder {
    sink: Arc<dyn LiveSink>,
    state: Mutex<FoldState>,
}

struct FoldState {
    parts: Vec<HashMap<String, Option<RecordRow>>>,
    statuses: Vec<ViewStatus>,
    /// Every part has sent its first snapshot.
    snapshots: Vec<bool>,
    shown: Option<BTreeMap<String, Row>>,
    status: Option<ViewStatus>,
}

impl Folder {
    fn new(sink: Arc<dyn LiveSink>, parts: usize) -> Self {
        Folder {
            sink,
            state: Mutex::new(FoldState {
                parts: vec![HashMap::new(); parts],
                statuses: vec![ViewStatus::Listing; parts],
                snapshots: vec![false; parts],
                shown: None,
                status: None,
            }),
        }
    }

    fn update(&self, f: impl FnOnce(&mut FoldState)) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state);
        // Worst status wins: reconnecting, then listing, then live.
        let status = state
            .statuses
            .iter()
            .find(|s| matches!(s, ViewStatus::Reconnecting { .. }))
            .or_else(|| state.statuses.iter().find(|s| **s == ViewStatus::Listing))
            .cloned()
            .unwrap_or(ViewStatus::Live);
        if !state.snapshots.iter().all(|s| *s) {
            self.send_status(&mut state, status);
            return;
        }
        let rows: BTreeMap<String, Row> = newest(
            state
                .parts
                .iter()
                .flat_map(|p| p.values())
                .filter_map(Option::as_ref),
        )
        .iter()
        .map(|r| {
            let row = table_row(r);
            (row.uid.clone(), row)
        })
        .collect();
        match state.shown.take() {
            None => {
                self.sink.send(ViewEvent::Snapshot {
                    rows: rows.values().cloned().collect(),
                });
            }
            Some(before) => {
                let upserts: Vec<Row> = rows
                    .iter()
                    .filter(|(k, r)| before.get(*k) != Some(*r))
                    .map(|(_, r)| r.clone())
                    .collect();
                let deletes: Vec<String> = before
                    .keys()
                    .filter(|k| !rows.contains_key(*k))
                    .cloned()
                    .collect();
                if !upserts.is_empty() || !deletes.is_empty() {
                    self.sink.send(ViewEvent::Deltas { upserts, deletes });
                }
            }
        }
        state.shown = Some(rows);
        self.send_status(&mut state, status);
    }

    fn send_status(&self, state: &mut FoldState, status: ViewStatus) {
        if state.status.as_ref() != Some(&status) {
            state.status = Some(status.clone());
            self.sink.send(ViewEvent::Status { status });
        }
    }
}

struct PartSink {
    index: usize,
    folder: Arc<Folder>,
}

impl ViewSink<Option<RecordRow>> for PartSink {
    fn snapshot(&self, rows: Vec<Keyed<Option<RecordRow>>>) {
        self.folder.update(|s| {
            s.parts[self.index] = rows.into_iter().map(|k| (k.uid, k.row)).collect();
            s.snapshots[self.index] = true;
        });
    }

    fn deltas(&self, upserts: Vec<Keyed<Option<RecordRow>>>, deletes: Vec<String>) {
        self.folder.update(|s| {
            let part = &mut s.parts[self.index];
            for uid in deletes {
                part.remove(&uid);
            }
            for k in upserts {
                part.insert(k.uid, k.row);
            }
        });
    }

    fn status(&self, status: ViewStatus) {
        self.folder.update(|s| s.statuses[self.index] = status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(ns: &str, name: &str, rev: i64, driver: Driver) -> RecordRow {
        RecordRow {
            driver,
            row: ReleaseRow {
                name: name.into(),
                namespace: ns.into(),
                revision: rev,
                updated: None,
                updated_ms: None,
                status: format!("{driver:?}-{rev}"),
                chart: String::new(),
                app_version: String::new(),
                error: None,
            },
        }
    }

    #[test]
    fn the_newest_revision_of_each_release_wins() {
        let records = [
            rec("a", "web", 1, Driver::Secret),
            rec("a", "web", 3, Driver::Secret),
            rec("a", "web", 2, Driver::Secret),
            rec("b", "web", 1, Driver::ConfigMap),
            rec("b", "web", 1, Driver::Secret),
        ];
        let rows = newest(records.iter());
        let got: Vec<(String, i64, String)> = rows
            .into_iter()
            .map(|r| (r.namespace, r.revision, r.status))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), 3, "Secret-3".into()),
                ("b".into(), 1, "Secret-1".into())
            ]
        );
    }

    struct Collect(Mutex<Vec<ViewEvent>>);
    impl LiveSink for Collect {
        fn send(&self, event: ViewEvent) -> bool {
            self.0.lock().expect("test lock").push(event);
            true
        }
    }

    #[test]
    fn the_folder_sends_one_snapshot_once_all_parts_listed_then_deltas() {
        let sink = Arc::new(Collect(Mutex::new(Vec::new())));
        let folder = Arc::new(Folder::new(sink.clone(), 2));
        let p0 = PartSink {
            index: 0,
            folder: folder.clone(),
        };
        let p1 = PartSink { index: 1, folder };
        let keyed = |uid: &str, r: RecordRow| Keyed {
            uid: uid.into(),
            row: Some(r),
        };
        p0.snapshot(vec![keyed("s1", rec("a", "web", 1, Driver::Secret))]);
        assert!(
            !sink
                .0
                .lock()
                .expect("lock")
                .iter()
                .any(|e| matches!(e, ViewEvent::Snapshot { .. })),
            "no snapshot before every part listed"
        );
        p1.snapshot(vec![keyed("c1", rec("b", "db", 1, Driver::ConfigMap))]);
        p0.deltas(
            vec![keyed("s2", rec("a", "web", 2, Driver::Secret))],
            vec![],
        );
        p1.deltas(vec![], vec!["c1".into()]);
        let events = sink.0.lock().expect("lock");
        let snapshot = events
            .iter()
            .find_map(|e| match e {
                ViewEvent::Snapshot { rows } => Some(rows.clone()),
                _ => None,
            })
            .expect("a snapshot");
        assert_eq!(snapshot.len(), 2);
        let deltas: Vec<(Vec<String>, Vec<String>)> = events
            .iter()
            .filter_map(|e| match e {
                ViewEvent::Deltas { upserts, deletes } => Some((
                    upserts
                        .iter()
                        .map(|r| format!("{} {:?}", r.uid, r.cells[2]))
                        .collect(),
                    deletes.clone(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            deltas,
            vec![
                (vec!["a/web Number { value: 2 }".to_string()], vec![]),
                (vec![], vec!["b/db".to_string()]),
            ]
        );
    }
}
