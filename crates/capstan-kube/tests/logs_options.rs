//! tail, since, timestamps, previous and container choice give what
//! `kubectl logs` gives for the same pod.

mod logs_support;

use capstan_kube::logs::{open_logs, ContainerChoice, LogOptions, LogTarget};
use capstan_test_support::TestCluster;
use logs_support::*;

async fn ours(client: &kube::Client, ns: &str, edit: impl FnOnce(&mut LogOptions)) -> Vec<String> {
    let mut options = LogOptions::new(ns);
    edit(&mut options);
    let sink = Recorder::new();
    let handle = open_logs(
        client.clone(),
        LogTarget::Pod { name: "two".into() },
        options,
        sink.clone(),
    )
    .expect("open");
    handle.finished().await;
    assert!(sink.with(|r| r.done), "session ends when not following");
    if let Some(e) = sink.with(|r| r.error.clone()) {
        panic!("session error: {e}");
    }
    sink.texts(None)
}

fn kubectl(ns: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["-n", ns, "logs", "two"];
    all.extend_from_slice(args);
    TestCluster::get()
        .kubectl_ok(all)
        .expect("kubectl logs")
        .lines()
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_match_kubectl() {
    let cluster = TestCluster::get();
    let client = client().await;
    let ns = ns("options");
    counter_pod(&ns.name, "two", "", &[("a", Some(300)), ("b", Some(50))]);
    wait_running(&ns.name, "two");
    assert!(
        cluster.wait_until(T, || kubectl(&ns.name, &["-c", "a", "--tail", "1"])
            == ["a-299"]
            && kubectl(&ns.name, &["-c", "b", "--tail", "1"]) == ["b-49"])
    );
    let ns = ns.name.as_str();

    let tail = ours(&client, ns, |o| o.tail_lines = Some(20)).await;
    assert_eq!(
        tail,
        kubectl(ns, &["-c", "a", "--tail", "20"]),
        "default container, tail"
    );
    assert_eq!(tail.len(), 20);

    let all = ours(&client, ns, |o| o.tail_lines = None).await;
    assert_eq!(all, kubectl(ns, &["-c", "a"]));
    assert_eq!(all.len(), 300);

    let since = ours(&client, ns, |o| {
        o.tail_lines = None;
        o.since_seconds = Some(3600);
    })
    .await;
    assert_eq!(since, kubectl(ns, &["-c", "a", "--since", "1h"]));

    let stamped = ours(&client, ns, |o| {
        o.tail_lines = Some(10);
        o.timestamps = true;
    })
    .await;
    assert_eq!(
        stamped,
        kubectl(ns, &["-c", "a", "--tail", "10", "--timestamps"])
    );

    let named = ours(&client, ns, |o| {
        o.tail_lines = None;
        o.container = ContainerChoice::Named { name: "b".into() };
    })
    .await;
    assert_eq!(named, kubectl(ns, &["-c", "b"]));

    let mut both = ours(&client, ns, |o| {
        o.tail_lines = None;
        o.container = ContainerChoice::All;
    })
    .await;
    let mut theirs = kubectl(ns, &["--all-containers"]);
    both.sort();
    theirs.sort();
    assert_eq!(both, theirs);
    assert_eq!(both.len(), 350);

    // previous: after b is killed and restarted, its first instance's log.
    let ns_owned = ns.to_string();
    tokio::task::spawn_blocking(move || {
        TestCluster::get().kill_container(&ns_owned, "two", Some("b"))
    })
    .await
    .expect("kill");
    let previous = ours(&client, ns, |o| {
        o.tail_lines = None;
        o.previous = true;
        o.container = ContainerChoice::Named { name: "b".into() };
    })
    .await;
    assert_eq!(previous, kubectl(ns, &["-c", "b", "--previous"]));
    assert_eq!(previous.len(), 50);

    // A container the pod lacks is a session error, as in kubectl.
    let mut options = LogOptions::new(ns);
    options.container = ContainerChoice::Named {
        name: "nope".into(),
    };
    let sink = Recorder::new();
    let handle = open_logs(
        client.clone(),
        LogTarget::Pod { name: "two".into() },
        options,
        sink.clone(),
    )
    .expect("open");
    handle.finished().await;
    let error = sink.with(|r| r.error.clone()).expect("an error");
    assert!(error.contains("nope"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_lines_and_ansi_pass_through() {
    let client = client().await;
    let ns = ns("long");
    // One 1 MiB line, then a coloured one.
    let pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "two", "namespace": ns.name},
        "spec": {"terminationGracePeriodSeconds": 1, "containers": [{
            "name": "a", "image": "capstan.local/busybox:1", "imagePullPolicy": "Never",
            "command": ["sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x; echo; printf '\\033[31mred\\033[0m\\n'; exec sleep 100000"],
        }]},
    });
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), pod.to_string()).expect("write");
    TestCluster::get()
        .kubectl_ok(["apply", "-f", &file.path().to_string_lossy()])
        .expect("apply");
    wait_running(&ns.name, "two");
    let cluster = TestCluster::get();
    assert!(cluster.wait_until(T, || kubectl(&ns.name, &["--tail", "1"])
        .last()
        .is_some_and(|l| l.contains("red"))));
    let ours = ours(&client, &ns.name, |o| o.tail_lines = None).await;
    let theirs = kubectl(&ns.name, &[]);
    let shape = |v: &[String]| {
        v.iter()
            .map(|l| (l.len(), l.chars().filter(|c| *c != 'x').count()))
            .collect::<Vec<_>>()
    };
    assert!(
        ours == theirs,
        "ours {:?} kubectl {:?}",
        shape(&ours),
        shape(&theirs)
    );
    assert_eq!(ours.last().map(String::as_str), Some("\x1b[31mred\x1b[0m"));
    let long: usize = ours.iter().map(String::len).max().unwrap_or(0);
    assert!(
        long >= 1_048_576 / 2,
        "long line arrives (the runtime may split it): {long}"
    );

    // Download writes the same bytes kubectl shows.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("two.log");
    let mut last = 0;
    let bytes =
        capstan_kube::logs::download_log(client, &ns.name, "two", "a", false, &path, |n| last = n)
            .await
            .expect("download");
    assert_eq!(bytes, last);
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.lines().map(str::to_string).collect::<Vec<_>>(), theirs);
}
