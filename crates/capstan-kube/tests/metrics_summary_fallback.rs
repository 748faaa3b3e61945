//! With the `v1beta1.metrics.k8s.io` APIService removed, Capstan reads the
//! kubelet Summary API through the node proxy and gives figures for the
//! same pods. A binary of its own: it takes the metrics API away from the
//! whole cluster for its duration, and a guard puts the APIService back
//! exactly as it was, even when the test fails.

mod metrics_support;

use std::collections::BTreeMap;
use std::time::Duration;

use capstan_kube::metrics::{self, MetricsSource, SampleScope};
use capstan_test_support::{eventually, eventually_blocking, TestCluster};
use metrics_support::*;

const APISERVICE: &str = "v1beta1.metrics.k8s.io";

/// Removes the APIService; restores the saved object on drop and waits
/// until the metrics API answers again.
struct ApiServiceRemoved {
    saved: serde_json::Value,
}

impl ApiServiceRemoved {
    fn remove() -> Self {
        let cluster = TestCluster::get();
        let mut saved = cluster
            .kubectl_json(["get", "apiservice", APISERVICE, "-o", "json"])
            .expect("read the APIService");
        // What the server sets is not ours to restore.
        if let Some(meta) = saved["metadata"].as_object_mut() {
            for k in [
                "resourceVersion",
                "uid",
                "creationTimestamp",
                "managedFields",
                "generation",
            ] {
                meta.remove(k);
            }
        }
        if let Some(o) = saved.as_object_mut() {
            o.remove("status");
        }
        let guard = Self { saved };
        cluster
            .kubectl_ok(["delete", "apiservice", APISERVICE, "--wait=true"])
            .expect("delete the APIService");
        guard
    }
}

impl Drop for ApiServiceRemoved {
    fn drop(&mut self) {
        let cluster = TestCluster::get();
        let file =
            std::env::temp_dir().join(format!("capstan-apiservice-{}.json", std::process::id()));
        if std::fs::write(&file, self.saved.to_string()).is_ok() {
            let _ = cluster.kubectl(["create", "-f", &file.display().to_string()]);
            let _ = std::fs::remove_file(&file);
        }
        let back = eventually_blocking(Duration::from_secs(90), || {
            cluster
                .kubectl_ok(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"])
                .map(|_| ())
        });
        if let Err(e) = back {
            eprintln!("the metrics API did not come back: {e:#}");
        }
    }
}

type Figures = BTreeMap<String, Vec<(String, u64)>>;

fn figures(sample: &metrics::Sample) -> Figures {
    sample
        .pods
        .iter()
        .map(|p| {
            // Sources list a pod's containers in no set order.
            let mut containers: Vec<(String, u64)> = p
                .containers
                .iter()
                .map(|c| (c.name.clone(), c.usage.memory_bytes))
                .collect();
            containers.sort();
            (p.name.clone(), containers)
        })
        .collect()
}

#[tokio::test]
async fn summary_api_gives_figures_for_the_same_pods() {
    let client = client().await;
    let ns = namespace_with_pods("summary", &[("busy", BUSY, 1), ("pair", BUSY, 2)]);
    let scope = SampleScope::everything();
    let ns_scope = SampleScope::pods(Some(&ns.name));

    let from_api = eventually(T, || async {
        let s = metrics::read_sample(&client, &ns_scope)
            .await
            .map_err(|e| e.to_string())?;
        match (s.source == MetricsSource::MetricsApi, s.pods.len()) {
            (true, 2) => Ok(s),
            _ => Err(format!("{:?} with {} pods", s.source, s.pods.len())),
        }
    })
    .await
    .expect("metrics.k8s.io figures first");

    let removed = ApiServiceRemoved::remove();
    let from_summary = eventually(T, || async {
        let s = metrics::read_sample(&client, &ns_scope)
            .await
            .map_err(|e| e.to_string())?;
        (s.source == MetricsSource::KubeletSummary)
            .then_some(s)
            .ok_or_else(|| "still metrics.k8s.io (discovery not updated yet)".to_string())
    })
    .await
    .expect("the Summary API once the APIService is gone");

    let api = figures(&from_api);
    let summary = figures(&from_summary);
    assert_eq!(
        api.iter()
            .map(|(p, cs)| (p, cs.iter().map(|c| &c.0).collect::<Vec<_>>()))
            .collect::<Vec<_>>(),
        summary
            .iter()
            .map(|(p, cs)| (p, cs.iter().map(|c| &c.0).collect::<Vec<_>>()))
            .collect::<Vec<_>>(),
        "the same pods and containers"
    );
    // Both are the container's working set; busybox's barely moves between
    // the two readings.
    for (pod, containers) in &summary {
        for ((c, bytes), (_, api_bytes)) in containers.iter().zip(&api[pod]) {
            assert!(*bytes > 0, "{pod}/{c} has memory");
            let ratio = *bytes as f64 / *api_bytes as f64;
            assert!(
                (0.5..2.0).contains(&ratio),
                "{pod}/{c}: {bytes} vs {api_bytes}"
            );
        }
    }
    assert!(from_summary.pods.iter().all(|p| p.timestamp > 0));

    // Nodes too, and the whole reading reports its source.
    let all = metrics::read_sample(&client, &scope)
        .await
        .expect("everything");
    assert_eq!(all.source, MetricsSource::KubeletSummary);
    assert!(all
        .nodes
        .iter()
        .any(|n| n.name == "capstan-node" && n.usage.memory_bytes > 0));

    drop(removed);
    let back = eventually(T, || async {
        let s = metrics::read_sample(&client, &ns_scope)
            .await
            .map_err(|e| e.to_string())?;
        (s.source == MetricsSource::MetricsApi)
            .then_some(())
            .ok_or_else(|| format!("{:?}", s.source))
    })
    .await;
    assert!(
        back.is_ok(),
        "metrics.k8s.io is used again once restored: {back:?}"
    );
}
