//! The installed package, not the build tree: `scripts/package-test.sh`
//! installs the `.deb` with apt and runs these against `/usr/bin/capstan-app`,
//! one phase before and one after installing the next version over it.
//!
//! `CAPSTAN_E2E_INSTALLED_APP` names the installed binary and
//! `CAPSTAN_E2E_STATE` a folder for the app's config dir, kept between the
//! two phases as a user's is across an upgrade. Without them these fail
//! rather than pass: the plain e2e step skips them by name.

use std::path::PathBuf;

use capstan_e2e::{App, Installed, Launch};
use capstan_test_support::{prerequisite_needed, TestCluster};

/// The cluster added through the window before the upgrade.
const ADDED: &str = "upgrade-added";

fn env_path(name: &str, what: &str) -> PathBuf {
    match std::env::var_os(name).filter(|v| !v.is_empty()) {
        Some(v) => PathBuf::from(v),
        None => prerequisite_needed(
            &format!("{name} ({what})"),
            "",
            "run scripts/package-test.sh, which installs the package and sets it",
        ),
    }
}

fn installed() -> (PathBuf, PathBuf) {
    let app = env_path("CAPSTAN_E2E_INSTALLED_APP", "the installed app binary");
    let state = env_path(
        "CAPSTAN_E2E_STATE",
        "the config dir kept across the upgrade",
    );
    (app, state.join("config"))
}

fn yaml(path: &std::path::Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_yaml::from_str(&text).expect("kubeconfig is YAML")
}

/// Every context name of the test kubeconfig.
fn context_names(cluster: &TestCluster) -> Vec<String> {
    let doc = yaml(cluster.kubeconfig_path());
    let names: Vec<String> = doc["contexts"]
        .as_array()
        .expect("contexts")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    assert!(!names.is_empty(), "the test kubeconfig has contexts");
    names
}

/// The token kubeconfig renamed to `ADDED`, as one line to paste.
fn pasted(cluster: &TestCluster) -> String {
    let mut doc = yaml(cluster.token_kubeconfig_path());
    doc["clusters"][0]["name"] = "upgrade-cluster".into();
    doc["users"][0]["name"] = "upgrade-user".into();
    doc["contexts"] = serde_json::json!([{ "name": ADDED, "context": { "cluster": "upgrade-cluster", "user": "upgrade-user" } }]);
    doc["current-context"] = ADDED.into();
    serde_json::to_string(&doc).expect("json")
}

fn reachable(context: &str) -> String {
    format!(
        "[data-testid=context-item][data-context-name=\"{context}\"] \
         [data-testid=context-state][data-state=reachable]"
    )
}

#[tokio::test]
#[ignore = "needs the installed .deb; run by scripts/package-test.sh"]
async fn installed_package_lists_contexts_then_adds_a_cluster() {
    let cluster = TestCluster::get();
    let (app_bin, config_dir) = installed();
    let app = App::launch_installed(
        "installed",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
        Installed {
            app: &app_bin,
            config_dir: &config_dir,
        },
    )
    .await;
    for name in context_names(cluster) {
        app.wait_for(&reachable(&name)).await;
    }
    app.screenshot("contexts").await;

    app.click("[data-testid=add-cluster]").await;
    app.wait_for("[data-testid=add-cluster-input]")
        .await
        .send_keys(&pasted(cluster))
        .await
        .expect("paste");
    app.click("[data-testid=add-cluster-submit]").await;
    app.wait_for(&reachable(ADDED)).await;
    app.screenshot("added").await;
    let managed = std::fs::read_to_string(config_dir.join("kubeconfig.yaml"))
        .expect("the app-managed kubeconfig");
    assert!(managed.contains(ADDED), "{managed}");
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the installed .deb, upgraded; run by scripts/package-test.sh"]
async fn installed_package_keeps_the_added_cluster_after_an_upgrade() {
    let cluster = TestCluster::get();
    let (app_bin, config_dir) = installed();
    let app = App::launch_installed(
        "upgraded",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
        Installed {
            app: &app_bin,
            config_dir: &config_dir,
        },
    )
    .await;
    // The added cluster is listed and its credential (keyring or the 0600
    // file in the config dir) still connects.
    app.wait_for(&reachable(ADDED)).await;
    for name in context_names(cluster) {
        app.wait_for(&reachable(&name)).await;
    }
    app.screenshot("after-upgrade").await;
    app.close().await;
}
