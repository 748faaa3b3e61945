//! Shared by the forward_* test binaries: a namespace of one's own, an echo
//! and http workload behind services, a sink that records state changes,
//! and payload checks through a local port.

#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
mod cluster_client;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::forward::{ForwardSink, ForwardStatus};
use capstan_test_support::TestCluster;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const T: Duration = Duration::from_secs(90);

pub async fn client() -> kube::Client {
    cluster_client::client_and_context().await.0
}

pub use capstan_test_support::TestNamespace as Ns;

/// A namespace `fwd-<name>-<pid>`, deleted on drop.
pub fn ns(name: &str) -> Ns {
    Ns::create(&format!("fwd-{name}-{}", std::process::id()))
}

pub fn apply(ns: &str, manifest: &serde_json::Value) {
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), manifest.to_string()).expect("write");
    let path = file.path().to_string_lossy().into_owned();
    TestCluster::get()
        .kubectl_ok(["-n", ns, "apply", "-f", &path])
        .expect("apply");
}

/// Echo on 7000 (port name "echo"; the test image's echo-server, which takes
/// a hundred connections at once where `nc -ll` resets some) and httpd on
/// 8080 ("http") serving the pod's name; ready once 7000 listens.
pub fn pod_spec() -> serde_json::Value {
    serde_json::json!({
        "terminationGracePeriodSeconds": 1,
        "containers": [{
            "name": "srv",
            "image": "capstan.local/busybox:1",
            "imagePullPolicy": "Never",
            "command": ["sh", "-c",
                "mkdir -p /www && hostname > /www/index.html && httpd -p 8080 -h /www && exec echo-server :7000"],
            "ports": [
                {"name": "echo", "containerPort": 7000},
                {"name": "http", "containerPort": 8080}
            ],
            "readinessProbe": {"tcpSocket": {"port": 7000}, "periodSeconds": 1}
        }]
    })
}

/// Deployment `echo` (app=echo), service `echo` (17000 -> "echo" by name,
/// 80 "web" -> 8080 by number), service `nosel` without selector.
pub fn echo_workload(ns: &str, replicas: u32) {
    apply(
        ns,
        &serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "echo"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "echo"}},
                "template": {"metadata": {"labels": {"app": "echo"}}, "spec": pod_spec()}
            }
        }),
    );
    apply(
        ns,
        &serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "echo"},
            "spec": {
                "selector": {"app": "echo"},
                "ports": [
                    {"name": "echo", "port": 17000, "targetPort": "echo"},
                    {"name": "web", "port": 80, "targetPort": 8080}
                ]
            }
        }),
    );
    apply(
        ns,
        &serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "nosel"},
            "spec": {"ports": [{"port": 80}]}
        }),
    );
}

pub fn plain_pod(ns: &str, name: &str) {
    apply(
        ns,
        &serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": {"app": "plain"}},
            "spec": pod_spec()
        }),
    );
}

pub fn wait_deployment(ns: &str, name: &str) {
    TestCluster::get()
        .kubectl_ok([
            "-n",
            ns,
            "rollout",
            "status",
            &format!("deployment/{name}"),
            "--timeout=120s",
        ])
        .expect("deployment ready");
}

pub fn wait_ready_pod(ns: &str, pod: &str) {
    TestCluster::get()
        .kubectl_ok([
            "-n",
            ns,
            "wait",
            "--for=condition=Ready",
            &format!("pod/{pod}"),
            "--timeout=120s",
        ])
        .expect("pod ready");
}

/// Records every status the forward reports.
#[derive(Default)]
pub struct Recorder {
    pub statuses: Mutex<Vec<ForwardStatus>>,
    pub errors: Mutex<Vec<String>>,
}

impl Recorder {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }
    pub fn reasons(&self) -> Vec<String> {
        self.statuses
            .lock()
            .expect("lock")
            .iter()
            .filter_map(|s| s.reason.clone())
            .collect()
    }
}

impl ForwardSink for Recorder {
    fn status(&self, status: &ForwardStatus) {
        self.statuses.lock().expect("lock").push(status.clone());
    }
    fn connection_error(&self, _id: u64, message: &str) {
        self.errors.lock().expect("lock").push(message.to_string());
    }
}

/// Deterministic pseudo-random bytes (xorshift), different per seed.
pub fn payload(len: usize, seed: u64) -> Vec<u8> {
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

/// Sends `len` random bytes to the echo port at `addr` while reading them
/// back; returns an error text when they differ.
pub async fn echo_roundtrip(addr: SocketAddr, len: usize, seed: u64) -> Result<(), String> {
    let data = payload(len, seed);
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    let (mut r, mut w) = stream.into_split();
    let to_send = data.clone();
    let writer = tokio::spawn(async move { w.write_all(&to_send).await.map(|()| w) });
    let mut got = vec![0u8; len];
    tokio::time::timeout(T, r.read_exact(&mut got))
        .await
        .map_err(|_| format!("{len} B: timed out reading the echo"))?
        .map_err(|e| format!("{len} B: read: {e}"))?;
    let _w = writer
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{len} B: write: {e}"))?;
    if got != data {
        let first = got.iter().zip(&data).position(|(a, b)| a != b);
        return Err(format!("{len} B: payload differs, first at {first:?}"));
    }
    Ok(())
}

/// GET / through `addr`; the body is the serving pod's name.
pub async fn http_get(addr: SocketAddr) -> Result<String, String> {
    let fut = async {
        let mut s = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        s.write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
            .await
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out).into_owned();
        match text.split_once("\r\n\r\n") {
            Some((head, body)) if head.starts_with("HTTP/1.") && head.contains(" 200 ") => {
                Ok(body.trim().to_string())
            }
            _ => Err(format!("unexpected reply: {text:?}")),
        }
    };
    tokio::time::timeout(Duration::from_secs(30), fut)
        .await
        .map_err(|_| "timed out".to_string())?
}

/// Polls `f` until true or `timeout` (the shared
/// [`capstan_test_support::eventually`]).
pub async fn wait(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    capstan_test_support::eventually(timeout, || {
        std::future::ready(if f() { Ok(()) } else { Err(()) })
    })
    .await
    .is_ok()
}
