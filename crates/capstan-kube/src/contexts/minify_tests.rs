use kube::config::Kubeconfig;

use super::*;
use crate::credentials::CredentialStore;
use crate::managed::{add_kubeconfig, load_with_managed, REFERENCE_PREFIX};

const USER_FILE: &str = r#"
apiVersion: v1
kind: Config
current-context: mine
clusters:
- name: mine
  cluster: {server: "https://mine.example:6443"}
- name: other
  cluster: {server: "https://other.example:6443"}
contexts:
- name: mine
  context: {cluster: mine, user: me, namespace: default}
- name: other
  context: {cluster: other, user: other-user}
- name: cloud
  context: {cluster: other, user: plugin-user}
users:
- name: me
  user: {token: my-token}
- name: other-user
  user: {token: other-token}
- name: plugin-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "echo token"]
      interactiveMode: IfAvailable
"#;

const PASTED: &str = r#"
apiVersion: v1
kind: Config
current-context: added
clusters:
- name: added
  cluster: {server: "https://added.example:6443", insecure-skip-tls-verify: true}
contexts:
- name: added
  context: {cluster: added, user: added-user}
users:
- name: added-user
  user: {token: PASTED-TOKEN}
"#;

struct Env {
    dir: tempfile::TempDir,
    user: std::path::PathBuf,
    managed: std::path::PathBuf,
    store: CredentialStore,
}

fn env() -> Env {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = dir.path().join("config");
    std::fs::write(&user, USER_FILE).expect("write");
    let managed = dir.path().join("app").join("kubeconfig.yaml");
    // The file store, as CAPSTAN_CREDENTIAL_STORE=file picks on a headless machine.
    let store = CredentialStore::file(dir.path().join("app").join("credentials.json"));
    Env {
        user,
        managed,
        store,
        dir,
    }
}

impl Env {
    fn load(&self) -> LoadedKubeconfig {
        load_with_managed(std::slice::from_ref(&self.user), &self.managed, &self.store)
            .expect("load")
    }
}

fn parse(text: &str) -> Kubeconfig {
    Kubeconfig::from_yaml(text).expect("a kubeconfig")
}

#[test]
fn holds_only_that_context_its_cluster_and_user_with_the_namespace() {
    let e = env();
    let text = minified_kubeconfig(&e.load(), "other", Some("apps")).expect("minify");
    let k = parse(&text);
    assert_eq!(k.current_context.as_deref(), Some("other"));
    let names = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        k.contexts
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["other"])
    );
    assert_eq!(
        k.clusters
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["other"])
    );
    assert_eq!(
        k.auth_infos
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["other-user"])
    );
    let ctx = k.contexts[0].context.as_ref().expect("context body");
    assert_eq!(ctx.namespace.as_deref(), Some("apps"));
    assert!(text.contains("other-token"), "the user's token is kept");
    assert!(!text.contains("my-token"), "no other user's secret");
    assert!(!text.contains("mine.example"), "no other cluster");

    // Without a namespace, the context's own stays.
    let k = parse(&minified_kubeconfig(&e.load(), "mine", None).expect("minify"));
    let ctx = k.contexts[0].context.as_ref().expect("context body");
    assert_eq!(ctx.namespace.as_deref(), Some("default"));
}

#[test]
fn an_unknown_context_is_an_error() {
    let e = env();
    let err = minified_kubeconfig(&e.load(), "nope", None).expect_err("unknown");
    assert!(matches!(err, Error::ContextNotFound { .. }), "{err:?}");
}

#[test]
fn exec_plugins_stay_as_the_user_wrote_them() {
    let e = env();
    let k = parse(&minified_kubeconfig(&e.load(), "cloud", None).expect("minify"));
    let exec = k.auth_infos[0]
        .auth_info
        .as_ref()
        .and_then(|a| a.exec.as_ref())
        .expect("the exec plugin");
    assert_eq!(exec.command.as_deref(), Some("/bin/sh"));
    assert_eq!(
        exec.interactive_mode,
        Some(kube::config::ExecInteractiveMode::IfAvailable),
        "the app's own non-interactive override does not leak into the terminal"
    );
}

#[tokio::test]
async fn keyring_references_of_managed_contexts_are_resolved() {
    let e = env();
    add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, |_, _| async {
        Ok::<(), Error>(())
    })
    .await
    .expect("add");
    let on_disk = std::fs::read_to_string(&e.managed).expect("managed file");
    assert!(
        on_disk.contains(REFERENCE_PREFIX),
        "the managed file holds a reference"
    );

    let text = minified_kubeconfig(&e.load(), "added", Some("team")).expect("minify");
    assert!(text.contains("PASTED-TOKEN"), "the secret is restored");
    assert!(!text.contains(REFERENCE_PREFIX), "no unresolved reference");
}

#[test]
fn the_file_is_private_and_removed_with_its_guard() {
    let e = env();
    let out = e.dir.path().join("terminals");
    std::fs::create_dir(&out).expect("dir");
    let guard = write_context_kubeconfig(&e.load(), "other", Some("apps"), &out).expect("write");
    let path = guard.path().to_path_buf();
    assert!(path.starts_with(&out));
    let k = parse(&std::fs::read_to_string(&path).expect("read"));
    assert_eq!(k.current_context.as_deref(), Some("other"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    let second = write_context_kubeconfig(&e.load(), "other", None, &out).expect("write");
    assert_ne!(second.path(), path, "each terminal gets its own file");

    drop(guard);
    assert!(!path.exists(), "removed on drop");
    assert!(second.path().exists(), "the other terminal's file stays");
}
