use std::path::PathBuf;

use super::*;
use crate::contexts::load_kubeconfig;

const WITH_EXTRAS: &str = r#"# my precious comment
apiVersion: v1
kind: Config
current-context: one
preferences: {colors: true}
x-unknown-top: {keep: [1, 2, 3]}
clusters:
- name: c
  cluster:
    server: "https://c.example:6443"
    x-unknown-cluster: yes-please
    extensions:
    - name: ext
      extension: {anything: goes}
contexts:
- name: one
  context: {cluster: c, user: u}
- name: two
  context: {cluster: c, user: u, namespace: ns}
users:
- name: u
  user: {token: tok, x-unknown-user: 7}
"#;

fn value(text: &str) -> serde_yaml::Value {
    serde_yaml::from_str(text).expect("yaml")
}

fn without_current(mut v: serde_yaml::Value) -> serde_yaml::Value {
    if let Some(m) = v.as_mapping_mut() {
        m.remove("current-context");
    }
    v
}

fn setup(body: &str) -> (tempfile::TempDir, PathBuf, LoadedKubeconfig) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("config");
    std::fs::write(&p, body).expect("write");
    let l = load_kubeconfig(std::slice::from_ref(&p)).expect("load");
    (dir, p, l)
}

#[test]
fn keeps_every_other_field_and_leaves_a_backup() {
    let (dir, p, l) = setup(WITH_EXTRAS);
    let out = make_current(&l, "two").expect("make current");
    assert_eq!(PathBuf::from(&out.file), p);
    let after = std::fs::read_to_string(&p).expect("read");
    assert_eq!(value(&after)["current-context"], value("two"));
    assert_eq!(
        without_current(value(&after)),
        without_current(value(WITH_EXTRAS))
    );
    // Key order survives the round trip.
    let keys: Vec<_> = value(&after)
        .as_mapping()
        .expect("map")
        .keys()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect();
    assert_eq!(
        keys[..4],
        ["apiVersion", "kind", "current-context", "preferences"]
    );
    // The backup is the old file, byte for byte, beside it.
    let backup = PathBuf::from(out.backup.expect("a backup"));
    assert_eq!(backup.parent(), Some(dir.path()));
    assert!(backup
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("config.capstan-backup-") && n.ends_with('Z')));
    assert_eq!(
        std::fs::read_to_string(&backup).expect("backup"),
        WITH_EXTRAS
    );
    // No temp files left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_second_write_in_the_same_second_keeps_both_backups() {
    let (_dir, p, l) = setup(WITH_EXTRAS);
    let a = make_current(&l, "two").expect("first");
    let l = load_kubeconfig(std::slice::from_ref(&p)).expect("reload");
    let b = make_current(&l, "one").expect("second");
    assert_ne!(a.backup, b.backup);
    let exists = |b: &Option<String>| b.as_deref().map(PathBuf::from).is_some_and(|p| p.exists());
    assert!(exists(&a.backup) && exists(&b.backup));
}

#[cfg(unix)]
#[test]
fn file_permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, p, l) = setup(WITH_EXTRAS);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    make_current(&l, "two").expect("write");
    let mode = std::fs::metadata(&p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn preview_warns_about_comments() {
    let (_dir, p, l) = setup(WITH_EXTRAS);
    let pre = make_current_preview(&l, "two").expect("preview");
    assert_eq!(PathBuf::from(pre.file), p);
    assert!(pre.has_comments);
    assert!(pre.formatting_may_change);
}

#[test]
fn a_file_damaged_since_loading_is_left_untouched() {
    let (dir, p, l) = setup(WITH_EXTRAS);
    let damaged = "clusters: [\n";
    std::fs::write(&p, damaged).expect("damage");
    let err = make_current(&l, "two").expect_err("must refuse");
    assert!(err.to_string().contains("config"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).expect("read"), damaged);
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("ls").count(),
        1,
        "no backup, no temp file"
    );
}

#[test]
fn already_current_writes_nothing() {
    let (dir, p, l) = setup(WITH_EXTRAS);
    let out = make_current(&l, "one").expect("no-op");
    assert_eq!(out.backup, None);
    assert_eq!(std::fs::read_to_string(&p).expect("read"), WITH_EXTRAS);
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
}

#[test]
fn unknown_context_writes_nothing() {
    let (dir, p, l) = setup(WITH_EXTRAS);
    assert!(matches!(
        make_current(&l, "nope"),
        Err(crate::Error::ContextNotFound { .. })
    ));
    assert_eq!(std::fs::read_to_string(&p).expect("read"), WITH_EXTRAS);
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
}
