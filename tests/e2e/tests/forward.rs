//! Port-forward through the app window against the real test cluster: start a
//! forward to a service from its details, fetch through it, delete the pod
//! behind it (the deployment replaces it), fetch again on the same local port,
//! stop the forward from the panel and see the port closed.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use capstan_e2e::{App, Launch, UI_TIMEOUT};
use capstan_test_support::TestCluster;

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

fn seed(cluster: &TestCluster) {
    cluster
        .fresh_namespace(NS, MANIFEST)
        .expect("namespace with a deployment and a service");
    cluster
        .kubectl_ok([
            "-n",
            NS,
            "rollout",
            "status",
            "deployment/e2e-fwd-web",
            "--timeout=90s",
        ])
        .expect("deployment ready");
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

async fn text(app: &App, css: &str) -> String {
    app.client
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            vec![serde_json::Value::from(css)],
        )
        .await
        .expect("read text")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn forward_to_a_service_survives_a_pod_replacement_then_stops() {
    let cluster = TestCluster::get();
    seed(cluster);
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
    app.wait_for(&format!(
        "[data-testid=namespace-select] option[value=\"{NS}\"]"
    ))
    .await;
    app.wait_for("[data-testid=namespace-select]")
        .await
        .select_by_value(NS)
        .await
        .expect("choose namespace");
    app.click("[data-testid=nav-item][data-kind=Service]").await;
    app.click("[data-testid=resource-row][data-name=\"e2e-fwd-web\"]")
        .await;
    app.wait_for("[data-testid=details-panel][data-kind=Service]")
        .await;

    // The service's port, with its named targetPort; "0" lets the OS pick the
    // local port (80 would need privileges and may be taken).
    app.click("[data-testid=action-forward]").await;
    app.wait_for("[data-testid=forward-port] option").await;
    let port_choice = text(&app, "[data-testid=forward-port]").await;
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
    app.wait_for("[data-testid=forward-panel] [data-testid=forward-local]")
        .await;
    let url = text(&app, "[data-testid=forward-local]").await;
    let addr = url
        .trim()
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("local address {url:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    app.screenshot("forward-started").await;

    let body = fetch(addr.clone()).await.expect("first fetch");
    assert!(body.contains(&first_pods[0]), "{body}");

    // The deployment replaces the deleted pod; the forward follows it.
    cluster
        .kubectl_ok(["-n", NS, "delete", "pod", &first_pods[0], "--wait=false"])
        .expect("delete pod");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut attempts = 0;
    let healed = loop {
        attempts += 1;
        match fetch(addr.clone()).await {
            Ok(body) if !body.contains(&first_pods[0]) => break body,
            other => {
                assert!(
                    Instant::now() < deadline,
                    "no answer from a new pod after {attempts} attempts: {other:?}"
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    };
    let now = pod_names(cluster);
    assert!(
        now.iter()
            .any(|p| p != &first_pods[0] && healed.contains(p)),
        "{healed} not from {now:?}"
    );
    assert_eq!(text(&app, "[data-testid=forward-local]").await, url);
    app.screenshot("forward-healed").await;

    // Stop from the panel: the row goes and the port no longer answers.
    app.click("[data-testid=forward-stop]").await;
    app.wait_for("[data-testid=forward-empty]").await;
    let deadline = Instant::now() + UI_TIMEOUT;
    while std::net::TcpStream::connect(&addr).is_ok() {
        assert!(
            Instant::now() < deadline,
            "{addr} still accepts connections"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    app.close().await;
    let _ = cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
}
