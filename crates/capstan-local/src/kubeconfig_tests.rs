use super::*;

const K3S: &str = "apiVersion: v1
kind: Config
clusters:
- name: default
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: Q0E=
users:
- name: default
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
contexts:
- name: default
  context: {cluster: default, user: default}
current-context: default
";

const USER: &str = "apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: 'https://prod:6443'}
users:
- name: prod
  user: {token: abc}
contexts:
- name: prod
  context: {cluster: prod, user: prod, namespace: web}
current-context: prod
";

fn doc(s: &str) -> Value {
    serde_yaml::from_str(s).unwrap_or(Value::Null)
}

#[test]
fn k3s_entries_are_renamed_and_pointed_at_the_published_port() {
    let e = from_k3s(K3S, "dev", 40123).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.name, "capstan-dev");
    assert_eq!(
        e.cluster.get("server").and_then(Value::as_str),
        Some("https://127.0.0.1:40123")
    );
    assert_eq!(
        e.cluster
            .get("certificate-authority-data")
            .and_then(Value::as_str),
        Some("Q0E=")
    );
    assert_eq!(
        e.user.get("client-key-data").and_then(Value::as_str),
        Some("S0VZ")
    );
    assert_eq!(
        e.context.get("cluster").and_then(Value::as_str),
        Some("capstan-dev")
    );
    assert_eq!(
        e.context.get("user").and_then(Value::as_str),
        Some("capstan-dev")
    );
}

#[test]
fn merge_keeps_other_entries_and_sets_current_only_when_asked() {
    let e = from_k3s(K3S, "dev", 40123).unwrap_or_else(|e| panic!("{e}"));
    let merged = doc(&merge(USER, &e, false).unwrap_or_default());
    assert_eq!(
        merged.get("current-context").and_then(Value::as_str),
        Some("prod")
    );
    let ctxs = merged
        .get("contexts")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    let names: Vec<_> = ctxs
        .iter()
        .filter_map(|c| c.get("name")?.as_str())
        .collect();
    assert_eq!(names, ["prod", "capstan-dev"]);
    let prod_ns = ctxs[0]
        .get("context")
        .and_then(|c| c.get("namespace"))
        .and_then(Value::as_str);
    assert_eq!(prod_ns, Some("web"));
    let current = doc(&merge(USER, &e, true).unwrap_or_default());
    assert_eq!(
        current.get("current-context").and_then(Value::as_str),
        Some("capstan-dev")
    );
}

#[test]
fn merging_twice_replaces_instead_of_duplicating() {
    let e = from_k3s(K3S, "dev", 1).unwrap_or_else(|e| panic!("{e}"));
    let once = merge(USER, &e, false).unwrap_or_default();
    let e2 = from_k3s(K3S, "dev", 2).unwrap_or_else(|e| panic!("{e}"));
    let twice = doc(&merge(&once, &e2, false).unwrap_or_default());
    let clusters = twice
        .get("clusters")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    assert_eq!(clusters.len(), 2);
    assert_eq!(
        clusters[1]
            .get("cluster")
            .and_then(|c| c.get("server"))
            .and_then(Value::as_str),
        Some("https://127.0.0.1:2")
    );
}

#[test]
fn merge_into_an_empty_file_makes_a_valid_config() {
    let e = from_k3s(K3S, "dev", 1).unwrap_or_else(|e| panic!("{e}"));
    let d = doc(&merge("", &e, true).unwrap_or_default());
    assert_eq!(d.get("kind").and_then(Value::as_str), Some("Config"));
    assert_eq!(
        d.get("users").and_then(Value::as_sequence).map(Vec::len),
        Some(1)
    );
}

#[test]
fn remove_takes_exactly_our_entries() {
    let e = from_k3s(K3S, "dev", 1).unwrap_or_else(|e| panic!("{e}"));
    let merged = merge(USER, &e, true).unwrap_or_default();
    let removed = remove(&merged, "capstan-dev")
        .unwrap_or_default()
        .unwrap_or_default();
    let (a, b) = (doc(&removed), doc(USER));
    for list in ["clusters", "users", "contexts"] {
        assert_eq!(a.get(list), b.get(list), "{list}");
    }
    assert_eq!(a.get("current-context").and_then(Value::as_str), Some(""));
    assert_eq!(
        remove(USER, "capstan-dev").ok(),
        Some(None),
        "nothing to remove"
    );
}

#[test]
fn file_merge_backs_up_and_remove_restores_the_entries() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("config");
    std::fs::write(&file, USER).unwrap_or_else(|e| panic!("{e}"));
    let e = from_k3s(K3S, "dev", 40123).unwrap_or_else(|e| panic!("{e}"));
    merge_into_file(&file, &e, false).unwrap_or_else(|e| panic!("{e}"));
    // The writer's timestamped backup, the previous file byte for byte.
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("config.capstan-backup-")
        })
        .map(|e| e.path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        std::fs::read_to_string(&backups[0]).unwrap_or_default(),
        USER
    );
    assert!(!dir.path().join("config.lock").exists());
    let merged = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(merged.contains("capstan-dev"));
    remove_from_file(&file, "capstan-dev").unwrap_or_else(|e| panic!("{e}"));
    assert!(!std::fs::read_to_string(&file)
        .unwrap_or_default()
        .contains("capstan-dev"));
}

#[test]
fn a_held_lock_is_reported_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("config");
    std::fs::write(&file, USER).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("config.lock"), "").unwrap_or_else(|e| panic!("{e}"));
    let e = from_k3s(K3S, "dev", 1).unwrap_or_else(|e| panic!("{e}"));
    let err = merge_into_file(&file, &e, false).err();
    assert!(
        matches!(
            &err,
            Some(Error::Kubeconfig {
                source: capstan_kube::Error::KubeconfigLocked { .. }
            })
        ),
        "{err:?}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), USER);
}

#[test]
fn a_user_file_that_is_not_a_kubeconfig_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("config");
    std::fs::write(&file, "- a list\n").unwrap_or_else(|e| panic!("{e}"));
    let e = from_k3s(K3S, "dev", 1).unwrap_or_else(|e| panic!("{e}"));
    let err = merge_into_file(&file, &e, false).err();
    assert!(
        matches!(
            &err,
            Some(Error::Kubeconfig {
                source: capstan_kube::Error::KubeconfigInvalid { path, .. }
            }) if *path == file
        ),
        "{err:?}"
    );
}
