//! A watch-backed store for one open table: list (paged), then watch from
//! the list's resourceVersion with bookmarks. kube's watcher resumes a
//! dropped watch from the last resourceVersion and relists on 410; each
//! relist is sent as a fresh snapshot, so deletes missed while disconnected
//! cannot survive in the UI.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::StreamExt;
use kube::api::{Api, DynamicObject};
use kube::core::ApiResource;
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// Deltas closer together than this go out as one batch.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(50);
/// How often a reconnecting view checks whether the server answers again.
const PROBE_INTERVAL: Duration = Duration::from_secs(2);
/// Objects per list request (the server pages, we never hold a 10 000-item
/// response in one piece).
const PAGE_SIZE: u32 = 500;

/// Where a view stands, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "state")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ViewStatus {
    /// (Re)listing: a snapshot follows.
    Listing,
    /// The watch is running and the snapshot plus deltas are current.
    Live,
    /// The watch failed; kube retries with backoff. `reason` is the error.
    Reconnecting { reason: String },
    /// The server refused the list or watch (403). Terminal: the view
    /// stops; nothing is retried until the view is opened again.
    NotAllowed { denial: crate::access::Denial },
}

/// What a view watches, so a 403 can say what was refused.
#[derive(Debug, Clone)]
struct Target {
    group: String,
    plural: String,
    namespace: Option<String>,
}

impl Target {
    /// The denial behind a watcher error, if the server refused (403).
    fn denial(&self, e: &watcher::Error) -> Option<crate::access::Denial> {
        let (verb, err) = match e {
            watcher::Error::InitialListFailed(err) => ("list", err),
            watcher::Error::WatchStartFailed(err) | watcher::Error::WatchFailed(err) => {
                ("watch", err)
            }
            watcher::Error::WatchError(status) if status.code == 403 => {
                return Some(crate::access::Denial {
                    verb: "watch".to_string(),
                    group: self.group.clone(),
                    resource: self.plural.clone(),
                    namespace: self.namespace.clone(),
                    reason: status.message.clone(),
                })
            }
            _ => return None,
        };
        crate::access::Denial::from_kube(
            err,
            verb,
            &self.group,
            &self.plural,
            self.namespace.as_deref(),
        )
    }
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

/// The rows a view shows, by uid. Only projected rows are kept: the full
/// objects would cost ~8 KB a pod, the rows a few hundred bytes, and the
/// details panel fetches the object fresh anyway.
type Store<R> = Arc<Mutex<HashMap<String, R>>>;

/// Stops the view's watch when dropped or cancelled.
pub struct ViewHandle {
    task: tokio::task::JoinHandle<()>,
    uids: Box<dyn Fn() -> BTreeSet<String> + Send + Sync>,
    len: Box<dyn Fn() -> usize + Send + Sync>,
}

impl ViewHandle {
    pub fn cancel(self) {}

    /// Uids of the objects the store holds now.
    pub fn uids(&self) -> BTreeSet<String> {
        (self.uids)()
    }

    pub fn len(&self) -> usize {
        (self.len)()
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
fn lock<R>(store: &Store<R>) -> std::sync::MutexGuard<'_, HashMap<String, R>> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Opens a view: starts listing at once and keeps `sink` current until the
/// handle goes. `project` turns each object into what the UI shows, as it
/// arrives. Must be called inside a Tokio runtime.
pub fn open_view<R, P, S>(
    client: kube::Client,
    spec: ViewSpec,
    project: P,
    sink: Arc<S>,
) -> ViewHandle
where
    R: Clone + Send + 'static,
    P: Fn(&DynamicObject) -> R + Send + Sync + 'static,
    S: ViewSink<R> + ?Sized + 'static,
{
    let api: Api<DynamicObject> = match &spec.namespace {
        Some(ns) => Api::namespaced_with(client, ns, &spec.resource),
        None => Api::all_with(client, &spec.resource),
    };
    let mut config = watcher::Config::default().page_size(PAGE_SIZE);
    if let Some(sel) = &spec.label_selector {
        config = config.labels(sel);
    }
    // Without the backoff a dead server turns the watcher into a busy loop.
    let events = watcher::watcher(api.clone(), config)
        .default_backoff()
        .boxed();
    let target = Target {
        group: spec.resource.group.clone(),
        plural: spec.resource.plural.clone(),
        namespace: spec.namespace.clone(),
    };
    spawn_view(events, Some(api), Some(target), project, sink)
}

/// Watcher events, as kube's watcher yields them.
pub type EventStream =
    futures_util::stream::BoxStream<'static, Result<Event<DynamicObject>, watcher::Error>>;

/// Like [`open_view`] over any stream of watcher events: the benchmark feeds
/// recorded events through the same store and batching as a live watch.
/// `probe` (the watched API) lets a reconnecting view notice the server is back.
pub fn open_view_on<R, P, S>(
    events: EventStream,
    probe: Option<Api<DynamicObject>>,
    project: P,
    sink: Arc<S>,
) -> ViewHandle
where
    R: Clone + Send + 'static,
    P: Fn(&DynamicObject) -> R + Send + Sync + 'static,
    S: ViewSink<R> + ?Sized + 'static,
{
    spawn_view(events, probe, None, project, sink)
}

fn spawn_view<R, P, S>(
    events: EventStream,
    probe: Option<Api<DynamicObject>>,
    target: Option<Target>,
    project: P,
    sink: Arc<S>,
) -> ViewHandle
where
    R: Clone + Send + 'static,
    P: Fn(&DynamicObject) -> R + Send + Sync + 'static,
    S: ViewSink<R> + ?Sized + 'static,
{
    let store: Store<R> = Arc::default();
    let task = tokio::spawn(run(events, probe, target, project, sink, store.clone()));
    let counted = store.clone();
    let uids = Box::new(move || lock(&store).keys().cloned().collect());
    let len = Box::new(move || lock(&counted).len());
    ViewHandle { task, uids, len }
}

async fn run<R, P, S>(
    mut events: EventStream,
    probe_api: Option<Api<DynamicObject>>,
    target: Option<Target>,
    project: P,
    sink: Arc<S>,
    store: Store<R>,
) where
    R: Clone,
    P: Fn(&DynamicObject) -> R,
    S: ViewSink<R> + ?Sized,
{
    let mut relisting: Option<HashMap<String, R>> = None;
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
                        // A 403 does not heal by retrying: end the view
                        // and say what was refused.
                        if let Some(denial) = target.as_ref().and_then(|t| t.denial(&e)) {
                            tracing::debug!(what = %denial.describe(), "view not allowed");
                            sink.status(ViewStatus::NotAllowed { denial });
                            return;
                        }
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
                            buf.insert(key(&obj), project(&obj));
                        }
                    }
                    Event::InitDone => {
                        let fresh = relisting.take().unwrap_or_default();
                        let rows = fresh
                            .iter()
                            .map(|(uid, row)| Keyed { uid: uid.clone(), row: row.clone() })
                            .collect();
                        *lock(&store) = fresh;
                        pending = Pending::default();
                        reconnecting = false;
                        sink.snapshot(rows);
                        sink.status(ViewStatus::Live);
                    }
                    Event::Apply(obj) => {
                        let uid = key(&obj);
                        lock(&store).insert(uid.clone(), project(&obj));
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
            _ = probe.tick(), if reconnecting && relisting.is_none() && probe_api.is_some() => {
                let Some(api) = probe_api.as_ref() else { continue };
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
                            let row = store.get(&uid)?.clone();
                            Some(Keyed { uid, row })
                        })
                        .collect()
                };
                sink.deltas(upserts, batch.deletes.into_iter().collect());
            }
        }
    }
    // The stream ended (a recorded one): flush what is pending.
    if !pending.is_empty() {
        let store = lock(&store);
        let upserts = pending
            .upserts
            .into_iter()
            .filter_map(|uid| {
                Some(Keyed {
                    row: store.get(&uid)?.clone(),
                    uid,
                })
            })
            .collect();
        sink.deltas(upserts, pending.deletes.into_iter().collect());
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
