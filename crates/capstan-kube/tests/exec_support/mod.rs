//! Shared by the exec_* test binaries: a namespace with a running busybox
//! pod, an output collector, and a client for a restricted user.

#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
mod cluster_client;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::exec::{Output, TerminalSession};
use capstan_test_support::{TestCluster, TestNamespace};
use futures_util::StreamExt;

pub const T: Duration = Duration::from_secs(60);

/// The locally built test image (no registry is reachable from the node).
pub const IMAGE: &str = "capstan.local/busybox:1";

pub async fn client() -> kube::Client {
    cluster_client::client_and_context().await.0
}

/// A client offering only WebSocket subprotocol `protocol`, and the
/// subprotocols the server chose, one per upgrade.
pub async fn protocol_client(
    protocol: &'static str,
) -> (kube::Client, std::sync::Arc<Mutex<Vec<String>>>) {
    cluster_client::websocket_protocol_client(protocol).await
}

/// A namespace `exec-<name>-<pid>` holding pod `box` (container `app`,
/// `sleep 3600`), Ready before this returns.
pub fn ns_with_pod(name: &str) -> TestNamespace {
    let ns = TestNamespace::with_manifest(
        &format!("exec-{name}-{}", std::process::id()),
        &format!(
            r#"
apiVersion: v1
kind: Pod
metadata: {{name: box}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {{name: app, image: "{IMAGE}", imagePullPolicy: Never, command: [sleep, "3600"]}}
"#
        ),
    );
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "wait",
            "--for=condition=Ready",
            "pod/box",
            "--timeout=120s",
        ])
        .expect("pod box Ready");
    ns
}

/// Everything a session prints, kept apart by stream, filled by a task.
#[derive(Clone, Default)]
pub struct Collected {
    pub stdout: Arc<Mutex<Vec<u8>>>,
    pub stderr: Arc<Mutex<Vec<u8>>>,
    pub chunks: Arc<Mutex<usize>>,
}

impl Collected {
    pub fn stdout(&self) -> Vec<u8> {
        self.stdout.lock().expect("lock").clone()
    }
    pub fn stderr(&self) -> Vec<u8> {
        self.stderr.lock().expect("lock").clone()
    }
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout()).into_owned()
    }
}

/// Starts collecting the session's output; the handle ends with the stream.
pub fn collect(session: &mut TerminalSession) -> (Collected, tokio::task::JoinHandle<()>) {
    let mut output = session.take_output().expect("output");
    let c = Collected::default();
    let filled = c.clone();
    let task = tokio::spawn(async move {
        while let Some(chunk) = output.next().await {
            *filled.chunks.lock().expect("lock") += 1;
            match chunk {
                Output::Stdout(b) => filled.stdout.lock().expect("lock").extend_from_slice(&b),
                Output::Stderr(b) => filled.stderr.lock().expect("lock").extend_from_slice(&b),
            }
        }
    });
    (c, task)
}

/// Drives a TTY shell session opened at 80x24: `stty size` reports that,
/// then 100x40 after a resize, and `exit 5` ends it with code 5.
pub async fn assert_tty_follows_resizes(mut session: TerminalSession) {
    let input = session.input().expect("stdin");
    let (out, _done) = collect(&mut session);
    let sized = |rows_cols: &'static str| {
        let input = input.clone();
        let out = out.clone();
        move || {
            let input = input.clone();
            let out = out.clone();
            async move {
                input.write(&b"stty size\n"[..]).await;
                // One `stty size` per poll; the answer is read on the next round.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let text = out.stdout_text();
                if text.contains(rows_cols) {
                    Ok(())
                } else {
                    Err(format!("no \"{rows_cols}\" yet in {text:?}"))
                }
            }
        }
    };
    capstan_test_support::eventually(T, sized("24 80"))
        .await
        .expect("initial size");
    session.resize(100, 40);
    capstan_test_support::eventually(T, sized("40 100"))
        .await
        .expect("resized");

    input.write(&b"exit 5\n"[..]).await;
    let code = session.take_exit().expect("exit").await.expect("exit code");
    assert_eq!(code, 5);
}

/// A client for ServiceAccount `reader` of `ns`, which may get and list
/// pods there but nothing else (no `pods/exec`).
pub async fn reader_client(ns: &str) -> kube::Client {
    let cluster = TestCluster::get();
    let rbac = format!(
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {{name: reader}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: pod-reader}}
rules: [{{apiGroups: [""], resources: [pods], verbs: [get, list]}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: reader}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}}
subjects: [{{kind: ServiceAccount, name: reader, namespace: {ns}}}]
"#
    );
    let file = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(file.path(), rbac).expect("write");
    cluster
        .kubectl_ok(["-n", ns, "apply", "-f", &file.path().display().to_string()])
        .expect("rbac");
    let token = cluster
        .kubectl_ok(["-n", ns, "create", "token", "reader"])
        .expect("token");
    let kubeconfig = format!(
        r#"
apiVersion: v1
kind: Config
clusters: [{{name: c, cluster: {{server: "{}", certificate-authority: "{}"}}}}]
users: [{{name: reader, user: {{token: "{}"}}}}]
contexts: [{{name: reader, context: {{cluster: c, user: reader, namespace: {ns}}}}}]
current-context: reader
"#,
        cluster.server_url(),
        cluster.ca_path().display(),
        token.trim()
    );
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("reader.kubeconfig");
    std::fs::write(&path, kubeconfig).expect("write kubeconfig");
    capstan_kube::install_crypto_provider();
    let loaded = capstan_kube::contexts::load_kubeconfig(&[path]).expect("load");
    capstan_kube::contexts::client(&loaded, "reader")
        .await
        .expect("reader client")
}

/// A TCP proxy on 127.0.0.1 to the API server (whose certificate names
/// 127.0.0.1), whose connections a test can cut: a dead connection.
pub struct CuttableProxy {
    pub url: String,
    links: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl CuttableProxy {
    pub async fn start() -> Self {
        let upstream = TestCluster::get()
            .server_url()
            .trim_start_matches("https://")
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("https://{}", listener.local_addr().expect("addr"));
        let links: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let held = links.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut down, _)) = listener.accept().await {
                let upstream = upstream.clone();
                held.lock().expect("lock").push(tokio::spawn(async move {
                    if let Ok(mut up) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut down, &mut up).await;
                    }
                }));
            }
        });
        CuttableProxy { url, links, accept }
    }

    /// Drops every connection made so far (both sockets close).
    pub fn cut(&self) {
        for link in self.links.lock().expect("lock").drain(..) {
            link.abort();
        }
    }

    /// An admin client that goes through the proxy.
    pub async fn client(&self) -> kube::Client {
        let cluster = TestCluster::get();
        let text = std::fs::read_to_string(cluster.kubeconfig_path()).expect("kubeconfig");
        assert!(
            text.contains(cluster.server_url()),
            "the kubeconfig names the server"
        );
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("proxied.kubeconfig");
        std::fs::write(&path, text.replace(cluster.server_url(), &self.url)).expect("write");
        capstan_kube::install_crypto_provider();
        let loaded = capstan_kube::contexts::load_kubeconfig(&[path]).expect("load");
        let context = loaded.merged.current_context.clone().expect("context");
        capstan_kube::contexts::client(&loaded, &context)
            .await
            .expect("proxied client")
    }
}

impl Drop for CuttableProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
