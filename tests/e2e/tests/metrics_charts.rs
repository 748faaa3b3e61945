//! Metrics charts through the app window against the real test cluster
//! (metrics-server built from its module): a pod burning CPU gets a Metrics
//! tab whose CPU and memory charts are drawn by egui_plot in Rust and shown
//! as SVG, with axis labels and the legend as text in the page and the
//! source named; a real pointer over the chart brings egui_plot's readout;
//! the Cluster overview shows usage against allocatable, pods by phase and
//! the cluster's charts. Run by scripts/test.sh
//! (`cargo test -p capstan-e2e -- --ignored`).

use std::time::Duration;

use capstan_e2e::App;
use capstan_test_support::{eventually, TestNamespace};

const NS: &str = "e2e-metrics-charts";
const IMAGE: &str = "capstan.local/busybox:1";
/// metrics-server needs two scrapes of a new pod before it reports it, and
/// a line two samples of Capstan's own (15 s apart).
const METRICS_TIMEOUT: Duration = Duration::from_secs(180);
const CPU_CHART: &str =
    "[data-testid=metrics-charts] [data-testid=chart]:nth-child(1) [data-testid=chart-canvas]";

fn manifest() -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata: {{name: burn}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: "{IMAGE}"
    imagePullPolicy: Never
    command: [sh, -c, "while :; do :; done"]
    resources:
      requests: {{cpu: 100m, memory: 16Mi}}
      limits: {{cpu: 500m, memory: 64Mi}}
"#
    )
}

/// The text of every `<text>` in the SVG under `css`.
async fn svg_texts(app: &App, css: &str) -> Vec<String> {
    let texts = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0] + ' svg text'))\
             .map(t => t.textContent);",
            vec![serde_json::Value::from(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("read the chart's text: {e}"));
    texts
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the chart under `css` is drawn (an SVG with text in it).
async fn drawn_chart(app: &App, css: &str) -> Vec<String> {
    eventually(METRICS_TIMEOUT, || async {
        let texts = svg_texts(app, css).await;
        if texts.is_empty() {
            let html = app
                .client
                .execute(
                    "const e = document.querySelector('[data-testid=metrics-charts]'); \
                     return e === null ? '' : e.outerHTML.slice(0, 2000);",
                    vec![],
                )
                .await
                .map(|v| v.to_string())
                .unwrap_or_default();
            Err(format!("no chart drawn yet: {html}"))
        } else {
            Ok(texts)
        }
    })
    .await
    .unwrap_or_else(|e| panic!("the chart under {css} was not drawn: {e}"))
}

fn is_clock(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 5
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b':'
        && b[3].is_ascii_digit()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_busy_pods_metrics_tab_charts_its_cpu_and_the_overview_the_cluster() {
    let ns = TestNamespace::with_manifest(NS, &manifest());
    ns.wait_ready(&["burn"]);
    let app = App::open_pods("metrics_charts", NS, (1400, 900)).await;
    app.click("[data-testid=resource-row][data-name=burn]")
        .await;
    app.click("[data-testid=details-tab-metrics]").await;

    let source = app
        .wait_for_text("[data-testid=metrics-source]", |t| !t.is_empty())
        .await;
    assert!(source.contains("metrics.k8s.io"), "{source}");

    // Drawn in Rust: the legend names the container and the request and
    // limit lines; the axes have clock ticks and CPU ticks in cores.
    let texts = drawn_chart(&app, CPU_CHART).await;
    app.screenshot("pod-metrics").await;
    for name in ["app", "request", "limit"] {
        assert!(texts.iter().any(|t| t == name), "legend {name}: {texts:?}");
    }
    assert!(texts.iter().any(|t| is_clock(t)), "time ticks: {texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with('m') && t[..t.len() - 1].parse::<f64>().is_ok()),
        "CPU ticks in millicores: {texts:?}"
    );
    let memory =
        "[data-testid=metrics-charts] [data-testid=chart]:nth-child(2) [data-testid=chart-canvas]";
    let memory_texts = drawn_chart(&app, memory).await;
    assert!(
        memory_texts
            .iter()
            .any(|t| t.ends_with("Mi") || t.ends_with("Ki")),
        "memory ticks in binary bytes: {memory_texts:?}"
    );
    let label = app
        .wait_for(&format!("{CPU_CHART} svg"))
        .await
        .attr("aria-label")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(label, "CPU of pod burn");

    // A real pointer over the plot: egui_plot's readout (clock, then the
    // value) joins the SVG's text.
    app.hover(CPU_CHART, 0.6, 0.5).await;
    let readout = eventually(Duration::from_secs(10), || async {
        let now = svg_texts(&app, CPU_CHART).await;
        now.iter()
            .find(|t| is_clock(t) && t.contains("  "))
            .cloned()
            .ok_or_else(|| format!("no readout yet: {now:?}"))
    })
    .await
    .unwrap_or_else(|e| panic!("hover readout: {e}"));
    assert!(readout.len() > 8, "{readout}");
    app.screenshot("pod-metrics-hover").await;

    // The cluster overview: figures against allocatable, pods by phase (the
    // burning pod among the running ones) and the cluster's charts.
    app.click("[data-testid=nav-overview]").await;
    app.wait_for("[data-testid=overview-cpu], [data-testid=overview-error]")
        .await;
    let page = app.text("[data-testid=cluster-overview]").await;
    assert!(
        !page.contains("Cannot") && !page.contains("not allowed"),
        "{page}"
    );
    let cpu = app
        .wait_for_text("[data-testid=overview-cpu]", |t| t.contains("allocatable"))
        .await;
    assert!(!cpu.contains('—'), "CPU in use is known: {cpu}");
    app.wait_for("[data-testid=overview-pods] [data-phase=Running]")
        .await;
    let source = app.text("[data-testid=overview-source]").await;
    assert!(source.contains("metrics.k8s.io"), "{source}");
    let cluster_texts = drawn_chart(&app, CPU_CHART).await;
    assert!(
        cluster_texts.iter().any(|t| is_clock(t)),
        "{cluster_texts:?}"
    );
    app.screenshot("cluster-overview").await;
    app.close().await;
}
