//! Live-table benchmark on the real test cluster with 10 000 Pending pods
//! (DESIGN.md §4). Prints figures; asserts nothing about time.
//!
//! `cargo bench -p capstan-kube --bench table_10k` (release build). Seeds the
//! pods once into `bench-10k`; `CAPSTAN_BENCH_KEEP=1` keeps them afterwards.
//!
//! Measures: request → full store (raw watch store), request → projected
//! rows (the snapshot the UI receives) and its JSON size, store memory and
//! whether it is released on close, and the watch event rate the view
//! applies while 10 000 pods are patched as fast as the server takes it,
//! and, apart from the server, recorded events replayed through the same
//! pipeline.

use std::alloc::System;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use capstan_kube::discovery::{discover_kinds, resolve_kind};
use capstan_kube::rows::Row;
use capstan_kube::table::{
    open_live_view, open_view, open_view_on, Keyed, LiveSink, LiveSpec, ViewEvent, ViewSink,
    ViewSpec, ViewStatus,
};
use capstan_test_support::TestCluster;
use futures_util::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use kube::runtime::watcher::{self, Event};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

const NS: &str = "bench-10k";
const PODS: usize = 10_000;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Heap bytes held now (allocated minus freed since start), in MiB.
fn heap_mib() -> f64 {
    let stats = GLOBAL.stats();
    (stats.bytes_allocated as f64 - stats.bytes_deallocated as f64) / (1024.0 * 1024.0)
}

#[derive(Default)]
struct StoreSink {
    snapshot_at: Mutex<Option<Instant>>,
    len: AtomicUsize,
}

impl ViewSink<()> for StoreSink {
    fn snapshot(&self, rows: Vec<Keyed<()>>) {
        self.len.store(rows.len(), Ordering::SeqCst);
        *self.snapshot_at.lock().expect("lock") = Some(Instant::now());
    }
    fn deltas(&self, _: Vec<Keyed<()>>, _: Vec<String>) {}
    fn status(&self, _: ViewStatus) {}
}

/// Encodes every message as the Channel would; `done` once the replay's
/// final flush arrived (the stream ends, then pending deltas go out).
#[derive(Default)]
struct EncodingSink {
    bytes: AtomicUsize,
    done: std::sync::atomic::AtomicBool,
}

impl ViewSink<Row> for EncodingSink {
    fn snapshot(&self, rows: Vec<Keyed<Row>>) {
        let rows: Vec<Row> = rows.into_iter().map(|k| k.row).collect();
        let n = serde_json::to_vec(&ViewEvent::Snapshot { rows }).map_or(0, |v| v.len());
        self.bytes.fetch_add(n, Ordering::SeqCst);
    }
    fn deltas(&self, upserts: Vec<Keyed<Row>>, deletes: Vec<String>) {
        let last = upserts.iter().any(|k| k.uid == "sentinel");
        let upserts: Vec<Row> = upserts.into_iter().map(|k| k.row).collect();
        let n = serde_json::to_vec(&ViewEvent::Deltas { upserts, deletes }).map_or(0, |v| v.len());
        self.bytes.fetch_add(n, Ordering::SeqCst);
        if last {
            self.done.store(true, Ordering::SeqCst);
        }
    }
    fn status(&self, _: ViewStatus) {}
}

#[derive(Default)]
struct RowSink {
    snapshot_at: Mutex<Option<(Instant, usize, usize)>>,
    upserts: AtomicUsize,
    /// Rows whose pod carries the bench's patch label, by uid count.
    patched: Mutex<std::collections::HashSet<String>>,
    marker: Mutex<String>,
}

impl LiveSink for RowSink {
    fn send(&self, event: ViewEvent) -> bool {
        match event {
            ViewEvent::Snapshot { rows } => {
                let at = Instant::now();
                // What the Channel would carry.
                let bytes = serde_json::to_vec(&rows).map_or(0, |v| v.len());
                *self.snapshot_at.lock().expect("lock") = Some((at, rows.len(), bytes));
            }
            ViewEvent::Deltas { upserts, .. } => {
                self.upserts.fetch_add(upserts.len(), Ordering::SeqCst);
                let marker = self.marker.lock().expect("lock").clone();
                if !marker.is_empty() {
                    let mut patched = self.patched.lock().expect("lock");
                    for row in upserts {
                        if row.name.starts_with("pending-") {
                            patched.insert(row.uid);
                        }
                    }
                }
            }
            _ => {}
        }
        true
    }
}

async fn wait<F: Fn() -> bool>(what: &str, timeout: Duration, f: F) {
    let deadline = Instant::now() + timeout;
    while !f() {
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    capstan_kube::install_crypto_provider();
    let cluster = TestCluster::get();
    let loaded =
        capstan_kube::contexts::load_kubeconfig(&[cluster.kubeconfig_path().to_path_buf()])
            .expect("kubeconfig");
    let context = loaded.merged.current_context.clone().expect("context");
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    let pods_api: Api<Pod> = Api::namespaced(client.clone(), NS);

    let have = pods_api
        .list_metadata(&ListParams::default().labels("capstan.dev/seed=pending"))
        .await
        .map(|l| l.items.len())
        .unwrap_or(0);
    if have < PODS {
        let t = Instant::now();
        cluster.seed_pending(u32::try_from(PODS - have).expect("count"), NS);
        println!(
            "seeded {} pending pods in {:.1} s",
            PODS - have,
            t.elapsed().as_secs_f64()
        );
    }
    let kinds = discover_kinds(&client, &context).await.expect("discovery");
    let pods = resolve_kind(&kinds, "pods").cloned().expect("pods kind");
    let total = pods_api
        .list_metadata(&ListParams::default())
        .await
        .expect("list")
        .items
        .len();
    println!("pods in {NS}: {total}");

    // 1. Raw store: list (paged) into the watch store, nothing projected.
    let base = heap_mib();
    let store_sink = Arc::new(StoreSink::default());
    let t0 = Instant::now();
    let handle = open_view(
        client.clone(),
        ViewSpec {
            resource: pods.api_resource(),
            namespace: Some(NS.into()),
            label_selector: None,
        },
        |_| (),
        store_sink.clone(),
    );
    wait("store", Duration::from_secs(120), || {
        store_sink.snapshot_at.lock().expect("lock").is_some()
    })
    .await;
    let store_at = store_sink.snapshot_at.lock().expect("lock").expect("set");
    let store_heap = heap_mib() - base;
    println!(
        "request -> full store: {:.0} ms ({} objects); store memory {:.1} MiB of heap",
        (store_at - t0).as_secs_f64() * 1e3,
        handle.len(),
        store_heap
    );
    drop(handle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    println!("after close: {:.1} MiB above baseline", heap_mib() - base);

    // 2. The live view as the UI gets it: projected rows.
    let rows_sink = Arc::new(RowSink::default());
    let before_view = heap_mib();
    let t0 = Instant::now();
    let view = open_live_view(
        client.clone(),
        &context,
        LiveSpec {
            kind: pods.clone(),
            namespaces: vec![NS.into()],
            label_selector: None,
        },
        rows_sink.clone(),
    );
    wait("rows", Duration::from_secs(120), || {
        rows_sink.snapshot_at.lock().expect("lock").is_some()
    })
    .await;
    let (at, n, bytes) = rows_sink.snapshot_at.lock().expect("lock").expect("set");
    println!(
        "request -> projected rows: {:.0} ms ({n} rows, snapshot {:.1} MiB as JSON)",
        (at - t0).as_secs_f64() * 1e3,
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!(
        "view memory (store + rows sent): {:.1} MiB above baseline",
        heap_mib() - base
    );

    // 3. Watch event rate: patch every pod, 32 requests in flight.
    let marker = format!("b{}", std::process::id());
    *rows_sink.marker.lock().expect("lock") = marker.clone();
    let names: Vec<String> = pods_api
        .list_metadata(&ListParams::default().labels("capstan.dev/seed=pending"))
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|p| p.metadata.name)
        .collect();
    let t0 = Instant::now();
    let patch = serde_json::json!({"metadata": {"labels": {"capstan.dev/bench": marker}}});
    futures_util::stream::iter(names.iter())
        .map(|name| {
            let api = pods_api.clone();
            let patch = patch.clone();
            async move {
                api.patch(name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await
                    .map(|_| ())
            }
        })
        .buffer_unordered(32)
        .for_each(|r| async move {
            if let Err(e) = r {
                eprintln!("patch failed: {e}");
            }
        })
        .await;
    let written = t0.elapsed();
    wait("all updates applied", Duration::from_secs(300), || {
        rows_sink.patched.lock().expect("lock").len() >= names.len()
    })
    .await;
    let applied = t0.elapsed();
    println!(
        "server accepted {} patches in {:.2} s ({:.0}/s); view applied all in {:.2} s ({:.0} events/s), lag after the last write {:.0} ms",
        names.len(),
        written.as_secs_f64(),
        names.len() as f64 / written.as_secs_f64(),
        applied.as_secs_f64(),
        names.len() as f64 / applied.as_secs_f64(),
        (applied - written).as_secs_f64() * 1e3
    );
    drop(view);
    drop(names);
    *rows_sink.patched.lock().expect("lock") = Default::default();
    tokio::time::sleep(Duration::from_millis(200)).await;
    println!(
        "after closing the view: {:+.1} MiB against before it opened",
        heap_mib() - before_view
    );

    // 4. Our own cost, without the server's limit: recorded pods replayed
    //    through the same store, projection, batching and JSON encoding.
    let objects: Vec<DynamicObject> =
        Api::<DynamicObject>::namespaced_with(client.clone(), NS, &pods.api_resource())
            .list(&ListParams::default())
            .await
            .expect("list")
            .items;
    let updates = 200_000usize;
    let mut events: Vec<Result<Event<DynamicObject>, watcher::Error>> =
        Vec::with_capacity(updates + objects.len() + 2);
    events.push(Ok(Event::Init));
    events.extend(objects.iter().cloned().map(|o| Ok(Event::InitApply(o))));
    events.push(Ok(Event::InitDone));
    events.extend((0..updates).map(|i| Ok(Event::Apply(objects[i % objects.len()].clone()))));
    // Last in the stream, so its arrival means everything before was applied.
    let mut sentinel = objects[0].clone();
    sentinel.metadata.uid = Some("sentinel".into());
    events.push(Ok(Event::Apply(sentinel)));
    let replay = Arc::new(EncodingSink::default());
    let projector = capstan_kube::rows::builtin("", "Pod").expect("pod projection");
    let t0 = Instant::now();
    let handle = open_view_on(
        futures_util::stream::iter(events).boxed(),
        None,
        move |o: &DynamicObject| projector.project(o),
        replay.clone(),
    );
    wait("replay", Duration::from_secs(300), || {
        replay.done.load(Ordering::SeqCst)
    })
    .await;
    let took = t0.elapsed().as_secs_f64();
    println!(
        "replayed {} list items + {updates} watch events through store/projection/batching/JSON in {:.2} s: {:.0} events/s ({:.1} MiB of JSON sent)",
        objects.len(),
        took,
        (updates + objects.len()) as f64 / took,
        replay.bytes.load(Ordering::SeqCst) as f64 / (1024.0 * 1024.0)
    );
    drop(handle);

    if std::env::var_os("CAPSTAN_BENCH_KEEP").is_none() {
        let _ = cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
    }
}
