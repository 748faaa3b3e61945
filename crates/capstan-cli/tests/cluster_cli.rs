//! `capstan cluster` end to end: the real binary against the Docker engine and
//! the k3s stand-in image of tests/local/build-node-image.sh (see
//! crates/capstan-local/tests/docker_clusters.rs for what the stand-in
//! substitutes). Each test uses its own temporary KUBECONFIG, so the user's
//! kubeconfig is never touched. Skipped, with a message, when no engine or
//! image can be had.

use capstan_test_support::local_nodes::{labelled, node_image};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A kubeconfig as kubectl writes it (`kubectl config set-cluster/
/// set-credentials/set-context/use-context`), so "back to the same bytes"
/// is checked against the format users really have.
const PREVIOUS_KUBECONFIG: &str = "\
apiVersion: v1
clusters:
- cluster:
    server: https://10.0.0.1:6443
  name: prev
contexts:
- context:
    cluster: prev
    user: prev
  name: prev
current-context: prev
kind: Config
preferences: {}
users:
- name: prev
  user:
    token: abc
";

fn capstan(kubeconfig: &Path, image: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_capstan"));
    c.env("KUBECONFIG", kubeconfig)
        .env("CAPSTAN_K3S_IMAGE", image)
        // This engine cannot grant every capability (tests/local/node-image/README.md).
        .env("CAPSTAN_LOCAL_UNPRIVILEGED_NODES", "1");
    c
}

fn run_ok(mut c: Command) -> String {
    let out = c.output().unwrap_or_else(|e| panic!("run capstan: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "capstan failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn cleanup(kubeconfig: &Path, image: &str, name: &str) {
    let mut c = capstan(kubeconfig, image);
    let _ = c.args(["cluster", "delete", name]).output();
}

/// The NODES column of `cluster list` for `name`.
fn listed_nodes(out: &str, name: &str) -> Option<String> {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .map(str::to_owned)
}

#[test]
fn create_list_stop_start_add_import_delete_leaves_nothing() {
    let Some(image) = node_image() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    std::fs::write(&kc, PREVIOUS_KUBECONFIG).unwrap_or_else(|e| panic!("{e}"));
    let name = "cli-cycle";
    cleanup(&kc, &image, name);

    let mut c = capstan(&kc, &image);
    c.args(["cluster", "create", name, "--agents", "1"]);
    let out = run_ok(c);
    for expected in [
        "network capstan-cli-cycle created",
        "server 1/1 up",
        "1 agent(s) started",
        "API ready at https://127.0.0.1:",
        "nodes Ready: 2/2",
        "context capstan-cli-cycle merged",
    ] {
        assert!(out.contains(expected), "no `{expected}` in:\n{out}");
    }
    let text = std::fs::read_to_string(&kc).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("name: capstan-cli-cycle"), "{text}");
    assert!(
        text.contains("current-context: prev"),
        "not asked to switch:\n{text}"
    );

    let list = |state: &str| {
        let mut c = capstan(&kc, &image);
        c.args(["cluster", "list"]);
        let out = run_ok(c);
        let line = listed_nodes(&out, name).unwrap_or_else(|| panic!("not listed:\n{out}"));
        assert!(line.contains(&format!(" {state} ")), "{line}");
        assert!(line.contains("https://127.0.0.1:"), "{line}");
        line
    };
    let line = list("running");
    assert!(line.contains("server-0=running"), "{line}");
    assert!(line.contains("agent-0=running"), "{line}");

    let mut c = capstan(&kc, &image);
    c.args(["cluster", "stop", name]);
    run_ok(c);
    let line = list("stopped");
    assert!(!line.contains("=running"), "{line}");

    let mut c = capstan(&kc, &image);
    c.args(["cluster", "start", name]);
    let out = run_ok(c);
    assert!(
        out.contains("2 nodes Ready"),
        "start waits for Ready:\n{out}"
    );
    list("running");

    // A second agent joins the running cluster and is Ready.
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "node", "add", name]);
    let out = run_ok(c);
    assert!(
        out.contains("Added agent capstan-cli-cycle-agent-1"),
        "{out}"
    );
    let line = list("running");
    assert!(line.contains("agent-1=running"), "{line}");

    // A shell in the new node, fed from a pipe as `docker exec -i` would be.
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "shell", name, "--node", "agent-1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| panic!("{e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
        stdin
            .write_all(b"echo shell-$((40 + 2)); hostname; exit 3\n")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("shell-42"), "{text}");
    assert!(text.contains("capstan-cli-cycle-agent-1"), "{text}");
    assert_eq!(out.status.code(), Some(3), "the shell's exit code");

    // A locally made image reaches every node.
    let probe = "capstan.local/cli-import-probe:1";
    let src = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tarball = src.path().join("empty.tar");
    let tarred = Command::new("tar")
        .arg("-cf")
        .arg(&tarball)
        .arg("--files-from")
        .arg("/dev/null")
        .status()
        .is_ok_and(|s| s.success());
    assert!(tarred);
    let imported = Command::new("docker")
        .args(["import", &tarball.to_string_lossy(), probe])
        .status()
        .is_ok_and(|s| s.success());
    assert!(imported, "docker import");
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "image", "import", name, probe]);
    let out = run_ok(c);
    let _ = Command::new("docker").args(["rmi", probe]).status();
    for node in ["server-0", "agent-0", "agent-1"] {
        assert!(
            out.contains(&format!("imported {probe} into capstan-cli-cycle-{node}")),
            "{node}: {out}"
        );
    }

    let mut c = capstan(&kc, &image);
    c.args(["cluster", "delete", name]);
    let out = run_ok(c);
    assert!(
        out.contains("removed container capstan-cli-cycle-server-0"),
        "{out}"
    );
    assert!(out.contains("removed network capstan-cli-cycle"), "{out}");
    assert!(out.contains("removed context, cluster and user"), "{out}");
    assert_eq!(labelled(name), Vec::<String>::new());
    let after = std::fs::read_to_string(&kc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, PREVIOUS_KUBECONFIG);

    // Deleting again is an error that names the cluster.
    let mut c = capstan(&kc, &image);
    let out = c
        .args(["cluster", "delete", name])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no local cluster named `cli-cycle`"));
}

#[test]
fn ctrl_c_during_create_removes_everything() {
    let Some(image) = node_image() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    std::fs::write(&kc, PREVIOUS_KUBECONFIG).unwrap_or_else(|e| panic!("{e}"));
    let name = "cli-cancel";
    cleanup(&kc, &image, name);

    let mut c = capstan(&kc, &image);
    let mut child = c
        .args(["cluster", "create", name, "--agents", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Interrupt once containers exist, so there is something to roll back.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("no `server 1/1 up` line: {e}"));
        if line.contains("server 1/1 up") {
            break;
        }
    }
    assert!(!labelled(name).is_empty(), "nothing created before Ctrl-C");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(kill.success());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "create finished despite Ctrl-C");
    assert!(stderr.contains("cancelled"), "{stderr}");
    let rest: Vec<String> = rx.iter().collect();
    assert!(
        rest.iter().any(|l| l.contains("removing what was created")),
        "{rest:?}"
    );
    assert_eq!(labelled(name), Vec::<String>::new());
    let after = std::fs::read_to_string(&kc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, PREVIOUS_KUBECONFIG);
}

#[test]
fn no_engine_says_how_to_start_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_capstan"))
        .env("KUBECONFIG", dir.path().join("config"))
        .env(
            "DOCKER_HOST",
            format!("unix://{}", dir.path().join("no.sock").display()),
        )
        .args(["cluster", "list"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("Docker is not running"), "{stderr}");
    assert!(stderr.contains("systemctl start docker"), "{stderr}");
}
