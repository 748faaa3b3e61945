//! Keyboard-first navigation through the real window, against the test
//! cluster: Ctrl+K finds a pod by part of its name, Enter opens it, `l` opens
//! its logs, Alt+Left goes back; a pinned object and the last view survive a
//! restart.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch, UI_TIMEOUT};
use capstan_test_support::{eventually, holds, TestCluster, TestNamespace};
use fantoccini::key::Key;

const NS: &str = "e2e-nav";
const NEEDLE: &str = "e2e-nav-needle-7f3k";

const PODS: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: e2e-nav-needle-7f3k}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: main, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sh, -c, "echo needle says hello; exec sleep 3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: e2e-nav-other}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: main, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
"#;

fn seed(cluster: &TestCluster) -> TestNamespace {
    let ns = TestNamespace::with_manifest(NS, PODS);
    cluster
        .kubectl_ok([
            "-n",
            NS,
            "wait",
            "--for=condition=Ready",
            "pod/e2e-nav-needle-7f3k",
            "pod/e2e-nav-other",
            "--timeout=90s",
        ])
        .expect("pods ready");
    ns
}

fn row(name: &str) -> String {
    format!("[data-testid=resource-row][data-name=\"{name}\"]")
}

/// Launches the app on the cluster's current context, in our namespace's pods.
async fn open_pods(name: &str, cluster: &TestCluster, seed_files: &[std::path::PathBuf]) -> App {
    let app = App::launch_seeded(
        name,
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
        seed_files,
    )
    .await;
    app.click("[data-testid=context-item][data-current=true]")
        .await;
    app
}

async fn keys_to(app: &App, css: &str, keys: &str) {
    app.wait_for(css)
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("keys to {css}: {e}"));
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn palette_opens_a_pod_by_part_of_its_name_l_opens_logs_and_back_returns() {
    let cluster = TestCluster::get();
    let _ns = seed(cluster);
    let app = open_pods("navigate-palette", cluster, &[]).await;
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-item][data-kind=Pod]").await;
    app.wait_for(&row(NEEDLE)).await;
    app.wait_for(&row("e2e-nav-other")).await;

    // Ctrl+K from the filter field, part of the name, Enter.
    keys_to(
        &app,
        "[data-testid=table-filter]",
        &format!("{}k", Key::Control),
    )
    .await;
    keys_to(&app, "[data-testid=palette-input]", "needle-7f").await;
    app.wait_for_text("[data-testid=palette-item]", |t| t.contains(NEEDLE))
        .await;
    let detail = app
        .wait_for("[data-testid=palette-item]")
        .await
        .attr("data-detail")
        .await
        .expect("detail");
    assert_eq!(
        detail.as_deref(),
        Some("Pod · e2e-nav"),
        "kind and namespace shown"
    );
    app.screenshot("palette").await;
    keys_to(&app, "[data-testid=palette-input]", &Key::Enter.to_string()).await;
    app.wait_for(&format!(
        "[data-testid=details-panel][data-name=\"{NEEDLE}\"]"
    ))
    .await;
    eventually(UI_TIMEOUT, || async {
        holds(
            app.find_all("[data-testid=command-palette]")
                .await
                .is_empty(),
            "the palette to close",
        )
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));

    // The table has the keyboard: `l` opens the pod's logs in the dock.
    eventually(UI_TIMEOUT, || async {
        let focused = app
            .client
            .execute(
                "return document.activeElement && document.activeElement.dataset.testid;",
                vec![],
            )
            .await
            .ok();
        holds(
            focused.as_ref().and_then(|v| v.as_str()) == Some("resource-rows"),
            &format!("the rows to have the focus, not {focused:?}"),
        )
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
    app.client
        .active_element()
        .await
        .expect("focused element")
        .send_keys("l")
        .await
        .expect("press l");
    app.wait_for_text("[data-testid=log-line]", |t| {
        t.contains("needle says hello")
    })
    .await;
    app.screenshot("logs").await;

    // Back (Alt+Left) returns to the table as it was before the palette: no object open.
    keys_to(
        &app,
        "[data-testid=resource-rows]",
        &format!("{}{}", Key::Alt, Key::Left),
    )
    .await;
    eventually(UI_TIMEOUT, || async {
        holds(
            app.find_all("[data-testid=details-panel]").await.is_empty(),
            "back to close the details panel",
        )
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
    // Forward opens it again.
    keys_to(
        &app,
        "[data-testid=resource-rows]",
        &format!("{}{}", Key::Alt, Key::Right),
    )
    .await;
    app.wait_for(&format!(
        "[data-testid=details-panel][data-name=\"{NEEDLE}\"]"
    ))
    .await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_pinned_object_and_the_last_view_survive_a_restart() {
    let cluster = TestCluster::get();
    let _ns = seed(cluster);
    let app = open_pods("navigate-pin-1", cluster, &[]).await;
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-item][data-kind=Pod]").await;
    app.click(&row(NEEDLE)).await;
    app.click(&format!(
        "[data-testid=details-panel][data-name=\"{NEEDLE}\"] [data-testid=details-pin]"
    ))
    .await;
    app.wait_for_text("[data-testid=pinned-item]", |t| t.contains(NEEDLE))
        .await;
    // Leave the context on another view: the next start opens it there.
    app.click("[data-testid=nav-item][data-kind=ConfigMap]")
        .await;
    let settings = app.config_dir().join("settings.json");
    eventually(UI_TIMEOUT, || {
        let text = std::fs::read_to_string(&settings).unwrap_or_default();
        std::future::ready(holds(
            text.contains(NEEDLE) && text.contains("\"ConfigMap\""),
            &format!("pin and last view in {}: {text}", settings.display()),
        ))
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
    let carried = tempfile::tempdir().expect("temp dir");
    let copy = carried.path().join("settings.json");
    std::fs::copy(&settings, &copy).expect("copy settings");
    app.close().await;

    // A new start with those settings.
    let app = open_pods("navigate-pin-2", cluster, &[copy]).await;
    app.wait_for_text("#main-title", |t| t == "ConfigMaps")
        .await;
    app.screenshot("restored").await;
    app.click(&format!(
        "[data-testid=pinned-item][data-pin*=\"{NEEDLE}\"]"
    ))
    .await;
    app.wait_for(&format!(
        "[data-testid=details-panel][data-name=\"{NEEDLE}\"]"
    ))
    .await;
    app.wait_for_text("#main-title", |t| t == "Pods").await;
    app.close().await;
}
