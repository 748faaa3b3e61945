//! The `capstan` binary as a user runs it: exit codes, output, files written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TWO_CONTEXTS: &str = r#"apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: alpha
  context: {cluster: c, user: u, namespace: team-a}
- name: beta
  context: {cluster: c, user: u}
users:
- name: u
  user: {token: cli-test-token}
"#;

struct Env {
    dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

impl Env {
    fn new(body: &str) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("config");
        std::fs::write(&kubeconfig, body).expect("write kubeconfig");
        Env { dir, kubeconfig }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_capstan"))
            .args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("CAPSTAN_CONFIG_DIR", self.dir.path().join("app"))
            .env("CAPSTAN_CREDENTIAL_STORE", "file")
            .env_remove("RUST_LOG")
            .output()
            .expect("run capstan")
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains("capstan-backup"))
        .collect()
}

#[test]
fn contexts_offline_lists_every_context_and_marks_the_current_one() {
    let env = Env::new(TWO_CONTEXTS);
    let out = env.run(&["contexts", "--offline"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let alpha = stdout
        .lines()
        .find(|l| l.contains("alpha"))
        .expect("alpha listed");
    let beta = stdout
        .lines()
        .find(|l| l.contains("beta"))
        .expect("beta listed");
    assert!(alpha.trim_start().starts_with('*'), "{alpha}");
    assert!(!beta.trim_start().starts_with('*'), "{beta}");
    assert!(alpha.contains("team-a"));
    assert!(!stdout.contains("cli-test-token"), "no secret in output");
}

#[test]
fn contexts_reports_a_dead_cluster_without_failing() {
    let env = Env::new(TWO_CONTEXTS);
    let out = env.run(&["contexts", "--timeout", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("unreachable"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn use_switches_current_context_with_a_backup_and_refuses_unknown_names() {
    let env = Env::new(TWO_CONTEXTS);
    let out = env.run(&["use", "beta"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&env.kubeconfig).expect("read");
    assert!(written.contains("current-context: beta"), "{written}");
    assert!(
        written.contains("cli-test-token"),
        "the rest of the file is kept"
    );
    assert_eq!(backups(env.dir.path()).len(), 1);

    let before = std::fs::read(&env.kubeconfig).expect("read");
    let out = env.run(&["use", "nope"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("\"nope\""),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&env.kubeconfig).expect("read"),
        before,
        "nothing written on error"
    );
}

#[test]
fn ns_remembers_the_namespace_and_refuses_invalid_names() {
    let env = Env::new(TWO_CONTEXTS);
    let out = env.run(&["ns", "kube-system"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let settings =
        std::fs::read_to_string(env.dir.path().join("app/settings.json")).expect("settings");
    assert!(
        settings.contains("alpha") && settings.contains("kube-system"),
        "{settings}"
    );
    assert_eq!(
        std::fs::read_to_string(&env.kubeconfig).expect("read"),
        TWO_CONTEXTS,
        "kubeconfig unchanged"
    );

    let out = env.run(&["ns", "Not_A_Namespace"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("RFC 1123"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn malformed_kubeconfig_is_an_error_naming_the_file() {
    let env = Env::new("apiVersion: v1\ncontexts:\n  - name: x\n   context: [\n");
    let out = env.run(&["contexts", "--offline"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&env.kubeconfig.display().to_string()),
        "{stderr}"
    );
    assert!(stderr.contains("line"), "{stderr}");
}
