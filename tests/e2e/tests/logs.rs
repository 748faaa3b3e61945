//! Logs flow against the real test cluster: open the logs of a deployment
//! with two pods, see lines of both tagged, search a word, pause and resume
//! following. Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use std::time::Duration;

use capstan_e2e::{App, Launch, UI_TIMEOUT};
use capstan_test_support::{TestCluster, TestNamespace};

const NS: &str = "e2e-logs";

const MANIFEST: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: talk
        image: capstan.local/busybox:1
        imagePullPolicy: Never
        command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \"hello from $(hostname) $i\"; sleep 0.2; done"]
"#;

fn running_pods(cluster: &TestCluster) -> Vec<String> {
    let pods = cluster
        .kubectl_json(["get", "pods", "-n", NS, "-l", "app=hello", "-o", "json"])
        .unwrap_or_default();
    pods["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|p| {
                    p["status"]["phase"] == "Running"
                        && p["metadata"]["deletionTimestamp"].is_null()
                })
                .filter_map(|p| p["metadata"]["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `f` until it returns Some (the shared [`capstan_test_support::eventually`]),
/// failing the test after UI_TIMEOUT.
async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    capstan_test_support::eventually(UI_TIMEOUT, || {
        let found = f();
        async move { found.await.ok_or(()) }
    })
    .await
    .unwrap_or_else(|()| panic!("{what} within {UI_TIMEOUT:?}"))
}

async fn attr_number(app: &App, css: &str, attr: &str) -> u64 {
    app.wait_for(css).await;
    // Read in the page, as the element may re-render between find and read.
    app.client
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
            vec![serde_json::Value::from(css), serde_json::Value::from(attr)],
        )
        .await
        .expect("attribute")
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn deployment_logs_from_two_pods_search_and_follow() {
    let cluster = TestCluster::get();
    // A namespace left Terminating by an earlier run is waited out, and the
    // service-account token is there before the pods are asked for; it is
    // deleted however the test ends.
    let _ns = TestNamespace::with_manifest(NS, MANIFEST);
    assert!(
        cluster.wait_until(Duration::from_secs(180), || running_pods(cluster).len()
            == 2),
        "two pods running"
    );
    let pods = running_pods(cluster);

    let app = App::launch(
        "logs",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    app.wait_for("[data-testid=context-item][data-current=true]")
        .await
        .click()
        .await
        .expect("select the current context");
    app.wait_for("[data-testid=nav-item][data-kind=Deployment]")
        .await
        .click()
        .await
        .expect("open Deployments");
    app.choose_namespace(NS).await;
    app.wait_for("[data-testid=resource-row][data-name=hello]")
        .await
        .click()
        .await
        .expect("open the deployment");
    app.wait_for("[data-testid=details-panel][data-name=hello] [data-testid=action-logs]")
        .await
        .click()
        .await
        .expect("click Logs");
    app.wait_for("[data-testid=log-tab]").await;

    // Lines of both pods arrive, each tagged with its pod.
    eventually("lines tagged with both pods", || async {
        let mut seen = Vec::new();
        for tag in app
            .find_all("[data-testid=log-line] [data-testid=log-tag]")
            .await
        {
            if let Ok(t) = tag.text().await {
                seen.push(t);
            }
        }
        pods.iter()
            .all(|p| seen.iter().any(|s| s == p))
            .then_some(())
    })
    .await;
    // Read in the page: lines re-render as they stream, so a handle to one
    // can go stale between finding it and reading it.
    app.wait_for_text("[data-testid=log-line]", |t| t.contains("hello from"))
        .await;
    app.screenshot("streaming").await;

    // Search highlights matches and steps through them.
    app.wait_for("[data-testid=log-search]")
        .await
        .send_keys("hello")
        .await
        .expect("type the search");
    eventually("matches counted", || async {
        (attr_number(&app, "[data-testid=log-match-count]", "data-count").await > 0).then_some(())
    })
    .await;
    app.wait_for("[data-testid=log-match]").await;
    app.wait_for("[data-testid=log-search-next]")
        .await
        .click()
        .await
        .expect("next match");
    eventually("the current match is shown", || async {
        let text = app
            .wait_for("[data-testid=log-match-count]")
            .await
            .text()
            .await
            .ok()?;
        text.starts_with("1/").then_some(())
    })
    .await;
    app.wait_for(".logtab__line--current [data-testid=log-match]")
        .await;
    app.screenshot("search").await;

    // Follow off: new lines are held, not appended.
    app.wait_for("[data-testid=log-follow]")
        .await
        .click()
        .await
        .expect("follow off");
    let paused_at = attr_number(&app, "[data-testid=log-count]", "data-count").await;
    eventually("new lines held while paused", || async {
        let status = app
            .wait_for("[data-testid=log-status]")
            .await
            .text()
            .await
            .ok()?;
        (status.contains("held") && !status.contains(" 0 new")).then_some(())
    })
    .await;
    assert_eq!(
        attr_number(&app, "[data-testid=log-count]", "data-count").await,
        paused_at,
        "no line appended while follow is off"
    );
    app.screenshot("paused").await;

    // Follow on: the held lines and new ones appear.
    app.wait_for("[data-testid=log-follow]")
        .await
        .click()
        .await
        .expect("follow on");
    eventually("lines appended after follow is back on", || async {
        (attr_number(&app, "[data-testid=log-count]", "data-count").await > paused_at).then_some(())
    })
    .await;
    app.screenshot("resumed").await;
    app.close().await;
}
