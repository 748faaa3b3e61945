//! A watch-backed store for one open table: list (paged), then watch from
//! the list's resourceVersion with bookmarks. kube's watcher resumes a
//! dropped watch from the last resourceVersion and relists on 410; each
//! relist is sent as a fresh snapshot, so deletes missed while disconnected
//! cannot survive in the UI.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use kube::api::{Api, DynamicObject};
use kube::core::ApiResource;
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use serde::Serialize;
use ts_rs::TS;

/// Deltas closer together than this go out as one batch.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(50);
/// How often a reconnecting view checks whether the server answers again.
const PROBE_INTERVAL: Duration = Duration::from_secs(2);
/// Objects per list request (the server pages, we never hold a 10 000-item
/// response in one piece).
const PAGE_SIZE: u32 = 500;

/// Where a view stands, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "state")]
#[ts(export)]
pub enum ViewStatus {
    /// (Re)listing: a snapshot follows.
    Listing,
    /// The watch is running and the snapshot plus deltas are current.
    Live,
    /// The watch failed; kube retries with backoff. `reason` is the error.
    Reconnecting { reason: String },
}

/// A projected row and the uid that keys it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Keyed<R> {
    pub uid: String,
    pub row: R,
}

/// Receives what a view produces. Called from the view's task, never
/// concurrently for one view.
pub trait ViewSink<R>: Send + Sync {
    /// The whole view: replaces whatever was shown.
    fn snapshot(&self, rows: Vec<Keyed<R>>);
    /// Changes since the last snapshot or deltas. A uid is in at most one list.
    fn deltas(&self, upserts: Vec<Keyed<R>>, deletes: Vec<String>);
    fn status(&self, status: ViewStatus);
}

/// What one view shows.
#[derive(Debug, Clone)]
pub struct ViewSpec {
    pub resource: ApiResource,
    /// None: all namespaces (or a cluster-scoped kind).
    pub namespace: Option<String>,
    /// A label selector as kubectl takes it, e.g. `app=web,tier!=db`.
    pub label_selector: Option<String>,
}

type Store = Arc<Mutex<HashMap<String, DynamicObject>>>;

/// Stops the view's watch when dropped or cancelled.
pub struct ViewHandle {
    task: tokio::task::JoinHandle<()>,
    store: Store,
}

impl ViewHandle {
    pub fn cancel(self) {}

    /// Uids of the objects the store holds now.
    pub fn uids(&self) -> BTreeSet<String> {
        lock(&self.store).keys().cloned().collect()
    }

    /// The stored object (managedFields removed), for a details panel.
    pub fn get(&self, uid: &str) -> Option<DynamicObject> {
        lock(&self.store).get(uid).cloned()
    }

    pub fn len(&self) -> usize {
        lock(&self.store).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for ViewHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A poisoned lock only means a sink panicked mid-update; the map itself is
/// still whole.
fn lock(store: &Store) -> std::sync::MutexGuard<'_, HashMap<String, DynamicObject>> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Opens a view: starts listing at once and keeps `sink` current until the
/// handle goes. `project` turns a stored object into what the UI shows.
/// Must be called inside a Tokio runtime.
pub fn open_view<R, P, S>(
    client: kube::Client,
    spec: ViewSpec,
    project: P,
    sink: Arc<S>,
) -> ViewHandle
where
    R: Send + 'static,
    P: Fn(&DynamicObject) -> R + Send + Sync + 'static,
    S: ViewSink<R> + ?Sized + 'static,
{
    let store: Store = Arc::default();
    let api: Api<DynamicObject> = match &spec.namespace {
        Some(ns) => Api::namespaced_with(client, ns, &spec.resource),
        None => Api::all_with(client, &spec.resource),
    };
    let mut config = watcher::Config::default().page_size(PAGE_SIZE);
    if let Some(sel) = &spec.label_selector {
        config = config.labels(sel);
    }
    let task = tokio::spawn(run(api, config, project, sink, store.clone()));
    ViewHandle { task, store }
}

async fn run<R, P, S>(
    api: Api<DynamicObject>,
    config: watcher::Config,
    project: P,
    sink: Arc<S>,
    store: Store,
) where
    P: Fn(&DynamicObject) -> R,
    S: ViewSink<R> + ?Sized,
{
    // Without the backoff a dead server turns the watcher into a busy loop.
    let mut events = watcher::watcher(api.clone(), config)
        .default_backoff()
        .boxed();
    let mut relisting: Option<HashMap<String, DynamicObject>> = None;
    let mut pending = Pending::default();
    let mut reconnecting = false;
    let mut probe = tokio::time::interval(PROBE_INTERVAL);
    probe.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut tick = tokio::time::interval(BATCH_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The watcher's first event is Init, which reports Listing.
    loop {
        tokio::select! {
            event = events.next() => {
                let Some(event) = event else { break };
                let event = match event {
                    Ok(event) => event,
                    Err(e) => {
                        reconnecting = true;
                        sink.status(ViewStatus::Reconnecting { reason: e.to_string() });
                        continue;
                    }
                };
                // Any event after an error means the watch is back.
                if reconnecting && !matches!(event, Event::Init | Event::InitApply(_)) {
                    reconnecting = false;
                    if relisting.is_none() {
                        sink.status(ViewStatus::Live);
                    }
                }
                match event {
                    Event::Init => {
                        relisting = Some(HashMap::new());
                        sink.status(ViewStatus::Listing);
                    }
                    Event::InitApply(obj) => {
                        if let Some(buf) = relisting.as_mut() {
                            let obj = strip(obj);
                            buf.insert(key(&obj), obj);
                        }
                    }
                    Event::InitDone => {
                        let fresh = relisting.take().unwrap_or_default();
                        let rows = fresh
                            .iter()
                            .map(|(uid, obj)| Keyed { uid: uid.clone(), row: project(obj) })
                            .collect();
                        *lock(&store) = fresh;
                        pending = Pending::default();
                        reconnecting = false;
                        sink.snapshot(rows);
                        sink.status(ViewStatus::Live);
                    }
                    Event::Apply(obj) => {
                        let obj = strip(obj);
                        let uid = key(&obj);
                        lock(&store).insert(uid.clone(), obj);
                        pending.deletes.remove(&uid);
                        pending.upserts.insert(uid);
                    }
                    Event::Delete(obj) => {
                        let uid = key(&obj);
                        lock(&store).remove(&uid);
                        pending.upserts.remove(&uid);
                        pending.deletes.insert(uid);
                    }
                }
            }
            // A resumed watch says nothing until something changes, so a
            // quiet view would show "reconnecting" forever. While
            // reconnecting, a one-item list tells when the server answers
            // again; the watcher's own retry is then moments away.
            _ = probe.tick(), if reconnecting && relisting.is_none() => {
                let lp = kube::api::ListParams::default().limit(1);
                let answered = tokio::time::timeout(PROBE_INTERVAL, api.list_metadata(&lp)).await;
                if matches!(answered, Ok(Ok(_))) {
                    reconnecting = false;
                    sink.status(ViewStatus::Live);
                }
            }
            _ = tick.tick(), if !pending.is_empty() => {
                let batch = std::mem::take(&mut pending);
                let upserts = {
                    let store = lock(&store);
                    batch
                        .upserts
                        .into_iter()
                        .filter_map(|uid| {
                            let row = project(store.get(&uid)?);
                            Some(Keyed { uid, row })
                        })
                        .collect()
                };
                sink.deltas(upserts, batch.deletes.into_iter().collect());
            }
        }
    }
}

/// Uids changed since the last batch; an object is in one set only.
#[derive(Default)]
struct Pending {
    upserts: BTreeSet<String>,
    deletes: BTreeSet<String>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.upserts.is_empty() && self.deletes.is_empty()
    }
}

/// managedFields is often half an object's size and no view shows it.
fn strip(mut obj: DynamicObject) -> DynamicObject {
    obj.metadata.managed_fields = None;
    obj
}

/// The uid; objects without one (never from a real server) by namespace/name.
fn key(obj: &DynamicObject) -> String {
    obj.metadata.uid.clone().unwrap_or_else(|| {
        format!(
            "{}/{}",
            obj.metadata.namespace.as_deref().unwrap_or(""),
            obj.metadata.name.as_deref().unwrap_or("")
        )
    })
}
