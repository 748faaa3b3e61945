//! Live views as the UI receives them (columns, snapshot, deltas of projected
//! rows) on the real cluster: several namespaces merged into one table, and a
//! custom resource rendered with the server's printer columns.

mod table_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::rows::{Cell, Row};
use capstan_kube::table::{check_listable, open_live_view, LiveSink, LiveSpec, ViewEvent};
use capstan_test_support::TestCluster;
use table_support::{client, kind};

/// The UI's model of a view.
#[derive(Default)]
struct Ui {
    columns: Vec<String>,
    rows: BTreeMap<String, Row>,
    order: Vec<&'static str>,
    problems: Vec<String>,
}

#[derive(Default)]
struct UiSink(Mutex<Ui>);

impl LiveSink for UiSink {
    fn send(&self, event: ViewEvent) -> bool {
        let mut ui = self.0.lock().expect("ui");
        match event {
            ViewEvent::Columns { columns } => {
                ui.order.push("columns");
                ui.columns = columns.into_iter().map(|c| c.name).collect();
            }
            ViewEvent::Snapshot { rows } => {
                ui.order.push("snapshot");
                ui.rows = rows.into_iter().map(|r| (r.uid.clone(), r)).collect();
            }
            ViewEvent::Deltas { upserts, deletes } => {
                if ui.columns.is_empty() {
                    ui.problems.push("deltas before columns".into());
                }
                for r in upserts {
                    if r.cells.len() != ui.columns.len() {
                        ui.problems
                            .push(format!("{} has {} cells", r.name, r.cells.len()));
                    }
                    ui.rows.insert(r.uid.clone(), r);
                }
                for uid in deletes {
                    ui.rows.remove(&uid);
                }
            }
            ViewEvent::Status { .. } => {}
        }
        true
    }
}

impl UiSink {
    fn names(&self) -> Vec<String> {
        let ui = self.0.lock().expect("ui");
        let mut names: Vec<String> = ui
            .rows
            .values()
            .map(|r| format!("{}/{}", r.namespace.clone().unwrap_or_default(), r.name))
            .collect();
        names.sort();
        names
    }
}

fn kubectl_names(cluster: &TestCluster, args: &[&str]) -> Vec<String> {
    let out = cluster
        .kubectl_ok(args.iter().copied().chain([
            "-o",
            "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}",
        ]))
        .expect("kubectl get");
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pods_of_two_namespaces_merge_and_follow_changes() {
    let cluster = TestCluster::get();
    let (client, context) = client().await;
    let pods = kind(&client, &context, "pods").await;
    let guard = capstan_test_support::TestNamespace::create("live-merge");
    let ns = guard.name.as_str();

    let spec = LiveSpec {
        kind: pods,
        namespaces: vec!["capstan-demo".into(), "capstan-jobs".into(), ns.into()],
        label_selector: None,
    };
    check_listable(&client, &context, &spec)
        .await
        .expect("listable");
    let sink = Arc::new(UiSink::default());
    let view = open_live_view(client.clone(), &context, spec, sink.clone());

    // capstan-jobs has a CronJob whose pods come and go: kubectl is asked
    // again on every poll, so the view is compared with the cluster as it is.
    let expected = || {
        let mut all = kubectl_names(cluster, &["get", "pods", "-n", "capstan-demo"]);
        all.extend(kubectl_names(
            cluster,
            &["get", "pods", "-n", "capstan-jobs"],
        ));
        all.sort();
        all
    };
    assert!(
        cluster.wait_until(Duration::from_secs(60), || sink.names() == expected()),
        "view {:?} != kubectl {:?}",
        sink.names(),
        expected()
    );
    {
        let ui = sink.0.lock().expect("ui");
        assert_eq!(ui.order.first().copied(), Some("columns"));
        assert_eq!(
            ui.columns[..5],
            ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        );
        assert!(ui.problems.is_empty(), "{:?}", ui.problems);
    }

    cluster
        .kubectl_ok([
            "run",
            "joiner",
            "-n",
            ns,
            "--image=capstan.local/busybox:1",
            "--image-pull-policy=Never",
            "--restart=Never",
            "--",
            "sleep",
            "3600",
        ])
        .expect("run pod");
    let joined = format!("{ns}/joiner");
    assert!(
        cluster.wait_until(Duration::from_secs(30), || sink.names().contains(&joined)),
        "new pod never showed: {:?}",
        sink.names()
    );
    cluster
        .kubectl_ok([
            "delete",
            "pod",
            "joiner",
            "-n",
            ns,
            "--wait=true",
            "--grace-period=0",
            "--force",
        ])
        .expect("delete pod");
    assert!(
        cluster.wait_until(Duration::from_secs(30), || !sink.names().contains(&joined)),
        "deleted pod stayed: {:?}",
        sink.names()
    );
    assert!(
        cluster.wait_until(Duration::from_secs(60), || view.len() == expected().len()),
        "view holds {} rows, kubectl {:?}",
        view.len(),
        expected()
    );
    drop(view);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_resources_use_the_servers_printer_columns() {
    let cluster = TestCluster::get();
    let (client, context) = client().await;
    let widgets = kind(&client, &context, "widgets").await;
    let spec = LiveSpec {
        kind: widgets,
        namespaces: vec!["capstan-demo".into()],
        label_selector: None,
    };
    let sink = Arc::new(UiSink::default());
    let _view = open_live_view(client.clone(), &context, spec, sink.clone());
    assert!(
        cluster.wait_until(Duration::from_secs(30), || sink.names().len() == 2),
        "widgets never listed: {:?}",
        sink.names()
    );
    // kubectl's columns and cells for the same objects.
    let table = cluster
        .kubectl_ok([
            "get",
            "widgets",
            "-n",
            "capstan-demo",
            "--no-headers",
            "-o",
            "custom-columns=N:.metadata.name,S:.spec.size,C:.spec.color",
        ])
        .expect("kubectl widgets");
    let ui = sink.0.lock().expect("ui");
    assert_eq!(ui.columns, ["NAME", "SIZE", "COLOR", "AGE"]);
    for line in table.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let row = ui
            .rows
            .values()
            .find(|r| r.name == f[0])
            .unwrap_or_else(|| panic!("{} missing", f[0]));
        assert_eq!(row.cells[0], Cell::Text { text: f[0].into() });
        assert_eq!(
            row.cells[1],
            Cell::Number {
                value: f[1].parse().expect("size")
            }
        );
        assert_eq!(row.cells[2], Cell::Text { text: f[2].into() });
        assert!(
            matches!(row.cells[3], Cell::Age { since_ms: Some(_) }),
            "{:?}",
            row.cells[3]
        );
    }
    assert!(ui.problems.is_empty(), "{:?}", ui.problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_label_selector_is_an_error_before_the_view_opens() {
    let (client, context) = client().await;
    let pods = kind(&client, &context, "pods").await;
    let spec = LiveSpec {
        kind: pods,
        namespaces: vec![],
        label_selector: Some("app in (".into()),
    };
    let err = check_listable(&client, &context, &spec)
        .await
        .expect_err("bad selector");
    assert!(err.to_string().contains("pods"), "{err}");
}
