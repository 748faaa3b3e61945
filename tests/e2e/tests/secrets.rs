//! Secrets through the app window against the real test cluster: open a
//! secret, see it masked (the value is nowhere on the page), reveal a key,
//! edit it, and see the new value after saving, on screen and on the server;
//! the app's log file holds neither value.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};
use capstan_test_support::{TestCluster, TestNamespace};

const NS: &str = "e2e-secrets";
const OLD: &str = "e2e-old-password-41";
const NEW: &str = "e2e-new-password-42";

// A pod refers to the secret so the details can list it under "Used by"; it
// never needs to run.
const MANIFEST: &str = r#"apiVersion: v1
kind: Secret
metadata: {name: e2e-db}
type: Opaque
stringData: {password: "e2e-old-password-41", user: app}
---
apiVersion: v1
kind: Pod
metadata: {name: e2e-db-user}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: "capstan.local/busybox:1"
    imagePullPolicy: Never
    command: [sleep, "100000"]
    env:
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: e2e-db, key: password}}
"#;

async fn page_source(app: &App) -> String {
    app.client.source().await.expect("page source")
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_secret_is_masked_revealed_edited_and_saved() {
    let cluster = TestCluster::get();
    // Deleted when dropped, however the test ends.
    let _ns = TestNamespace::with_manifest(NS, MANIFEST);
    let app = App::launch(
        "secrets",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.click("[data-testid=context-item][data-current=true]")
        .await;
    app.choose_namespace(NS).await;
    app.click("[data-testid=nav-item][data-kind=Secret]").await;
    app.click("[data-testid=resource-row][data-name=\"e2e-db\"]")
        .await;

    // Masked: the Data tab opens first and the value is nowhere in the page.
    let password = "[data-testid=secret-key][data-key=password]";
    app.wait_for(&format!("{password}[data-revealed=false]"))
        .await;
    let masked = app
        .text(&format!("{password} [data-testid=secret-value]"))
        .await;
    assert_eq!(masked.trim(), "••••••••");
    assert!(!page_source(&app).await.contains(OLD), "value in the page");
    let user = app
        .wait_for_text("[data-testid=secret-user]", |t| !t.is_empty())
        .await;
    assert!(
        user.contains("e2e-db-user") && user.contains("DB_PASSWORD"),
        "{user}"
    );
    app.screenshot("secret-masked").await;

    // Reveal one key: only that one.
    app.click(&format!("{password} [data-testid=secret-reveal]"))
        .await;
    let shown = app
        .wait_for_text(&format!("{password} [data-testid=secret-text]"), |t| {
            !t.is_empty()
        })
        .await;
    assert_eq!(shown, OLD);
    app.wait_for("[data-testid=secret-key][data-key=user][data-revealed=false]")
        .await;

    // Edit: the value box starts from the current value.
    app.click("[data-testid=secret-edit]").await;
    app.click("[data-testid=secret-edit-key][data-key=password] [data-testid=secret-edit-change]")
        .await;
    let input = app
        .wait_for(
            "[data-testid=secret-edit-key][data-key=password] [data-testid=secret-edit-value]",
        )
        .await;
    assert_eq!(
        input.prop("value").await.expect("value").as_deref(),
        Some(OLD)
    );
    input.clear().await.expect("clear the value");
    input.send_keys(NEW).await.expect("type the new value");
    app.screenshot("secret-editing").await;
    app.click("[data-testid=secret-edit-save]").await;

    // Saved: the panel shows the new value, and so does the server.
    app.wait_for_text("[data-testid=secret-notice]", |t| t == "Saved.")
        .await;
    app.wait_for_text(&format!("{password} [data-testid=secret-text]"), |t| {
        t == NEW
    })
    .await;
    let on_server = cluster
        .kubectl_ok([
            "-n",
            NS,
            "get",
            "secret",
            "e2e-db",
            "-o",
            "go-template={{.data.password | base64decode}}",
        ])
        .expect("read the secret");
    assert_eq!(on_server, NEW);
    app.screenshot("secret-saved").await;

    // Hide all: masked again.
    app.click("[data-testid=secret-hide-all]").await;
    app.wait_for(&format!("{password}[data-revealed=false]"))
        .await;
    assert!(
        !page_source(&app).await.contains(NEW),
        "value left in the page"
    );

    // The app logged the flow, but no value.
    let log = app.log_text();
    assert!(
        log.contains("saving a secret"),
        "the log file is not where expected"
    );
    for v in [OLD, NEW] {
        assert!(!log.contains(v), "a secret value reached the app's log");
    }

    app.close().await;
}
