//! Several writers of one kubeconfig at once, as happens when the app and the
//! CLI (or two CLIs) change contexts together: every write goes through
//! capstan-kube's `kubeconfig_writer`, which reads the file under its lock,
//! so no change is lost and the file always parses.
//!
//! Each round: two real `capstan cluster delete` processes each remove a
//! context of their own (a cluster that exists only in the kubeconfig, so
//! the engine has nothing to remove), while this process, standing in for
//! the app (which calls the same library), merges a new local cluster's
//! entries and makes that context current. `cluster delete` asks the engine
//! what to remove: without one the test fails under CI=true, else SKIPPED.

use std::path::Path;
use std::process::{Command, Output};

use capstan_local::kubeconfig::{self, Entries};
use serde_yaml::Value;

const ROUNDS: usize = 12;

/// A k3s-style kubeconfig, as `capstan_local::kubeconfig::from_k3s` reads it.
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
    token: abc
contexts:
- name: default
  context: {cluster: default, user: default}
current-context: default
";

const BASE: &str = "apiVersion: v1
kind: Config
clusters:
- name: base
  cluster: {server: 'https://10.0.0.1:6443'}
users:
- name: base
  user: {token: t}
contexts:
- name: base
  context: {cluster: base, user: base}
current-context: base
";

fn entries(cluster: &str) -> Entries {
    kubeconfig::from_k3s(K3S, cluster, 40000).unwrap_or_else(|e| panic!("{e}"))
}

fn context_names(doc: &Value) -> Vec<String> {
    doc.get("contexts")
        .and_then(Value::as_sequence)
        .map(|l| {
            l.iter()
                .filter_map(|c| c.get("name")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The file as kubectl's loader would read it, and as YAML.
fn parse(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read: {e}"));
    kube::config::Kubeconfig::from_yaml(&text)
        .unwrap_or_else(|e| panic!("the kubeconfig no longer parses: {e}\n{text}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

fn delete(file: &Path, cluster: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(["cluster", "delete", cluster])
        .env("KUBECONFIG", file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run capstan: {e}"))
}

fn assert_ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_app_and_two_clis_changing_contexts_at_once_lose_nothing() {
    let engine = Command::new("docker")
        .arg("info")
        .output()
        .map_err(|e| e.to_string())
        .and_then(|o| {
            o.status
                .success()
                .then_some(())
                .ok_or_else(|| String::from_utf8_lossy(&o.stderr).into_owned())
        });
    let Some(()) = capstan_test_support::require(
        engine,
        "a Docker engine (`capstan cluster delete` asks it what to remove)",
        capstan_test_support::local_nodes::ENGINE_HOW,
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("config");
    std::fs::write(&file, BASE).unwrap_or_else(|e| panic!("{e}"));

    let mut app_contexts: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let (a, b) = (format!("kc-a{round}"), format!("kc-b{round}"));
        for c in [&a, &b] {
            kubeconfig::merge_into_file(&file, &entries(c), false)
                .unwrap_or_else(|e| panic!("seed {c}: {e}"));
        }
        let before = context_names(&parse(&file));
        assert!(before.contains(&kubeconfig::entry_name(&a)), "{before:?}");

        // The two CLIs, and the app writing for as long as they run (at
        // least once), so the writes really overlap.
        let mut cli_a = delete(&file, &a);
        let mut cli_b = delete(&file, &b);
        let mut app_writes = 0;
        loop {
            let app = format!("kc-app{round}-{app_writes}");
            kubeconfig::merge_into_file(&file, &entries(&app), false)
                .unwrap_or_else(|e| panic!("app merge: {e}"));
            let loaded = capstan_kube::contexts::load_kubeconfig(std::slice::from_ref(&file))
                .unwrap_or_else(|e| panic!("app load: {e}"));
            capstan_kube::contexts::make_current(&loaded, &kubeconfig::entry_name(&app))
                .unwrap_or_else(|e| panic!("app make current: {e}"));
            app_contexts.push(kubeconfig::entry_name(&app));
            app_writes += 1;
            let running = |c: &mut std::process::Child| {
                c.try_wait()
                    .unwrap_or_else(|e| panic!("wait: {e}"))
                    .is_none()
            };
            if !running(&mut cli_a) && !running(&mut cli_b) {
                break;
            }
        }
        for (what, child) in [("delete a", cli_a), ("delete b", cli_b)] {
            let out = child
                .wait_with_output()
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_ok(&format!("round {round}: {what}"), &out);
        }

        let doc = parse(&file);
        let names = context_names(&doc);
        for gone in [&a, &b] {
            assert!(
                !names.contains(&kubeconfig::entry_name(gone)),
                "round {round}: {gone} is still there: {names:?}"
            );
        }
        let mut expected: Vec<String> = vec!["base".to_owned()];
        expected.extend(app_contexts.iter().cloned());
        let mut kept = names.clone();
        kept.sort();
        expected.sort();
        assert_eq!(kept, expected, "round {round}");
        assert_eq!(
            doc.get("current-context").and_then(Value::as_str),
            app_contexts.last().map(String::as_str),
            "round {round}"
        );
    }

    // No lock left behind, and the backups stay within their bound.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with("lock")),
        "a lock file was left: {names:?}"
    );
    let backups = names
        .iter()
        .filter(|n| n.starts_with("config.capstan-backup-"))
        .count();
    assert_eq!(
        backups,
        capstan_kube::kubeconfig_writer::BACKUPS_KEPT,
        "{names:?}"
    );
}
