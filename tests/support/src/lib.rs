//! Test support: the real Kubernetes 1.20 test cluster (see
//! tests/cluster/README.md), started once per test run, with fault helpers.
//!
//! [`TestCluster::get`] uses the cluster named by `CAPSTAN_TEST_KUBECONFIG`
//! when it answers, else runs `tests/cluster/cluster.sh up` once (the script
//! is idempotent and serialised by a lock file, so concurrently running test
//! binaries share one cluster). The cluster stays up after the tests:
//! `tests/cluster/cluster.sh down` stops it.
//!
//! The fault helpers change the shared cluster. Tests that use them should run
//! in a test binary of their own, or hold [`TestCluster::exclusive`], so that
//! they do not disturb tests running beside them.

pub mod eventually;
pub mod helm;
pub mod limited_user;
pub mod local_nodes;
pub mod namespace;
pub mod ports;
pub mod prerequisites;
pub mod prometheus;

pub use eventually::{eventually, eventually_blocking, eventually_every, holds};
pub use limited_user::LimitedUser;
pub use namespace::TestNamespace;
pub use ports::free_port;
pub use prerequisites::{in_ci, prerequisite_missing, prerequisite_needed, require};

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// The kubectl used when the environment names none: the one
/// `tests/cluster/cluster.sh build` puts in its cache,
/// `${CAPSTAN_K8S_CACHE:-$HOME/.cache/capstan-k8s}/bin/kubectl` (what
/// `cluster.sh env` prints as `CAPSTAN_TEST_KUBECTL`).
pub fn default_kubectl() -> PathBuf {
    kubectl_in_cache(
        std::env::var_os("CAPSTAN_K8S_CACHE"),
        std::env::var_os("HOME"),
    )
}

/// `<cache>/bin/kubectl`, the cache being `cache` when set and not empty,
/// else `<home>/.cache/capstan-k8s` (as cluster.sh decides it).
fn kubectl_in_cache(
    cache: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> PathBuf {
    let cache = cache
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            home.map(PathBuf::from)
                .unwrap_or_default()
                .join(".cache/capstan-k8s")
        });
    cache.join("bin/kubectl")
}

/// The seeded namespace (deployment `web`, statefulset `db`, secrets, ...).
pub const DEMO_NAMESPACE: &str = "capstan-demo";

/// A running test cluster and how to reach it.
#[derive(Debug, Clone)]
pub struct TestCluster {
    kubeconfig: PathBuf,
    token_kubeconfig: PathBuf,
    ca: PathBuf,
    server: String,
    kubectl: PathBuf,
    state: PathBuf,
}

static CLUSTER: OnceLock<std::result::Result<TestCluster, String>> = OnceLock::new();
static EXCLUSIVE: Mutex<()> = Mutex::new(());

/// tests/cluster/cluster.sh in this repository.
pub fn cluster_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cluster/cluster.sh")
}

impl TestCluster {
    /// The shared cluster, started on first use. Panics with the reason when
    /// no cluster can be had (a test without its cluster cannot go on).
    pub fn get() -> &'static TestCluster {
        match Self::try_get() {
            Ok(c) => c,
            Err(e) => prerequisite_needed(
                "the Kubernetes test cluster",
                &e,
                "run `tests/cluster/cluster.sh deps` and `tests/cluster/cluster.sh build` \
                 (tests then run `up` themselves; see tests/cluster/README.md)",
            ),
        }
    }

    /// Like [`TestCluster::get`], returning the reason instead of panicking.
    pub fn try_get() -> std::result::Result<&'static TestCluster, String> {
        CLUSTER
            .get_or_init(|| Self::connect().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn connect() -> Result<TestCluster> {
        if let Some(kubeconfig) = std::env::var_os("CAPSTAN_TEST_KUBECONFIG") {
            let vars: HashMap<String, String> = std::env::vars()
                .filter(|(k, _)| k.starts_with("CAPSTAN_"))
                .collect();
            let cluster = Self::from_vars(&vars, PathBuf::from(kubeconfig))?;
            cluster.check_kubectl()?;
            if cluster.answers() {
                return Ok(cluster);
            }
            eprintln!(
                "CAPSTAN_TEST_KUBECONFIG={} does not answer: starting the test cluster",
                cluster.kubeconfig.display()
            );
        }
        Self::start()
    }

    /// Runs `cluster.sh up` under a lock file shared by all test binaries.
    fn start() -> Result<TestCluster> {
        let state = std::env::var_os("CAPSTAN_K8S_STATE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/var/tmp/capstan-k8s"));
        let lock_path = PathBuf::from(format!("{}.start.lock", state.display()));
        if let Some(parent) = lock_path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let lock = File::create(&lock_path)
            .with_context(|| format!("creating lock file {}", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("locking {}", lock_path.display()))?;
        let script = cluster_script();
        eprintln!(
            "starting the Kubernetes test cluster: {} up",
            script.display()
        );
        let out = Command::new(&script)
            .arg("up")
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", script.display()))?;
        drop(lock);
        if !out.status.success() {
            bail!("{} up failed ({})", script.display(), out.status);
        }
        let vars = parse_env(&String::from_utf8_lossy(&out.stdout));
        let kubeconfig = vars
            .get("CAPSTAN_TEST_KUBECONFIG")
            .map(PathBuf::from)
            .context("cluster.sh up printed no CAPSTAN_TEST_KUBECONFIG")?;
        let cluster = Self::from_vars(&vars, kubeconfig)?;
        cluster.check_kubectl()?;
        if !cluster.answers() {
            bail!("the cluster started but its API server does not answer");
        }
        Ok(cluster)
    }

    fn from_vars(vars: &HashMap<String, String>, kubeconfig: PathBuf) -> Result<TestCluster> {
        let dir = kubeconfig
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let path = |var: &str, file: &str| {
            vars.get(var)
                .map(PathBuf::from)
                .unwrap_or_else(|| dir.join(file))
        };
        let server = match vars.get("CAPSTAN_TEST_SERVER") {
            Some(s) => s.clone(),
            None => server_of(&kubeconfig)?,
        };
        Ok(TestCluster {
            token_kubeconfig: path("CAPSTAN_TEST_TOKEN_KUBECONFIG", "token.kubeconfig"),
            ca: path("CAPSTAN_TEST_CA", "ca.crt"),
            kubectl: vars
                .get("CAPSTAN_TEST_KUBECTL")
                .map(PathBuf::from)
                .unwrap_or_else(default_kubectl),
            state: vars
                .get("CAPSTAN_K8S_STATE")
                .map(PathBuf::from)
                .unwrap_or_else(|| dir.clone()),
            server,
            kubeconfig,
        })
    }

    /// The kubectl the helpers run is there (without it every check would
    /// read as "the API server does not answer").
    fn check_kubectl(&self) -> Result<()> {
        if prerequisites::on_path(&self.kubectl).is_none() {
            bail!(
                "no kubectl at {} (CAPSTAN_TEST_KUBECTL, else {}): \
                 `tests/cluster/cluster.sh build` puts it there",
                self.kubectl.display(),
                default_kubectl().display()
            );
        }
        Ok(())
    }

    /// The API server answers /readyz within 5 s.
    fn answers(&self) -> bool {
        self.ready_within(Duration::from_secs(5))
    }

    /// Whether the API server is ready now: /readyz answers within 2 s.
    pub fn is_ready(&self) -> bool {
        self.ready_within(Duration::from_secs(2))
    }

    /// Whether /readyz answers within `timeout` (one request, no retry).
    pub fn ready_within(&self, timeout: Duration) -> bool {
        let timeout = format!("--request-timeout={}ms", timeout.as_millis().max(1));
        self.kubectl(["get", "--raw", "/readyz", timeout.as_str()])
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Admin kubeconfig (client certificate of a `system:masters` user).
    pub fn kubeconfig_path(&self) -> &Path {
        &self.kubeconfig
    }

    /// Kubeconfig of a bearer-token user bound to `cluster-admin`.
    pub fn token_kubeconfig_path(&self) -> &Path {
        &self.token_kubeconfig
    }

    /// The cluster CA (PEM).
    pub fn ca_path(&self) -> &Path {
        &self.ca
    }

    /// The API server's URL, e.g. `https://127.0.0.1:16443`.
    pub fn server_url(&self) -> &str {
        &self.server
    }

    /// The real kubectl the helpers use.
    pub fn kubectl_path(&self) -> &Path {
        &self.kubectl
    }

    /// Serialises disruptive tests within one test binary.
    pub fn exclusive(&self) -> MutexGuard<'static, ()> {
        EXCLUSIVE.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs the real kubectl with the admin kubeconfig.
    pub fn kubectl<I, S>(&self, args: I) -> std::io::Result<Output>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::new(&self.kubectl)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .stdin(Stdio::null())
            .output()
    }

    /// Runs kubectl, fails unless it succeeds, and returns its stdout.
    pub fn kubectl_ok<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<std::ffi::OsString> =
            args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let out = self
            .kubectl(&args)
            .with_context(|| format!("running {}", self.kubectl.display()))?;
        if !out.status.success() {
            bail!(
                "kubectl {:?} failed: {}",
                args,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Creates `ns` and waits until pods can be created in it: the
    /// ServiceAccount admission refuses pods until the controller-manager
    /// has made the default service account, which has taken over 30 s on a
    /// loaded machine. (Pods get their token through the TokenRequest API,
    /// so no token Secret is waited for.)
    pub fn create_namespace(&self, ns: &str) -> Result<()> {
        self.kubectl_ok(["create", "namespace", ns])?;
        // Both arrive asynchronously: pods are refused until the service
        // account exists, and kube-root-ca.crt appearing later would change
        // a configmap listing in the middle of a test.
        let ready = self.wait_until(Duration::from_secs(120), || {
            ["serviceaccount/default", "configmap/kube-root-ca.crt"]
                .iter()
                .all(|object| {
                    self.kubectl(["-n", ns, "get", object])
                        .is_ok_and(|o| o.status.success())
                })
        });
        if ready {
            Ok(())
        } else {
            bail!("namespace {ns}: no default service account or kube-root-ca.crt after 120 s")
        }
    }

    /// Waits until `deployment` in `ns` has rolled out (`kubectl rollout
    /// status`), at most `timeout_s` seconds.
    pub fn wait_rollout(&self, ns: &str, deployment: &str, timeout_s: u32) -> Result<()> {
        self.kubectl_ok([
            "-n".to_owned(),
            ns.to_owned(),
            "rollout".to_owned(),
            "status".to_owned(),
            format!("deployment/{deployment}"),
            format!("--timeout={timeout_s}s"),
        ])
        .map(|_| ())
    }

    /// A fresh namespace `ns` (any earlier one deleted first) holding the
    /// objects of `manifest`, applied in one go.
    pub fn fresh_namespace(&self, ns: &str, manifest: &str) -> Result<()> {
        let _ = self.kubectl(["delete", "namespace", ns, "--wait=true"]);
        self.create_namespace(ns)?;
        let file = std::env::temp_dir().join(format!("{ns}-{}.yaml", std::process::id()));
        std::fs::write(&file, manifest).with_context(|| format!("writing {}", file.display()))?;
        let applied = self.kubectl_ok(["-n", ns, "apply", "-f", &file.display().to_string()]);
        let _ = std::fs::remove_file(&file);
        applied.map(|_| ())
    }

    /// Runs kubectl with `-o json` appended and parses its output.
    pub fn kubectl_json<I, S>(&self, args: I) -> Result<serde_json::Value>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut args: Vec<std::ffi::OsString> =
            args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        args.push("-o".into());
        args.push("json".into());
        let out = self.kubectl_ok(&args)?;
        serde_json::from_str(&out).context("kubectl printed no JSON")
    }

    /// Runs a `cluster.sh` subcommand against this cluster.
    pub fn script<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let script = cluster_script();
        let args: Vec<std::ffi::OsString> =
            args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let mut cmd = Command::new(&script);
        cmd.args(&args)
            .env("CAPSTAN_K8S_STATE", &self.state)
            .env("CAPSTAN_KUBECTL", &self.kubectl)
            .stdin(Stdio::null());
        if let Some(port) = self.server.rsplit(':').next() {
            cmd.env("CAPSTAN_K8S_API_PORT", port.trim_end_matches('/'));
        }
        let out = cmd
            .output()
            .with_context(|| format!("running {}", script.display()))?;
        if !out.status.success() {
            bail!(
                "cluster.sh {:?} failed: {}",
                args,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Stops and starts the API server: every open watch and stream drops.
    /// Returns when it is ready again.
    pub fn restart_apiserver(&self) {
        self.script(["restart-apiserver"])
            .expect("restarting the API server");
    }

    /// Freezes the API server (SIGSTOP: connections stay open, nothing
    /// answers) for `duration`, then lets it run again. Blocks for `duration`.
    pub fn pause_apiserver(&self, duration: Duration) {
        // The script resumes it by itself a little later too, should this
        // process die while the server is paused.
        let safety = duration.as_secs() + 5;
        self.script(["pause-apiserver".to_string(), safety.to_string()])
            .expect("pausing the API server");
        std::thread::sleep(duration);
        self.script(["resume-apiserver"])
            .expect("resuming the API server");
    }

    /// Compacts etcd at its current revision: a watch or an exact list from
    /// an older resourceVersion answers 410 Gone. Returns the revision.
    pub fn compact_etcd(&self) -> u64 {
        let out = self.script(["compact-etcd"]).expect("compacting etcd");
        out.trim()
            .parse()
            .expect("compact-etcd prints the compacted revision")
    }

    /// Kills a container (SIGKILL through the node's Docker) and returns once
    /// the kubelet has restarted it (its previous logs are then available).
    /// `container` None means the pod's first container.
    pub fn kill_container(&self, namespace: &str, pod: &str, container: Option<&str>) {
        let mut args = vec!["kill-container", namespace, pod];
        args.extend(container);
        self.script(args).expect("killing the container");
    }

    /// Deletes a pod and waits until it is gone.
    /// Deletes a pod and waits until the API object is gone. On a busy
    /// 2-core machine the kubelet's final clean-up (volumes, sandbox) has
    /// taken over a minute, hence the generous timeout.
    pub fn delete_pod(&self, namespace: &str, pod: &str) {
        self.kubectl_ok([
            "-n",
            namespace,
            "delete",
            "pod",
            pod,
            "--wait=true",
            "--timeout=180s",
        ])
        .expect("deleting the pod");
    }

    /// Asks for a pod's deletion and returns at once, for tests about what
    /// happens while the pod terminates rather than after it is gone.
    pub fn start_pod_deletion(&self, namespace: &str, pod: &str) {
        self.kubectl_ok(["-n", namespace, "delete", "pod", pod, "--wait=false"])
            .expect("deleting the pod");
    }

    /// Scales a workload (`kind` e.g. "deployment", "statefulset").
    pub fn scale(&self, namespace: &str, kind: &str, name: &str, replicas: u32) {
        self.kubectl_ok([
            "-n".to_string(),
            namespace.to_string(),
            "scale".to_string(),
            format!("{kind}/{name}"),
            format!("--replicas={replicas}"),
        ])
        .expect("scaling");
    }

    /// Marks the node unschedulable.
    pub fn cordon(&self) {
        self.script(["cordon"]).expect("cordoning the node");
    }

    /// Marks the node schedulable again.
    pub fn uncordon(&self) {
        self.script(["uncordon"]).expect("uncordoning the node");
    }

    /// Creates `n` pods in `namespace` (created when missing) that stay
    /// Pending: their nodeSelector matches no node and no scheduler serves
    /// their schedulerName (no load once created). About 300 pods/s.
    pub fn seed_pending(&self, n: u32, namespace: &str) {
        self.script([
            "seed-pending".to_string(),
            n.to_string(),
            namespace.to_string(),
        ])
        .expect("seeding pending pods");
    }

    /// Waits until `f` is true ([`eventually_blocking`]); false after
    /// `timeout`.
    pub fn wait_until(&self, timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
        eventually_blocking(timeout, || if f() { Ok(()) } else { Err(()) }).is_ok()
    }
}

/// Parses `export NAME=value` lines as `cluster.sh env` prints them.
pub fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
        .collect()
}

/// The `server:` of a kubeconfig (the first cluster's).
fn server_of(kubeconfig: &Path) -> Result<String> {
    let mut text = String::new();
    File::open(kubeconfig)
        .and_then(|mut f| f.read_to_string(&mut text))
        .with_context(|| format!("reading {}", kubeconfig.display()))?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("server:"))
        .map(|s| s.trim().to_string())
        .next()
        .with_context(|| format!("no server in {}", kubeconfig.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_env_output() {
        let vars = parse_env(
            "export CAPSTAN_TEST_KUBECONFIG=/s/admin.kubeconfig\nexport CAPSTAN_TEST_SERVER=https://127.0.0.1:16443\nnoise\n",
        );
        assert_eq!(vars["CAPSTAN_TEST_KUBECONFIG"], "/s/admin.kubeconfig");
        assert_eq!(vars["CAPSTAN_TEST_SERVER"], "https://127.0.0.1:16443");
        assert_eq!(vars.len(), 2);
    }

    #[test]
    fn derives_paths_next_to_the_kubeconfig() {
        let mut vars = HashMap::new();
        vars.insert(
            "CAPSTAN_TEST_SERVER".to_string(),
            "https://127.0.0.1:1".to_string(),
        );
        let c =
            TestCluster::from_vars(&vars, PathBuf::from("/s/admin.kubeconfig")).expect("from vars");
        assert_eq!(c.token_kubeconfig_path(), Path::new("/s/token.kubeconfig"));
        assert_eq!(c.ca_path(), Path::new("/s/ca.crt"));
        assert_eq!(c.server_url(), "https://127.0.0.1:1");
    }

    #[test]
    fn the_default_kubectl_is_the_cluster_builds() {
        let home = Some("/home/u".into());
        assert_eq!(
            kubectl_in_cache(None, home.clone()),
            Path::new("/home/u/.cache/capstan-k8s/bin/kubectl")
        );
        assert_eq!(
            kubectl_in_cache(Some("".into()), home.clone()),
            Path::new("/home/u/.cache/capstan-k8s/bin/kubectl")
        );
        assert_eq!(
            kubectl_in_cache(Some("/c".into()), home),
            Path::new("/c/bin/kubectl")
        );
    }
}
