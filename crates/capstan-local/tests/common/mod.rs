//! Shared by the Docker-backed tests: the stand-in image, a progress sink that
//! records steps (and the nodes' anonymous volumes) and can act at a given
//! step, and the "nothing left" checks.
#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use capstan_local::{CreateOptions, ProgressSink, Step};

/// The stand-in image. When it cannot be had the test fails under CI=true;
/// elsewhere None after a loud SKIPPED line, and the caller returns
/// (`capstan_test_support::local_nodes::node_image`).
#[track_caller]
pub fn node_image() -> Option<String> {
    let image = capstan_test_support::local_nodes::node_image()?;
    // This engine cannot grant every capability; see the README.
    std::env::set_var("CAPSTAN_LOCAL_UNPRIVILEGED_NODES", "1");
    Some(image)
}

pub fn opts(name: &str, image: &str, kubeconfig: PathBuf) -> CreateOptions {
    let mut o = CreateOptions::new(name);
    o.image = Some(image.to_owned());
    o.kubeconfig = Some(kubeconfig);
    o
}

fn docker_cli(args: &[&str]) -> String {
    Command::new("docker")
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Names of the volumes mounted by the cluster's containers right now (the
/// image's anonymous VOLUMEs carry no label, so they are tracked this way).
pub fn mounted_volumes(cluster: &str) -> Vec<String> {
    let filter = format!("label=capstan.cluster={cluster}");
    let ids = docker_cli(&["ps", "-aq", "--filter", &filter]);
    let ids: Vec<&str> = ids.split_whitespace().collect();
    if ids.is_empty() {
        return Vec::new();
    }
    let mut args = vec!["inspect", "-f", "{{range .Mounts}}{{.Name}} {{end}}"];
    args.extend(ids);
    docker_cli(&args)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

pub fn volume_exists(name: &str) -> bool {
    Command::new("docker")
        .args(["volume", "inspect", name])
        .output()
        .is_ok_and(|o| o.status.success())
}

type Action = Box<dyn Fn(&Step) + Send + Sync>;

/// Records every step and the volumes seen so far; runs `action` on each step.
pub struct Recorder {
    cluster: String,
    pub steps: Mutex<Vec<Step>>,
    pub volumes: Mutex<Vec<String>>,
    action: Action,
}

impl Recorder {
    pub fn new(cluster: &str) -> Self {
        Self::with_action(cluster, |_| {})
    }
    pub fn with_action(cluster: &str, action: impl Fn(&Step) + Send + Sync + 'static) -> Self {
        Recorder {
            cluster: cluster.to_owned(),
            steps: Mutex::new(Vec::new()),
            volumes: Mutex::new(Vec::new()),
            action: Box::new(action),
        }
    }
    /// The steps without pre-flight warnings (which depend on the machine).
    pub fn steps(&self) -> Vec<Step> {
        let all = self.steps.lock().map(|v| v.clone()).unwrap_or_default();
        all.into_iter()
            .filter(|s| !matches!(s, Step::Warning { .. }))
            .collect()
    }
    pub fn warnings(&self) -> Vec<String> {
        let all = self.steps.lock().map(|v| v.clone()).unwrap_or_default();
        all.into_iter()
            .filter_map(|s| match s {
                Step::Warning { message } => Some(message),
                _ => None,
            })
            .collect()
    }
    pub fn volumes(&self) -> Vec<String> {
        self.volumes.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl ProgressSink for Recorder {
    fn step(&self, s: Step) {
        if s != Step::RollingBack {
            let seen = mounted_volumes(&self.cluster);
            if let Ok(mut v) = self.volumes.lock() {
                for n in seen {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                }
            }
        }
        (self.action)(&s);
        if let Ok(mut v) = self.steps.lock() {
            v.push(s);
        }
    }
}

/// Containers, networks and volumes labelled for the cluster.
pub async fn labelled_leftovers(docker: &bollard::Docker, name: &str) -> usize {
    use bollard::query_parameters::{
        ListContainersOptions, ListNetworksOptions, ListVolumesOptions,
    };
    let f = std::collections::HashMap::from([(
        "label".to_owned(),
        vec![format!("capstan.cluster={name}")],
    )]);
    let c = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(f.clone()),
            ..Default::default()
        }))
        .await
        .map(|v| v.len())
        .unwrap_or(usize::MAX / 4);
    let n = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(f.clone()),
        }))
        .await
        .map(|v| v.len())
        .unwrap_or(usize::MAX / 4);
    let v = docker
        .list_volumes(Some(ListVolumesOptions { filters: Some(f) }))
        .await
        .map(|v| v.volumes.unwrap_or_default().len())
        .unwrap_or(usize::MAX / 4);
    c + n + v
}

/// Zero labelled objects, and none of the volumes the nodes had mounted.
pub async fn assert_nothing_left(docker: &bollard::Docker, name: &str, rec: &Recorder) {
    assert_eq!(
        labelled_leftovers(docker, name).await,
        0,
        "labelled objects left for {name}"
    );
    let alive: Vec<String> = rec
        .volumes()
        .into_iter()
        .filter(|v| volume_exists(v))
        .collect();
    assert!(alive.is_empty(), "volumes left for {name}: {alive:?}");
}

/// A kubeconfig with content of its own, to check it is left byte-identical.
pub fn existing_kubeconfig(dir: &std::path::Path) -> (PathBuf, Vec<u8>) {
    let kc = dir.join("config");
    let before = b"apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://example.invalid:6443\ncontexts: []\nusers: []\ncurrent-context: \"\"\n# a comment the merge would drop\n".to_vec();
    std::fs::write(&kc, &before).unwrap_or_else(|e| panic!("{e}"));
    (kc, before)
}

/// Removes the cluster's labelled objects when dropped, so a failing test
/// does not leave nodes running on the engine.
pub struct Cleanup(pub String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let filter = format!("label=capstan.cluster={}", self.0);
        let ids = docker_cli(&["ps", "-aq", "--filter", &filter]);
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids);
            docker_cli(&args);
        }
        let nets = docker_cli(&["network", "ls", "-q", "--filter", &filter]);
        for n in nets.split_whitespace() {
            docker_cli(&["network", "rm", n]);
        }
        // The nodes' named data volumes (`rm -v` leaves named ones).
        let volumes = docker_cli(&["volume", "ls", "-q", "--filter", &filter]);
        for v in volumes.split_whitespace() {
            docker_cli(&["volume", "rm", "-f", v]);
        }
    }
}

/// (node name, Ready) for every node, read through the cluster's API with the
/// context Capstan merged into `kubeconfig`.
pub async fn nodes_via_api(kubeconfig: &std::path::Path, context: &str) -> Vec<(String, bool)> {
    use k8s_openapi::api::core::v1::Node;
    capstan_kube::install_crypto_provider();
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).unwrap_or_else(|e| panic!("{e}"));
    let cfg = kube::Config::from_custom_kubeconfig(
        kc,
        &kube::config::KubeConfigOptions {
            context: Some(context.to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let client = kube::Client::try_from(cfg).unwrap_or_else(|e| panic!("{e}"));
    let list = kube::Api::<Node>::all(client)
        .list(&Default::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<(String, bool)> = list
        .items
        .iter()
        .map(|n| {
            let ready = n
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            (n.metadata.name.clone().unwrap_or_default(), ready)
        })
        .collect();
    out.sort();
    out
}

pub fn docker_ok(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("docker {args:?}: {e}"));
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A stand-in for an image Capstan runs beside the nodes (`registry` or `lb`),
/// built by tests/local/build-service-images.sh. Fails under CI=true when it
/// cannot be built; elsewhere None after a SKIPPED line.
#[track_caller]
pub fn service_image(what: &str) -> Option<String> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/local/build-service-images.sh");
    let out = capstan_test_support::require(
        Command::new("bash").arg(&script).arg(what).output(),
        "bash, to run tests/local/build-service-images.sh",
        "apt-get install bash",
    )?;
    if !out.status.success() {
        capstan_test_support::prerequisite_missing(
            &format!("the {what} stand-in image (tests/local/build-service-images.sh failed)"),
            String::from_utf8_lossy(&out.stderr).trim(),
            "apt-get install docker-registry haproxy busybox-static (scripts/lib/setup.sh installs them) and start Docker",
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A client for `context` of `kubeconfig`.
pub async fn client_for(kubeconfig: &std::path::Path, context: &str) -> kube::Client {
    capstan_kube::install_crypto_provider();
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).unwrap_or_else(|e| panic!("{e}"));
    let cfg = kube::Config::from_custom_kubeconfig(
        kc,
        &kube::config::KubeConfigOptions {
            context: Some(context.to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    kube::Client::try_from(cfg).unwrap_or_else(|e| panic!("{e}"))
}
