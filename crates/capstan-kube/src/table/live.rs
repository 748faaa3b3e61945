//! A live table as the UI consumes it: columns, a snapshot, then deltas of
//! projected rows, for one kind across one, several or all namespaces.
//!
//! Built-in kinds are projected in Rust (kubectl's `-o wide` columns). Any
//! other kind gets the server's own Table rendering: the watch keeps the
//! store exact, and the changed objects' cells are fetched as Table rows
//! before they go out, so a CRD shows its printer columns as kubectl does.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use kube::api::DynamicObject;
use kube::core::ApiResource;

use super::queue::{self, QueueReceiver, QueueSender};
use super::{
    fetch_table, fetch_table_object, fetch_table_page, open_view, TableColumn, ViewEvent,
    ViewHandle, ViewSink, ViewSpec, ViewStatus,
};
use crate::discovery::KindInfo;
use crate::rows::{self, Cell, Column, Row};
use crate::Error;

/// Receives a view's events in order. Returns false once nobody listens.
pub trait LiveSink: Send + Sync + 'static {
    fn send(&self, event: ViewEvent) -> bool;
}

/// What to show.
#[derive(Debug, Clone)]
pub struct LiveSpec {
    pub kind: KindInfo,
    /// Empty: all namespaces. Ignored for cluster-scoped kinds.
    pub namespaces: Vec<String>,
    pub label_selector: Option<String>,
}

/// Up to this many changed objects of a server-rendered kind are fetched one
/// by one; more are fetched as one table per namespace.
const SINGLE_FETCH_LIMIT: usize = 20;
const TABLE_PAGE: u32 = 500;

/// An open live view. Dropping it stops every watch behind it.
pub struct LiveView {
    parts: Vec<ViewHandle>,
    filler: Option<tokio::task::JoinHandle<()>>,
}

impl LiveView {
    /// Objects held across all namespaces of the view.
    pub fn len(&self) -> usize {
        self.parts.iter().map(ViewHandle::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for LiveView {
    fn drop(&mut self) {
        if let Some(filler) = &self.filler {
            filler.abort();
        }
    }
}

/// Checks that the view can be listed at all (reachable, allowed, a valid
/// label selector), so a mistake is an error now rather than a view that
/// reconnects forever.
pub async fn check_listable(
    client: &kube::Client,
    context: &str,
    spec: &LiveSpec,
) -> Result<(), Error> {
    let resource = spec.kind.api_resource();
    let namespace = if spec.kind.namespaced {
        spec.namespaces.first().map(String::as_str)
    } else {
        None
    };
    let api: kube::Api<DynamicObject> = match namespace {
        Some(ns) => kube::Api::namespaced_with(client.clone(), ns, &resource),
        None => kube::Api::all_with(client.clone(), &resource),
    };
    let mut lp = kube::api::ListParams::default().limit(1);
    if let Some(sel) = spec.label_selector.as_deref().filter(|s| !s.is_empty()) {
        lp = lp.labels(sel);
    }
    api.list_metadata(&lp).await.map(|_| ()).map_err(|e| {
        match crate::access::Denial::from_kube(
            &e,
            "list",
            &resource.group,
            &resource.plural,
            namespace,
        ) {
            Some(denial) => Error::NotAllowed {
                context: context.to_string(),
                denial: Box::new(denial),
            },
            None => Error::ClusterRequest {
                context: context.to_string(),
                action: "list",
                detail: format!("{}: {}", resource.plural, super::kube_error_text(&e)),
            },
        }
    })
}

/// Opens the view and starts sending to `sink`. Must run inside Tokio.
pub fn open_live_view(
    client: kube::Client,
    context: &str,
    spec: LiveSpec,
    sink: Arc<dyn LiveSink>,
) -> LiveView {
    let resource = spec.kind.api_resource();
    let namespaces: Vec<Option<String>> = if !spec.kind.namespaced || spec.namespaces.is_empty() {
        vec![None]
    } else {
        let mut seen = HashSet::new();
        spec.namespaces
            .iter()
            .filter(|ns| seen.insert(ns.as_str()))
            .map(|ns| Some(ns.clone()))
            .collect()
    };
    let selector = spec.label_selector.clone().filter(|s| !s.is_empty());
    let builtin = rows::builtin(&spec.kind.group, &spec.kind.kind);

    let (out, filler) = match builtin {
        Some(projector) => {
            sink.send(ViewEvent::Columns {
                columns: projector.columns(),
            });
            (Out::Direct(sink), None)
        }
        None => {
            let (tx, rx) = queue::queue(queue::CAPACITY);
            let filler = Filler {
                client: client.clone(),
                context: context.to_string(),
                resource: resource.clone(),
                first_namespace: namespaces.first().cloned().flatten(),
                columns: None,
                sink,
            };
            (Out::Filler(tx), Some(tokio::spawn(filler.run(rx))))
        }
    };
    let merger = Arc::new(Merger::new(out, namespaces.len()));
    if namespaces.len() > 1 {
        // Parts report as deltas; the UI starts from an empty table.
        merger.out.send(ViewEvent::Snapshot { rows: Vec::new() });
    }

    let parts = namespaces
        .into_iter()
        .enumerate()
        .map(|(index, namespace)| {
            let part_sink = Arc::new(PartSink {
                index,
                merger: merger.clone(),
            });
            let view_spec = ViewSpec {
                resource: resource.clone(),
                namespace,
                label_selector: selector.clone(),
            };
            match builtin {
                Some(projector) => open_view(
                    client.clone(),
                    view_spec,
                    move |obj: &DynamicObject| projector.project(obj),
                    part_sink,
                ),
                None => open_view(client.clone(), view_spec, stub_row, part_sink),
            }
        })
        .collect();
    LiveView { parts, filler }
}

/// Where merged events go: straight out, or through the Table filler.
enum Out {
    Direct(Arc<dyn LiveSink>),
    Filler(QueueSender),
}

impl Out {
    fn send(&self, event: ViewEvent) {
        let delivered = match self {
            Out::Direct(sink) => sink.send(event),
            Out::Filler(tx) => tx.send(event),
        };
        if !delivered {
            tracing::debug!("view event not delivered: the view is closing");
        }
    }
}

/// Joins the per-namespace watches into one stream of events.
struct Merger {
    out: Out,
    /// One namespace (or all): events pass straight through.
    single: bool,
    state: Mutex<MergeState>,
}

struct MergeState {
    /// Uids each part has shown, to turn a part's relist into deltas.
    uids: Vec<HashSet<String>>,
    statuses: Vec<ViewStatus>,
    shown: Option<ViewStatus>,
}

impl Merger {
    fn new(out: Out, parts: usize) -> Self {
        Self {
            out,
            single: parts == 1,
            state: Mutex::new(MergeState {
                uids: vec![HashSet::new(); parts],
                statuses: vec![ViewStatus::Listing; parts],
                shown: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MergeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct PartSink {
    index: usize,
    merger: Arc<Merger>,
}

impl ViewSink<Row> for PartSink {
    fn snapshot(&self, rows: Vec<super::Keyed<Row>>) {
        let rows: Vec<Row> = rows.into_iter().map(|k| k.row).collect();
        if self.merger.single {
            self.merger.out.send(ViewEvent::Snapshot { rows });
            return;
        }
        // One namespace relisted: what it no longer has is deleted, the rest
        // is upserted; the other namespaces' rows stay.
        let deletes = {
            let mut state = self.merger.lock();
            let fresh: HashSet<String> = rows.iter().map(|r| r.uid.clone()).collect();
            let old = std::mem::replace(&mut state.uids[self.index], fresh);
            old.into_iter()
                .filter(|uid| !state.uids[self.index].contains(uid))
                .collect()
        };
        self.merger.out.send(ViewEvent::Deltas {
            upserts: rows,
            deletes,
        });
    }

    fn deltas(&self, upserts: Vec<super::Keyed<Row>>, deletes: Vec<String>) {
        let upserts: Vec<Row> = upserts.into_iter().map(|k| k.row).collect();
        if !self.merger.single {
            let mut state = self.merger.lock();
            let uids = &mut state.uids[self.index];
            for row in &upserts {
                uids.insert(row.uid.clone());
            }
            for uid in &deletes {
                uids.remove(uid);
            }
        }
        self.merger.out.send(ViewEvent::Deltas { upserts, deletes });
    }

    fn status(&self, status: ViewStatus) {
        let merged = {
            let mut state = self.merger.lock();
            state.statuses[self.index] = status;
            let merged = merge_status(&state.statuses);
            if state.shown.as_ref() == Some(&merged) {
                return;
            }
            state.shown = Some(merged.clone());
            merged
        };
        self.merger.out.send(ViewEvent::Status { status: merged });
    }
}

/// Not allowed if any part is (that part has ended), else reconnecting if
/// any part is, else listing if any part is, else live.
fn merge_status(statuses: &[ViewStatus]) -> ViewStatus {
    statuses
        .iter()
        .find(|s| matches!(s, ViewStatus::NotAllowed { .. }))
        .or_else(|| {
            statuses
                .iter()
                .find(|s| matches!(s, ViewStatus::Reconnecting { .. }))
        })
        .or_else(|| statuses.iter().find(|s| matches!(s, ViewStatus::Listing)))
        .cloned()
        .unwrap_or(ViewStatus::Live)
}

/// The row of a server-rendered kind before its cells arrive.
fn stub_row(obj: &DynamicObject) -> Row {
    Row {
        uid: obj.metadata.uid.clone().unwrap_or_default(),
        name: obj.metadata.name.clone().unwrap_or_default(),
        namespace: obj.metadata.namespace.clone(),
        cells: Vec::new(),
        created: obj
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.as_millisecond()),
    }
}

/// Fills stub rows with the server's Table cells, in event order.
struct Filler {
    client: kube::Client,
    context: String,
    resource: ApiResource,
    first_namespace: Option<String>,
    columns: Option<Vec<TableColumn>>,
    sink: Arc<dyn LiveSink>,
}

impl Filler {
    async fn run(mut self, mut rx: QueueReceiver) {
        self.send_columns().await;
        while let Some(event) = rx.recv().await {
            let event = match event {
                ViewEvent::Snapshot { rows } => ViewEvent::Snapshot {
                    rows: self.fill(rows).await,
                },
                ViewEvent::Deltas { upserts, deletes } => ViewEvent::Deltas {
                    upserts: self.fill(upserts).await,
                    deletes,
                },
                other => other,
            };
            if !self.sink.send(event) {
                break;
            }
        }
    }

    /// Columns come from a one-row Table of the kind; when the server
    /// cannot render tables, name and age are shown.
    async fn send_columns(&mut self) {
        let page = fetch_table_page(
            &self.client,
            &self.context,
            &self.resource,
            self.first_namespace.as_deref(),
            1,
            None,
        )
        .await;
        let columns = match page {
            Ok(page) => {
                let columns = rows::table_columns(&page.column_definitions);
                self.columns = Some(page.column_definitions);
                columns
            }
            Err(e) => {
                tracing::warn!(error = %e, kind = %self.resource.kind, "no server table columns; showing name and age");
                vec![Column::new("NAME", 0), Column::new("AGE", 0)]
            }
        };
        self.sink.send(ViewEvent::Columns { columns });
    }

    async fn fill(&self, rows: Vec<Row>) -> Vec<Row> {
        let Some(columns) = &self.columns else {
            return rows.into_iter().map(name_and_age).collect();
        };
        let fetched = if rows.len() <= SINGLE_FETCH_LIMIT {
            self.fetch_each(&rows).await
        } else {
            self.fetch_by_namespace(&rows).await
        };
        rows.into_iter()
            .map(|row| match fetched.get(&row.uid) {
                Some(table_row) => {
                    let mut filled = rows::from_table_row(columns, table_row);
                    filled.uid = row.uid;
                    filled
                }
                // Gone between the event and the fetch: its delete follows.
                None => blank_row(columns, row),
            })
            .collect()
    }

    async fn fetch_each(&self, rows: &[Row]) -> HashMap<String, super::TableRow> {
        let mut out = HashMap::new();
        for row in rows {
            match fetch_table_object(
                &self.client,
                &self.context,
                &self.resource,
                row.namespace.as_deref(),
                &row.name,
            )
            .await
            {
                Ok(Some(table_row)) => {
                    out.insert(row.uid.clone(), table_row);
                }
                Ok(None) => {}
                Err(e) => tracing::debug!(error = %e, "table row not fetched"),
            }
        }
        out
    }

    async fn fetch_by_namespace(&self, rows: &[Row]) -> HashMap<String, super::TableRow> {
        let namespaces: HashSet<Option<&str>> =
            rows.iter().map(|r| r.namespace.as_deref()).collect();
        // Many namespaces: one cluster-wide table is fewer requests.
        let scopes: Vec<Option<&str>> = if namespaces.len() > 5 {
            vec![None]
        } else {
            namespaces.into_iter().collect()
        };
        let mut out = HashMap::new();
        for ns in scopes {
            match fetch_table(&self.client, &self.context, &self.resource, ns, TABLE_PAGE).await {
                Ok(page) => {
                    for table_row in page.rows {
                        let uid = table_row
                            .object
                            .as_ref()
                            .and_then(|o| o.metadata.uid.clone());
                        if let Some(uid) = uid {
                            out.insert(uid, table_row);
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "table rows not fetched"),
            }
        }
        out
    }
}

/// Name and age only, for servers without Table rendering.
fn name_and_age(mut row: Row) -> Row {
    row.cells = vec![
        Cell::Text {
            text: row.name.clone(),
        },
        Cell::Age {
            since_ms: row.created,
        },
    ];
    row
}

/// A row whose Table cells could not be fetched: the name where the Name
/// column is, blanks elsewhere, so columns still line up.
fn blank_row(columns: &[TableColumn], mut row: Row) -> Row {
    row.cells = columns
        .iter()
        .map(|c| {
            if c.name.eq_ignore_ascii_case("name") {
                Cell::Text {
                    text: row.name.clone(),
                }
            } else if c.name.eq_ignore_ascii_case("age") {
                Cell::Age {
                    since_ms: row.created,
                }
            } else {
                Cell::Text {
                    text: String::new(),
                }
            }
        })
        .collect();
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_merge_prefers_reconnecting_then_listing() {
        let reconnecting = ViewStatus::Reconnecting { reason: "x".into() };
        assert_eq!(
            merge_status(&[ViewStatus::Live, reconnecting.clone(), ViewStatus::Listing]),
            reconnecting
        );
        assert_eq!(
            merge_status(&[ViewStatus::Live, ViewStatus::Listing]),
            ViewStatus::Listing
        );
        assert_eq!(
            merge_status(&[ViewStatus::Live, ViewStatus::Live]),
            ViewStatus::Live
        );
    }

    #[test]
    fn blank_rows_keep_columns_aligned() {
        let col = |name: &str| TableColumn {
            name: name.into(),
            column_type: "string".into(),
            format: String::new(),
            priority: 0,
            description: String::new(),
        };
        let row = Row {
            uid: "u".into(),
            name: "w1".into(),
            namespace: Some("ns".into()),
            cells: vec![],
            created: Some(5),
        };
        let filled = blank_row(&[col("Name"), col("Size"), col("Age")], row);
        assert_eq!(
            filled.cells,
            vec![
                Cell::Text { text: "w1".into() },
                Cell::Text {
                    text: String::new()
                },
                Cell::Age { since_ms: Some(5) },
            ]
        );
    }
}
