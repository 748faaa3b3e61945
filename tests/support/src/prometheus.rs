//! A real Prometheus (Debian's `prometheus` package) for the metrics tests:
//! a process scraping each kubelet's cAdvisor metrics through the API
//! server's node proxy, every 2 s, registered in the cluster as a Service
//! without a selector plus an Endpoints object (as `cluster.sh` registers
//! metrics-server), so the app finds it through the service proxy as it
//! would find kube-prometheus-stack's.
//!
//! The API server's service proxy only goes to an endpoint address whose
//! `targetRef` is a pod of the same namespace with that IP. So the process
//! runs in the node's network namespace (as the kubelet does, through
//! `nsenter`), listening on the node's IP, and a host-network pod (which has
//! the node's IP) is the endpoint's `targetRef`. Dropping the fixture stops
//! the process and removes its files and objects; the namespace is the
//! caller's.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::{eventually_blocking, free_port, TestCluster};

/// The name discovery looks for first (the Prometheus operator's).
pub const SERVICE: &str = "prometheus-operated";
/// The Service's port name, as the operator names it.
pub const PORT_NAME: &str = "web";

/// The `prometheus` binary: `CAPSTAN_TEST_PROMETHEUS`, else `prometheus` on
/// PATH. The error says how to install it.
pub fn find_prometheus() -> std::result::Result<PathBuf, String> {
    let bin = std::env::var_os("CAPSTAN_TEST_PROMETHEUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("prometheus"));
    match Command::new(&bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => Ok(bin),
        Ok(s) => Err(format!("{} --version exited with {s}", bin.display())),
        Err(e) => Err(format!("{}: {e}", bin.display())),
    }
}

/// How to get it, for [`crate::require`].
pub const INSTALL: &str =
    "apt-get install prometheus (Debian's package; scripts/lib/setup.sh installs it)";

/// The node's network namespace (`cluster.sh`'s `NETNS_NAME`).
fn node_netns() -> PathBuf {
    std::env::var_os("CAPSTAN_TEST_NETNS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/run/netns/capstan-k8s"))
}

/// The host-network pod that gives the endpoint its `targetRef`.
const ANCHOR: &str = "prometheus-anchor";

pub struct PrometheusFixture {
    child: Child,
    dir: PathBuf,
    pub namespace: String,
    /// The node's IP, where Prometheus listens.
    pub host: String,
    pub port: u16,
}

fn kubectl(args: &[&str]) -> Result<String> {
    TestCluster::get().kubectl_ok(args)
}

impl PrometheusFixture {
    /// Starts Prometheus and registers it in `namespace` (which must exist
    /// and belong to the caller); returns once it answers through the
    /// service proxy.
    pub fn start(binary: &std::path::Path, namespace: &str) -> Result<Self> {
        let cluster = TestCluster::get();
        let netns = node_netns();
        if !netns.exists() {
            bail!(
                "the node's network namespace {} is missing (is the test cluster up?)",
                netns.display()
            );
        }
        // The API server as the node reaches it (the address it advertises).
        let server = kubectl(&[
            "get",
            "endpoints",
            "kubernetes",
            "-n",
            "default",
            "-o",
            "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}",
        ])?;
        let server = server.trim().to_string();
        let anchor = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": ANCHOR, "namespace": namespace},
            "spec": {
                "hostNetwork": true,
                "terminationGracePeriodSeconds": 0,
                "containers": [{
                    "name": "anchor",
                    "image": "capstan.local/busybox:1",
                    "imagePullPolicy": "Never",
                    "command": ["sleep", "100000"],
                }],
            },
        });
        let anchor_file = std::env::temp_dir().join(format!(
            "capstan-prometheus-anchor-{}.json",
            std::process::id()
        ));
        std::fs::write(&anchor_file, anchor.to_string()).context("write anchor pod")?;
        let applied = kubectl(&["apply", "-f", &anchor_file.display().to_string()]);
        let _ = std::fs::remove_file(&anchor_file);
        applied?;
        kubectl(&[
            "-n",
            namespace,
            "wait",
            "--for=condition=Ready",
            &format!("pod/{ANCHOR}"),
            "--timeout=90s",
        ])?;
        let host = kubectl(&[
            "-n",
            namespace,
            "get",
            "pod",
            ANCHOR,
            "-o",
            "jsonpath={.status.podIP}",
        ])?;
        let host = host.trim().to_string();
        let nodes = kubectl(&["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"])?;
        let token = kubectl(&[
            "--kubeconfig",
            &cluster.token_kubeconfig_path().display().to_string(),
            "config",
            "view",
            "--raw",
            "-o",
            "jsonpath={.users[0].user.token}",
        ])?;
        let dir = std::env::temp_dir().join(format!(
            "capstan-prometheus-{}-{namespace}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).context("prometheus temp dir")?;
        let token_file = dir.join("token");
        write_private(&token_file, token.trim())?;
        let mut config = format!(
            "global:\n  scrape_interval: 2s\n  evaluation_interval: 2s\nscrape_configs:\n- job_name: cadvisor\n  scheme: https\n  scrape_interval: 2s\n  scrape_timeout: 2s\n  authorization:\n    credentials_file: {}\n  tls_config:\n    ca_file: {}\n  static_configs:\n",
            token_file.display(),
            cluster.ca_path().display(),
        );
        for node in nodes.split_whitespace() {
            config.push_str(&format!(
                "  - targets: [\"{server}\"]\n    labels:\n      __metrics_path__: /api/v1/nodes/{node}/proxy/metrics/cadvisor\n      node: {node}\n"
            ));
        }
        let config_file = dir.join("prometheus.yml");
        std::fs::write(&config_file, config).context("write prometheus.yml")?;
        let port = free_port();
        let log = std::fs::File::create(dir.join("prometheus.log")).context("prometheus log")?;
        let child = Command::new("nsenter")
            .arg(format!("--net={}", netns.display()))
            .arg("--")
            .arg(binary)
            .arg(format!("--config.file={}", config_file.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address={host}:{port}"))
            .arg("--storage.tsdb.retention.time=1h")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let fixture = Self {
            child,
            dir,
            namespace: namespace.to_string(),
            host,
            port,
        };
        fixture.register()?;
        eventually_blocking(Duration::from_secs(60), || {
            let ready = kubectl(&["get", "--raw", &fixture.proxy_path("/-/ready")])?;
            if ready.contains("Ready") {
                Ok(())
            } else {
                bail!("not ready: {ready}")
            }
        })
        .with_context(|| {
            format!(
                "Prometheus did not answer through the service proxy; log: {}",
                fixture.log()
            )
        })?;
        Ok(fixture)
    }

    fn register(&self) -> Result<()> {
        let manifest = serde_json::json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": SERVICE, "namespace": self.namespace},
                    "spec": {"ports": [{"name": PORT_NAME, "port": 9090, "protocol": "TCP", "targetPort": self.port}]},
                },
                {
                    "apiVersion": "v1",
                    "kind": "Endpoints",
                    "metadata": {"name": SERVICE, "namespace": self.namespace},
                    "subsets": [{"addresses": [{"ip": self.host, "targetRef": {"kind": "Pod", "namespace": self.namespace, "name": ANCHOR}}], "ports": [{"name": PORT_NAME, "port": self.port, "protocol": "TCP"}]}],
                },
            ],
        });
        let file = self.dir.join("service.json");
        std::fs::write(&file, manifest.to_string()).context("write service.json")?;
        kubectl(&["apply", "-f", &file.display().to_string()]).map(|_| ())
    }

    /// The service-proxy path of a Prometheus API path.
    pub fn proxy_path(&self, path: &str) -> String {
        format!(
            "/api/v1/namespaces/{}/services/{SERVICE}:{PORT_NAME}/proxy{path}",
            self.namespace
        )
    }

    /// An instant query, through the service proxy; the `data.result` array.
    pub fn query(&self, promql: &str) -> Result<Vec<serde_json::Value>> {
        let out = kubectl(&[
            "get",
            "--raw",
            &self.proxy_path(&format!("/api/v1/query?query={}", encode(promql))),
        ])?;
        let v: serde_json::Value = serde_json::from_str(&out).context("query answer")?;
        Ok(v["data"]["result"].as_array().cloned().unwrap_or_default())
    }

    /// Prometheus's own log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log"))
            .map(|l| l.lines().rev().take(15).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default()
    }
}

impl Drop for PrometheusFixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = kubectl(&[
            "-n",
            &self.namespace,
            "delete",
            "service,endpoints",
            SERVICE,
            "--ignore-not-found",
            "--wait=false",
        ]);
        let _ = kubectl(&[
            "-n",
            &self.namespace,
            "delete",
            "pod",
            ANCHOR,
            "--ignore-not-found",
            "--wait=false",
        ]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("create {}", path.display()))?;
    f.write_all(text.as_bytes()).context("write token")
}

/// Percent-encoding for a query parameter.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
