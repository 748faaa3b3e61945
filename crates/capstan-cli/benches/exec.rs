//! Exec benchmark: `capstan exec` against `kubectl exec` on the same pod of
//! the test cluster, side by side in one run. (a) Keystroke echo round trip
//! through a TTY exec (`-it ... -- cat`, both clients under `script` for a
//! local pseudo-terminal; the remote TTY echoes each key), (b) throughput of
//! `cat` of a 100 MiB file to /dev/null. Prints figures and ratios
//! capstan/kubectl; no pass/fail thresholds (DESIGN.md §4). Run with
//! scripts/bench-exec.sh.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use capstan_test_support::TestCluster;

const SIZE: usize = 100 << 20;
const ROUNDS: usize = 3;
const KEYS: usize = 100;

const POD: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: bench}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: app, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
"#;

struct Ns(String);

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = TestCluster::get().kubectl(["delete", "namespace", &self.0, "--wait=false"]);
    }
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The exec command line of a client: (program, leading args).
fn client(capstan: bool) -> (String, Vec<String>) {
    let cluster = TestCluster::get();
    if capstan {
        (
            env!("CARGO_BIN_EXE_capstan").to_string(),
            vec!["exec".into()],
        )
    } else {
        (
            cluster.kubectl_path().display().to_string(),
            vec![
                "--kubeconfig".into(),
                cluster.kubeconfig_path().display().to_string(),
                "exec".into(),
            ],
        )
    }
}

fn cat_throughput(ns: &str, capstan: bool) -> f64 {
    let (program, mut args) = client(capstan);
    args.extend(["-n", ns, "bench", "--", "cat", "/tmp/big"].map(String::from));
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let mut child = Command::new(&program)
            .args(&args)
            .env("KUBECONFIG", TestCluster::get().kubeconfig_path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut out = child.stdout.take().expect("stdout");
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0usize;
        loop {
            match out.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => total += n,
                Err(e) => panic!("read: {e}"),
            }
        }
        assert!(child.wait().expect("wait").success());
        assert_eq!(total, SIZE, "all bytes arrived");
        best = best.min(start.elapsed().as_secs_f64());
    }
    SIZE as f64 / best / 1e6
}

/// Median keystroke echo (ms) through `-it ... -- cat` under `script`.
fn echo_latency(ns: &str, capstan: bool) -> f64 {
    let (program, mut args) = client(capstan);
    args.extend(["-it", "-n", ns, "bench", "--", "cat"].map(String::from));
    let line = std::iter::once(program)
        .chain(args)
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-qfec", &line, "/dev/null"])
        .env("KUBECONFIG", TestCluster::get().kubeconfig_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn script");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let _proc = Proc(child);
    let (tx, rx) = mpsc::channel::<u8>();
    std::thread::spawn(move || {
        let mut b = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut b) {
            if n == 0 {
                break;
            }
            for &c in &b[..n] {
                if tx.send(c).is_err() {
                    return;
                }
            }
        }
    });
    let wait_for = |want: u8, timeout: Duration| -> bool {
        let deadline = Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(c) if c == want => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    };
    // Ready once a key comes back.
    let ready = Instant::now() + Duration::from_secs(30);
    loop {
        stdin.write_all(b"w").expect("write");
        stdin.flush().expect("flush");
        if wait_for(b'w', Duration::from_millis(500)) {
            break;
        }
        assert!(Instant::now() < ready, "no echo from the TTY");
    }
    // Drain stragglers of the warm-up.
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
    let mut samples = Vec::with_capacity(KEYS);
    for _ in 0..KEYS {
        let start = Instant::now();
        stdin.write_all(b"k").expect("write");
        stdin.flush().expect("flush");
        assert!(wait_for(b'k', Duration::from_secs(5)), "key echo");
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    capstan_kube::install_crypto_provider();
    let cluster = TestCluster::get();
    let ns = Ns(format!("bench-exec-{}", std::process::id()));
    cluster.create_namespace(&ns.0).expect("namespace");
    let file = std::env::temp_dir().join(format!("bench-exec-{}.yaml", std::process::id()));
    std::fs::write(&file, POD).expect("manifest");
    cluster
        .kubectl_ok(["-n", &ns.0, "apply", "-f", &file.display().to_string()])
        .expect("apply");
    let _ = std::fs::remove_file(&file);
    cluster
        .kubectl_ok([
            "-n",
            &ns.0,
            "wait",
            "--for=condition=Ready",
            "pod/bench",
            "--timeout=120s",
        ])
        .expect("ready");
    cluster
        .kubectl_ok([
            "-n",
            &ns.0,
            "exec",
            "bench",
            "--",
            "sh",
            "-c",
            &format!("head -c {SIZE} /dev/urandom > /tmp/big"),
        ])
        .expect("100 MiB file");

    let k_lat = echo_latency(&ns.0, false);
    let c_lat = echo_latency(&ns.0, true);
    println!(
        "keystroke echo (median of {KEYS}): capstan {c_lat:.2} ms, kubectl {k_lat:.2} ms, ratio capstan/kubectl {:.2} (lower is better)",
        c_lat / k_lat
    );
    let k_tp = cat_throughput(&ns.0, false);
    let c_tp = cat_throughput(&ns.0, true);
    println!(
        "cat 100 MiB (best of {ROUNDS}): capstan {c_tp:.1} MB/s, kubectl {k_tp:.1} MB/s, ratio capstan/kubectl {:.2} (higher is better)",
        c_tp / k_tp
    );
}
