//! The test cluster and its fault helpers, exercised for real. The helpers
//! disturb the shared cluster, so every test here holds `exclusive()`.

use std::time::{Duration, Instant};

use capstan_test_support::{TestCluster, DEMO_NAMESPACE};

/// A running web pod that is not being deleted.
fn web_pod(c: &TestCluster) -> String {
    let pods = c
        .kubectl_json(["-n", DEMO_NAMESPACE, "get", "pods", "-l", "app=web"])
        .expect("list web pods");
    pods["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["status"]["phase"] == "Running" && p["metadata"]["deletionTimestamp"].is_null())
        .and_then(|p| p["metadata"]["name"].as_str())
        .expect("a running web pod")
        .to_string()
}

#[test]
fn both_users_reach_the_cluster() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    assert!(c.server_url().starts_with("https://"), "{}", c.server_url());
    assert!(c.ca_path().is_file(), "{}", c.ca_path().display());
    let nodes = c.kubectl_json(["get", "nodes"]).expect("admin lists nodes");
    assert_eq!(nodes["items"].as_array().map(Vec::len), Some(1));
    let out = std::process::Command::new(c.kubectl_path())
        .arg("--kubeconfig")
        .arg(c.token_kubeconfig_path())
        .args(["get", "secrets", "-n", DEMO_NAMESPACE, "-o", "name"])
        .output()
        .expect("run kubectl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = String::from_utf8_lossy(&out.stdout);
    for s in [
        "demo-opaque",
        "demo-tls",
        "demo-registry",
        "demo-sa-token",
        "sh.helm.release.v1.demo.v1",
    ] {
        assert!(
            names.contains(&format!("secret/{s}")),
            "{s} missing in {names}"
        );
    }
}

#[test]
fn apiserver_restart_then_healthy() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    let before = c
        .kubectl_json(["get", "namespace", "default"])
        .expect("get ns");
    c.restart_apiserver();
    assert!(c.is_ready(), "API server ready after the restart");
    let after = c
        .kubectl_json(["get", "namespace", "default"])
        .expect("get ns");
    assert_eq!(
        before["metadata"]["uid"], after["metadata"]["uid"],
        "same cluster"
    );
}

#[test]
fn paused_apiserver_does_not_answer_then_recovers() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    std::thread::scope(|s| {
        let started = Instant::now();
        let pause = s.spawn(|| c.pause_apiserver(Duration::from_secs(5)));
        std::thread::sleep(Duration::from_millis(700));
        assert!(
            !c.ready_within(Duration::from_secs(2)),
            "a paused API server must not answer"
        );
        pause.join().expect("pause thread");
        assert!(started.elapsed() >= Duration::from_secs(5));
    });
    assert!(
        c.wait_until(Duration::from_secs(20), || c.is_ready()),
        "API server answers again after the pause"
    );
}

#[test]
fn compacted_etcd_answers_410_for_an_old_resource_version() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    let ns = DEMO_NAMESPACE;
    let name = format!("compact-{}", std::process::id());
    let cm = c
        .kubectl_json(["-n", ns, "create", "configmap", &name, "--from-literal=a=b"])
        .expect("create configmap");
    let old_rv = cm["metadata"]["resourceVersion"]
        .as_str()
        .expect("resourceVersion")
        .to_string();
    // Two writes after it, so that the compaction revision is past
    // old_rv + 1. (Compacting at exactly old_rv + 1 makes the 1.20 API server
    // answer 500 "etcd event received with PrevKv=nil" instead of 410.)
    for v in ["c", "d"] {
        let patch = format!(r#"{{"data":{{"a":"{v}"}}}}"#);
        c.kubectl_ok(["-n", ns, "patch", "configmap", &name, "-p", &patch])
            .expect("patch configmap");
    }
    let watch = format!(
        "/api/v1/namespaces/{ns}/configmaps?watch=1&timeoutSeconds=2&resourceVersion={old_rv}"
    );
    // Before the compaction the old resourceVersion is still served.
    let out = c.kubectl_ok(["get", "--raw", &watch]).expect("watch");
    assert!(!out.contains("\"code\":410"), "{out}");

    let rev = c.compact_etcd();
    assert!(rev > old_rv.parse::<u64>().expect("numeric resourceVersion"));
    let out = c.kubectl_ok(["get", "--raw", &watch]).expect("watch");
    assert!(out.contains("\"code\":410"), "expected 410 Gone, got {out}");
    c.kubectl_ok(["-n", ns, "delete", "configmap", &name])
        .expect("delete configmap");
}

#[test]
fn killed_container_restarts_with_previous_logs() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    let pod = web_pod(c);
    let restarts = |c: &TestCluster| -> u64 {
        let p = c
            .kubectl_json(["-n", DEMO_NAMESPACE, "get", "pod", &pod])
            .expect("get pod");
        p["status"]["containerStatuses"][0]["restartCount"]
            .as_u64()
            .expect("restartCount")
    };
    let before = restarts(c);
    c.kill_container(DEMO_NAMESPACE, &pod, Some("web"));
    assert!(restarts(c) > before);
    let previous = c
        .kubectl_ok(["-n", DEMO_NAMESPACE, "logs", &pod, "--previous", "--tail=3"])
        .expect("previous logs");
    assert!(previous.contains("line "), "{previous}");
}

#[test]
fn deleted_pod_is_replaced_and_scale_works() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    let pod = web_pod(c);
    c.delete_pod(DEMO_NAMESPACE, &pod);
    c.scale(DEMO_NAMESPACE, "deployment", "web", 3);
    let ready = |n: u64| {
        c.kubectl_json(["-n", DEMO_NAMESPACE, "get", "deployment", "web"])
            .map(|d| d["status"]["readyReplicas"].as_u64() == Some(n))
            .unwrap_or(false)
    };
    assert!(
        c.wait_until(Duration::from_secs(90), || ready(3)),
        "3 ready replicas"
    );
    c.scale(DEMO_NAMESPACE, "deployment", "web", 2);
    // Back to two pods, the third one gone (not just terminating).
    let two_pods = || {
        c.kubectl_json(["-n", DEMO_NAMESPACE, "get", "pods", "-l", "app=web"])
            .map(|p| p["items"].as_array().map(Vec::len) == Some(2))
            .unwrap_or(false)
    };
    assert!(
        c.wait_until(Duration::from_secs(90), || ready(2) && two_pods()),
        "back to 2"
    );
}

#[test]
fn cordon_and_pending_pods() {
    let c = TestCluster::get();
    let _guard = c.exclusive();
    c.cordon();
    let node = c.kubectl_json(["get", "nodes"]).expect("nodes");
    assert_eq!(node["items"][0]["spec"]["unschedulable"], true);
    c.uncordon();

    let ns = format!("capstan-pending-test-{}", std::process::id());
    c.seed_pending(300, &ns);
    let pods = c.kubectl_json(["-n", &ns, "get", "pods"]).expect("pods");
    let items = pods["items"].as_array().expect("items");
    assert_eq!(items.len(), 300);
    assert!(items.iter().all(|p| p["status"]["phase"] == "Pending"));
    c.kubectl_ok(["delete", "namespace", &ns, "--wait=false"])
        .expect("delete namespace");
}
