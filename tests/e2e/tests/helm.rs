//! Helm releases through the app window against the real test cluster and
//! the test world's helm: open Helm, pick a release, see its history, diff
//! two revisions (changes and text), roll back, and see the new revision
//! appear live. Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};
use capstan_test_support::helm::{Helm, HOW_TO_GET_HELM};
use capstan_test_support::{require, TestCluster, TestNamespace};

const NS: &str = "e2e-helm";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app, helm and the test cluster; run by scripts/test.sh"]
async fn history_diff_and_rollback_of_a_release() {
    let Some(helm) = require(Helm::find(), "helm 4 (the test world's)", HOW_TO_GET_HELM) else {
        return;
    };
    let cluster = TestCluster::get();
    let ns = TestNamespace::create(NS);
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = helm.busybox_chart(dir.path()).expect("chart");
    let chart = chart.to_str().expect("utf-8");
    helm.run(
        None,
        &[
            "install",
            "web",
            chart,
            "-n",
            &ns.name,
            "--set",
            "replicaCount=1",
        ],
    )
    .expect("install");
    helm.run(
        None,
        &[
            "upgrade",
            "web",
            chart,
            "-n",
            &ns.name,
            "--set",
            "replicaCount=2",
            "--set",
            "service.port=81",
        ],
    )
    .expect("upgrade");
    // The app finds helm here (the settings path is unset; PATH may lack it).
    std::env::set_var("CAPSTAN_HELM", &helm.path);

    let app = App::launch(
        "helm",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    app.client
        .set_window_rect(0, 0, 1280, 800)
        .await
        .expect("size the window");
    app.click("[data-testid=context-item][data-current=true]")
        .await;
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-helm]").await;
    app.click("[data-testid=helm-section] [data-testid=resource-row][data-name=\"web\"]")
        .await;
    app.wait_for("[data-testid=helm-details][data-release=web][data-revision=\"2\"]")
        .await;
    app.wait_for_text("[data-testid=helm-status-value]", |t| t == "deployed")
        .await;

    // History: both revisions.
    app.click("[data-testid=helm-tab-history]").await;
    app.wait_for("[data-testid=helm-revision][data-revision=\"1\"][data-status=superseded]")
        .await;
    app.wait_for("[data-testid=helm-revision][data-revision=\"2\"][data-status=deployed]")
        .await;

    // Diff 1 -> 2 (the default pair): values and resources with paths.
    app.click("[data-testid=helm-diff-show]").await;
    app.wait_for("[data-testid=helm-diff][data-from=\"1\"][data-to=\"2\"]")
        .await;
    let values = app
        .wait_for_text("[data-testid=helm-diff-values]", |t| {
            t.contains("replicaCount")
        })
        .await;
    assert!(values.contains("~ replicaCount: 1 → 2"), "{values}");
    assert!(values.contains("+ service: {\"port\":81}"), "{values}");
    let resources = app
        .wait_for_text("[data-testid=helm-diff-resources]", |t| {
            t.contains("Deployment")
        })
        .await;
    assert!(
        resources.contains("Deployment.apps web-demo"),
        "{resources}"
    );
    assert!(resources.contains("~ spec.replicas: 1 → 2"), "{resources}");
    assert!(
        resources.contains("~ spec.ports[0].port: 80 → 81"),
        "{resources}"
    );
    app.click("[data-testid=helm-diff-text]").await;
    app.wait_for_text("[data-testid=helm-diff-manifest-text]", |t| {
        t.contains("-  replicas: 1") && t.contains("+  replicas: 2")
    })
    .await;
    app.screenshot("diff").await;

    // Roll back to 1: helm's output in the dock, revision 3 appears live.
    app.click("[data-testid=helm-revision][data-revision=\"1\"] [data-testid=helm-rollback]")
        .await;
    app.click("[data-testid=confirm-ok]").await;
    app.wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| {
        t.contains("helm rollback web 1")
    })
    .await;
    app.wait_for("[data-testid=helm-run][data-state=succeeded]")
        .await;
    app.wait_for_text("[data-testid=helm-run-output]", |t| {
        t.contains("Rollback was a success")
    })
    .await;
    app.wait_for("[data-testid=helm-details][data-release=web][data-revision=\"3\"]")
        .await;
    app.wait_for("[data-testid=helm-revision][data-revision=\"3\"][data-status=deployed]")
        .await;
    app.screenshot("rolled-back").await;

    // The manifest's resources show their live status and open their view.
    app.click("[data-testid=helm-tab-manifest]").await;
    let deployment = "[data-testid=helm-resource][data-kind=Deployment][data-name=\"web-demo\"]";
    let state = app
        .wait_for_text(&format!("{deployment} .helm-resources__state"), |t| {
            !t.is_empty() && t != "…"
        })
        .await;
    assert!(
        state != "missing" && state != "kind not served" && state != "unknown",
        "live status of the deployment: {state}"
    );
    app.click(&format!("{deployment} [data-testid=helm-resource-open]"))
        .await;
    app.wait_for("[data-testid=resource-row][data-name=\"web-demo\"]")
        .await;

    let history = helm
        .json(None, &["history", "web", "-n", &ns.name, "-o", "json"])
        .expect("helm history");
    let last = history
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("a revision");
    assert_eq!(last["revision"], 3);
    assert_eq!(last["description"], "Rollback to 1");
    let replicas = cluster
        .kubectl_ok([
            "get",
            "deploy",
            "web-demo",
            "-n",
            &ns.name,
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .expect("deployment");
    assert_eq!(replicas.trim(), "1");
    app.close().await;
}
