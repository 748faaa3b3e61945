//! Healing: a service forward follows its pods through a pod deletion and a
//! rollout, on the same local port; a plain pod forward reports "target
//! gone" and comes back when a pod of that name does.

mod forward_support;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardState, PortMapping, TargetRef,
};
use capstan_test_support::TestCluster;
use forward_support::*;
use tokio::io::AsyncWriteExt;

/// At most this many new connections (one a second) until one is served
/// by a pod outside `old`.
const TRIES: u32 = 60;

fn echo_pods(ns: &str) -> BTreeSet<String> {
    let v = TestCluster::get()
        .kubectl_json(["-n", ns, "get", "pods", "-l", "app=echo"])
        .expect("pods");
    v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["metadata"]["name"].as_str().map(String::from))
        .collect()
}

/// New connections until one is answered by a pod not in `old`; returns
/// that pod and how many tries it took.
async fn served_by_new_pod(addr: SocketAddr, old: &BTreeSet<String>) -> (String, u32) {
    for i in 1..=TRIES {
        match http_get(addr).await {
            Ok(pod) if !old.contains(&pod) => return (pod, i),
            Ok(_) | Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
    panic!("no new pod served {addr} within {TRIES} connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_forward_follows_deleted_and_rolled_pods() {
    let ns = ns("heal");
    echo_workload(&ns.name, 1);
    wait_deployment(&ns.name, "echo");
    let registry = ForwardRegistry::new();
    let sink = Recorder::new();
    let st = registry
        .start(
            client().await,
            &ns.name,
            TargetRef::parse("svc/echo").expect("target"),
            vec![
                PortMapping::parse(":web").expect("port"),
                PortMapping::parse(":echo").expect("port"),
            ],
            ForwardOptions::default(),
            sink.clone(),
        )
        .await
        .expect("start");
    let listeners = st.listeners.clone();
    let web = listeners
        .iter()
        .find(|l| l.remote == 8080)
        .expect("web")
        .local;
    let echo = listeners
        .iter()
        .find(|l| l.remote == 7000)
        .expect("echo")
        .local;
    let first = http_get(web).await.expect("first get");
    assert_eq!(Some(first.as_str()), st.pod.as_deref());
    echo_roundtrip(echo, 4096, 1).await.expect("echo before");

    // A connection open while the pod is deleted.
    let mut open = tokio::net::TcpStream::connect(echo).await.expect("connect");
    open.write_all(b"in flight").await.expect("write");

    let old = echo_pods(&ns.name);
    let ns_name = ns.name.clone();
    let victim = first.clone();
    tokio::task::spawn_blocking(move || TestCluster::get().delete_pod(&ns_name, &victim))
        .await
        .expect("delete");
    let (second, tries) = served_by_new_pod(web, &old).await;
    println!("after delete: served by {second} after {tries} connection(s)");
    echo_roundtrip(echo, 1 << 20, 2)
        .await
        .expect("echo through the replacement");
    drop(open);

    // Rolling restart: the controllers replace the pod again.
    let old = echo_pods(&ns.name);
    TestCluster::get()
        .kubectl_ok(["-n", &ns.name, "rollout", "restart", "deployment/echo"])
        .expect("restart");
    wait_deployment(&ns.name, "echo");
    let (third, tries) = served_by_new_pod(web, &old).await;
    println!("after rollout: served by {third} after {tries} connection(s)");
    echo_roundtrip(echo, 1 << 20, 3)
        .await
        .expect("echo after the rollout");

    let now = registry.list().remove(0);
    assert_eq!(now.listeners, listeners, "local ports never change");
    assert_eq!(now.state, ForwardState::Active);
    let seen: Vec<ForwardState> = sink
        .statuses
        .lock()
        .expect("lock")
        .iter()
        .map(|s| s.state)
        .collect();
    assert!(seen.contains(&ForwardState::Reconnecting), "{seen:?}");
    registry.stop_all();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_forward_reports_target_gone_then_heals_by_name() {
    let ns = ns("gone");
    plain_pod(&ns.name, "plain");
    wait_ready_pod(&ns.name, "plain");
    let registry = ForwardRegistry::new();
    let sink = Recorder::new();
    let st = registry
        .start(
            client().await,
            &ns.name,
            TargetRef::parse("pod/plain").expect("target"),
            vec![PortMapping::parse(":http").expect("port")],
            ForwardOptions::default(),
            sink.clone(),
        )
        .await
        .expect("start");
    let web = st.listeners[0].local;
    assert_eq!(http_get(web).await.expect("get"), "plain");

    let ns_name = ns.name.clone();
    tokio::task::spawn_blocking(move || TestCluster::get().delete_pod(&ns_name, "plain"))
        .await
        .expect("delete");
    assert!(
        wait(T, || registry.list()[0].state == ForwardState::Reconnecting
            && registry.list()[0]
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("target gone")))
        .await,
        "reasons: {:?}",
        sink.reasons()
    );

    // A pod of the same name (as a StatefulSet would make) is picked up.
    plain_pod(&ns.name, "plain");
    wait_ready_pod(&ns.name, "plain");
    let mut ok = false;
    for _ in 0..TRIES {
        if http_get(web).await.is_ok_and(|b| b == "plain") {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(ok, "the recreated pod serves the same local port");
    assert_eq!(registry.list()[0].listeners, st.listeners);
    assert!(wait(T, || registry.list()[0].state == ForwardState::Active).await);
    registry.stop_all();
}
