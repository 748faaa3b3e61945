//! CPU and MEM columns through the window: the Pods table of a namespace
//! with a busy pod shows its CPU, MEM and % of request/limit once
//! metrics-server has measured it, with the source named; the Nodes table
//! shows the node's.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::App;
use capstan_test_support::TestNamespace;

const NS: &str = "e2e-metrics";

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: e2e-busy}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: "capstan.local/busybox:1"
    imagePullPolicy: Never
    command: [sh, -c, "while :; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.2; done"]
    resources:
      requests: {cpu: 1m, memory: 8Mi}
      limits: {cpu: 500m, memory: 64Mi}
"#;

/// metrics-server answers for a new pod after two scrapes (15 s apart),
/// and the table reads every 15 s.
const METRICS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

fn cell(row: &str, metric: &str) -> String {
    format!("[data-testid=resource-row][data-name=\"{row}\"] [data-metric=\"metric:{metric}\"]")
}

async fn wait_text(app: &App, css: &str, ok: impl Fn(&str) -> bool) -> String {
    capstan_test_support::eventually(METRICS_TIMEOUT, || async {
        let text = app.text(css).await;
        if ok(&text) {
            Ok(text)
        } else {
            Err(format!("{css} reads {text:?}"))
        }
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"))
}

fn is_millicores(t: &str) -> bool {
    t.strip_suffix('m')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn is_mebibytes(t: &str) -> bool {
    t.strip_suffix("Mi")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn is_percent(t: &str) -> bool {
    t.strip_suffix('%')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn pods_and_nodes_show_cpu_and_memory() {
    let ns = TestNamespace::with_manifest(NS, POD);
    ns.wait_ready(&["e2e-busy"]);
    let app = App::open_pods("metrics-columns", NS, (1280, 800)).await;
    app.wait_for("[data-testid=resource-row][data-name=\"e2e-busy\"]")
        .await;

    let cpu = wait_text(&app, &cell("e2e-busy", "cpu"), is_millicores).await;
    let mem = wait_text(&app, &cell("e2e-busy", "memory"), is_mebibytes).await;
    let of_limit = wait_text(&app, &cell("e2e-busy", "cpuOfLimit"), is_percent).await;
    let of_request = wait_text(&app, &cell("e2e-busy", "cpuOfRequest"), is_percent).await;
    for header in ["CPU", "MEM", "%CPU/R", "%CPU/L", "%MEM/R", "%MEM/L"] {
        app.wait_for(&format!(
            "[data-testid=column-header][data-column=\"{header}\"]"
        ))
        .await;
    }
    let source = app.text("[data-testid=metrics-source]").await;
    assert!(source.to_lowercase().contains("metrics.k8s.io"), "{source}");
    app.screenshot("pods").await;
    eprintln!("e2e-busy: CPU {cpu}, MEM {mem}, {of_request} of request, {of_limit} of limit");

    // A busy loop over a 1m request: far over it, shown as such.
    let level = app
        .client
        .execute(
            "const c = document.querySelector(arguments[0]); return c ? c.dataset.level : null;",
            vec![serde_json::Value::from(cell("e2e-busy", "cpuOfRequest"))],
        )
        .await
        .expect("level");
    assert!(
        of_request
            .trim_end_matches('%')
            .parse::<u32>()
            .is_ok_and(|p| p >= 100),
        "{of_request}"
    );
    assert_eq!(level.as_str(), Some("over"), "{of_request}");

    app.click("[data-testid=nav-item][data-kind=Node]").await;
    wait_text(&app, &cell("capstan-node", "cpu"), is_millicores).await;
    wait_text(&app, &cell("capstan-node", "memory"), is_mebibytes).await;
    app.screenshot("nodes").await;
    app.close().await;
}
