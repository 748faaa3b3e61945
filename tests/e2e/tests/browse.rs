//! Resource browser against the real test cluster: browse namespaces, then
//! pods; filter by label; open a pod's details and YAML; scale a deployment
//! and see it change live; delete a pod after confirming.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use std::time::Duration;

use capstan_e2e::{App, Launch, UI_TIMEOUT};
use capstan_test_support::{eventually, holds, TestCluster, TestNamespace};
use fantoccini::key::Key;
use fantoccini::Locator;

const NS: &str = "e2e-browse";

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: e2e-web, labels: {app: e2e-web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: e2e-web}}
  template:
    metadata: {labels: {app: e2e-web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - {name: main, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: e2e-lonely, labels: {app: lonely}}
spec:
  # sleep ignores SIGTERM: no grace period, so the delete completes at once.
  terminationGracePeriodSeconds: 0
  containers:
  - {name: main, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
"#;

/// A namespace of our own: a deployment of two pods and a lone pod;
/// deleted when the guard is dropped, however the test ends.
fn seed(cluster: &TestCluster) -> TestNamespace {
    // One manifest, so the pull policy is there from the first ReplicaSet
    // (patching it later would roll out a second set of pods).
    let ns = TestNamespace::with_manifest(NS, DEPLOYMENT);
    cluster
        .wait_rollout(NS, "e2e-web", 90)
        .expect("deployment ready");
    ns
}

async fn wait_xpath(app: &App, xpath: &str) {
    app.client
        .wait()
        .at_most(UI_TIMEOUT)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath} did not appear: {e}"));
}

/// How many elements match `css`, counted in the page (rows re-render while
/// the table is live, so element handles go stale).
async fn count(app: &App, css: &str) -> usize {
    app.client
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![serde_json::Value::from(css)],
        )
        .await
        .expect("count elements")
        .as_u64()
        .unwrap_or(0) as usize
}

/// Waits until no element matches `css`.
async fn wait_gone(app: &App, css: &str) {
    eventually(UI_TIMEOUT, || async {
        holds(count(app, css).await == 0, &format!("{css} to go"))
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
}

fn row(name: &str) -> String {
    format!("[data-testid=resource-row][data-name=\"{name}\"]")
}

async fn shown_names(app: &App) -> Vec<String> {
    let names = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=resource-row]')].map(e => e.dataset.name);",
            vec![],
        )
        .await
        .expect("row names");
    let mut names: Vec<String> = names
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn browse_filter_details_scale_and_delete() {
    let cluster = TestCluster::get();
    let _ns = seed(cluster);
    let app = App::launch(
        "browse",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.click("[data-testid=context-item][data-current=true]")
        .await;

    // Namespaces, live from the server.
    app.click("[data-testid=nav-item][data-kind=Namespace]")
        .await;
    app.wait_for(&row(NS)).await;
    app.screenshot("namespaces").await;

    // Pods of our namespace.
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-item][data-kind=Pod]").await;
    app.wait_for(&row("e2e-lonely")).await;
    let pods = cluster
        .kubectl_ok(["-n", NS, "get", "pods", "-o", "name"])
        .expect("kubectl pods");
    let mut expected: Vec<String> = pods
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_string())
        .collect();
    expected.sort();
    eventually(UI_TIMEOUT, || async {
        let shown = shown_names(&app).await;
        if shown == expected {
            Ok(())
        } else {
            Err(format!("table {shown:?} != kubectl {expected:?}"))
        }
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
    app.screenshot("pods").await;

    // Label selector: only the deployment's pods remain.
    let selector = app.wait_for("[data-testid=label-selector]").await;
    selector
        .send_keys(&format!("app=e2e-web{}", Key::Enter))
        .await
        .expect("type selector");
    wait_gone(&app, &row("e2e-lonely")).await;
    let web: Vec<String> = expected
        .iter()
        .filter(|n| n.starts_with("e2e-web-"))
        .cloned()
        .collect();
    assert_eq!(web.len(), 2);
    for name in &web {
        app.wait_for(&row(name)).await;
    }
    app.screenshot("label-filter").await;

    // Details of one pod: containers, then YAML.
    app.click(&row(&web[0])).await;
    app.wait_for("[data-testid=details-panel][data-kind=Pod]")
        .await;
    wait_xpath(
        &app,
        "//*[@data-testid='details-summary'][contains(., 'capstan.local/busybox:1')]",
    )
    .await;
    app.click("[data-testid=details-tab-yaml]").await;
    wait_xpath(
        &app,
        "//*[@data-testid='details-yaml'][contains(., 'kind: Pod')]",
    )
    .await;
    app.screenshot("pod-yaml").await;

    // Edit: the CodeMirror editor renders styled under the app's CSP (its
    // injected styles carry the page's style nonce), holds the object's YAML,
    // and a bad edit gets the server's error above it and a lint mark on the line.
    app.click("[data-testid=yaml-edit]").await;
    app.wait_for_text("[data-testid=yaml-editor]", |t| t.contains("kind: Pod"))
        .await;
    let styled = app
        .client
        .execute(
            "const ed = document.querySelector('[data-testid=yaml-editor-editor] .cm-editor');
             const gutters = ed && ed.querySelector('.cm-gutters');
             return [ed ? getComputedStyle(ed).display : 'none',
                     gutters ? getComputedStyle(gutters).display : 'none'];",
            vec![],
        )
        .await
        .expect("editor style");
    assert_eq!(
        styled,
        serde_json::json!(["flex", "flex"]),
        "CodeMirror's own styles did not apply (blocked by the CSP?)"
    );
    // Select all (modifiers are released at the end of each send_keys), then type over it.
    let editor = app.wait_for("[data-testid=yaml-editor]").await;
    editor
        .send_keys(&format!("{}a", Key::Control))
        .await
        .expect("select all in the editor");
    editor
        .send_keys("kind: [unclosed")
        .await
        .expect("type into the editor");
    app.wait_for_text("[data-testid=yaml-editor]", |t| t == "kind: [unclosed")
        .await;
    app.click("[data-testid=yaml-apply]").await;
    app.wait_for("[data-testid=yaml-error]").await;
    app.wait_for("[data-testid=yaml-editor] .cm-lintRange-error")
        .await;
    app.screenshot("pod-yaml-lint").await;
    app.click("[data-testid=yaml-cancel]").await;
    app.wait_for("[data-testid=details-yaml]").await;
    app.click("[data-testid=details-close]").await;
    // WebDriver's clear() bypasses React's onChange: erase by keystrokes.
    let selector = app.wait_for("[data-testid=label-selector]").await;
    selector
        .send_keys(&format!(
            "{}{}",
            Key::Backspace.to_string().repeat(20),
            Key::Enter
        ))
        .await
        .expect("erase selector");
    app.wait_for(&row("e2e-lonely")).await;

    // Scale the deployment to 3 and watch its row follow.
    app.click("[data-testid=nav-item][data-kind=Deployment]")
        .await;
    app.click(&row("e2e-web")).await;
    app.click("[data-testid=action-scale]").await;
    let input = app.wait_for("[data-testid=scale-input]").await;
    input
        .send_keys(&format!("{}3", Key::Backspace.to_string().repeat(5)))
        .await
        .expect("type replicas");
    app.click("[data-testid=scale-submit]").await;
    app.wait_for("[data-testid=action-result]").await;
    // Starting the new pod is the cluster's work (slow on a loaded machine);
    // what is checked is the row following once it is Ready.
    cluster
        .wait_rollout(NS, "e2e-web", 180)
        .expect("scaled to 3");
    wait_xpath(
        &app,
        "//*[@data-testid='resource-row'][@data-name='e2e-web']/*[@data-testid='resource-cell'][normalize-space()='3/3']",
    )
    .await;
    let replicas = cluster
        .kubectl_ok([
            "-n",
            NS,
            "get",
            "deployment",
            "e2e-web",
            "-o",
            "jsonpath={.spec.replicas}",
        ])
        .expect("kubectl deployment");
    assert_eq!(replicas.trim(), "3");
    app.screenshot("scaled").await;
    app.click("[data-testid=details-close]").await;

    // Delete the lone pod, after confirming.
    app.click("[data-testid=nav-item][data-kind=Pod]").await;
    app.click(&row("e2e-lonely")).await;
    app.click("[data-testid=action-delete]").await;
    app.wait_for("[data-testid=confirm-dialog]").await;
    app.screenshot("confirm-delete").await;
    app.click("[data-testid=confirm-ok]").await;
    wait_gone(&app, &row("e2e-lonely")).await;
    assert!(
        cluster.wait_until(Duration::from_secs(60), || {
            cluster
                .kubectl_ok(["-n", NS, "get", "pods", "-o", "name"])
                .map(|o| !o.contains("e2e-lonely"))
                .unwrap_or(false)
        }),
        "the pod is still on the server"
    );
    app.screenshot("deleted").await;
    app.close().await;
}
