//! `capstan top pods|nodes` prints what the real `kubectl top` prints for
//! the same metrics-server sample: capstan, kubectl, capstan again; when
//! capstan's two outputs agree, no new sample came in between, and
//! kubectl's must be the same. A user who may read neither metrics source
//! gets the reasons.

mod common;

use std::time::Duration;

use capstan_test_support::{eventually_blocking, LimitedUser, TestCluster, TestNamespace};
use common::{capstan, capstan_command};

const BUSY: &str = "while :; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.2; done";

fn namespace() -> TestNamespace {
    let ns = TestNamespace::create(&format!("top-cli-{}", std::process::id()));
    let pod = |name: &str, containers: usize| {
        let cs: Vec<serde_json::Value> = (0..containers)
            .map(|i| {
                serde_json::json!({
                    "name": format!("c{i}"), "image": "capstan.local/busybox:1",
                    "imagePullPolicy": "Never", "command": ["sh", "-c", BUSY],
                })
            })
            .collect();
        serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns.name},
            "spec": {"terminationGracePeriodSeconds": 0, "containers": cs}})
    };
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [pod("one", 1), pod("two", 2)]});
    let file = std::env::temp_dir().join(format!("top-cli-{}.json", std::process::id()));
    std::fs::write(&file, list.to_string()).expect("write manifest");
    let cluster = TestCluster::get();
    cluster
        .kubectl_ok(["apply", "-f", &file.display().to_string()])
        .expect("apply pods");
    let _ = std::fs::remove_file(&file);
    cluster
        .kubectl_ok([
            "-n",
            &ns.name,
            "wait",
            "--for=condition=Ready",
            "pod/one",
            "pod/two",
            "--timeout=90s",
        ])
        .expect("pods ready");
    ns
}

/// kubectl pads its last column; capstan does not.
fn trimmed(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// capstan's and kubectl's output of one sample (`expect_lines` lines).
fn same_sample(
    capstan_args: &[&str],
    kubectl_args: &[&str],
    expect_lines: usize,
) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    eventually_blocking(Duration::from_secs(120), || {
        let first = capstan(&dir, capstan_args);
        let kubectl = TestCluster::get()
            .kubectl(kubectl_args)
            .map_err(|e| e.to_string())?;
        let second = capstan(&dir, capstan_args);
        if !first.status.success() {
            return Err(format!(
                "capstan failed: {}",
                String::from_utf8_lossy(&first.stderr)
            ));
        }
        let (a, b) = (trimmed(&first.stdout), trimmed(&second.stdout));
        if a.lines().count() != expect_lines {
            return Err(format!("not all figures yet:\n{a}"));
        }
        if a != b {
            return Err("metrics-server took a new sample meanwhile".into());
        }
        Ok((a, trimmed(&kubectl.stdout)))
    })
    .expect("capstan and kubectl saw one sample")
}

#[test]
fn top_pods_prints_what_kubectl_prints() {
    let ns = namespace();
    let (ours, kubectl) = same_sample(
        &["top", "pods", "-n", &ns.name],
        &["top", "pod", "-n", &ns.name],
        3,
    );
    assert_eq!(ours, kubectl);
    assert!(ours.starts_with("NAME"), "{ours}");

    let (ours, kubectl) = same_sample(
        &["top", "pods", "-n", &ns.name, "--containers"],
        &["top", "pod", "-n", &ns.name, "--containers"],
        4,
    );
    assert_eq!(ours, kubectl);
    assert!(ours.starts_with("POD"), "{ours}");
}

#[test]
fn top_nodes_prints_what_kubectl_prints() {
    let (ours, kubectl) = same_sample(&["top", "nodes"], &["top", "node"], 2);
    assert_eq!(ours, kubectl);
    assert!(ours.contains("capstan-node"), "{ours}");
}

#[test]
fn no_source_says_why() {
    let ns = TestNamespace::create(&format!("top-cli-denied-{}", std::process::id()));
    let user = LimitedUser::create(
        &ns.name,
        "reader",
        capstan_test_support::limited_user::READ_ONLY_RULES,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = capstan_command(&dir, &["top", "pods"])
        .env("KUBECONFIG", &user.kubeconfig)
        .output()
        .expect("run capstan");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no metrics source works"), "{err}");
    assert!(err.contains("metrics.k8s.io is forbidden"), "{err}");
    assert!(err.contains("Summary API is forbidden"), "{err}");
    assert!(err.contains("nodes/proxy"), "{err}");
    assert!(out.stdout.is_empty());
}
