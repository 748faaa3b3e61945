//! Diagnostics against the real test cluster, with secrets seeded everywhere
//! the app knows them: the text must state the facts and hold none of them.

use base64::Engine as _;
use capstan_kube::credentials::CredentialStore;
use capstan_test_support::TestCluster;

use super::*;

const TOKEN_SEED: &str = "diag-seeded-token-5f1c2e";
const PASSWORD_SEED: &str = "diag-seeded-password-9a8b";
const PLUGIN_ENV_SEED: &str = "diag-seeded-plugin-env-77aa";
const PLUGIN_STDERR_SEED: &str = "diag-seeded-plugin-stderr-31cd";

fn yaml(path: &std::path::Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).expect("read kubeconfig")).expect("yaml")
}

#[tokio::test]
async fn diagnostics_state_the_facts_and_hold_no_secret() {
    let cluster = TestCluster::get();
    let dir = tempfile::tempdir().expect("tempdir");
    let admin = yaml(cluster.kubeconfig_path());
    let token_cfg = yaml(cluster.token_kubeconfig_path());
    let real_token = token_cfg["users"][0]["user"]["token"]
        .as_str()
        .expect("token")
        .to_string();
    let key_b64 = admin["users"][0]["user"]["client-key-data"]
        .as_str()
        .expect("the admin user has client-key-data")
        .to_string();
    let key_pem = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(&key_b64)
            .expect("base64"),
    )
    .expect("PEM");
    let server = admin["clusters"][0]["cluster"].clone();

    // A plugin that fails, printing a secret on stderr.
    let plugin = dir.path().join("plugin.sh");
    std::fs::write(
        &plugin,
        format!("#!/bin/sh\necho {PLUGIN_STDERR_SEED} >&2\nexit 1\n"),
    )
    .expect("plugin");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    let mut doc = admin.clone();
    doc["clusters"] = serde_json::json!([
        { "name": "real", "cluster": server },
        { "name": "dead", "cluster": { "server": "https://127.0.0.1:1" } },
    ]);
    doc["users"] = serde_json::json!([
        admin["users"][0].clone(),
        { "name": "tok", "user": { "token": real_token } },
        { "name": "basic", "user": { "username": "u", "password": PASSWORD_SEED, "token": TOKEN_SEED } },
        { "name": "plug", "user": { "exec": {
            "apiVersion": "client.authentication.k8s.io/v1",
            "command": plugin.display().to_string(),
            "env": [{ "name": "SEEDED", "value": PLUGIN_ENV_SEED }],
            "interactiveMode": "Never",
        } } },
    ]);
    let admin_user = admin["users"][0]["name"].clone();
    doc["contexts"] = serde_json::json!([
        { "name": "diag-admin", "context": { "cluster": "real", "user": admin_user } },
        { "name": "diag-token", "context": { "cluster": "real", "user": "tok" } },
        { "name": "diag-dead", "context": { "cluster": "dead", "user": "basic" } },
        { "name": "diag-plugin", "context": { "cluster": "real", "user": "plug" } },
    ]);
    doc["current-context"] = "diag-admin".into();
    let user_file = dir.path().join("config");
    std::fs::write(&user_file, serde_json::to_string(&doc).expect("json")).expect("write");

    // A cluster added in the app: its token lives in the (file) store.
    let app_dir = dir.path().join("app");
    std::fs::create_dir(&app_dir).expect("app dir");
    let store = CredentialStore::file(app_dir.join("credentials.json"));
    let managed = app_dir.join("kubeconfig.yaml");
    let added = serde_json::json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{ "name": "added", "cluster": server }],
        "users": [{ "name": "added-user", "user": { "token": real_token } }],
        "contexts": [{ "name": "diag-added", "context": { "cluster": "added", "user": "added-user" } }],
    });
    capstan_kube::managed::add_kubeconfig(
        &capstan_kube::contexts::LoadedKubeconfig::default(),
        &managed,
        &store,
        &serde_json::to_string(&added).expect("json"),
        |_, _| async { Ok(()) },
    )
    .await
    .expect("add a cluster");
    let loaded = capstan_kube::managed::load_with_managed(
        std::slice::from_ref(&user_file),
        &managed,
        &store,
    )
    .expect("load");

    let text = render(&gather(crate::about::about(), &loaded).await);

    for fact in [
        env!("CARGO_PKG_VERSION"),
        crate::about::COMMIT,
        crate::about::TESTED_KUBERNETES,
        "Engine: ",
        "Credential store: File",
        "diag-admin [current]: reachable v1.35",
        "diag-token: reachable",
        "diag-added [added in Capstan]: reachable",
        "diag-dead: unreachable",
        "diag-plugin: auth failed",
    ] {
        assert!(text.contains(fact), "{fact:?} missing from:\n{text}");
    }
    let mut secrets = vec![
        real_token.as_str(),
        TOKEN_SEED,
        PASSWORD_SEED,
        PLUGIN_ENV_SEED,
        PLUGIN_STDERR_SEED,
        key_b64.as_str(),
    ];
    // Every line of the key's body, not only the whole PEM.
    secrets.extend(
        key_pem
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 16),
    );
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "a secret value is in the diagnostics:\n{text}"
        );
    }
}

#[test]
fn engine_urls_lose_their_credentials() {
    assert_eq!(
        without_userinfo("tcp://me:pw@10.0.0.2:2376"),
        "tcp://10.0.0.2:2376"
    );
    assert_eq!(
        without_userinfo("unix:///var/run/docker.sock"),
        "unix:///var/run/docker.sock"
    );
}
