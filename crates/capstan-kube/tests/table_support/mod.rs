//! Shared by the table_* test binaries: a client for the test cluster, a
//! sink that keeps the UI's view of a table, and kubectl's view to compare.

#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
mod cluster_client;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::discovery::{discover_kinds, resolve_kind, KindInfo};
use capstan_kube::table::{open_view, Keyed, ViewHandle, ViewSink, ViewSpec, ViewStatus};
use capstan_test_support::TestCluster;
use kube::api::DynamicObject;

pub const NS: &str = "capstan-demo";

pub async fn client() -> (kube::Client, String) {
    cluster_client::client_and_context().await
}

pub async fn kind(client: &kube::Client, context: &str, name: &str) -> KindInfo {
    let kinds = discover_kinds(client, context).await.expect("discovery");
    resolve_kind(&kinds, name).cloned().expect(name)
}

/// What the UI would hold: rows by uid, as snapshot and deltas left them.
#[derive(Default)]
pub struct Model {
    pub rows: BTreeMap<String, String>,
    pub snapshots: usize,
    pub statuses: Vec<ViewStatus>,
    /// Problems seen: a uid twice in one snapshot, in both lists of a batch.
    pub problems: Vec<String>,
}

#[derive(Default)]
pub struct RecordingSink(pub Mutex<Model>);

impl RecordingSink {
    pub fn uids(&self) -> BTreeSet<String> {
        self.0.lock().expect("model").rows.keys().cloned().collect()
    }
    pub fn names(&self) -> BTreeSet<String> {
        self.0
            .lock()
            .expect("model")
            .rows
            .values()
            .cloned()
            .collect()
    }
    pub fn snapshots(&self) -> usize {
        self.0.lock().expect("model").snapshots
    }
    pub fn last_status(&self) -> Option<ViewStatus> {
        self.0.lock().expect("model").statuses.last().cloned()
    }
    pub fn statuses(&self) -> Vec<ViewStatus> {
        self.0.lock().expect("model").statuses.clone()
    }
    pub fn problems(&self) -> Vec<String> {
        self.0.lock().expect("model").problems.clone()
    }
}

impl ViewSink<String> for RecordingSink {
    fn snapshot(&self, rows: Vec<Keyed<String>>) {
        let mut m = self.0.lock().expect("model");
        m.snapshots += 1;
        let n = rows.len();
        m.rows = rows.into_iter().map(|k| (k.uid, k.row)).collect();
        if m.rows.len() != n {
            m.problems.push("duplicate uid in a snapshot".into());
        }
    }
    fn deltas(&self, upserts: Vec<Keyed<String>>, deletes: Vec<String>) {
        let mut m = self.0.lock().expect("model");
        for d in &deletes {
            if upserts.iter().any(|u| &u.uid == d) {
                m.problems
                    .push(format!("{d} both upserted and deleted in one batch"));
            }
            m.rows.remove(d);
        }
        for u in upserts {
            m.rows.insert(u.uid, u.row);
        }
    }
    fn status(&self, status: ViewStatus) {
        self.0.lock().expect("model").statuses.push(status);
    }
}

/// A view whose rows are the objects' names.
pub fn open(
    client: &kube::Client,
    kind: &KindInfo,
    ns: Option<&str>,
    selector: Option<&str>,
) -> (ViewHandle, Arc<RecordingSink>) {
    let sink = Arc::new(RecordingSink::default());
    let spec = ViewSpec {
        resource: kind.api_resource(),
        namespace: ns.map(str::to_string),
        label_selector: selector.map(str::to_string),
    };
    let project = |o: &DynamicObject| o.metadata.name.clone().unwrap_or_default();
    let handle = open_view(client.clone(), spec, project, sink.clone());
    (handle, sink)
}

/// Uids kubectl sees for `args` (e.g. ["-n", ns, "get", "configmaps", "-l", sel]).
pub fn kubectl_uids(args: &[&str]) -> BTreeSet<String> {
    let json = TestCluster::get().kubectl_json(args).expect("kubectl get");
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["metadata"]["uid"].as_str().map(str::to_string))
        .collect()
}

/// Polls `f` until true (blocking this worker; tests run multi-threaded).
pub fn wait(timeout: Duration, f: impl FnMut() -> bool) -> bool {
    tokio::task::block_in_place(|| TestCluster::get().wait_until(timeout, f))
}

/// A label value unique to one test run, so runs never see each other's objects.
pub fn run_label(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{test}-{}-{nanos}", std::process::id())
}

pub fn create_configmap(name: &str, label: &str) {
    TestCluster::get()
        .kubectl_ok(["-n", NS, "create", "configmap", name, "--from-literal=k=v"])
        .expect("create configmap");
    TestCluster::get()
        .kubectl_ok([
            "-n",
            NS,
            "label",
            "configmap",
            name,
            &format!("capstan.dev/run={label}"),
        ])
        .expect("label configmap");
}

pub fn delete_configmaps(label: &str) {
    let _ = TestCluster::get().kubectl([
        "-n",
        NS,
        "delete",
        "configmap",
        "-l",
        &format!("capstan.dev/run={label}"),
        "--wait=true",
    ]);
}
