//! Shared by the metrics_* test binaries: a namespace with pods that use
//! some CPU, and kubectl top's output parsed.

#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
pub mod cluster_client;

use std::collections::BTreeMap;
use std::time::Duration;

use capstan_test_support::{TestCluster, TestNamespace};

/// metrics-server scrapes every 15 s and answers for a pod after two
/// scrapes; a new pod's figures take up to ~45 s.
pub const T: Duration = Duration::from_secs(120);

pub async fn client() -> kube::Client {
    cluster_client::client_and_context().await.0
}

/// A namespace `metrics-<name>-<pid>` with `pods`: each a busybox running
/// `script` in `containers` containers. Waits until they are Running.
pub fn namespace_with_pods(name: &str, pods: &[(&str, &str, usize)]) -> TestNamespace {
    let ns = TestNamespace::create(&format!("metrics-{name}-{}", std::process::id()));
    for (pod, script, containers) in pods {
        let containers: Vec<serde_json::Value> = (0..*containers)
            .map(|i| {
                serde_json::json!({
                    "name": format!("c{i}"),
                    "image": "capstan.local/busybox:1",
                    "imagePullPolicy": "Never",
                    "command": ["sh", "-c", script],
                    "resources": {"requests": {"cpu": "10m", "memory": "8Mi"}, "limits": {"cpu": "1", "memory": "64Mi"}},
                })
            })
            .collect();
        let manifest = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": pod, "namespace": ns.name},
            "spec": {"terminationGracePeriodSeconds": 0, "containers": containers},
        });
        apply(&manifest.to_string());
    }
    let cluster = TestCluster::get();
    for (pod, _, _) in pods {
        cluster
            .kubectl_ok([
                "-n",
                &ns.name,
                "wait",
                "--for=condition=Ready",
                &format!("pod/{pod}"),
                "--timeout=90s",
            ])
            .expect("pod ready");
    }
    ns
}

pub fn apply(manifest: &str) {
    let file = std::env::temp_dir().join(format!(
        "capstan-metrics-{}-{}.json",
        std::process::id(),
        manifest.len()
    ));
    std::fs::write(&file, manifest).expect("write manifest");
    let out = TestCluster::get().kubectl_ok(["apply", "-f", &file.display().to_string()]);
    let _ = std::fs::remove_file(&file);
    out.expect("kubectl apply");
}

/// A pod that burns a little CPU (so figures are not all 0m).
pub const BUSY: &str =
    "while :; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.2; done";

/// `kubectl top` output without headers, as whitespace-split rows.
pub fn kubectl_top(args: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let mut all = vec!["top"];
    all.extend_from_slice(args);
    all.push("--no-headers");
    let out = TestCluster::get()
        .kubectl_ok(&all)
        .map_err(|e| format!("kubectl top: {e:#}"))?;
    Ok(out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect())
}

/// Rows keyed by their first `key` cells.
pub fn keyed(rows: Vec<Vec<String>>, key: usize) -> BTreeMap<Vec<String>, Vec<String>> {
    rows.into_iter()
        .map(|r| {
            let (k, v) = r.split_at(key.min(r.len()));
            (k.to_vec(), v.to_vec())
        })
        .collect()
}
