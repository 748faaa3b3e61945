//! `capstan cluster` end to end: the real binary against the Docker engine and
//! the k3s stand-in image of tests/local/build-node-image.sh (see
//! crates/capstan-local/tests/docker_clusters.rs for what the stand-in
//! substitutes). Each test uses its own temporary KUBECONFIG, so the user's
//! kubeconfig is never touched. Without an engine or the image: fails under
//! CI=true, else a loud SKIPPED (`capstan_test_support::prerequisites`).

use capstan_test_support::free_port;
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
    let created = c.output().unwrap_or_else(|e| panic!("run capstan: {e}"));
    let out = String::from_utf8_lossy(&created.stdout).into_owned();
    let err = String::from_utf8_lossy(&created.stderr).into_owned();
    assert!(created.status.success(), "{out}\n{err}");
    // Pre-flight warnings reach stderr once each, not the step lines.
    let cgroup_v1 = Command::new("docker")
        .args(["info", "-f", "{{.CgroupVersion}}"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "1");
    assert_eq!(
        err.matches("warning: the engine uses cgroup v1").count(),
        usize::from(cgroup_v1),
        "{err}"
    );
    assert!(!out.contains("warning:"), "{out}");
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

    // Reset: made again with the same shape (the added agent too), the same
    // context, the user's current context left alone.
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "reset", name]);
    let out = run_ok(c);
    assert!(
        out.contains("Cluster cli-cycle was reset") && out.contains("context capstan-cli-cycle"),
        "{out}"
    );
    let line = list("running");
    assert!(line.contains("agent-1=running"), "{line}");
    let text = std::fs::read_to_string(&kc).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("current-context: prev"), "{text}");
    assert_eq!(text.matches("name: capstan-cli-cycle").count(), 3, "{text}");

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

#[test]
fn a_port_mapping_is_published_on_loopback_and_listed_and_agent_args_reach_added_agents() {
    let Some(image) = node_image() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    std::fs::write(&kc, PREVIOUS_KUBECONFIG).unwrap_or_else(|e| panic!("{e}"));
    let name = "cli-ports";
    cleanup(&kc, &image, name);
    let host_port = free_port();

    // To the API server's 6443: the stand-in node listens there, so the
    // mapping can be exercised end to end.
    let mut c = capstan(&kc, &image);
    c.args([
        "cluster",
        "create",
        name,
        "--port",
        &format!("{host_port}:6443"),
        "--k3s-arg=--disable=traefik",
        "--agents",
        "1",
        // The stand-in passes --kubelet-arg on to its kubelet, as k3s does.
        "--k3s-agent-arg=--kubelet-arg=node-labels=capstan-test/pool=a",
    ]);
    let started = Instant::now();
    let out = run_ok(c);
    println!(
        "figure: cluster with a port mapping created in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        out.contains(&format!("127.0.0.1:{host_port} -> port 6443/tcp")),
        "{out}"
    );
    // What the engine publishes: loopback only.
    let port = Command::new("docker")
        .args(["port", "capstan-cli-ports-server-0", "6443/tcp"])
        .output()
        .unwrap_or_else(|e| panic!("docker port: {e}"));
    let published = String::from_utf8_lossy(&port.stdout);
    assert!(
        published.contains(&format!("127.0.0.1:{host_port}")),
        "{published}"
    );
    assert!(
        !published.contains(&format!("0.0.0.0:{host_port}")),
        "{published}"
    );
    // A TCP connection reaches the server: its TLS listener answers a plain
    // HTTP request (an engine proxy with nothing behind it would just close).
    {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", host_port))
            .unwrap_or_else(|e| panic!("connect: {e}"));
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap_or_else(|e| panic!("{e}"));
        s.write_all(b"GET / HTTP/1.0\r\n\r\n")
            .unwrap_or_else(|e| panic!("write: {e}"));
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1."), "answer: {answer:?}");
    }
    // The list shows the mapping (read back from the container's label).
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "list"]);
    let out = run_ok(c);
    let line = listed_nodes(&out, name).unwrap_or_else(|| panic!("not listed:\n{out}"));
    assert!(
        line.contains(&format!("127.0.0.1:{host_port}->6443/tcp")),
        "{line}"
    );
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "list", "--json"]);
    let out = run_ok(c);
    assert!(out.contains(&format!("\"hostPort\": {host_port}")), "{out}");

    // An agent added later gets the same extra arguments (server 0's label).
    let mut c = capstan(&kc, &image);
    c.args(["cluster", "node", "add", name]);
    run_ok(c);
    let mut c = capstan(&kc, &image);
    c.args([
        "get",
        "nodes",
        "--context",
        "capstan-cli-ports",
        "-l",
        "capstan-test/pool=a",
        "-o",
        "name",
    ]);
    let out = run_ok(c);
    for agent in ["agent-0", "agent-1"] {
        assert!(
            out.contains(&format!("capstan-cli-ports-{agent}")),
            "{agent}: {out}"
        );
    }
    assert!(!out.contains("server-0"), "{out}");

    let mut c = capstan(&kc, &image);
    c.args(["cluster", "delete", name]);
    run_ok(c);
    assert_eq!(labelled(name), Vec::<String>::new());
}

#[test]
fn a_taken_port_fails_clearly_and_creates_nothing() {
    let Some(image) = node_image() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    std::fs::write(&kc, PREVIOUS_KUBECONFIG).unwrap_or_else(|e| panic!("{e}"));
    let name = "cli-port-taken";
    cleanup(&kc, &image, name);
    let held = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = held.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
    let out = capstan(&kc, &image)
        .args(["cluster", "create", name, "--port", &format!("{port}:80")])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "created despite a taken port");
    assert!(
        stderr.contains(&format!(
            "port {port} on 127.0.0.1 (port mapping `127.0.0.1:{port}:80/tcp`) is already in use"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("choose another host port"), "{stderr}");
    assert_eq!(labelled(name), Vec::<String>::new());
    let after = std::fs::read_to_string(&kc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, PREVIOUS_KUBECONFIG);
    drop(held);
}

#[test]
fn invalid_ports_and_k3s_args_fail_before_the_engine_is_asked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // No engine at all: an error about it would mean the engine was asked.
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_capstan"))
            .env("KUBECONFIG", dir.path().join("config"))
            .env(
                "DOCKER_HOST",
                format!("unix://{}", dir.path().join("no.sock").display()),
            )
            .args(["cluster", "create", "bad-input"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success(), "{args:?} accepted");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("Docker is not running"), "{stderr}");
        stderr
    };
    let e = run(&["--port", "8080:80@loadbalancer"]);
    assert!(e.contains("node filters"), "{e}");
    let e = run(&["--port", "8080:99999"]);
    assert!(e.contains("`99999` is not a port"), "{e}");
    let e = run(&["--port", "8080:80", "--port", "8080:81"]);
    assert!(
        e.contains("already mapped by `127.0.0.1:8080:80/tcp`"),
        "{e}"
    );
    let e = run(&["--api-port", "16443", "--port", "16443:443"]);
    assert!(e.contains("the cluster's API port"), "{e}");
    let e = run(&["--k3s-arg=--token=abc"]);
    assert!(
        e.contains("extra k3s server argument `--token=abc`: `--token` is set by Capstan"),
        "{e}"
    );
    let e = run(&["--k3s-agent-arg", "--server=https://elsewhere:6443"]);
    assert!(e.contains("extra k3s agent argument"), "{e}");
    let zip = dir.path().join("images.zip");
    std::fs::write(&zip, b"x").expect("write the archive");
    let e = run(&["--airgap-images", &zip.to_string_lossy()]);
    assert!(
        e.contains("airgap images archive") && e.contains(".tar.zst"),
        "{e}"
    );
    let missing = dir.path().join("no-such-folder");
    let e = run(&["--volume", &format!("{}:/data", missing.display())]);
    assert!(
        e.contains("volume `") && e.contains("no-such-folder"),
        "{e}"
    );
    let e = run(&["--volume", "/tmp:/data@pool:1"]);
    assert!(e.contains("is not a node filter"), "{e}");
    let e = run(&["--k3s-version", "v1 35"]);
    assert!(e.contains("k3s version `v1 35`"), "{e}");
    let e = run(&["--registry=elsewhere"]);
    assert!(e.contains("elsewhere"), "{e}");

    // The offered versions need no engine.
    let out = Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(["cluster", "versions"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("stable") && text.contains("latest"), "{text}");
    assert!(text.contains("rancher/k3s:v1."), "{text}");
}
