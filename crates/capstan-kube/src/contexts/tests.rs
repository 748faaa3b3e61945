use std::path::PathBuf;

use super::*;

fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, body).expect("write fixture");
    p
}

const A: &str = r#"
apiVersion: v1
kind: Config
current-context: a-ctx
clusters:
- name: shared
  cluster: {server: "https://a.example:6443"}
contexts:
- name: a-ctx
  context: {cluster: shared, user: a-user, namespace: team-a}
- name: both
  context: {cluster: shared, user: a-user}
users:
- name: a-user
  user: {token: t}
"#;

const B: &str = r#"
apiVersion: v1
kind: Config
current-context: b-ctx
clusters:
- name: shared
  cluster: {server: "https://b.example:6443"}
contexts:
- name: b-ctx
  context: {cluster: shared, user: b-user}
- name: both
  context: {cluster: shared, user: b-user, namespace: from-b}
users:
- name: b-user
  user: {token: u}
"#;

#[test]
fn first_file_wins_per_name_and_sets_current_context() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(&dir, "a", A);
    let b = write(&dir, "b", B);
    let loaded = load_kubeconfig(&[a.clone(), b.clone()]).expect("load");
    let ov = loaded.overview();
    assert_eq!(ov.current_context.as_deref(), Some("a-ctx"));
    let names: Vec<_> = ov.contexts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a-ctx", "both", "b-ctx"]);
    let both = &ov.contexts[1];
    assert_eq!(both.user, "a-user");
    assert_eq!(both.namespace, None);
    assert_eq!(both.source, a.display().to_string());
    // The cluster named "shared" comes from the first file too.
    assert_eq!(
        ov.contexts[2].server.as_deref(),
        Some("https://a.example:6443")
    );
    assert_eq!(ov.contexts[2].source, b.display().to_string());
    assert!(ov.contexts[0].is_current);
    assert!(!ov.contexts[2].is_current);
}

#[test]
fn current_context_comes_from_first_file_that_sets_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(&dir, "a", "apiVersion: v1\nkind: Config\ncontexts: []\n");
    let b = write(&dir, "b", B);
    let ov = load_kubeconfig(&[a, b]).expect("load").overview();
    assert_eq!(ov.current_context.as_deref(), Some("b-ctx"));
}

#[test]
fn missing_files_are_skipped_and_empty_file_is_empty_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(&dir, "empty", "\n");
    let missing = dir.path().join("nope");
    let loaded = load_kubeconfig(&[missing.clone(), empty.clone()]).expect("load");
    let ov = loaded.overview();
    assert_eq!(ov.files, vec![empty.display().to_string()]);
    assert_eq!(ov.searched.len(), 2);
    assert!(ov.contexts.is_empty());
    assert_eq!(ov.current_context, None);
}

#[test]
fn no_files_at_all_is_an_empty_overview_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ov = load_kubeconfig(&[dir.path().join("config")])
        .expect("load")
        .overview();
    assert!(ov.files.is_empty());
    assert_eq!(ov.searched.len(), 1);
}

#[test]
fn malformed_yaml_names_the_file_and_the_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(
        &dir,
        "bad",
        "apiVersion: v1\ncontexts:\n  - name: x\n   context: [\n",
    );
    let err = load_kubeconfig(std::slice::from_ref(&bad)).expect_err("must fail");
    let msg = err.to_string();
    assert!(msg.contains(&bad.display().to_string()), "{msg}");
    assert!(msg.contains("line"), "{msg}");
}

#[test]
fn wrong_shape_is_refused_with_a_readable_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write(&dir, "list", "- just\n- a list\n");
    let msg = load_kubeconfig(&[list]).expect_err("must fail").to_string();
    assert!(msg.contains("must be a mapping"), "{msg}");

    let typed = write(&dir, "typed", "contexts: 5\n");
    let msg = load_kubeconfig(&[typed])
        .expect_err("must fail")
        .to_string();
    assert!(msg.contains("contexts"), "{msg}");
}

#[test]
fn a_path_listed_twice_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(&dir, "a", A);
    let loaded = load_kubeconfig(&[a.clone(), a]).expect("load");
    assert_eq!(loaded.files.len(), 1);
    assert_eq!(loaded.merged.contexts.len(), 2);
}

#[test]
fn a_wrongly_typed_entry_is_named_without_quoting_its_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(
        &dir,
        "typed",
        "users:\n- name: ok\n  user: {token: fine}\n- name: alice\n  user: {token: [\"SECRET-IN-LIST\"]}\n",
    );
    let msg = load_kubeconfig(&[bad]).expect_err("must fail").to_string();
    assert!(msg.contains("users[alice]"), "{msg}");
    assert!(!msg.contains("SECRET-IN-LIST"), "{msg}");
}
