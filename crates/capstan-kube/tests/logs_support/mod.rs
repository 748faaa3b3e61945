//! Shared by the logs_* test binaries: a namespace of one's own, counter
//! pods, a sink that records what the UI would get.

#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
pub mod cluster_client;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::logs::{LogBatch, LogLine, LogMarker, LogSink, LogSource, MarkerKind};
use capstan_test_support::TestCluster;

pub const T: Duration = Duration::from_secs(60);

pub async fn client() -> kube::Client {
    cluster_client::client_and_context().await.0
}

pub use capstan_test_support::TestNamespace as Ns;

/// A namespace `logs-<name>-<pid>`, deleted on drop.
pub fn ns(name: &str) -> Ns {
    Ns::create(&format!("logs-{name}-{}", std::process::id()))
}

/// A pod whose containers each print `<prefix><n>` every ~10 ms
/// (`count` lines, or forever when None, then sleep).
pub fn counter_pod(ns: &str, name: &str, labels: &str, containers: &[(&str, Option<u32>)]) {
    counter_pod_every(ns, name, labels, containers, "0.01");
}

/// [`counter_pod`] printing every `interval` seconds.
pub fn counter_pod_every(
    ns: &str,
    name: &str,
    labels: &str,
    containers: &[(&str, Option<u32>)],
    interval: &str,
) {
    let containers: Vec<serde_json::Value> = containers
        .iter()
        .map(|(c, count)| {
            let cond = match count {
                Some(n) => format!("[ $i -lt {n} ]"),
                None => "true".into(),
            };
            serde_json::json!({
                "name": c,
                "image": "capstan.local/busybox:1",
                "imagePullPolicy": "Never",
                "command": ["sh", "-c", format!(
                    "i=0; while {cond}; do echo \"{c}-$i\"; i=$((i+1)); sleep {interval}; done; exec sleep 100000")],
            })
        })
        .collect();
    let mut label_map = serde_json::Map::new();
    for kv in labels.split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').expect("k=v");
        label_map.insert(k.into(), v.into());
    }
    let pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": label_map},
        "spec": {"containers": containers, "terminationGracePeriodSeconds": 1},
    });
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), pod.to_string()).expect("write");
    let path = file.path().to_string_lossy().into_owned();
    TestCluster::get()
        .kubectl_ok(["apply", "-f", &path])
        .expect("create pod");
}

pub fn wait_running(ns: &str, pod: &str) {
    TestCluster::get()
        .kubectl_ok([
            "-n",
            ns,
            "wait",
            "--for=condition=Ready",
            &format!("pod/{pod}"),
            "--timeout=120s",
        ])
        .expect("pod ready");
}

#[derive(Default)]
pub struct Recorded {
    pub sources: Vec<LogSource>,
    pub lines: Vec<LogLine>,
    /// Markers with the number of lines received before them.
    pub markers: Vec<(usize, LogMarker)>,
    pub done: bool,
    pub error: Option<String>,
    pub batches: usize,
}

#[derive(Default)]
pub struct Recorder(pub Mutex<Recorded>);

impl LogSink for Recorder {
    fn batch(&self, batch: LogBatch) {
        let mut r = self.0.lock().expect("recorder");
        let base = r.lines.len();
        r.batches += 1;
        r.sources.extend(batch.sources);
        for m in batch.markers {
            let at = base + m.before_line as usize;
            r.markers.push((at, m));
        }
        r.lines.extend(batch.lines);
        r.done |= batch.done;
        if batch.error.is_some() {
            r.error = batch.error;
        }
    }
}

impl Recorder {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }
    pub fn with<R>(&self, f: impl FnOnce(&Recorded) -> R) -> R {
        f(&self.0.lock().expect("recorder"))
    }
    pub fn texts(&self, source: Option<u32>) -> Vec<String> {
        self.with(|r| {
            r.lines
                .iter()
                .filter(|l| source.is_none_or(|s| l.source == s))
                .map(|l| l.text.clone())
                .collect()
        })
    }
    pub fn source_of(&self, pod: &str, container: &str) -> Option<u32> {
        self.with(|r| {
            r.sources
                .iter()
                .find(|s| s.pod == pod && s.container == container)
                .map(|s| s.index)
        })
    }
    pub fn markers_of(&self, source: u32) -> Vec<MarkerKind> {
        self.with(|r| {
            r.markers
                .iter()
                .filter(|(_, m)| m.source == source)
                .map(|(_, m)| m.marker.clone())
                .collect()
        })
    }
}

/// Polls `f` until true or `timeout`, without blocking the runtime (the
/// shared [`capstan_test_support::eventually`]).
pub async fn wait(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    capstan_test_support::eventually(timeout, || {
        std::future::ready(if f() { Ok(()) } else { Err(()) })
    })
    .await
    .is_ok()
}

/// The counter values of `container`'s lines, in order received.
pub fn counters(texts: &[String], container: &str) -> Vec<u64> {
    let prefix = format!("{container}-");
    texts
        .iter()
        .filter_map(|t| t.strip_prefix(&prefix)?.trim().parse().ok())
        .collect()
}

/// Splits a counter sequence into runs that each restart at 0; asserts every
/// run is 0,1,2,... without gaps or repeats. Returns the run lengths.
pub fn assert_runs(values: &[u64]) -> Vec<usize> {
    let mut runs = Vec::new();
    let mut expect = 0u64;
    let mut len = 0usize;
    for (i, &v) in values.iter().enumerate() {
        if v == 0 && len > 0 {
            runs.push(len);
            len = 0;
            expect = 0;
        }
        assert_eq!(
            v,
            expect,
            "line {i}: expected {expect}, got {v} (context {:?})",
            &values[i.saturating_sub(5)..(i + 5).min(values.len())]
        );
        expect += 1;
        len += 1;
    }
    if len > 0 {
        runs.push(len);
    }
    runs
}
