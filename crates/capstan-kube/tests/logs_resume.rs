//! A followed stream survives an API server restart and a container restart
//! without duplicated or lost lines.

mod logs_support;

use capstan_kube::logs::{open_logs, LogOptions, LogTarget, MarkerKind};
use capstan_test_support::TestCluster;
use logs_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumes_after_apiserver_restart_and_container_kill() {
    let cluster = TestCluster::get();
    let client = client().await;
    let ns = ns("resume");
    counter_pod(&ns.name, "counter", "", &[("c", None)]);
    wait_running(&ns.name, "counter");

    let mut options = LogOptions::new(&ns.name);
    options.follow = true;
    options.tail_lines = None;
    let sink = Recorder::new();
    let handle = open_logs(
        client,
        LogTarget::Pod {
            name: "counter".into(),
        },
        options,
        sink.clone(),
    )
    .expect("open");
    assert!(
        wait(T, || sink.texts(None).len() > 100).await,
        "first lines"
    );

    tokio::task::spawn_blocking(|| {
        let cluster = TestCluster::get();
        let _only_us = cluster.exclusive();
        cluster.restart_apiserver();
    })
    .await
    .expect("restart");
    let before = sink.texts(None).len();
    assert!(
        wait(T, || sink.texts(None).len() > before + 300).await,
        "lines after the API server restart"
    );
    let markers = sink.markers_of(0);
    assert!(
        markers
            .iter()
            .any(|m| matches!(m, MarkerKind::Resumed { .. })),
        "a resume marker: {markers:?}"
    );
    let runs = assert_runs(&counters(&sink.texts(None), "c"));
    assert_eq!(runs.len(), 1, "one container instance so far");

    let ns_name = ns.name.clone();
    tokio::task::spawn_blocking(move || {
        TestCluster::get().kill_container(&ns_name, "counter", None)
    })
    .await
    .expect("kill");
    assert!(
        wait(T, || assert_runs_len(&sink) == 2
            && counters(&sink.texts(None), "c")
                .last()
                .is_some_and(|&v| v > 100))
        .await,
        "lines of the restarted container"
    );
    let runs = assert_runs(&counters(&sink.texts(None), "c"));
    assert_eq!(runs.len(), 2, "{runs:?}");
    let markers = sink.markers_of(0);
    assert!(
        markers
            .iter()
            .any(|m| matches!(m, MarkerKind::ContainerRestarted { .. })),
        "{markers:?}"
    );
    // The restarted container's lines all come after the first one's.
    let server_restarts = cluster
        .kubectl_ok([
            "-n",
            &ns.name,
            "get",
            "pod",
            "counter",
            "-o",
            "jsonpath={.status.containerStatuses[0].restartCount}",
        ])
        .expect("restart count");
    assert_eq!(server_restarts.trim(), "1");
    handle.cancel();
}

fn assert_runs_len(sink: &Recorder) -> usize {
    assert_runs(&counters(&sink.texts(None), "c")).len()
}
