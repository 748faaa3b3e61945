//! Port-forward through the app window against the real test cluster: start a
//! forward to a service from its details, fetch through it, delete the pod
//! behind it (the deployment replaces it), fetch again on the same local port,
//! stop the forward from the panel and see the port closed. The panel's link
//! and Copy button carry the forward's URL. A saved forward comes back when
//! the app starts again and its context is opened.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use std::io::{Read, Write};
use std::time::Duration;

use capstan_e2e::{App, Launch, UI_TIMEOUT};
use capstan_test_support::{eventually, holds, TestCluster, TestNamespace};

const NS: &str = "e2e-forward";

// httpd serves a page naming the pod, so a fetch says which pod answered.
const MANIFEST: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: e2e-fwd-web}
spec:
  replicas: 1
  selector: {matchLabels: {app: e2e-fwd-web}}
  template:
    metadata: {labels: {app: e2e-fwd-web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: web
        image: "capstan.local/busybox:1"
        imagePullPolicy: Never
        command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: e2e-fwd-web}
spec:
  selector: {app: e2e-fwd-web}
  ports: [{name: web, port: 80, targetPort: http}]
"#;

/// The test's namespace with the deployment rolled out; deleted when the
/// guard is dropped, however the test ends.
fn seed(cluster: &TestCluster) -> TestNamespace {
    let ns = TestNamespace::with_manifest(NS, MANIFEST);
    cluster
        .wait_rollout(NS, "e2e-fwd-web", 90)
        .expect("deployment ready");
    ns
}

fn pod_names(cluster: &TestCluster) -> Vec<String> {
    cluster
        .kubectl_ok(["-n", NS, "get", "pods", "-o", "name"])
        .expect("kubectl pods")
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_string())
        .collect()
}

/// The body of `GET /` through `addr`, or the reason it failed.
async fn fetch(addr: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(&addr).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .map_err(|e| e.to_string())?;
        let mut out = String::new();
        s.read_to_string(&mut out).map_err(|e| e.to_string())?;
        if out.starts_with("HTTP/1.") && out.contains(" 200 ") {
            Ok(out)
        } else {
            Err(format!("unexpected answer: {out:?}"))
        }
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn attr(app: &App, css: &str, name: &str) -> String {
    app.client
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? (e.getAttribute(arguments[1]) || '') : '';",
            vec![serde_json::Value::from(css), serde_json::Value::from(name)],
        )
        .await
        .expect("read attribute")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The first forward's link: its URL (as shown and as href, which must
/// agree) and the host:port to connect to.
async fn shown_url(app: &App) -> (String, String) {
    let link = "[data-testid=forward-panel] [data-testid=forward-link]";
    app.wait_for(link).await;
    let url = app.text(link).await;
    assert_eq!(attr(app, link, "href").await, url);
    let addr = url
        .strip_prefix("http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("local URL {url:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    (url, addr)
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn forward_to_a_service_survives_a_pod_replacement_then_stops() {
    let cluster = TestCluster::get();
    let _ns = seed(cluster);
    let first_pods = pod_names(cluster);
    assert_eq!(first_pods.len(), 1, "{first_pods:?}");
    let app = App::launch(
        "forward",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.click("[data-testid=context-item][data-current=true]")
        .await;
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-item][data-kind=Service]").await;
    app.click("[data-testid=resource-row][data-name=\"e2e-fwd-web\"]")
        .await;
    app.wait_for("[data-testid=details-panel][data-kind=Service]")
        .await;

    // The service's port, with its named targetPort; "0" lets the OS pick the
    // local port (80 would need privileges and may be taken).
    app.click("[data-testid=action-forward]").await;
    app.wait_for("[data-testid=forward-port] option").await;
    let port_choice = app.text("[data-testid=forward-port]").await;
    assert!(
        port_choice.contains("80") && port_choice.contains("http"),
        "{port_choice}"
    );
    app.wait_for("[data-testid=forward-local-port]")
        .await
        .send_keys("0")
        .await
        .expect("type local port");
    app.click("[data-testid=forward-start]").await;
    let (url, addr) = shown_url(&app).await;
    app.screenshot("forward-started").await;

    // Copy: the clipboard plugin answered (the button says so only then).
    app.click("[data-testid=forward-copy]").await;
    app.wait_for_text("[data-testid=forward-copy]", |t| t.contains("Copied"))
        .await;

    // The opener's scope refuses anything but a loopback URL, also when the
    // page itself asks (user info would send `*` globs elsewhere).
    for url in ["https://example.com/", "http://127.0.0.1:80@example.com/"] {
        let answer = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke('plugin:opener|open_url', {url: arguments[0]})
                   .then(() => done('opened'), (e) => done('refused: ' + String(e)));",
                vec![serde_json::Value::from(url)],
            )
            .await
            .expect("invoke opener");
        let answer = answer.as_str().unwrap_or_default();
        // The plugin's own refusal, not a missing command or permission.
        assert!(
            answer.starts_with("refused") && answer.contains("Not allowed to open url"),
            "{url}: {answer}"
        );
    }

    let body = fetch(addr.clone()).await.expect("first fetch");
    assert!(body.contains(&first_pods[0]), "{body}");

    // The deployment replaces the deleted pod; the forward follows it.
    cluster
        .kubectl_ok(["-n", NS, "delete", "pod", &first_pods[0], "--wait=false"])
        .expect("delete pod");
    let healed = eventually(Duration::from_secs(120), || async {
        match fetch(addr.clone()).await {
            Ok(body) if !body.contains(&first_pods[0]) => Ok(body),
            Ok(body) => Err(format!("still the deleted pod: {body}")),
            Err(e) => Err(e),
        }
    })
    .await
    .unwrap_or_else(|last| panic!("no answer from a new pod: {last}"));
    let now = pod_names(cluster);
    assert!(
        now.iter()
            .any(|p| p != &first_pods[0] && healed.contains(p)),
        "{healed} not from {now:?}"
    );
    assert_eq!(shown_url(&app).await.0, url);
    app.screenshot("forward-healed").await;

    // Stop from the panel: the row goes and the port no longer answers.
    app.click("[data-testid=forward-stop]").await;
    app.wait_for("[data-testid=forward-empty]").await;
    closed(&addr).await;

    app.close().await;
}

/// Waits until nothing accepts connections on `addr`.
async fn closed(addr: &str) {
    eventually(UI_TIMEOUT, || {
        std::future::ready(holds(
            std::net::TcpStream::connect(addr).is_err(),
            &format!("{addr} to stop accepting connections"),
        ))
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
}

const RESTORE_NS: &str = "e2e-forward-restore";
const RESTORE_CTX: &str = "e2e-fwd-restore";

/// KUBECONFIG with the test cluster's context first (current, opened at
/// start) and a second context on the same cluster, which the test opens
/// itself: its saved forwards come back on its first use.
fn two_context_kubeconfig(cluster: &TestCluster, dir: &std::path::Path) -> String {
    let admin = cluster.kubeconfig_path();
    let text = std::fs::read_to_string(admin).expect("read kubeconfig");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("kubeconfig yaml");
    let ctx = &doc["contexts"][0]["context"];
    let extra = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "contexts": [{"name": RESTORE_CTX, "context": {
            "cluster": ctx["cluster"].as_str().expect("cluster"),
            "user": ctx["user"].as_str().expect("user"),
            "namespace": RESTORE_NS,
        }}],
    });
    let path = dir.join("extra.kubeconfig");
    std::fs::write(&path, serde_json::to_string(&extra).expect("json")).expect("write");
    format!("{}:{}", admin.display(), path.display())
}

async fn open_restore_context(app: &App) {
    app.click(&format!(
        "[data-testid=context-item][data-context-name=\"{RESTORE_CTX}\"]"
    ))
    .await;
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn saved_forward_comes_back_after_a_restart() {
    let cluster = TestCluster::get();
    let _ns = TestNamespace::with_manifest(RESTORE_NS, MANIFEST);
    cluster
        .wait_rollout(RESTORE_NS, "e2e-fwd-web", 90)
        .expect("deployment ready");
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = two_context_kubeconfig(cluster, dir.path());

    // First run: forward with a system-chosen port, then opt in.
    let app = App::launch(
        "forward-restore-1",
        Launch {
            kubeconfig: Some(kubeconfig.clone()),
        },
    )
    .await;
    open_restore_context(&app).await;
    app.choose_namespace(RESTORE_NS).await;
    app.click("[data-testid=nav-item][data-kind=Service]").await;
    app.click("[data-testid=resource-row][data-name=\"e2e-fwd-web\"]")
        .await;
    app.click("[data-testid=action-forward]").await;
    app.wait_for("[data-testid=forward-port] option").await;
    app.wait_for("[data-testid=forward-local-port]")
        .await
        .send_keys("0")
        .await
        .expect("type local port");
    app.click("[data-testid=forward-start]").await;
    let (url, addr) = shown_url(&app).await;
    let toggle = "[data-testid=forward-save-toggle]";
    assert_eq!(
        app.wait_for(toggle)
            .await
            .prop("checked")
            .await
            .ok()
            .flatten()
            .as_deref(),
        Some("false"),
        "saving is off by default"
    );
    app.click(toggle).await;
    let saved_path = app.config_dir().join("forwards.json");
    let port = addr.rsplit(':').next().expect("port").to_string();
    let saved = eventually(UI_TIMEOUT, || {
        let text = std::fs::read_to_string(&saved_path).unwrap_or_default();
        std::future::ready(if text.contains("e2e-fwd-web") {
            Ok(text)
        } else {
            Err(format!("nothing saved in {saved_path:?}: {text:?}"))
        })
    })
    .await
    .unwrap_or_else(|last| panic!("{last}"));
    let mut saved: serde_json::Value = serde_json::from_str(&saved).expect("saved json");
    let entry = &saved["contexts"][RESTORE_CTX];
    assert_eq!(entry["enabled"], true, "{saved}");
    assert_eq!(
        entry["forwards"][0]["ports"][0]["local"].to_string(),
        port,
        "the chosen port is saved: {saved}"
    );
    app.screenshot("saved").await;
    app.close().await;

    // The app is gone: so is its listener.
    closed(&addr).await;

    // Second run, same saved file (each launch has its own temp config dir,
    // so it is carried over before the context is opened), plus a saved
    // forward whose target is gone.
    let app = App::launch(
        "forward-restore-2",
        Launch {
            kubeconfig: Some(kubeconfig),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    let gone = serde_json::json!({
        "namespace": RESTORE_NS,
        "target": {"kind": "service", "name": "e2e-fwd-gone"},
        "ports": [{"local": null, "remote": {"type": "number", "value": 80}}],
    });
    saved["contexts"][RESTORE_CTX]["forwards"]
        .as_array_mut()
        .expect("forwards")
        .push(gone);
    std::fs::create_dir_all(app.config_dir()).expect("config dir");
    std::fs::write(
        app.config_dir().join("forwards.json"),
        serde_json::to_vec(&saved).expect("json"),
    )
    .expect("write saved forwards");
    open_restore_context(&app).await;

    // The panel opens by itself with the restored forward on the same URL
    // and the failed one with its reason.
    let (url2, addr2) = shown_url(&app).await;
    assert_eq!(url2, url);
    app.wait_for_text("[data-testid=forward-state]", |t| t.contains("active"))
        .await;
    app.wait_for_text("[data-testid=forward-failed-reason]", |t| {
        t.contains("\"e2e-fwd-gone\" not found")
    })
    .await;
    let body = fetch(addr2)
        .await
        .expect("fetch through the restored forward");
    assert!(body.contains("e2e-fwd-web-"), "{body}");
    assert_eq!(
        app.wait_for(toggle)
            .await
            .prop("checked")
            .await
            .ok()
            .flatten()
            .as_deref(),
        Some("true")
    );
    app.screenshot("restored").await;

    app.close().await;
}
