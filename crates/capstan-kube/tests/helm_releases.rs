//! Helm releases against the real cluster and the test world's helm 4: a
//! local busybox chart installed twice under different values (plus once
//! with the ConfigMap driver); what Capstan reads equals what helm prints,
//! the revision diff finds exactly the changes, and rollback, upgrade and
//! uninstall through Capstan change the cluster as helm reports.

#[allow(dead_code)] // only the loader is used here
#[path = "cluster_client/mod.rs"]
mod cluster_client;

use std::sync::Mutex;

use capstan_kube::helm::{self, ActionTarget, ChangeKind, HelmAction, OutputLine, OutputSink};
use capstan_test_support::helm::{Helm, HOW_TO_GET_HELM};
use capstan_test_support::{require, TestCluster, TestNamespace};
use serde_json::{json, Value};

const NS: &str = "capstan-helm-releases";

/// The rows a live release view shows now, by key.
#[derive(Default)]
struct Shown(Mutex<std::collections::BTreeMap<String, capstan_kube::rows::Row>>);
impl capstan_kube::table::LiveSink for Shown {
    fn send(&self, event: capstan_kube::table::ViewEvent) -> bool {
        use capstan_kube::table::ViewEvent;
        let mut rows = self.0.lock().expect("rows");
        match event {
            ViewEvent::Snapshot { rows: all } => {
                *rows = all.into_iter().map(|r| (r.uid.clone(), r)).collect();
            }
            ViewEvent::Deltas { upserts, deletes } => {
                for d in deletes {
                    rows.remove(&d);
                }
                for r in upserts {
                    rows.insert(r.uid.clone(), r);
                }
            }
            _ => {}
        }
        true
    }
}

impl Shown {
    fn revision(&self, key: &str) -> Result<i64, String> {
        let rows = self.0.lock().expect("rows");
        match rows.get(key).map(|r| &r.cells[2]) {
            Some(capstan_kube::rows::Cell::Number { value }) => Ok(*value),
            other => Err(format!("{key}: {other:?} in {:?}", rows.keys())),
        }
    }
}

struct Lines(Mutex<Vec<OutputLine>>);
impl OutputSink for Lines {
    fn line(&self, line: OutputLine) {
        self.0.lock().expect("lines").push(line);
    }
}

/// `2026-12-03 15:13:52.835514154 +0000 UTC` (helm list) -> Unix ms.
fn list_time_ms(text: &str) -> i64 {
    let iso = text.replacen(' ', "T", 1).replace(" +0000 UTC", "Z");
    iso.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("helm list time {text}: {e}"))
        .as_millisecond()
}

fn rfc3339_ms(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("time {text}: {e}"))
        .as_millisecond()
}

async fn client_and_loaded() -> (
    kube::Client,
    capstan_kube::contexts::LoadedKubeconfig,
    String,
) {
    let (loaded, context) = cluster_client::loaded_and_context();
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    (client, loaded, context)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn releases_read_in_rust_equal_helm_and_actions_change_the_cluster() {
    let Some(h) = require(Helm::find(), "helm 4 (the test world's)", HOW_TO_GET_HELM) else {
        return;
    };
    let ns = TestNamespace::create(NS);
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = h.busybox_chart(dir.path()).expect("busybox chart");
    let chart = chart.to_str().expect("utf-8");
    let n = ns.name.as_str();
    let user_b = dir.path().join("b.yaml");
    // Nested values, a list, and a null that deletes a chart default.
    std::fs::write(
        &user_b,
        "podAnnotations:\n  team: blue\nservice:\n  port: 8080\nlivenessProbe: null\ntolerations:\n- key: k\n  operator: Exists\n",
    )
    .expect("values");

    h.run(
        None,
        &["install", "ra", chart, "-n", n, "--set", "replicaCount=1"],
    )
    .expect("install ra");
    h.run(
        None,
        &[
            "upgrade",
            "ra",
            chart,
            "-n",
            n,
            "--set",
            "replicaCount=2",
            "--set",
            "service.port=81",
        ],
    )
    .expect("upgrade ra");
    h.run(
        None,
        &[
            "install",
            "rb",
            chart,
            "-n",
            n,
            "-f",
            user_b.to_str().expect("utf-8"),
        ],
    )
    .expect("install rb");
    h.run(
        Some("configmap"),
        &["install", "rc", chart, "-n", n, "--set", "replicaCount=0"],
    )
    .expect("install rc with the configmap driver");

    let (client, loaded, context) = client_and_loaded().await;

    // The list equals `helm list` (both drivers: helm is asked once per driver).
    let ours = helm::list_releases(&client, &context, &[n.to_string()])
        .await
        .expect("list");
    let mut theirs: Vec<Value> = Vec::new();
    for driver in ["secret", "configmap"] {
        let v = h
            .json(Some(driver), &["list", "-A", "-o", "json"])
            .expect("helm list");
        theirs.extend(
            v.as_array()
                .expect("a list")
                .iter()
                .filter(|r| r["namespace"] == n)
                .cloned(),
        );
    }
    theirs.sort_by_key(|r| r["name"].as_str().unwrap_or("").to_string());
    assert_eq!(ours.len(), 3, "{ours:?}");
    assert_eq!(ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(o.name, t["name"].as_str().expect("name"));
        assert_eq!(o.namespace, t["namespace"].as_str().expect("namespace"));
        assert_eq!(
            o.revision.to_string(),
            t["revision"].as_str().expect("revision")
        );
        assert_eq!(o.status, t["status"].as_str().expect("status"));
        assert_eq!(o.chart, t["chart"].as_str().expect("chart"));
        assert_eq!(
            o.app_version,
            t["app_version"].as_str().expect("app_version")
        );
        assert_eq!(
            o.updated_ms,
            Some(list_time_ms(t["updated"].as_str().expect("updated"))),
            "{}",
            o.name
        );
        assert_eq!(o.error, None);
    }

    // History, values, computed values and manifest equal helm's.
    for (name, driver) in [("ra", "secret"), ("rb", "secret"), ("rc", "configmap")] {
        let d = Some(driver);
        let ours = helm::history(&client, &context, n, name)
            .await
            .expect("history");
        let theirs = h
            .json(d, &["history", name, "-n", n, "-o", "json"])
            .expect("helm history");
        let theirs = theirs.as_array().expect("a list");
        assert_eq!(ours.len(), theirs.len(), "{name}");
        for (o, t) in ours.iter().zip(theirs) {
            assert_eq!(json!(o.revision), t["revision"], "{name}");
            assert_eq!(o.status, t["status"].as_str().expect("status"));
            assert_eq!(o.chart, t["chart"].as_str().expect("chart"));
            assert_eq!(
                o.app_version,
                t["app_version"].as_str().expect("app_version")
            );
            assert_eq!(
                o.description,
                t["description"].as_str().expect("description")
            );
            assert_eq!(
                o.updated_ms,
                Some(rfc3339_ms(t["updated"].as_str().expect("updated")))
            );
        }
        let details = helm::release_details(&client, &context, n, name, None)
            .await
            .expect("details");
        assert_eq!(
            Value::Object(details.user_values.clone()),
            h.json(d, &["get", "values", name, "-n", n, "-o", "json"])
                .expect("get values"),
            "{name}: user values"
        );
        assert_eq!(
            Value::Object(details.computed_values.clone()),
            h.json(d, &["get", "values", name, "-n", n, "--all", "-o", "json"])
                .expect("get values --all"),
            "{name}: computed values"
        );
        let manifest = h
            .run(d, &["get", "manifest", name, "-n", n])
            .expect("get manifest");
        assert_eq!(
            format!("{}\n", details.manifest),
            manifest,
            "{name}: manifest"
        );
        let kinds: Vec<String> = details.resources.iter().map(|r| r.key()).collect();
        assert!(
            kinds.contains(&format!("Deployment.apps {name}-demo")),
            "{kinds:?}"
        );
        assert!(kinds.contains(&format!("Service {name}-demo")), "{kinds:?}");
        assert!(
            details
                .hooks
                .iter()
                .any(|hk| hk.events == ["test"] && hk.kind == "Pod"),
            "helm create's test-connection hook"
        );
        assert_eq!(
            details.driver,
            if driver == "secret" {
                helm::Driver::Secret
            } else {
                helm::Driver::ConfigMap
            }
        );
    }

    // The diff between ra's revisions finds exactly what changed.
    let diff = helm::diff_revisions(&client, &context, n, "ra", 1, 2)
        .await
        .expect("diff");
    let values: Vec<(String, ChangeKind, Option<Value>, Option<Value>)> = diff
        .values
        .iter()
        .map(|c| (c.path.clone(), c.change, c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        values,
        vec![
            (
                "replicaCount".into(),
                ChangeKind::Changed,
                Some(json!(1)),
                Some(json!(2))
            ),
            (
                "service".into(),
                ChangeKind::Added,
                None,
                Some(json!({"port": 81}))
            ),
        ]
    );
    let resources: Vec<(String, ChangeKind, Vec<String>)> = diff
        .resources
        .iter()
        .map(|r| {
            (
                r.key.clone(),
                r.change,
                r.paths.iter().map(|p| p.path.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        resources,
        vec![
            (
                "Service ra-demo".into(),
                ChangeKind::Changed,
                vec!["spec.ports[0].port".into()]
            ),
            (
                "Deployment.apps ra-demo".into(),
                ChangeKind::Changed,
                vec![
                    "spec.replicas".into(),
                    "spec.template.spec.containers[0].ports[0].containerPort".into()
                ]
            ),
        ]
    );
    assert!(
        diff.manifest_text
            .contains("-  replicas: 1\n+  replicas: 2\n"),
        "{}",
        diff.manifest_text
    );
    assert!(
        diff.values_text.contains("+service:"),
        "{}",
        diff.values_text
    );

    // The live table shows each release once, at its newest revision.
    let shown = std::sync::Arc::new(Shown::default());
    let _view = helm::open_release_view(client.clone(), &[n.to_string()], shown.clone());
    let ra = format!("{n}/ra");
    let rc = format!("{n}/rc");
    capstan_test_support::eventually(std::time::Duration::from_secs(30), || async {
        let (a, c) = (shown.revision(&ra)?, shown.revision(&rc)?);
        capstan_test_support::holds(a == 2 && c == 1, &format!("ra {a}, rc {c}"))
    })
    .await
    .expect("the live table lists ra at 2 and rc (configmap) at 1");

    // Rollback through Capstan: helm reports revision 3 "Rollback to 1" and
    // the deployment is back to one replica.
    let target = ActionTarget {
        helm: &h.path,
        kubeconfig: &loaded,
        context: &context,
        namespace: n,
        release: "ra",
    };
    let lines = Lines(Mutex::new(Vec::new()));
    let outcome = helm::run_action(
        &client,
        &target,
        &HelmAction::Rollback { revision: 1 },
        &lines,
    )
    .await
    .expect("rollback");
    assert!(
        outcome.stdout.contains("Rollback was a success"),
        "{outcome:?}"
    );
    assert!(
        lines
            .0
            .lock()
            .expect("lines")
            .iter()
            .any(|l| l.text.contains("Rollback was a success")),
        "output streamed"
    );
    let theirs = h
        .json(None, &["history", "ra", "-n", n, "-o", "json"])
        .expect("history");
    let last = theirs
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("a revision");
    assert_eq!(last["revision"], 3);
    assert_eq!(last["description"], "Rollback to 1");
    let ours = helm::history(&client, &context, n, "ra")
        .await
        .expect("history");
    assert_eq!(
        ours.last().map(|e| (e.revision, e.status.as_str())),
        Some((3, "deployed"))
    );
    let replicas = TestCluster::get()
        .kubectl_ok([
            "get",
            "deploy",
            "ra-demo",
            "-n",
            n,
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .expect("deployment");
    assert_eq!(replicas.trim(), "1");
    capstan_test_support::eventually(std::time::Duration::from_secs(30), || async {
        let a = shown.revision(&ra)?;
        capstan_test_support::holds(a == 3, &format!("ra at {a}"))
    })
    .await
    .expect("the rollback's revision appears live");

    // Upgrade with edited values, on the ConfigMap-stored release too.
    let bad = helm::run_action(
        &client,
        &ActionTarget {
            release: "rc",
            ..target
        },
        &HelmAction::Upgrade {
            values_yaml: "replicaCount: [1\n".into(),
        },
        &lines,
    )
    .await
    .expect_err("invalid YAML is refused before helm runs");
    assert!(bad.to_string().contains("the values is not valid"), "{bad}");
    helm::run_action(
        &client,
        &ActionTarget {
            release: "rc",
            ..target
        },
        &HelmAction::Upgrade {
            values_yaml: "replicaCount: 0\npodLabels:\n  edited: \"yes\"\n".into(),
        },
        &lines,
    )
    .await
    .expect("upgrade rc");
    assert_eq!(
        h.json(
            Some("configmap"),
            &["get", "values", "rc", "-n", n, "-o", "json"]
        )
        .expect("values"),
        json!({"replicaCount": 0, "podLabels": {"edited": "yes"}})
    );
    let labels = TestCluster::get()
        .kubectl_ok([
            "get",
            "deploy",
            "rc-demo",
            "-n",
            n,
            "-o",
            "jsonpath={.spec.template.metadata.labels.edited}",
        ])
        .expect("deployment");
    assert_eq!(labels.trim(), "yes");

    // A failed helm command gives its stderr.
    let failed = helm::run_action(
        &client,
        &ActionTarget {
            release: "ra",
            ..target
        },
        &HelmAction::Rollback { revision: 99 },
        &lines,
    )
    .await
    .expect_err("no revision 99");
    assert!(
        matches!(failed, capstan_kube::Error::HelmFailed { .. }),
        "{failed}"
    );

    // Uninstall through Capstan: helm no longer lists rb, its objects go.
    helm::run_action(
        &client,
        &ActionTarget {
            release: "rb",
            ..target
        },
        &HelmAction::Uninstall,
        &lines,
    )
    .await
    .expect("uninstall");
    let listed = h
        .json(None, &["list", "-n", n, "-o", "json"])
        .expect("list");
    assert!(
        !listed
            .as_array()
            .expect("list")
            .iter()
            .any(|r| r["name"] == "rb"),
        "{listed}"
    );
    let gone = TestCluster::get()
        .kubectl(["get", "deploy", "rb-demo", "-n", n])
        .expect("kubectl");
    assert!(!gone.status.success(), "rb-demo is gone");
    let ours = helm::list_releases(&client, &context, &[n.to_string()])
        .await
        .expect("list");
    assert_eq!(
        ours.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["ra", "rc"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_record_is_an_error_for_that_record_alone() {
    let ns = TestNamespace::with_manifest(
        "capstan-helm-broken",
        r#"
apiVersion: v1
kind: Secret
metadata:
  name: sh.helm.release.v1.broken.v1
  labels: {owner: helm, name: broken, version: "1", status: deployed}
type: helm.sh/release.v1
stringData:
  release: "bm90IGd6aXA="
"#,
    );
    let (client, _loaded, context) = client_and_loaded().await;
    let rows = helm::list_releases(&client, &context, std::slice::from_ref(&ns.name))
        .await
        .expect("the list still answers");
    assert_eq!(rows.len(), 1);
    let err = rows[0].error.as_deref().expect("the record's error");
    assert!(err.contains("sh.helm.release.v1.broken.v1"), "{err}");
    assert_eq!(rows[0].status, "deployed", "from the labels");
    let details = helm::release_details(&client, &context, &ns.name, "broken", None).await;
    assert!(
        matches!(details, Err(capstan_kube::Error::HelmRecord { .. })),
        "{details:?}"
    );
}
