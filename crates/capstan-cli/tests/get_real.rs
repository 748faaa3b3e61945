//! `capstan get` against the real test cluster, compared with the real
//! kubectl's output for the same objects.

use std::collections::BTreeSet;
use std::process::{Command, Output, Stdio};

use capstan_test_support::{TestCluster, TestNamespace};

const OBJECTS: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: one, labels: {app: web}}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: two-longer-name}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec: {selector: {app: web}, ports: [{port: 80, name: http}, {port: 53, protocol: UDP, name: dns}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pending}
spec:
  storageClassName: get-real-none
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: capstan.local/busybox:1, imagePullPolicy: Never}]
"#;

/// A namespace of our own, deleted when the test ends.
/// A namespace of the test's own holding [`OBJECTS`].
fn namespace(tag: &str) -> TestNamespace {
    TestNamespace::with_manifest(&format!("rows-get-{tag}-{}", std::process::id()), OBJECTS)
}

fn capstan(cluster: &TestCluster, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(args)
        .env("KUBECONFIG", cluster.kubeconfig_path())
        .env("CAPSTAN_CONFIG_DIR", dir.path().join("app"))
        .env("CAPSTAN_CREDENTIAL_STORE", "file")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run capstan")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An age as kubectl prints it (5s, 3m12s, 2d3h, 4y).
fn is_age(cell: &str) -> bool {
    !cell.is_empty()
        && cell.chars().next().is_some_and(|c| c.is_ascii_digit())
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || "smhdy".contains(c))
        && cell.chars().any(|c| "smhdy".contains(c))
}

/// Lines as cells (3-space separated) with ages replaced: two runs
/// moments apart may print different ages, and so different widths.
fn normalized(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .map(|l| {
            l.split("   ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| if is_age(c) { "<age>" } else { c }.to_owned())
                .collect()
        })
        .collect()
}

/// The ages printed, in order.
fn ages(table: &str) -> Vec<String> {
    table
        .split_whitespace()
        .filter(|c| is_age(c))
        .map(str::to_owned)
        .collect()
}

fn compare(cluster: &TestCluster, args: &[&str]) {
    for _ in 0..5 {
        let ours = capstan(cluster, args);
        assert!(ours.status.success(), "{args:?}: {}", text(&ours.stderr));
        let theirs = cluster.kubectl_ok(args).expect("kubectl");
        let ours = text(&ours.stdout);
        assert_eq!(normalized(&ours), normalized(&theirs), "{args:?}\n{ours}");
        // Same header line, padding included. An age that grew a digit
        // between the two runs (99s, 100s) widens its column: only outputs
        // printing the same ages must pad the same.
        if ages(&ours) == ages(&theirs) {
            assert_eq!(
                ours.lines().next(),
                theirs.lines().next(),
                "{args:?} header"
            );
            return;
        }
    }
    panic!("{args:?}: the ages kept changing between the two runs");
}

#[test]
fn tables_match_kubectl() {
    let cluster = TestCluster::get();
    let ns = namespace("table");
    for kind in ["configmaps", "cm", "svc", "pvc", "cronjobs"] {
        compare(cluster, &["get", kind, "-n", &ns.name]);
        compare(cluster, &["get", kind, "-n", &ns.name, "-o", "wide"]);
    }
    compare(cluster, &["get", "cm", "-n", &ns.name, "-l", "app=web"]);
    compare(
        cluster,
        &["get", "svc", "web", "-n", &ns.name, "-o", "wide"],
    );
    compare(cluster, &["get", "ns", &ns.name]);
    // A kind printed through the server's Table.
    compare(
        cluster,
        &["get", "leases.coordination.k8s.io", "-n", "kube-node-lease"],
    );
}

#[test]
fn json_lists_the_same_items_as_kubectl() {
    let cluster = TestCluster::get();
    let ns = namespace("json");
    let names = |v: &serde_json::Value| -> BTreeSet<String> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                format!(
                    "{}/{}",
                    i["metadata"]["namespace"].as_str().unwrap_or_default(),
                    i["metadata"]["name"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };
    for args in [
        vec!["get", "cm", "-A"],
        vec!["get", "svc", "-n", ns.name.as_str()],
        vec!["get", "cm", "-n", ns.name.as_str(), "-l", "app=web"],
    ] {
        let mut with_json = args.clone();
        with_json.extend(["-o", "json"]);
        // Tests running beside this one change other namespaces (`-A` sees
        // them): compare only when kubectl saw the same before and after.
        let mut compared = false;
        for _ in 0..5 {
            let before = names(&cluster.kubectl_json(&args).expect("kubectl json"));
            let ours = capstan(cluster, &with_json);
            assert!(ours.status.success(), "{args:?}: {}", text(&ours.stderr));
            let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).expect("our json");
            assert_eq!(ours["kind"], "List");
            assert_eq!(ours["apiVersion"], "v1");
            let after = names(&cluster.kubectl_json(&args).expect("kubectl json"));
            if before == after {
                assert_eq!(names(&ours), after, "{args:?}");
                compared = true;
                break;
            }
        }
        assert!(compared, "{args:?}: the cluster kept changing");
    }
}

#[test]
fn empty_results_and_errors_are_reported() {
    let cluster = TestCluster::get();
    let ns = namespace("errors");
    let none = capstan(cluster, &["get", "cm", "-n", &ns.name, "-l", "app=nothing"]);
    assert!(none.status.success());
    assert!(none.stdout.is_empty());
    assert_eq!(
        text(&none.stderr).trim(),
        format!("No resources found in {} namespace.", ns.name)
    );
    let unknown = capstan(cluster, &["get", "widgets-that-do-not-exist"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("doesn't have a resource type"));
    let bad = capstan(cluster, &["get", "cm", "-n", &ns.name, "-l", "a in ("]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("parse"), "{}", text(&bad.stderr));
    let missing = capstan(cluster, &["get", "cm", "nope", "-n", &ns.name]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("\"nope\" not found"));
}

#[test]
fn unreachable_cluster_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .expect("write kubeconfig");
    let out = Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(["get", "pods"])
        .env("KUBECONFIG", &kubeconfig)
        .env("CAPSTAN_CONFIG_DIR", dir.path().join("app"))
        .env("CAPSTAN_CREDENTIAL_STORE", "file")
        .output()
        .expect("run capstan");
    assert_eq!(out.status.code(), Some(1));
    assert!(!text(&out.stderr).trim().is_empty());
}
