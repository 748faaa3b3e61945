//! A selector streams every matching pod: pods added later join, deleted
//! pods end with a marker, lines are tagged per source and merged by time.

mod logs_support;

use std::sync::atomic::Ordering;

use capstan_kube::logs::{open_logs, LogOptions, LogTarget, MarkerKind};
use capstan_test_support::TestCluster;
use logs_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pods_join_and_leave_a_followed_selector() {
    let client = client().await;
    let ns = ns("multi");
    counter_pod(&ns.name, "p1", "app=multi", &[("c", None)]);
    counter_pod(&ns.name, "p2", "app=multi", &[("c", None)]);
    wait_running(&ns.name, "p1");
    wait_running(&ns.name, "p2");

    let mut options = LogOptions::new(&ns.name);
    options.follow = true;
    let sink = Recorder::new();
    let _handle = open_logs(
        client,
        LogTarget::Selector {
            selector: "app=multi".into(),
        },
        options,
        sink.clone(),
    )
    .expect("open");
    let has_lines = |pod: &str| {
        sink.source_of(pod, "c")
            .is_some_and(|s| sink.texts(Some(s)).len() > 20)
    };
    assert!(wait(T, || has_lines("p1") && has_lines("p2")).await);

    counter_pod(&ns.name, "p3", "app=multi", &[("c", None)]);
    assert!(
        wait(T, || has_lines("p3")).await,
        "a pod created later joins"
    );

    // What is tested is the stream ending when the container is killed, not
    // the kubelet's clean-up afterwards (which has taken over a minute).
    let ns_name = ns.name.clone();
    tokio::task::spawn_blocking(move || TestCluster::get().start_pod_deletion(&ns_name, "p1"))
        .await
        .expect("delete");
    let p1 = sink.source_of("p1", "c").expect("p1 source");
    assert!(
        wait(T, || sink
            .markers_of(p1)
            .iter()
            .any(|m| matches!(m, MarkerKind::Ended { .. })))
        .await,
        "deleted pod ends: {:?}",
        sink.markers_of(p1)
    );
    // The others keep streaming.
    let p2 = sink.source_of("p2", "c").expect("p2");
    let n = sink.texts(Some(p2)).len();
    assert!(wait(T, || sink.texts(Some(p2)).len() > n + 50).await);

    // Indices are small, distinct and stable; each source's lines are a
    // gap-free counter (nothing lost or repeated while merging).
    let indices: Vec<u32> = sink.with(|r| r.sources.iter().map(|s| s.index).collect());
    assert_eq!(indices, [0, 1, 2]);
    for s in indices {
        let values = counters(&sink.texts(Some(s)), "c");
        let first = values.first().copied().unwrap_or(0);
        for (i, v) in values.iter().enumerate() {
            assert_eq!(*v, first + i as u64, "source {s} line {i}");
        }
    }
    // Live lines are merged by time within the hold window: per source the
    // stamps never go back.
    sink.with(|r| {
        for s in 0..3u32 {
            let times: Vec<jiff::Timestamp> = r
                .lines
                .iter()
                .filter(|l| l.source == s)
                .filter_map(|l| l.time.as_deref()?.parse().ok())
                .collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "source {s}");
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_of_several_pods_comes_out_in_time_order() {
    let client = client().await;
    let ns = ns("order");
    // 200 lines over about 20 s each: the two pods run at the same time even
    // when one starts seconds after the other on a loaded node.
    counter_pod_every(&ns.name, "a", "app=order", &[("x", Some(200))], "0.1");
    counter_pod_every(&ns.name, "b", "app=order", &[("y", Some(200))], "0.1");
    wait_running(&ns.name, "a");
    wait_running(&ns.name, "b");
    let cluster = TestCluster::get();
    assert!(cluster.wait_until(2 * T, || {
        ["a", "b"].iter().all(|p| {
            cluster
                .kubectl_ok(["-n", &ns.name, "logs", p, "--tail", "1"])
                .is_ok_and(|o| o.contains("-199"))
        })
    }));

    let mut options = LogOptions::new(&ns.name);
    options.tail_lines = None;
    options.timestamps = true;
    let sink = Recorder::new();
    let handle = open_logs(
        client,
        LogTarget::Selector {
            selector: "app=order".into(),
        },
        options,
        sink.clone(),
    )
    .expect("open");
    handle.finished().await;
    sink.with(|r| {
        assert!(r.done && r.error.is_none(), "{:?}", r.error);
        assert_eq!(r.lines.len(), 400);
        let times: Vec<jiff::Timestamp> = r
            .lines
            .iter()
            .map(|l| l.time.as_deref().expect("stamp").parse().expect("time"))
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "merged by time");
        // Both pods interleave (they ran at the same time).
        let switches = r
            .lines
            .windows(2)
            .filter(|w| w[0].source != w[1].source)
            .count();
        assert!(switches > 10, "{switches}");
        // timestamps on: the text keeps the stamp.
        assert!(r.lines[0]
            .text
            .starts_with(r.lines[0].time.as_deref().expect("t")));
    });
}

/// The API server answers 404 for a pod its node cannot serve yet (the
/// kubelet has not been given it). That is not "deleted": the stream waits,
/// and ends only when the pod really goes. A pod bound to a node that does
/// not exist gives that 404 every time, so the race is made deterministic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_its_node_does_not_have_yet_is_waited_for() {
    // Counts the stream's reads of the pod object: after the log request's
    // 404 it asks the pod, again and again while the pod is there.
    let (client, pod_reads) = cluster_client::counting_client("/pods/early").await;
    let ns = ns("unbound");
    let pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "early", "namespace": ns.name},
        "spec": {
            "nodeName": "capstan-no-such-node",
            "containers": [{"name": "c", "image": "capstan.local/busybox:1",
                            "imagePullPolicy": "Never"}],
        },
    });
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), pod.to_string()).expect("write");
    let cluster = TestCluster::get();
    cluster
        .kubectl_ok(["apply", "-f", &file.path().to_string_lossy()])
        .expect("create pod");
    let probe = cluster
        .kubectl(["-n", &ns.name, "logs", "early"])
        .expect("kubectl");
    assert!(
        String::from_utf8_lossy(&probe.stderr).contains("NotFound"),
        "the cluster answers 404 for this pod: {probe:?}"
    );

    let mut options = LogOptions::new(&ns.name);
    options.follow = true;
    let sink = Recorder::new();
    let _handle = open_logs(
        client,
        LogTarget::Pod {
            name: "early".into(),
        },
        options,
        sink.clone(),
    )
    .expect("open");
    assert!(wait(T, || sink.source_of("early", "c").is_some()).await);
    // The stream has looked at the pod several times since the 404: it had
    // every chance to end.
    assert!(
        wait(T, || pod_reads.load(Ordering::SeqCst) >= 4).await,
        "pod reads: {}",
        pod_reads.load(Ordering::SeqCst)
    );
    let pod_exists = || {
        cluster
            .kubectl(["-n", &ns.name, "get", "pod", "early"])
            .is_ok_and(|o| o.status.success())
    };
    if sink.with(|r| r.done) {
        // Allowed only if the pod is really gone: the controller manager's
        // garbage collector removes pods of unknown nodes after about 40 s,
        // which a very slow run can reach.
        assert!(
            !pod_exists(),
            "ended while the pod exists: {:?}",
            sink.markers_of(0)
        );
    } else {
        sink.with(|r| {
            assert!(
                r.markers.is_empty() && r.error.is_none(),
                "still waiting: {:?} {:?}",
                r.markers,
                r.error
            );
        });
        cluster
            .kubectl_ok([
                "-n",
                &ns.name,
                "delete",
                "pod",
                "early",
                "--force",
                "--grace-period=0",
            ])
            .expect("delete");
    }
    assert!(wait(T, || sink.with(|r| r.done)).await, "ends once deleted");
    assert_eq!(
        sink.markers_of(0),
        [MarkerKind::Ended {
            reason: "pod deleted".into()
        }]
    );
}
