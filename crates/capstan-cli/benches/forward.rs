//! Port-forward benchmark: `capstan forward` against `kubectl port-forward`
//! to the same pod of the test cluster, side by side in one run. Prints
//! download and echo throughput (MB/s), first-byte latency of a new
//! connection, ratios capstan/kubectl, and checks 100 concurrent echo
//! connections through capstan byte by byte. Figures, not pass/fail
//! thresholds (DESIGN.md §4). Run with scripts/bench-forward.sh.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use capstan_test_support::TestCluster;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DOWNLOAD: usize = 200 << 20;
const ECHO: usize = 50 << 20;
const ROUNDS: usize = 3;
const LATENCY_SAMPLES: usize = 30;

/// Echo on 7000, 200 MiB of zeros per connection on 7001.
const POD: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: bench}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: srv
    image: capstan.local/busybox:1
    imagePullPolicy: Never
    command: [sh, -c, "printf '#!/bin/sh\nexec head -c 209715200 /dev/zero\n' > /tmp/src && chmod +x /tmp/src && (nc -ll -p 7001 -e /tmp/src &) && exec nc -ll -p 7000 -e cat"]
    readinessProbe: {tcpSocket: {port: 7000}, periodSeconds: 1}
"#;

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Ns(String);

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = TestCluster::get().kubectl(["delete", "namespace", &self.0, "--wait=false"]);
    }
}

/// Starts a forwarder and reads its "Forwarding from 127.0.0.1:P -> R" lines.
fn start(mut cmd: Command) -> (Proc, SocketAddr, SocketAddr) {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn forwarder");
    let stdout = child.stdout.take().expect("stdout");
    let proc = Proc(child);
    let mut lines = BufReader::new(stdout).lines();
    let (mut echo, mut download) = (None, None);
    while echo.is_none() || download.is_none() {
        let line = lines.next().expect("forwarder ended").expect("read");
        if let Some(rest) = line.strip_prefix("Forwarding from 127.0.0.1:") {
            let (port, remote) = rest.split_once(" -> ").expect("line");
            let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
            match remote.trim() {
                "7000" => echo = Some(addr),
                "7001" => download = Some(addr),
                _ => {}
            }
        }
    }
    // Keep draining so the forwarder never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (proc, echo.expect("echo"), download.expect("download"))
}

async fn download(addr: SocketAddr) -> f64 {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    while total < DOWNLOAD {
        let n = s.read(&mut buf).await.expect("read");
        assert!(n > 0, "download ended at {total} bytes");
        total += n;
    }
    mb_per_s(total, start.elapsed())
}

async fn echo(addr: SocketAddr, len: usize, seed: u64) -> Result<Duration, String> {
    let data = payload(len, seed);
    let start = Instant::now();
    let s = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut r, mut w) = s.into_split();
    let out = data.clone();
    let writer = tokio::spawn(async move { w.write_all(&out).await.map(|()| w) });
    let mut got = vec![0u8; len];
    r.read_exact(&mut got).await.map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    writer
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    if got != data {
        return Err(format!("{len} B echo differs"));
    }
    Ok(elapsed)
}

/// New connection, one byte out, time to the first byte back.
async fn first_byte(addr: SocketAddr) -> Duration {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    s.write_all(b"x").await.expect("write");
    let mut b = [0u8; 1];
    s.read_exact(&mut b).await.expect("first byte");
    start.elapsed()
}

fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1_048_576.0 / d.as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; nothing to filter here.
    let cluster = TestCluster::get();
    let ns = Ns(format!("fwd-bench-{}", std::process::id()));
    cluster.create_namespace(&ns.0).expect("namespace");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("pod.yaml");
    std::fs::write(&file, POD).expect("write");
    cluster
        .kubectl_ok(["-n", &ns.0, "apply", "-f", &file.to_string_lossy()])
        .expect("apply");
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

    let mut ours = Command::new(env!("CARGO_BIN_EXE_capstan"));
    ours.args(["forward", "-n", &ns.0, "pod/bench", ":7000", ":7001"])
        .env("KUBECONFIG", cluster.kubeconfig_path())
        .env("CAPSTAN_CONFIG_DIR", dir.path().join("app"));
    let mut theirs = Command::new(cluster.kubectl_path());
    theirs.args([
        "--kubeconfig",
        &cluster.kubeconfig_path().to_string_lossy(),
        "port-forward",
        "-n",
        &ns.0,
        "pod/bench",
        ":7000",
        ":7001",
    ]);
    let (_ours, c_echo, c_down) = start(ours);
    let (_theirs, k_echo, k_down) = start(theirs);
    // Warm both (first TLS handshakes, kubelet paths).
    for addr in [c_echo, k_echo] {
        echo(addr, 1 << 20, 7).await.expect("warm-up echo");
    }

    // Throughput, alternating so both see the same cluster load.
    let (mut cd, mut kd, mut ce, mut ke) = (vec![], vec![], vec![], vec![]);
    for round in 0..ROUNDS {
        cd.push(download(c_down).await);
        kd.push(download(k_down).await);
        let seed = round as u64;
        ce.push(mb_per_s(
            2 * ECHO,
            echo(c_echo, ECHO, seed).await.expect("capstan echo"),
        ));
        ke.push(mb_per_s(
            2 * ECHO,
            echo(k_echo, ECHO, seed).await.expect("kubectl echo"),
        ));
    }

    // First byte on a new connection, interleaved.
    let (mut cl, mut kl) = (vec![], vec![]);
    for _ in 0..LATENCY_SAMPLES {
        cl.push(first_byte(c_echo).await.as_secs_f64() * 1000.0);
        kl.push(first_byte(k_echo).await.as_secs_f64() * 1000.0);
    }

    // 100 concurrent connections, each its own 256 KiB payload both ways.
    let start = Instant::now();
    let tasks: Vec<_> = (0..100u64)
        .map(|i| tokio::spawn(echo(c_echo, 256 * 1024 + i as usize, 100 + i)))
        .collect();
    let mut ok = 0;
    let mut failures = Vec::new();
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => ok += 1,
            Err(e) => failures.push(e),
        }
    }
    let concurrent = start.elapsed();

    let (cdm, kdm, cem, kem) = (median(cd), median(kd), median(ce), median(ke));
    let (clm, klm) = (median(cl.clone()), median(kl.clone()));
    println!("port-forward to one pod, median of {ROUNDS} rounds (latency: {LATENCY_SAMPLES} new connections)");
    println!(
        "{:<34} {:>10} {:>10} {:>8}",
        "", "capstan", "kubectl", "ratio"
    );
    println!(
        "{:<34} {cdm:>10.1} {kdm:>10.1} {:>8.2}",
        "download 200 MiB (MB/s)",
        cdm / kdm
    );
    println!(
        "{:<34} {cem:>10.1} {kem:>10.1} {:>8.2}",
        "echo 50 MiB both ways (MB/s)",
        cem / kem
    );
    println!(
        "{:<34} {clm:>10.1} {klm:>10.1} {:>8.2}",
        "first byte, median (ms)",
        clm / klm
    );
    let (c90, k90) = (percentile(cl, 0.9), percentile(kl, 0.9));
    println!(
        "{:<34} {c90:>10.1} {k90:>10.1} {:>8.2}",
        "first byte, p90 (ms)",
        c90 / k90
    );
    println!(
        "100 concurrent 256 KiB echo connections through capstan: {ok}/100 byte-identical in {:.2}s",
        concurrent.as_secs_f64()
    );
    if !failures.is_empty() {
        println!("failures: {failures:?}");
        std::process::exit(1);
    }
}
