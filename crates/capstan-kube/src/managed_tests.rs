use std::path::PathBuf;

use secrecy::ExposeSecret;

use super::*;

const USER_FILE: &str = r#"
apiVersion: v1
kind: Config
current-context: mine
clusters:
- name: mine
  cluster: {server: "https://mine.example:6443"}
contexts:
- name: mine
  context: {cluster: mine, user: me}
users:
- name: me
  user: {token: my-token}
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
  context: {cluster: added, user: added-user, namespace: apps}
users:
- name: added-user
  user: {token: PASTED-TOKEN, client-key-data: UEFTVEVELUtFWQ==, username: admin, password: PASTED-PASSWORD}
"#;

struct Env {
    _dir: tempfile::TempDir,
    user: PathBuf,
    managed: PathBuf,
    store: CredentialStore,
}

fn env() -> Env {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = dir.path().join("config");
    std::fs::write(&user, USER_FILE).expect("write");
    let managed = dir.path().join("app").join("kubeconfig.yaml");
    let store = CredentialStore::file(dir.path().join("app").join("credentials.json"));
    Env {
        user,
        managed,
        store,
        _dir: dir,
    }
}

impl Env {
    fn load(&self) -> LoadedKubeconfig {
        load_with_managed(std::slice::from_ref(&self.user), &self.managed, &self.store)
            .expect("load")
    }
}

async fn skip_network(_: LoadedKubeconfig, _: String) -> Result<(), Error> {
    Ok(())
}

#[tokio::test]
async fn added_cluster_joins_the_view_with_secrets_only_in_the_store() {
    let e = env();
    let added = add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, skip_network)
        .await
        .expect("add");
    assert_eq!(added.contexts, ["added"]);
    assert_eq!(added.credential_store, StoreKind::File);

    let on_disk = std::fs::read_to_string(&e.managed).expect("managed file");
    for secret in ["PASTED-TOKEN", "UEFTVEVELUtFWQ==", "PASTED-PASSWORD"] {
        assert!(
            !on_disk.contains(secret),
            "{secret} leaked into the managed file"
        );
    }
    assert!(
        on_disk.contains("capstan-keyring:added-user/token"),
        "{on_disk}"
    );

    let l = e.load();
    let ov = l.overview();
    let names: Vec<_> = ov
        .contexts
        .iter()
        .map(|c| (c.name.as_str(), c.managed))
        .collect();
    assert_eq!(names, [("mine", false), ("added", true)]);
    // The user's current-context still wins; the pasted one is ignored.
    assert_eq!(ov.current_context.as_deref(), Some("mine"));
    assert_eq!(ov.credential_store, Some(StoreKind::File));
    let user = l
        .merged
        .auth_infos
        .iter()
        .find(|u| u.name == "added-user")
        .and_then(|u| u.auth_info.clone())
        .expect("user");
    assert_eq!(
        user.token
            .as_ref()
            .map(|t| t.expose_secret().to_string())
            .as_deref(),
        Some("PASTED-TOKEN")
    );
    assert_eq!(
        user.client_key_data
            .as_ref()
            .map(|t| t.expose_secret().to_string())
            .as_deref(),
        Some("UEFTVEVELUtFWQ==")
    );
    assert_eq!(
        user.password
            .as_ref()
            .map(|t| t.expose_secret().to_string())
            .as_deref(),
        Some("PASTED-PASSWORD")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&e.managed)
            .expect("stat")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[tokio::test]
async fn duplicate_names_are_refused_and_nothing_is_written() {
    let e = env();
    let clash = PASTED
        .replace("name: added-user", "name: me")
        .replace("user: added-user", "user: me");
    let err = add_kubeconfig(&e.load(), &e.managed, &e.store, &clash, skip_network)
        .await
        .expect_err("clash");
    let msg = err.to_string();
    assert!(
        matches!(err, Error::DuplicateName { kind: "user", .. }),
        "{err:?}"
    );
    assert!(
        msg.contains("\"me\"") && msg.contains(&e.user.display().to_string()),
        "{msg}"
    );
    assert!(!e.managed.exists());

    add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, skip_network)
        .await
        .expect("first add");
    let again = add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, skip_network).await;
    assert!(
        matches!(
            again,
            Err(Error::DuplicateName {
                kind: "context",
                ..
            })
        ),
        "{again:?}"
    );
}

#[tokio::test]
async fn failed_validation_and_bad_input_save_nothing() {
    let e = env();
    let refuse = |_: LoadedKubeconfig, ctx: String| async move {
        Err(Error::ValidationFailed {
            context: ctx,
            detail: "Unauthorized".into(),
        })
    };
    let err = add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, refuse)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("nothing was saved"), "{err}");
    assert!(!e.managed.exists());
    assert_eq!(e.store.get("added-user/token").expect("get"), None);

    for (bad, expect) in [
        ("contexts: [\n", "pasted kubeconfig"),
        ("apiVersion: v1\n", "no contexts"),
        (
            "clusters:\n- name: r\n  cluster: {server: \"https://r:1\", certificate-authority: ca.crt}\ncontexts:\n- name: r\n  context: {cluster: r}\n",
            "relative path",
        ),
        ("contexts:\n- name: r\n  context: {cluster: gone}\n", "contexts[r].context.cluster"),
    ] {
        let msg = add_kubeconfig(&e.load(), &e.managed, &e.store, bad, skip_network)
            .await
            .expect_err(expect)
            .to_string();
        assert!(msg.contains(expect), "{expect}: {msg}");
        assert!(!e.managed.exists());
    }
}

#[tokio::test]
async fn rename_and_remove_managed_contexts_only() {
    let e = env();
    add_kubeconfig(&e.load(), &e.managed, &e.store, PASTED, skip_network)
        .await
        .expect("add");

    let err = remove_context(&e.load(), &e.store, "mine").expect_err("user's own");
    assert!(matches!(err, Error::NotManaged { .. }), "{err:?}");
    assert!(matches!(
        rename_context(&e.load(), "added", "mine"),
        Err(Error::DuplicateName { .. })
    ));

    rename_context(&e.load(), "added", "renamed").expect("rename");
    let l = e.load();
    assert!(l.context_source("renamed").is_some() && l.context_source("added").is_none());

    remove_context(&l, &e.store, "renamed").expect("remove");
    let l = e.load();
    assert!(l.context_source("renamed").is_none());
    assert!(l.merged.auth_infos.iter().all(|u| u.name != "added-user"));
    assert!(l.merged.clusters.iter().all(|c| c.name != "added"));
    for field in ["token", "client-key-data", "password"] {
        assert_eq!(
            e.store.get(&format!("added-user/{field}")).expect("get"),
            None,
            "{field}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&e.user).expect("user file"),
        USER_FILE
    );
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn keyutils_backed_add_and_restore() {
    let mut e = env();
    e.store = CredentialStore::keyutils().expect("keyutils");
    let pasted = PASTED.replace("added", &format!("added{}", std::process::id()));
    let added = add_kubeconfig(&e.load(), &e.managed, &e.store, &pasted, skip_network)
        .await
        .expect("add");
    let l = e.load();
    let user = l
        .merged
        .auth_infos
        .last()
        .and_then(|u| u.auth_info.clone())
        .expect("user");
    assert_eq!(
        user.token
            .as_ref()
            .map(|t| t.expose_secret().to_string())
            .as_deref(),
        Some("PASTED-TOKEN")
    );
    remove_context(&l, &e.store, &added.contexts[0]).expect("remove");
}
