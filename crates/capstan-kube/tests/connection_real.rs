//! Connection checks against the real Kubernetes test cluster.

use std::path::Path;
use std::time::Duration;

use capstan_kube::contexts::{
    check_connection, load_kubeconfig, ConnectionState, DEFAULT_CHECK_TIMEOUT,
};
use capstan_test_support::TestCluster;

/// The test cluster's token kubeconfig, with `edit` applied, in a temp file.
fn variant(
    dir: &tempfile::TempDir,
    name: &str,
    edit: impl Fn(&mut serde_yaml::Value),
) -> std::path::PathBuf {
    let src = TestCluster::get().token_kubeconfig_path();
    let mut doc: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(src).expect("read token kubeconfig"))
            .expect("yaml");
    edit(&mut doc);
    let path = dir.path().join(name);
    std::fs::write(&path, serde_yaml::to_string(&doc).expect("yaml")).expect("write");
    path
}

async fn check(path: &Path) -> capstan_kube::contexts::ConnectionCheck {
    capstan_kube::install_crypto_provider();
    let loaded = load_kubeconfig(&[path.to_path_buf()]).expect("load");
    let context = loaded
        .merged
        .current_context
        .clone()
        .expect("current context");
    check_connection(&loaded, &context, DEFAULT_CHECK_TIMEOUT).await
}

#[tokio::test]
async fn good_token_is_reachable_with_the_server_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = variant(&dir, "good", |_| {});
    let got = check(&path).await;
    assert_eq!(got.state, ConnectionState::Reachable, "{got:?}");
    // The version kubectl reads from the same server.
    let version = TestCluster::get()
        .kubectl_json(["version"])
        .expect("kubectl version");
    let want = version["serverVersion"]["gitVersion"]
        .as_str()
        .expect("serverVersion.gitVersion");
    assert_eq!(got.server_version.as_deref(), Some(want), "{got:?}");
}

#[tokio::test]
async fn bad_token_is_an_auth_failure_with_the_servers_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = variant(&dir, "bad-token", |d| {
        d["users"][0]["user"]["token"] = "capstan-wrong-token".into();
    });
    let got = check(&path).await;
    assert_eq!(got.state, ConnectionState::AuthFailed, "{got:?}");
    let message = got.message.unwrap_or_default();
    assert!(message.to_lowercase().contains("unauthorized"), "{message}");
    assert!(
        !message.contains("capstan-wrong-token"),
        "the token never appears in messages"
    );
}

#[tokio::test]
async fn wrong_ca_is_a_tls_error() {
    let other_ca = rcgen::generate_simple_self_signed(vec!["other-ca".into()]).expect("cert");
    let pem = other_ca.cert.pem();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = variant(&dir, "wrong-ca", |d| {
        use base64::Engine;
        d["clusters"][0]["cluster"]["certificate-authority-data"] =
            base64::engine::general_purpose::STANDARD
                .encode(&pem)
                .into();
    });
    let got = check(&path).await;
    assert_eq!(got.state, ConnectionState::TlsError, "{got:?}");
}

#[tokio::test]
async fn closed_port_is_unreachable_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = capstan_test_support::free_port();
    let path = variant(&dir, "down", |d| {
        d["clusters"][0]["cluster"]["server"] = format!("https://127.0.0.1:{port}").into();
    });
    let started = std::time::Instant::now();
    let got = check(&path).await;
    assert_eq!(got.state, ConnectionState::Unreachable, "{got:?}");
    assert!(started.elapsed() < DEFAULT_CHECK_TIMEOUT + Duration::from_secs(1));
}
