//! Contexts flow against the real test cluster: add a cluster by pasting a
//! kubeconfig, see it reachable, switch to it, switch namespace.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};
use capstan_test_support::TestCluster;
use fantoccini::Locator;

const ADDED: &str = "e2e-added";

/// A user kubeconfig with one context whose server never answers.
const USER_KUBECONFIG: &str = r#"apiVersion: v1
kind: Config
current-context: offline
clusters:
- name: offline
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: offline
  context: {cluster: offline, user: nobody}
users:
- name: nobody
  user: {token: not-a-real-token}
"#;

/// The test cluster's token kubeconfig with its names changed, so the
/// pasted entries cannot clash with anything.
fn pasted_kubeconfig(cluster: &TestCluster) -> (String, String) {
    let text = std::fs::read_to_string(cluster.token_kubeconfig_path()).expect("token kubeconfig");
    let mut doc: serde_json::Value = serde_yaml_to_json(&text);
    let token = doc["users"][0]["user"]["token"]
        .as_str()
        .expect("a token user")
        .to_string();
    doc["clusters"][0]["name"] = "e2e-cluster".into();
    doc["users"][0]["name"] = "e2e-user".into();
    doc["contexts"] = serde_json::json!([{ "name": ADDED, "context": { "cluster": "e2e-cluster", "user": "e2e-user" } }]);
    doc["current-context"] = ADDED.into();
    // JSON is YAML; one line keeps WebDriver typing simple.
    (serde_json::to_string(&doc).expect("json"), token)
}

fn serde_yaml_to_json(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).expect("kubeconfig is YAML")
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn add_a_cluster_by_paste_then_switch_context_and_namespace() {
    let cluster = TestCluster::get();
    let dir = tempfile::tempdir().expect("tempdir");
    let user_config = dir.path().join("config");
    std::fs::write(&user_config, USER_KUBECONFIG).expect("write kubeconfig");
    let before = std::fs::read(&user_config).expect("read");
    let app = App::launch(
        "contexts-add",
        Launch {
            kubeconfig: Some(user_config.display().to_string()),
        },
    )
    .await;

    // The dead cluster is reported as such without blocking anything.
    app.wait_for("[data-context-name=offline] [data-testid=context-state][data-state=unreachable]")
        .await;

    let (pasted, token) = pasted_kubeconfig(cluster);
    app.wait_for("[data-testid=add-cluster]")
        .await
        .click()
        .await
        .expect("click add");
    app.wait_for("[data-testid=add-cluster-dialog]").await;
    app.wait_for("[data-testid=add-cluster-input]")
        .await
        .send_keys(&pasted)
        .await
        .expect("paste");
    app.wait_for("[data-testid=add-cluster-submit]")
        .await
        .click()
        .await
        .expect("submit");

    let item = format!("[data-testid=context-item][data-context-name=\"{ADDED}\"]");
    app.wait_for(&format!(
        "{item} [data-testid=context-state][data-state=reachable]"
    ))
    .await;
    app.screenshot("added").await;

    // Selecting opens it in the app only: the user's file is untouched.
    app.wait_for(&item)
        .await
        .click()
        .await
        .expect("select added context");
    app.wait_for(&format!("{item}[aria-selected=true]")).await;
    let status = app
        .wait_for("[data-testid=status-context]")
        .await
        .text()
        .await
        .expect("text");
    assert!(
        status.contains(ADDED),
        "status bar shows the context: {status}"
    );
    assert_eq!(
        std::fs::read(&user_config).expect("read"),
        before,
        "selecting wrote nothing"
    );

    // Namespaces come from the live cluster.
    app.choose_namespace("kube-system").await;
    app.client
        .wait()
        .at_most(capstan_e2e::UI_TIMEOUT)
        .for_element(Locator::XPath(
            "//*[@data-testid='status-namespace'][contains(., 'kube-system')]",
        ))
        .await
        .expect("status bar shows the chosen namespace");
    app.screenshot("namespace").await;

    // The namespace is remembered per context, and the token is not in the
    // app-managed kubeconfig (keyring, or the 0600 fallback file).
    let settings =
        std::fs::read_to_string(app.config_dir().join("settings.json")).expect("settings written");
    assert!(
        settings.contains(ADDED) && settings.contains("kube-system"),
        "{settings}"
    );
    let managed = std::fs::read_to_string(app.config_dir().join("kubeconfig.yaml"))
        .expect("managed kubeconfig");
    assert!(managed.contains(ADDED));
    assert!(
        !managed.contains(&token),
        "the token must not be stored in the kubeconfig file"
    );
    app.close().await;
}
