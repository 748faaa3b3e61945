//! The merge rules checked against the real kubectl: for each fixture set,
//! what `kubectl config view --merge --raw -o json` prints for the same
//! KUBECONFIG must equal our merged view (names, winning values, current).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;

use super::*;

fn kubectl() -> PathBuf {
    [
        "/usr/bin/kubectl",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect(
        "kubectl not found at /usr/bin/kubectl or the cloud SDK: these tests compare against it",
    )
}

/// kubectl's merged view, `--flatten` so file references come back as data.
fn kubectl_view(paths: &[PathBuf], home: &Path) -> Result<serde_json::Value, String> {
    let list = std::env::join_paths(paths).expect("join paths");
    let out = Command::new(kubectl())
        .args([
            "config",
            "view",
            "--merge",
            "--raw",
            "--flatten",
            "-o",
            "json",
        ])
        .env("KUBECONFIG", list)
        .env("HOME", home)
        .output()
        .expect("run kubectl");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).expect("kubectl json"))
}

/// A comparable projection: name -> the fields we check, for each section.
#[derive(Debug, PartialEq)]
struct View {
    current: String,
    contexts: BTreeMap<String, (String, String, String)>,
    clusters: BTreeMap<String, (String, String)>,
    users: BTreeMap<String, (String, String, String)>,
}

fn s(v: &serde_json::Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

fn from_kubectl(v: &serde_json::Value) -> View {
    let items = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    View {
        current: s(&v["current-context"]),
        contexts: items("contexts")
            .iter()
            .map(|c| {
                let x = &c["context"];
                (
                    s(&c["name"]),
                    (s(&x["cluster"]), s(&x["user"]), s(&x["namespace"])),
                )
            })
            .collect(),
        clusters: items("clusters")
            .iter()
            .map(|c| {
                let x = &c["cluster"];
                (
                    s(&c["name"]),
                    (s(&x["server"]), s(&x["certificate-authority-data"])),
                )
            })
            .collect(),
        users: items("users")
            .iter()
            .map(|u| {
                let x = &u["user"];
                (
                    s(&u["name"]),
                    (
                        s(&x["token"]),
                        s(&x["client-certificate-data"]),
                        s(&x["tokenFile"]),
                    ),
                )
            })
            .collect(),
    }
}

/// Ours, with file references read and encoded as `--flatten` does.
fn from_ours(l: &LoadedKubeconfig) -> View {
    use secrecy::ExposeSecret;
    let b64 = |p: &Option<String>, data: &Option<String>| match (data, p) {
        (Some(d), _) => d.clone(),
        (None, Some(p)) => base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(p).expect("referenced file")),
        _ => String::new(),
    };
    let m = &l.merged;
    View {
        current: m.current_context.clone().unwrap_or_default(),
        contexts: m
            .contexts
            .iter()
            .map(|c| {
                let x = c.context.clone().unwrap_or_default();
                (
                    c.name.clone(),
                    (
                        x.cluster,
                        x.user.unwrap_or_default(),
                        x.namespace.unwrap_or_default(),
                    ),
                )
            })
            .collect(),
        clusters: m
            .clusters
            .iter()
            .map(|c| {
                let x = c.cluster.clone().unwrap_or_default();
                (
                    c.name.clone(),
                    (
                        x.server.unwrap_or_default(),
                        b64(&x.certificate_authority, &x.certificate_authority_data),
                    ),
                )
            })
            .collect(),
        users: m
            .auth_infos
            .iter()
            .map(|u| {
                let x = u.auth_info.clone().unwrap_or_default();
                (
                    u.name.clone(),
                    (
                        x.token
                            .map(|t| t.expose_secret().to_string())
                            .unwrap_or_default(),
                        b64(&x.client_certificate, &x.client_certificate_data),
                        x.token_file.unwrap_or_default(),
                    ),
                )
            })
            .collect(),
    }
}

fn compare(dir: &tempfile::TempDir, files: &[&str]) -> View {
    let paths: Vec<PathBuf> = files.iter().map(|f| dir.path().join(f)).collect();
    let theirs =
        from_kubectl(&kubectl_view(&paths, dir.path()).expect("kubectl accepts the fixture"));
    let ours = from_ours(&load_kubeconfig(&paths).expect("we accept the fixture"));
    assert_eq!(
        ours, theirs,
        "merged view differs from kubectl for {files:?}"
    );
    ours
}

fn put(dir: &tempfile::TempDir, name: &str, body: &str) {
    let p = dir.path().join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, body).expect("write fixture");
}

const ONE: &str = r#"
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: shared
  cluster: {server: "https://one.example:6443"}
- name: only-one
  cluster: {server: "https://only-one.example:6443"}
contexts:
- name: one
  context: {cluster: shared, user: alice, namespace: team-one}
- name: both
  context: {cluster: only-one, user: alice}
users:
- name: alice
  user: {token: from-one}
"#;

const TWO: &str = r#"
apiVersion: v1
kind: Config
current-context: two
clusters:
- name: shared
  cluster: {server: "https://two.example:6443"}
contexts:
- name: two
  context: {cluster: shared, user: bob}
- name: both
  context: {cluster: shared, user: bob, namespace: from-two}
users:
- name: alice
  user: {token: from-two}
- name: bob
  user: {token: bob-two}
"#;

const NO_CURRENT: &str = r#"
apiVersion: v1
kind: Config
clusters: []
contexts:
- name: lonely
  context: {cluster: shared, user: bob}
users: []
"#;

#[test]
fn overlapping_names_first_file_wins_like_kubectl() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "one", ONE);
    put(&dir, "two", TWO);
    let v = compare(&dir, &["one", "two"]);
    assert_eq!(v.current, "one");
    assert_eq!(v.users["alice"].0, "from-one");
    assert_eq!(v.contexts["both"].0, "only-one");
    // Reversed order: the other file wins every clash.
    let v = compare(&dir, &["two", "one"]);
    assert_eq!(v.current, "two");
    assert_eq!(v.users["alice"].0, "from-two");
    assert_eq!(v.clusters["shared"].0, "https://two.example:6443");
}

#[test]
fn current_context_only_in_second_file_like_kubectl() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "first", NO_CURRENT);
    put(&dir, "second", TWO);
    let v = compare(&dir, &["first", "second"]);
    assert_eq!(v.current, "two");
}

#[test]
fn empty_and_missing_files_like_kubectl() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "empty", "");
    put(&dir, "one", ONE);
    let v = compare(&dir, &["missing", "empty", "one", "also-missing"]);
    assert_eq!(v.current, "one");
    let v = compare(&dir, &["empty", "missing"]);
    assert!(v.contexts.is_empty());
}

#[test]
fn same_file_twice_like_kubectl() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "one", ONE);
    put(&dir, "two", TWO);
    compare(&dir, &["one", "two", "one"]);
}

#[test]
fn relative_paths_resolve_against_the_naming_file_like_kubectl() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "sub/ca.crt", "CA FROM SUB\n");
    put(&dir, "sub/certs/client.crt", "CLIENT FROM SUB\n");
    put(&dir, "ca.crt", "CA FROM TOP (wrong)\n");
    put(
        &dir,
        "sub/config",
        r#"
apiVersion: v1
kind: Config
current-context: rel
clusters:
- name: rel
  cluster: {server: "https://rel.example:6443", certificate-authority: ca.crt}
contexts:
- name: rel
  context: {cluster: rel, user: rel}
users:
- name: rel
  user: {client-certificate: certs/client.crt, token: t}
"#,
    );
    put(&dir, "top", NO_CURRENT);
    let v = compare(&dir, &["top", "sub/config"]);
    let ca = base64::engine::general_purpose::STANDARD.encode("CA FROM SUB\n");
    assert_eq!(v.clusters["rel"].1, ca);
}

#[test]
fn exec_command_and_token_file_paths_follow_client_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(
        &dir,
        "sub/config",
        r#"
users:
- name: path
  user:
    tokenFile: tok
    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin}
- name: bare
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: aws}
"#,
    );
    let l = load_kubeconfig(&[dir.path().join("sub/config")]).expect("load");
    let base = std::path::absolute(dir.path().join("sub")).expect("abs");
    let user = |n: &str| {
        l.merged
            .auth_infos
            .iter()
            .find(|u| u.name == n)
            .and_then(|u| u.auth_info.clone())
            .expect("user")
    };
    let path = user("path");
    assert_eq!(
        path.token_file.as_deref(),
        Some(base.join("tok").to_str().expect("utf8"))
    );
    assert_eq!(
        path.exec.and_then(|e| e.command).as_deref(),
        Some(base.join("./bin/plugin").to_str().expect("utf8"))
    );
    // A bare name is a PATH lookup and stays as written.
    assert_eq!(
        user("bare").exec.and_then(|e| e.command).as_deref(),
        Some("aws")
    );
}

#[test]
fn invalid_yaml_is_refused_by_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    put(&dir, "one", ONE);
    put(&dir, "bad", "contexts: [\n  - name: x\n");
    let paths = [dir.path().join("one"), dir.path().join("bad")];
    assert!(
        kubectl_view(&paths, dir.path()).is_err(),
        "kubectl should refuse"
    );
    let msg = load_kubeconfig(&paths).expect_err("we refuse").to_string();
    assert!(msg.contains("bad"), "{msg}");
}

#[test]
fn make_current_writes_the_file_kubectl_use_context_writes() {
    // Two copies of the same set: kubectl switches one, we switch the other,
    // and the same file must have changed in both.
    for target in ["two", "lonely", "both"] {
        let ours = tempfile::tempdir().expect("tempdir");
        let theirs = tempfile::tempdir().expect("tempdir");
        for d in [&ours, &theirs] {
            put(d, "a", NO_CURRENT);
            put(d, "b", TWO);
            put(d, "c", ONE);
        }
        let names = ["a", "b", "c"];
        let list = std::env::join_paths(names.iter().map(|n| theirs.path().join(n))).expect("join");
        let out = Command::new(kubectl())
            .args(["config", "use-context", target])
            .env("KUBECONFIG", list)
            .env("HOME", theirs.path())
            .output()
            .expect("kubectl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let paths: Vec<PathBuf> = names.iter().map(|n| ours.path().join(n)).collect();
        let loaded = load_kubeconfig(&paths).expect("load");
        make_current(&loaded, target).expect("make current");
        for n in names {
            let read = |d: &tempfile::TempDir| {
                super::parse(
                    Path::new(n),
                    &std::fs::read_to_string(d.path().join(n)).expect("read"),
                )
                .expect("parse")
                .current_context
                .unwrap_or_default()
            };
            assert_eq!(
                read(&ours),
                read(&theirs),
                "file {n} after switching to {target}"
            );
        }
        let after = load_kubeconfig(&paths).expect("reload");
        assert_eq!(after.merged.current_context.as_deref(), Some(target));
    }
}
