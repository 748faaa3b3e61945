//! Cordon/uncordon, evict and a drain limited to the test's namespace,
//! against the real cluster. A binary of its own: while the one node is
//! cordoned, no other test's pods could be scheduled.

mod objects_support;

use std::time::Duration;

use capstan_kube::objects::{self, DrainOptions};
use capstan_test_support::TestCluster;
use objects_support::*;

const NODE: &str = "capstan-node";

/// Uncordons the shared node however the test ends.
struct Uncordon;

impl Drop for Uncordon {
    fn drop(&mut self) {
        let _ = TestCluster::get().kubectl(["uncordon", NODE]);
    }
}

fn unschedulable() -> bool {
    kubectl_json(&["get", "node", NODE])["spec"]["unschedulable"].as_bool() == Some(true)
}

/// Cordon, evict and drain share the one node: one test, kept short, the
/// drain limited to this test's namespace.
#[tokio::test]
async fn cordon_evict_and_drain_within_a_namespace() {
    let (client, ctx) = client().await;
    let ns = ns("drain");
    kubectl_apply(&ns.name, &deployment_yaml("web", 1));
    kubectl_apply(&ns.name, &bare_pod_yaml("bare"));
    kubectl_apply(&ns.name, &bare_pod_yaml("victim"));
    rollout(&ns.name, "web");
    kubectl(&[
        "-n",
        &ns.name,
        "wait",
        "--for=condition=Ready",
        "pod/bare",
        "pod/victim",
        "--timeout=120s",
    ]);

    // Evict one pod directly (the Eviction version is discovered).
    objects::evict(&client, &ctx, &ns.name, "victim")
        .await
        .expect("evict");
    let c = TestCluster::get();
    assert!(
        c.wait_until(Duration::from_secs(180), || !names(&ns.name, "pods")
            .contains(&"victim".to_string()))
    );

    let _guard = Uncordon;
    objects::set_unschedulable(&client, &ctx, NODE, true)
        .await
        .expect("cordon");
    assert!(unschedulable());
    objects::set_unschedulable(&client, &ctx, NODE, false)
        .await
        .expect("uncordon");
    assert!(!unschedulable());

    let opts = DrainOptions {
        namespace: Some(ns.name.clone()),
        // The kubelet's clean-up of an evicted pod has taken over a minute
        // on a loaded 2-core machine (as with delete_pod).
        timeout: Duration::from_secs(180),
        ..DrainOptions::default()
    };
    // The unmanaged pod stops a drain without force; nothing is evicted.
    let e = objects::drain(&client, &ctx, NODE, &opts)
        .await
        .expect_err("should fail");
    assert!(e.to_string().contains("bare"), "{e}");
    assert!(names(&ns.name, "pods").contains(&"bare".to_string()));
    let web_pods: Vec<String> = names(&ns.name, "pods")
        .into_iter()
        .filter(|n| n.starts_with("web-"))
        .collect();

    let report = objects::drain(
        &client,
        &ctx,
        NODE,
        &DrainOptions {
            force: true,
            ..opts
        },
    )
    .await
    .expect("drain");
    assert!(unschedulable(), "drain leaves the node cordoned");
    objects::set_unschedulable(&client, &ctx, NODE, false)
        .await
        .expect("uncordon");
    let mut evicted = report.evicted.clone();
    evicted.sort();
    let mut want: Vec<String> = web_pods
        .iter()
        .map(|p| format!("{}/{p}", ns.name))
        .collect();
    want.push(format!("{}/bare", ns.name));
    want.sort();
    assert_eq!(evicted, want);
    // drain waits until the evicted pods are gone.
    let left = names(&ns.name, "pods");
    assert!(!left.contains(&"bare".to_string()));
    assert!(web_pods.iter().all(|p| !left.contains(p)), "{left:?}");
}
