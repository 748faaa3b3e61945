use std::time::Duration;

use capstan_test_support::TestCluster;
use futures_util::StreamExt;

use super::*;

/// Reads the shell's output until `done` says so or it ends; returns all of it.
async fn read_until(output: &mut reader::PtyOutput, done: impl Fn(&str) -> bool) -> String {
    let mut seen = Vec::new();
    let read = async {
        while let Some(chunk) = output.next().await {
            seen.extend(chunk.expect("output"));
            if done(&String::from_utf8_lossy(&seen)) {
                break;
            }
        }
    };
    // A deadline, not a wait: the loop ends as soon as the text is there.
    let finished = tokio::time::timeout(Duration::from_secs(60), read).await;
    let text = String::from_utf8_lossy(&seen).into_owned();
    assert!(finished.is_ok(), "timed out; the terminal showed:\n{text}");
    text
}

fn sh(cols: u16, rows: u16, env: Vec<(OsString, OsString)>) -> OpenedLocalShell {
    spawn(
        ShellSpec {
            program: PathBuf::from("/bin/sh"),
            env,
            cwd: None,
            cols,
            rows,
        },
        None,
    )
    .expect("spawn /bin/sh")
}

#[test]
fn the_login_shell_is_shell_then_bash_then_sh() {
    let all = |_: &Path| true;
    assert_eq!(
        login_shell(Some("/usr/bin/zsh".into()), all),
        Some(PathBuf::from("/usr/bin/zsh"))
    );
    assert_eq!(
        login_shell(Some("zsh".into()), all),
        Some(PathBuf::from("/bin/bash")),
        "a relative SHELL is not trusted"
    );
    let no_bash = |p: &Path| p != Path::new("/bin/bash") && p != Path::new("/usr/bin/zsh");
    assert_eq!(
        login_shell(Some("/usr/bin/zsh".into()), no_bash),
        Some(PathBuf::from("/bin/sh"))
    );
    assert_eq!(login_shell(None, |_| false), None);
}

#[tokio::test]
async fn a_local_shell_runs_resizes_and_reports_its_exit_code() {
    let mut opened = sh(80, 24, Vec::new());
    opened
        .shell
        .input(b"echo $((6*7)); stty size\n".to_vec())
        .await
        .expect("input");
    read_until(&mut opened.output, |t| {
        t.contains("42") && t.contains("24 80")
    })
    .await;

    opened.shell.resize(120, 40).expect("resize");
    opened
        .shell
        .input(b"stty size\n".to_vec())
        .await
        .expect("input");
    read_until(&mut opened.output, |t| t.contains("40 120")).await;

    opened
        .shell
        .input(b"exit 3\n".to_vec())
        .await
        .expect("input");
    read_until(&mut opened.output, |_| false).await;
    assert_eq!(opened.exit.await, Some(3));
}

#[tokio::test]
async fn dropping_the_shell_hangs_it_up_and_removes_its_kubeconfig() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kube = dir.path().join("config");
    std::fs::write(
        &kube,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\ncontexts:\n- name: c\n  context: {cluster: c}\n",
    )
    .expect("write");
    let loaded = capstan_kube::contexts::load_kubeconfig(&[kube]).expect("load");
    let file = capstan_kube::contexts::write_context_kubeconfig(&loaded, "c", None, dir.path())
        .expect("minify");
    let path = file.path().to_path_buf();
    let mut opened = spawn(
        ShellSpec {
            program: PathBuf::from("/bin/sh"),
            env: Vec::new(),
            cwd: None,
            cols: 80,
            rows: 24,
        },
        Some(file),
    )
    .expect("spawn");
    assert!(path.exists());
    drop(opened.shell);
    // The hang-up ends the shell: its output ends and it has an exit status.
    read_until(&mut opened.output, |_| false).await;
    opened.exit.await;
    assert!(!path.exists(), "the kubeconfig goes with the shell");
}

#[tokio::test]
async fn a_context_terminal_runs_kubectl_against_that_context() {
    let cluster = TestCluster::get();
    let real = capstan_kube::contexts::load_kubeconfig(&[cluster.kubeconfig_path().to_path_buf()])
        .expect("load the test kubeconfig");
    let context = real
        .merged
        .current_context
        .clone()
        .expect("a current context");

    // The user's current context is a decoy that answers nothing: only the
    // terminal's own kubeconfig can make kubectl reach the cluster.
    let dir = tempfile::tempdir().expect("tempdir");
    let decoy = dir.path().join("decoy");
    std::fs::write(
        &decoy,
        "apiVersion: v1\nkind: Config\ncurrent-context: decoy\nclusters:\n- name: decoy\n  cluster: {server: \"https://127.0.0.1:1\"}\ncontexts:\n- name: decoy\n  context: {cluster: decoy}\n",
    )
    .expect("write");
    let loaded =
        capstan_kube::contexts::load_kubeconfig(&[decoy, cluster.kubeconfig_path().to_path_buf()])
            .expect("load");
    let ns = capstan_test_support::DEMO_NAMESPACE;
    let file =
        capstan_kube::contexts::write_context_kubeconfig(&loaded, &context, Some(ns), dir.path())
            .expect("minify");

    let kubectl_dir = cluster.kubectl_path().parent().expect("kubectl's folder");
    let mut path = std::ffi::OsString::from(kubectl_dir);
    if let Some(rest) = std::env::var_os("PATH") {
        path.push(":");
        path.push(rest);
    }
    let mut opened = spawn(
        ShellSpec {
            program: PathBuf::from("/bin/sh"),
            env: vec![
                ("PATH".into(), path),
                ("KUBECONFIG".into(), file.path().as_os_str().to_owned()),
            ],
            cwd: None,
            cols: 200,
            rows: 50,
        },
        Some(file),
    )
    .expect("spawn");
    // No -n: the namespace must come from the terminal's kubeconfig.
    opened
        .shell
        .input(
            b"kubectl config current-context; kubectl get pods -o name; echo END-$((40+2))\n"
                .to_vec(),
        )
        .await
        .expect("input");
    let text = read_until(&mut opened.output, |t| t.contains("END-42")).await;
    let after_command = text.rsplit("END-$((40+2))").next().unwrap_or(&text);
    assert!(
        after_command.contains(&context),
        "current context shown:\n{text}"
    );
    let demo = cluster
        .kubectl_ok(["get", "pods", "-n", ns, "-o", "name"])
        .expect("kubectl get pods");
    let first = demo.lines().next().expect("the demo namespace has pods");
    assert!(
        after_command.contains(first),
        "{first} listed (the demo namespace of the right context):\n{text}"
    );
}

/// Names of this process's threads (as /proc shows them, 15 bytes at most).
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("list this process's threads")
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .map(|n| n.trim().to_string())
        .collect()
}

#[tokio::test]
async fn closing_a_session_stops_and_joins_its_reader_while_a_job_keeps_the_pty_open() {
    let mut opened = sh(80, 24, Vec::new());
    // A job that ignores the hang-up and holds the PTY open after the shell
    // is gone: a plain blocking read would never return.
    opened
        .shell
        .input(b"(trap '' HUP; exec sleep 600) & echo JOB=$!=\n".to_vec())
        .await
        .expect("input");
    let text = read_until(&mut opened.output, |t| {
        t.rsplit("JOB=").next().is_some_and(|r| {
            r.split('=')
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    })
    .await;
    let job: u32 = text
        .rsplit("JOB=")
        .next()
        .and_then(|r| r.split('=').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no job pid in {text:?}"));
    struct KillJob(u32);
    impl Drop for KillJob {
        fn drop(&mut self) {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .status();
        }
    }
    let _job = KillJob(job);

    let OpenedLocalShell {
        shell,
        output,
        exit,
    } = opened;
    let reader = output.thread_name().expect("the reader thread is named");
    drop(shell);
    // The shell ends (it was hung up) while its job still holds the PTY,
    // so the reader is still waiting on it.
    let _ = tokio::time::timeout(Duration::from_secs(30), exit)
        .await
        .expect("the hung-up shell ends");
    assert!(
        output.reading(),
        "the job holds the PTY open, so the reader still waits"
    );
    assert!(
        thread_names().contains(&reader),
        "{reader} in {:?}",
        thread_names()
    );

    // Closing the session's output stops the thread and joins it.
    tokio::time::timeout(
        Duration::from_secs(30),
        tokio::task::spawn_blocking(move || drop(output)),
    )
    .await
    .expect("dropping the output returns: the reader was woken")
    .expect("drop");
    assert!(
        !thread_names().contains(&reader),
        "no reader thread {reader} left: {:?}",
        thread_names()
    );
    assert!(
        std::path::Path::new(&format!("/proc/{job}")).exists(),
        "the job was still running, so the PTY was open all along"
    );
}
