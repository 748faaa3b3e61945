//! Logs throughput. Prints figures, asserts nothing:
//!
//! 1. replay: recorded stamped lines from 4 sources through the same parser,
//!    resume filter, merger and batcher as live streams (our own cost);
//! 2. live: a pod of the test cluster that printed N counter lines, read
//!    with follow through `open_logs` until N lines reached the sink, and the
//!    same with `kubectl logs -f`, as a ratio.
//!
//! 3. with `CAPSTAN_BIN=<path to capstan>`: `capstan logs -f` vs
//!    `kubectl logs -f`, time to N lines on stdout.
//!
//! `cargo run --release -p capstan-kube --example logs_bench [N]`

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use capstan_kube::logs::{open_logs, replay, LogBatch, LogOptions, LogSink, LogSource, LogTarget};
use capstan_test_support::TestCluster;

struct Counter(AtomicUsize);

impl LogSink for Counter {
    fn batch(&self, batch: LogBatch) {
        self.0.fetch_add(batch.lines.len(), Ordering::Relaxed);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    capstan_kube::install_crypto_provider();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500_000);

    // 1. Replay.
    let per = n / 4;
    let start = jiff::Timestamp::now();
    let recorded: Vec<(LogSource, Vec<u8>)> = (0..4u32)
        .map(|s| {
            let mut bytes = Vec::with_capacity(per * 90);
            for i in 0..per {
                let at =
                    start + jiff::SignedDuration::from_micros((i * 40 + s as usize * 10) as i64);
                bytes.extend_from_slice(
                    format!("{at} source {s} line {i} some text of a usual length\n").as_bytes(),
                );
            }
            let source = LogSource {
                index: s,
                namespace: "bench".into(),
                pod: format!("p{s}"),
                container: "c".into(),
            };
            (source, bytes)
        })
        .collect();
    let sink = Arc::new(Counter(AtomicUsize::new(0)));
    let t = Instant::now();
    replay(recorded, false, sink.clone()).await;
    let secs = t.elapsed().as_secs_f64();
    let got = sink.0.load(Ordering::Relaxed);
    println!(
        "replay: {got} lines from 4 sources in {secs:.3} s = {:.0} lines/s",
        got as f64 / secs
    );

    // 2. Live, against the test cluster.
    let cluster = TestCluster::get();
    let ns = format!("logs-bench-{}", std::process::id());
    cluster.create_namespace(&ns).expect("namespace");
    let pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "fast", "namespace": ns},
        "spec": {"terminationGracePeriodSeconds": 1, "containers": [{
            "name": "c", "image": "capstan.local/busybox:1", "imagePullPolicy": "Never",
            "command": ["sh", "-c", format!("seq 1 {n}; exec sleep 100000")],
        }]},
    });
    let file = std::env::temp_dir().join(format!("logs-bench-{}.json", std::process::id()));
    std::fs::write(&file, pod.to_string()).expect("write");
    cluster
        .kubectl_ok(["apply", "-f", &file.to_string_lossy()])
        .expect("apply");
    let last = n.to_string();
    let done = cluster.wait_until(Duration::from_secs(180), || {
        cluster
            .kubectl_ok(["-n", &ns, "logs", "fast", "--tail", "1"])
            .is_ok_and(|o| o.trim() == last)
    });
    assert!(done, "the pod printed its lines");

    let loaded =
        capstan_kube::contexts::load_kubeconfig(&[cluster.kubeconfig_path().to_path_buf()])
            .expect("kubeconfig");
    let context = loaded.merged.current_context.clone().expect("context");
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut cli = Vec::new();
    let capstan_bin = std::env::var("CAPSTAN_BIN").ok();
    for _ in 0..3 {
        let sink = Arc::new(Counter(AtomicUsize::new(0)));
        let mut options = LogOptions::new(&ns);
        options.follow = true;
        options.tail_lines = None;
        let t = Instant::now();
        let handle = open_logs(
            client.clone(),
            LogTarget::Pod {
                name: "fast".into(),
            },
            options,
            sink.clone(),
        )
        .expect("open");
        while sink.0.load(Ordering::Relaxed) < n {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        ours.push(t.elapsed().as_secs_f64());
        handle.cancel();

        let t = Instant::now();
        let mut child = Command::new(cluster.kubectl_path())
            .args([
                "--kubeconfig",
                &cluster.kubeconfig_path().to_string_lossy(),
                "-n",
                &ns,
                "logs",
                "-f",
                "fast",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("kubectl");
        let out = child.stdout.take().expect("stdout");
        let mut lines = 0;
        for _ in BufReader::new(out).lines() {
            lines += 1;
            if lines >= n {
                break;
            }
        }
        theirs.push(t.elapsed().as_secs_f64());
        let _ = child.kill();
        let _ = child.wait();

        if let Some(bin) = &capstan_bin {
            let config =
                std::env::temp_dir().join(format!("logs-bench-cfg-{}", std::process::id()));
            let t = Instant::now();
            let mut child = Command::new(bin)
                .args(["logs", "-f", "--tail", "-1", "-n", &ns, "fast"])
                .env("KUBECONFIG", cluster.kubeconfig_path())
                .env("CAPSTAN_CONFIG_DIR", &config)
                .stdout(Stdio::piped())
                .spawn()
                .expect("capstan");
            let out = child.stdout.take().expect("stdout");
            let mut lines = 0;
            for _ in BufReader::new(out).lines() {
                lines += 1;
                if lines >= n {
                    break;
                }
            }
            cli.push(t.elapsed().as_secs_f64());
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let (o, k) = (best(&ours), best(&theirs));
    println!("live: {n} lines, open_logs {o:.3} s ({:.0} lines/s), kubectl logs -f {k:.3} s ({:.0} lines/s); time ratio capstan/kubectl = {:.2} (best of 3)", n as f64 / o, n as f64 / k, o / k);
    if !cli.is_empty() {
        let c = best(&cli);
        println!("cli: capstan logs -f {c:.3} s ({:.0} lines/s); time ratio capstan CLI/kubectl = {:.2} (best of 3)", n as f64 / c, c / k);
    }
    let _ = cluster.kubectl(["delete", "namespace", &ns, "--wait=false"]);
    let _ = std::fs::remove_file(&file);
}
