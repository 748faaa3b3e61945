//! Local k3s clusters: thin commands over `capstan-local`. Create streams its
//! steps over a Channel and can be cancelled by name while it runs; the
//! library then removes everything it created.
//!
//! The node image is the library's default: `CAPSTAN_K3S_IMAGE` when set (the
//! E2E tests point it at the stand-in image), else the pinned rancher/k3s.
//! `CAPSTAN_LOCAL_UNPRIVILEGED_NODES=1` is honoured by the library too.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use capstan_local::{
    ClusterInfo, CreateOptions, EngineStatus, Finding, PortMapping, ProgressSink, Step,
};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
#[cfg(test)]
use ts_rs::TS;

use crate::{ErrorKind, IpcError};

/// Cancel flags of the creates under way, by cluster name.
#[derive(Default)]
pub struct LocalCreates(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl LocalCreates {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Removes the create's entry however the command ends.
struct Registered<'a>(&'a LocalCreates, String);

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.0.lock().remove(&self.1);
    }
}

/// What the Create dialog asks for. `apiPort` null = a free port; `image`
/// null = the default node image; the advanced options empty = none.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct LocalClusterRequest {
    pub name: String,
    pub servers: u32,
    pub agents: u32,
    pub api_port: Option<u16>,
    pub make_current: bool,
    pub image: Option<String>,
    /// Host ports published on the first server.
    pub ports: Vec<PortMapping>,
    /// Extra k3s arguments, one argv element each.
    pub server_args: Vec<String>,
    pub agent_args: Vec<String>,
    /// A `docker save` tarball loaded first (offline use); null = none.
    pub image_tarball: Option<String>,
    /// k3s's airgap images archive copied into every node; null = none.
    pub airgap_images: Option<String>,
    /// A k3s version or tag not in the list (typed); null = `image` or the default.
    #[serde(default)]
    pub k3s_version: Option<String>,
    /// An image registry for the cluster; null = none.
    #[serde(default)]
    pub registry: Option<capstan_local::registry::Request>,
    /// Host paths mounted into nodes, `HOST:NODE[:ro][@nodes]` each.
    #[serde(default)]
    pub volumes: Vec<String>,
}

impl LocalClusterRequest {
    /// The create options; a volume that does not parse is `invalidInput`.
    fn checked_options(&self) -> Result<CreateOptions, IpcError> {
        let mut opts = self.options();
        opts.volumes = self
            .volumes
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(ipc)?;
        Ok(opts)
    }

    fn options(&self) -> CreateOptions {
        let mut opts = CreateOptions::new(&self.name);
        opts.servers = self.servers;
        opts.agents = self.agents;
        opts.api_port = self.api_port;
        opts.make_current = self.make_current;
        opts.image = self.image.clone().filter(|i| !i.trim().is_empty());
        opts.k3s_version = self
            .k3s_version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        if opts.k3s_version.is_some() {
            // A typed version wins over the list's image.
            opts.image = None;
        }
        opts.registry = self.registry.clone();
        opts.ports = self.ports.clone();
        opts.extra_server_args = self.server_args.clone();
        opts.extra_agent_args = self.agent_args.clone();
        opts.image_tarball = self
            .image_tarball
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from);
        opts.airgap_images = self
            .airgap_images
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from);
        opts
    }
}

/// A node image the Create dialog offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct NodeImage {
    pub image: String,
    /// The Kubernetes version it runs, or "custom" for an override.
    pub kubernetes: String,
    /// k3s's release name, or the image's tag for an override.
    pub version: String,
    pub stable: bool,
    pub latest: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct NodeImages {
    /// What create uses when no image is given.
    pub default: String,
    pub images: Vec<NodeImage>,
}

/// The pinned images, with `default` first when it is not one of them
/// (CAPSTAN_K3S_IMAGE names an image outside the list).
fn node_images(pinned: Vec<capstan_local::spec::PinnedImage>, default: String) -> NodeImages {
    let mut images: Vec<NodeImage> = pinned
        .into_iter()
        .map(|p| NodeImage {
            image: p.image,
            kubernetes: p.kubernetes,
            version: p.version,
            stable: p.stable,
            latest: p.latest,
        })
        .collect();
    if !images.iter().any(|i| i.image == default) {
        images.insert(
            0,
            NodeImage {
                version: capstan_local::versions::version_of_image(&default),
                image: default.clone(),
                kubernetes: "custom".to_owned(),
                stable: false,
                latest: false,
            },
        );
    }
    NodeImages { default, images }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct CreatedLocalCluster {
    pub name: String,
    /// The kubeconfig context it was merged as (`capstan-<name>`).
    pub context: String,
    pub api_port: u16,
    /// The kubeconfig file written.
    pub kubeconfig: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub elapsed_ms: u64,
}

struct ChannelSink(Channel<Step>);

impl ProgressSink for ChannelSink {
    fn step(&self, step: Step) {
        // The page may be gone (reload); the create goes on and shows in the list.
        if self.0.send(step).is_err() {
            tracing::debug!("local cluster step not delivered: channel closed");
        }
    }
}

pub(crate) fn ipc(e: capstan_local::Error) -> IpcError {
    use capstan_local::Error as E;
    let kind = match &e {
        E::EngineUnreachable { .. }
        | E::Image { .. }
        | E::ImagePull { .. }
        | E::Engine { .. }
        | E::ShellNotAttached { .. }
        | E::Cancelled => ErrorKind::Docker,
        E::InvalidName { .. }
        | E::InvalidShape { .. }
        | E::NotRunning { .. }
        | E::Damaged { .. }
        | E::NodeNotFound { .. }
        | E::PortInUse { .. }
        | E::HostPortInUse { .. }
        | E::InvalidPortMapping { .. }
        | E::InvalidK3sArg { .. }
        | E::InvalidVersion { .. }
        | E::InvalidVolume { .. }
        | E::InvalidRegistry { .. }
        | E::RegistryPortInUse { .. }
        | E::Airgap { .. } => ErrorKind::InvalidInput,
        E::UpgradeFailed { .. } => ErrorKind::Connection,
        E::AlreadyExists { .. } => ErrorKind::Conflict,
        E::NotFound { .. } => ErrorKind::NotFound,
        E::Timeout { .. } | E::NodeExited { .. } | E::ClusterApi { .. } => ErrorKind::Connection,
        E::ServerKubeconfig { .. } | E::Kubeconfig { .. } => ErrorKind::Kubeconfig,
        E::Io { .. } | E::Randomness { .. } => ErrorKind::Io,
    };
    match e {
        // The log lines go to `detail`, so the message stays one sentence.
        E::Timeout {
            seconds,
            what,
            log_tail,
        } => IpcError::new(
            kind,
            format!(
                "The cluster did not become ready within {seconds} s ({what}); \
                 it was removed. The server's last log lines are below."
            ),
            Some(log_tail),
        ),
        E::NodeExited { node, log_tail } => IpcError::new(
            kind,
            format!(
                "{node} stopped before it was up; the cluster was removed. \
                 Its last log lines are below."
            ),
            Some(log_tail),
        ),
        // capstan-kube's own mapping knows its errors (a held lock is `io`,
        // a damaged file `kubeconfig` with the parser's words in `detail`).
        E::Kubeconfig { source } => IpcError::from(source),
        other => IpcError::new(kind, other.to_string(), None),
    }
}

/// The engine's version and resources; a `docker` error when none answers.
#[tauri::command]
pub async fn engine_status() -> Result<EngineStatus, IpcError> {
    capstan_local::engine_status().await.map_err(ipc)
}

/// The node images to choose from, the default first among equals.
#[tauri::command]
pub fn local_node_images() -> NodeImages {
    node_images(
        capstan_local::spec::pinned_images(),
        capstan_local::spec::default_image(),
    )
}

#[tauri::command]
pub async fn list_local_clusters() -> Result<Vec<ClusterInfo>, IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::list_clusters(&docker).await.map_err(ipc)
}

/// Creates a cluster, sending each step to `channel`; resolves when every
/// node is Ready and the kubeconfig is merged.
#[tauri::command]
pub async fn create_local_cluster(
    request: LocalClusterRequest,
    channel: Channel<Step>,
    creates: tauri::State<'_, LocalCreates>,
) -> Result<CreatedLocalCluster, IpcError> {
    let opts = request.checked_options()?;
    {
        let mut map = creates.lock();
        if map.contains_key(&request.name) {
            return Err(ipc(capstan_local::Error::AlreadyExists {
                name: request.name,
            }));
        }
        map.insert(request.name.clone(), opts.cancel.clone());
    }
    let _registered = Registered(&creates, request.name.clone());
    let docker = capstan_local::connect().map_err(ipc)?;
    tracing::info!(cluster = %request.name, servers = request.servers, agents = request.agents, "creating local cluster");
    let created = capstan_local::create_cluster(&docker, &opts, &ChannelSink(channel))
        .await
        .map_err(ipc)?;
    tracing::info!(cluster = %created.name, elapsed = ?created.elapsed, "local cluster ready");
    Ok(CreatedLocalCluster {
        name: created.name,
        context: created.context,
        api_port: created.api_port,
        kubeconfig: created.kubeconfig.display().to_string(),
        elapsed_ms: u64::try_from(created.elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// What create would find before starting: blocking findings (engine,
/// name, ports, memory) and warnings, for the dialog to show next to its
/// fields. Rejects with `invalidInput` when the request itself is invalid
/// (a port mapping or k3s argument create would refuse).
#[tauri::command]
pub async fn local_preflight(request: LocalClusterRequest) -> Result<Vec<Finding>, IpcError> {
    let req = request.checked_options()?.request().map_err(ipc)?;
    let docker = capstan_local::connect().map_err(ipc)?;
    Ok(capstan_local::preflight(&docker, &req).await)
}

/// Asks the create of `name` to stop; it rolls back and rejects with
/// "cancelled". False when no such create is under way.
#[tauri::command]
pub fn cancel_local_create(name: String, creates: tauri::State<'_, LocalCreates>) -> bool {
    match creates.lock().get(&name) {
        Some(flag) => {
            flag.store(true, Ordering::SeqCst);
            true
        }
        None => false,
    }
}

#[tauri::command]
pub async fn start_local_cluster(name: String) -> Result<(), IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::start_cluster(&docker, &name)
        .await
        .map_err(ipc)?;
    // "Running" means usable: the nodes are Ready again, as after create.
    capstan_local::wait_cluster_ready(&docker, &name, READY_TIMEOUT)
        .await
        .map(|_| ())
        .map_err(ipc)
}

/// How long start and add-node wait for nodes to be Ready.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Adds an agent node to a running cluster; resolves with its container
/// name once it is Ready.
#[tauri::command]
pub async fn add_local_agent(name: String) -> Result<String, IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::add_agent(&docker, &name).await.map_err(ipc)
}

/// Copies `image` from the engine into every node of a running cluster;
/// resolves with the nodes that got it.
#[tauri::command]
pub async fn import_local_image(name: String, image: String) -> Result<Vec<String>, IpcError> {
    let image = image.trim().to_owned();
    if image.is_empty() {
        return Err(ipc(capstan_local::Error::InvalidShape {
            detail: "name an image the engine has, e.g. myapp:dev".into(),
        }));
    }
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::import_image(&docker, &name, &image)
        .await
        .map_err(ipc)
}

#[tauri::command]
pub async fn stop_local_cluster(name: String) -> Result<(), IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::stop_cluster(&docker, &name)
        .await
        .map_err(ipc)
}

/// Removes the containers, network and the `capstan-<name>` kubeconfig entries.
#[tauri::command]
pub async fn delete_local_cluster(name: String) -> Result<(), IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    let file = capstan_local::kubeconfig::user_kubeconfig_path().map_err(ipc)?;
    capstan_local::delete_cluster(&docker, &name, &file)
        .await
        .map_err(ipc)
}

/// Deletes the cluster and creates it again with the settings it was created
/// with; its kubeconfig context keeps its name. Resolves when it is Ready.
#[tauri::command]
pub async fn reset_local_cluster(name: String) -> Result<CreatedLocalCluster, IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    let file = capstan_local::kubeconfig::user_kubeconfig_path().map_err(ipc)?;
    let created = capstan_local::reset_cluster(
        &docker,
        &name,
        Some(file),
        READY_TIMEOUT,
        &capstan_local::NoProgress,
    )
    .await
    .map_err(ipc)?;
    Ok(CreatedLocalCluster {
        name: created.name,
        context: created.context,
        api_port: created.api_port,
        kubeconfig: created.kubeconfig.display().to_string(),
        elapsed_ms: u64::try_from(created.elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// Replaces the nodes with `version`'s image over the same data; the old
/// nodes come back when the new ones do not become Ready. Resolves with the
/// version now running.
#[tauri::command]
pub async fn upgrade_local_cluster(name: String, version: String) -> Result<String, IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::upgrade_cluster(&docker, &name, version.trim(), READY_TIMEOUT)
        .await
        .map_err(ipc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_keep_the_log_tail_out_of_the_message() {
        let e = ipc(capstan_local::Error::Timeout {
            seconds: 300,
            what: "nodes Ready".into(),
            log_tail: "line 1\nline 2".into(),
        });
        assert_eq!(e.kind, ErrorKind::Connection);
        assert!(e.message.contains("300 s (nodes Ready)"));
        assert!(!e.message.contains("line 1"));
        assert_eq!(e.detail.as_deref(), Some("line 1\nline 2"));
    }

    #[test]
    fn a_node_that_stopped_keeps_its_log_in_the_detail() {
        let e = ipc(capstan_local::Error::NodeExited {
            node: "capstan-dev-server-0".into(),
            log_tail: "fatal: boom".into(),
        });
        assert_eq!(e.kind, ErrorKind::Connection);
        assert!(e.message.contains("capstan-dev-server-0"), "{}", e.message);
        assert_eq!(e.detail.as_deref(), Some("fatal: boom"));
    }

    #[test]
    fn kubeconfig_errors_keep_capstan_kubes_kind() {
        let locked = ipc(capstan_local::Error::Kubeconfig {
            source: capstan_kube::Error::KubeconfigLocked {
                lock: "/home/u/.kube/config.lock".into(),
            },
        });
        assert_eq!(locked.kind, ErrorKind::Io);
        assert!(locked.message.contains("config.lock"), "{}", locked.message);
        let invalid = ipc(capstan_local::Error::Kubeconfig {
            source: capstan_kube::Error::KubeconfigInvalid {
                path: "/home/u/.kube/config".into(),
                detail: "line 1".into(),
            },
        });
        assert_eq!(invalid.kind, ErrorKind::Kubeconfig);
        assert_eq!(invalid.detail.as_deref(), Some("line 1"));
    }

    #[test]
    fn images_come_from_the_shipped_list_plus_an_override() {
        let pinned = node_images(
            capstan_local::spec::pinned_images(),
            "rancher/k3s:v1.31.4-k3s1".into(),
        );
        assert!(pinned.images.len() >= 2, "{pinned:?}");
        assert!(pinned.images.iter().all(|i| i.kubernetes != "custom"));
        assert!(pinned.images.iter().any(|i| i.image == pinned.default));
        let custom = node_images(
            capstan_local::spec::pinned_images(),
            "capstan.local/k3s-fake:1".into(),
        );
        assert_eq!(
            custom.images.first(),
            Some(&NodeImage {
                image: "capstan.local/k3s-fake:1".into(),
                kubernetes: "custom".into(),
                version: "1".into(),
                stable: false,
                latest: false,
            })
        );
        assert_eq!(custom.images.len(), pinned.images.len() + 1);
    }

    #[test]
    fn the_advanced_options_reach_create() {
        let request: LocalClusterRequest = serde_json::from_value(serde_json::json!({
            "name": "dev", "servers": 1, "agents": 1, "apiPort": null, "makeCurrent": false,
            "image": null,
            "ports": [{"hostIp": "127.0.0.1", "hostPort": 8080, "containerPort": 80, "protocol": "tcp"}],
            "serverArgs": ["--disable=traefik"], "agentArgs": ["--node-label=a=b"],
            "imageTarball": "  ",
            "airgapImages": " /srv/k3s-airgap-images-amd64.tar.zst ",
        }))
        .expect("the UI's shape");
        let opts = request.options();
        assert_eq!(
            opts.ports,
            [PortMapping::loopback(
                8080,
                80,
                capstan_local::Protocol::Tcp
            )]
        );
        assert_eq!(opts.extra_server_args, ["--disable=traefik"]);
        assert_eq!(opts.extra_agent_args, ["--node-label=a=b"]);
        // A blank path is no tarball.
        assert_eq!(opts.image_tarball, None);
        assert_eq!(
            opts.airgap_images.as_deref(),
            Some(std::path::Path::new("/srv/k3s-airgap-images-amd64.tar.zst"))
        );
        assert!(opts.registry.is_none() && opts.k3s_version.is_none());
        let extra: LocalClusterRequest = serde_json::from_value(serde_json::json!({
            "name": "dev", "servers": 1, "agents": 0, "apiPort": null, "makeCurrent": false,
            "image": "rancher/k3s:v1.34.6-k3s1", "ports": [], "serverArgs": [], "agentArgs": [],
            "imageTarball": null, "airgapImages": null, "k3sVersion": " v1.30.2+k3s2 ",
            "registry": {"mode": "shared", "port": 5000, "image": null},
            "volumes": ["/srv:/data@agent:*", " "],
        }))
        .expect("the UI's shape");
        let o = extra.checked_options().expect("valid");
        assert_eq!(
            (o.image.as_deref(), o.k3s_version.as_deref()),
            (None, Some("v1.30.2+k3s2"))
        );
        assert_eq!(
            o.registry.map(|r| (r.mode, r.port)),
            Some((capstan_local::registry::Mode::Shared, Some(5000)))
        );
        assert_eq!(o.volumes.len(), 1);
        let e = LocalClusterRequest {
            volumes: vec!["srv:/data".into()],
            ..extra
        }
        .checked_options()
        .expect_err("relative");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        let bad = LocalClusterRequest {
            server_args: vec!["--token=x".into()],
            ..request
        };
        let e = ipc(bad.options().request().expect_err("managed flag"));
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("set by Capstan"), "{}", e.message);
    }

    #[test]
    fn no_engine_is_a_docker_error_that_says_what_to_do() {
        let e = ipc(capstan_local::Error::EngineUnreachable {
            detail: "socket not found".into(),
            source: None,
        });
        assert_eq!(e.kind, ErrorKind::Docker);
        assert!(e.message.contains("start it or set DOCKER_HOST"));
    }
}
