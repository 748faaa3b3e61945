use std::path::PathBuf;

use super::*;
use crate::Error;

fn put(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, body).expect("write fixture");
    p
}

fn load(dir: &tempfile::TempDir, body: &str) -> (PathBuf, LoadedKubeconfig) {
    let p = put(dir, "config", body);
    let l = load_kubeconfig(std::slice::from_ref(&p)).expect("load");
    (p, l)
}

const BROKEN: &str = r#"
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1", certificate-authority: missing-ca.crt}
- name: ok
  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true, proxy-url: "http://127.0.0.1:3128"}
contexts:
- name: no-cluster
  context: {cluster: nope, user: u}
- name: no-user
  context: {cluster: ok, user: ghost}
- name: no-ca
  context: {cluster: c, user: u}
- name: no-key
  context: {cluster: ok, user: keyless}
- name: good
  context: {cluster: ok, user: u, namespace: team}
users:
- name: u
  user: {token: s3cr3t-token}
- name: keyless
  user: {client-certificate-data: Zm9v, client-key: keys/missing.key}
"#;

#[tokio::test]
async fn missing_cluster_user_and_files_name_the_file_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, l) = load(&dir, BROKEN);
    let shown = path.display().to_string();
    for (ctx, field) in [
        ("no-cluster", "contexts[no-cluster].context.cluster"),
        ("no-user", "contexts[no-user].context.user"),
        ("no-ca", "clusters[c].cluster.certificate-authority"),
        ("no-key", "users[keyless].user.client-key"),
    ] {
        let err = client_config(&l, ctx).await.expect_err(ctx);
        assert!(
            matches!(err, Error::KubeconfigEntry { .. }),
            "{ctx}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(&shown) && msg.contains(field), "{ctx}: {msg}");
    }
    let summary = l.overview();
    let problem = |n: &str| {
        summary
            .contexts
            .iter()
            .find(|c| c.name == n)
            .and_then(|c| c.problem.clone())
    };
    assert!(problem("no-cluster").is_some());
    assert!(problem("no-user").is_some());
    assert!(problem("good").is_none());
}

#[tokio::test]
async fn unknown_context_is_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, l) = load(&dir, BROKEN);
    let err = client_config(&l, "nah").await.expect_err("unknown");
    assert!(matches!(err, Error::ContextNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn token_insecure_and_proxy_reach_the_kube_config() {
    use secrecy::ExposeSecret;
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, l) = load(&dir, BROKEN);
    let c = client_config(&l, "good").await.expect("config");
    assert!(c.accept_invalid_certs);
    assert_eq!(c.default_namespace, "team");
    assert_eq!(
        c.proxy_url.map(|u| u.to_string()).as_deref(),
        Some("http://127.0.0.1:3128/")
    );
    assert_eq!(
        c.auth_info
            .token
            .as_ref()
            .map(|t| t.expose_secret().to_string())
            .as_deref(),
        Some("s3cr3t-token")
    );
}

#[cfg(unix)]
fn script(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = put(dir, name, body);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    p
}

fn exec_config(command: &str) -> String {
    format!(
        r#"
clusters:
- name: c
  cluster: {{server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}
contexts:
- name: x
  context: {{cluster: c, user: p}}
users:
- name: p
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: {command}
      installHint: "get it from example.com"
"#
    )
}

#[tokio::test]
async fn missing_exec_plugin_names_the_binary_and_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, l) = load(&dir, &exec_config("capstan-no-such-plugin-xyz"));
    let err = client_config(&l, "x").await.expect_err("missing plugin");
    let msg = err.to_string();
    assert!(matches!(err, Error::ExecPluginMissing { .. }), "{err:?}");
    assert!(
        msg.contains("capstan-no-such-plugin-xyz") && msg.contains("example.com"),
        "{msg}"
    );
    assert!(msg.contains("users[p].user.exec.command"), "{msg}");

    let (_, l) = load(&dir, &exec_config("./bin/relative-missing"));
    let msg = client_config(&l, "x")
        .await
        .expect_err("missing")
        .to_string();
    assert!(msg.contains("relative-missing"), "{msg}");
}

#[cfg(unix)]
#[tokio::test]
async fn failing_exec_plugin_shows_stderr_never_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    script(
        &dir,
        "plugin.sh",
        "#!/bin/sh\necho 'LEAKED-TOKEN-VALUE'\necho 'please run: login --sso' >&2\nexit 3\n",
    );
    let (_, l) = load(&dir, &exec_config("./plugin.sh"));
    let Err(err) = client(&l, "x").await else {
        panic!("the plugin must fail");
    };
    let msg = err.to_string();
    assert!(matches!(err, Error::ExecPluginFailed { .. }), "{err:?}");
    assert!(
        msg.contains("please run: login --sso") && msg.contains("exit status 3"),
        "{msg}"
    );
    assert!(!msg.contains("LEAKED-TOKEN-VALUE"), "{msg}");
    assert!(!format!("{err:?}").contains("LEAKED-TOKEN-VALUE"));
}

#[cfg(unix)]
#[tokio::test]
async fn exec_plugin_runs_without_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Reads stdin first: with a terminal it would wait; here stdin is closed.
    script(
        &dir,
        "plugin.sh",
        "#!/bin/sh\ncat >/dev/null\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok\"}}'\n",
    );
    let (_, l) = load(&dir, &exec_config("./plugin.sh"));
    let c = client_config(&l, "x").await.expect("config");
    assert_eq!(
        c.auth_info
            .exec
            .as_ref()
            .and_then(|e| e.interactive_mode.clone()),
        Some(kube::config::ExecInteractiveMode::Never)
    );
    tokio::time::timeout(std::time::Duration::from_secs(10), client(&l, "x"))
        .await
        .expect("plugin must not wait on stdin")
        .expect("client");
}
