//! Live-table benchmark on the real test cluster with 10 000 Pending pods
//! (DESIGN.md §4). Prints figures; asserts nothing about time.
//!
//! `cargo bench -p capstan-kube --bench table_10k` (release build). Seeds the
//! pods once into `bench-10k`; `CAPSTAN_BENCH_KEEP=1` keeps them afterwards.
//!
//! Measures: request → full store (raw watch store), request → projected
//! rows (the snapshot the UI receives) and its JSON size, store memory and
//! whether it is released on close, and the watch event rate the view
//! applies while 10 000 pods are patched as fast as the server takes it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use capstan_kube::discovery::{discover_kinds, find_kind};
use capstan_kube::table::{
    open_live_view, open_view, Keyed, LiveSink, LiveSpec, ViewEvent, ViewSink, ViewSpec, ViewStatus,
};
use capstan_test_support::TestCluster;
use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, Patch, PatchParams};

const NS: &str = "bench-10k";
const PODS: usize = 10_000;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Gives freed heap back to the OS so RSS shows what is really held.
fn trim() {
    // SAFETY: malloc_trim only walks glibc's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
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
    let pods = find_kind(&kinds, "pods").cloned().expect("pods kind");
    let total = pods_api
        .list_metadata(&ListParams::default())
        .await
        .expect("list")
        .items
        .len();
    println!("pods in {NS}: {total}");

    // 1. Raw store: list (paged) into the watch store, nothing projected.
    trim();
    let base = rss_mib();
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
    trim();
    let store_rss = rss_mib() - base;
    println!(
        "request -> full store: {:.0} ms ({} objects); store memory ≈ {:.1} MiB RSS",
        (store_at - t0).as_secs_f64() * 1e3,
        handle.len(),
        store_rss
    );
    drop(handle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    trim();
    println!("after close: {:.1} MiB above baseline", rss_mib() - base);

    // 2. The live view as the UI gets it: projected rows.
    let rows_sink = Arc::new(RowSink::default());
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
    trim();
    println!(
        "view memory (store + rows sent): {:.1} MiB above baseline",
        rss_mib() - base
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
    futures::stream::iter(names.iter())
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
    tokio::time::sleep(Duration::from_millis(200)).await;
    trim();
    println!(
        "after closing the view: {:.1} MiB above baseline",
        rss_mib() - base
    );

    if std::env::var_os("CAPSTAN_BENCH_KEEP").is_none() {
        let _ = cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
    }
}
