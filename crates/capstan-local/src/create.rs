//! Creating a cluster: pre-flight, image, network, servers one at a time,
//! agents together, then readiness through the published port (`/readyz`, and
//! every node Ready), then the kubeconfig merge. Any failure or cancel removes
//! everything labelled for the cluster.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::models::NetworkCreateRequest;
use bollard::query_parameters::{
    CreateContainerOptions, DownloadFromContainerOptions, LogsOptions, StartContainerOptions,
};
use bollard::Docker;
use futures_util::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Node;

use crate::kubeconfig::{self, Entries};
use crate::preflight::{self, Check, Severity};
use crate::progress::{ProgressSink, Step};
use crate::spec::{self, ClusterRequest, EngineFacts, Role, KUBECONFIG_OUTPUT};
use crate::{engine_err, rollback, Error};

#[derive(Debug, Clone)]
pub struct CreateOptions {
    pub name: String,
    /// None: `CAPSTAN_K3S_IMAGE`, else the pinned default.
    pub image: Option<String>,
    pub servers: u32,
    pub agents: u32,
    /// None: a free port on 127.0.0.1.
    pub api_port: Option<u16>,
    /// Extra k3s arguments, one argv element each (see [`crate::k3s_args`]).
    pub extra_server_args: Vec<String>,
    pub extra_agent_args: Vec<String>,
    /// Host ports published on server 0 (127.0.0.1 unless a mapping names
    /// another address).
    pub ports: Vec<crate::PortMapping>,
    /// None: the user's kubeconfig (KUBECONFIG's first file, else ~/.kube/config).
    pub kubeconfig: Option<PathBuf>,
    pub make_current: bool,
    /// For the whole readiness wait (generous: first starts are slow).
    pub timeout: Duration,
    /// Offline use: a `docker save` tarball loaded into the engine first (as
    /// `docker load`), so the node image needs no registry. It must hold the
    /// node image.
    pub image_tarball: Option<PathBuf>,
    /// Offline: k3s's airgap archive of its own images, copied into every
    /// node's images directory before the node starts.
    pub airgap_images: Option<PathBuf>,
    /// Shorter limit for the last phase only (every node Ready, counted from
    /// the API answering `/readyz`); None: `timeout` alone applies.
    pub nodes_ready_timeout: Option<Duration>,
    /// Set to cancel; create then rolls back and returns `Error::Cancelled`.
    pub cancel: Arc<AtomicBool>,
}

impl CreateOptions {
    pub fn new(name: impl Into<String>) -> Self {
        CreateOptions {
            name: name.into(),
            image: None,
            servers: 1,
            agents: 0,
            api_port: None,
            extra_server_args: Vec::new(),
            extra_agent_args: Vec::new(),
            ports: Vec::new(),
            kubeconfig: None,
            make_current: false,
            timeout: Duration::from_secs(300),
            image_tarball: None,
            airgap_images: None,
            nodes_ready_timeout: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The validated request these options stand for: the image resolved, and
    /// a free port on 127.0.0.1 when none was given. For [`crate::preflight`]
    /// before showing a create button, and what create itself uses.
    pub fn request(&self) -> Result<ClusterRequest, Error> {
        let api_port = match self.api_port {
            Some(p) => p,
            None => free_port()?,
        };
        let req = ClusterRequest {
            name: self.name.clone(),
            image: self.image.clone().unwrap_or_else(spec::default_image),
            servers: self.servers,
            agents: self.agents,
            api_port,
            extra_server_args: self.extra_server_args.clone(),
            extra_agent_args: self.extra_agent_args.clone(),
            ports: self.ports.clone(),
            image_tarball: self.image_tarball.clone(),
            airgap_images: None,
        };
        spec::validate(&req)?;
        // The file is looked at only once the request itself is valid.
        let airgap_images = self
            .airgap_images
            .as_deref()
            .map(crate::airgap::check_airgap)
            .transpose()?;
        Ok(ClusterRequest {
            airgap_images,
            ..req
        })
    }
}

#[derive(Debug, Clone)]
pub struct CreatedCluster {
    pub name: String,
    pub context: String,
    pub api_port: u16,
    pub kubeconfig: PathBuf,
    pub elapsed: Duration,
}

pub async fn create_cluster(
    docker: &Docker,
    opts: &CreateOptions,
    sink: &dyn ProgressSink,
) -> Result<CreatedCluster, Error> {
    let started = Instant::now();
    let req = opts.request()?;
    let api_port = req.api_port;
    let kubeconfig_path = match &opts.kubeconfig {
        Some(p) => p.clone(),
        None => kubeconfig::user_kubeconfig_path()?,
    };
    // Pre-flight: nothing is created before these pass, so nothing to undo.
    let checked = preflight::gather(docker, &req).await;
    let findings = preflight::evaluate(&req, &checked);
    for f in findings.iter().filter(|f| f.severity == Severity::Warning) {
        tracing::warn!(cluster = %req.name, check = ?f.check, "{}", f.message);
        sink.step(Step::Warning {
            message: f.message.clone(),
        });
    }
    if let Some(f) = findings.iter().find(|f| f.severity == Severity::Blocking) {
        return Err(match f.check {
            Check::Engine => Error::EngineUnreachable {
                detail: checked.engine_error.unwrap_or_default(),
            },
            Check::Name => Error::AlreadyExists { name: req.name },
            Check::ApiPort => Error::PortInUse { port: api_port },
            Check::ImageTarball => Error::Image {
                image: opts
                    .image_tarball
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                detail: checked.tarball_problem.clone().unwrap_or_default(),
            },
            Check::Ports => match checked.taken_ports.first() {
                Some((m, _)) => Error::HostPortInUse {
                    port: m.host_port,
                    address: m.host_ip.clone(),
                    mapping: m.to_string(),
                },
                None => Error::InvalidShape {
                    detail: f.message.clone(),
                },
            },
            _ => Error::InvalidShape {
                detail: f.message.clone(),
            },
        });
    }
    let facts = checked.engine;
    if let Some(tarball) = &opts.image_tarball {
        // Loaded before the pull step, which then finds the image present.
        let loaded = crate::offline::load_image_tarball(docker, tarball).await?;
        if !loaded.contains(&req.image) && docker.inspect_image(&req.image).await.is_err() {
            return Err(Error::Image {
                image: req.image,
                detail: format!(
                    "{} holds {}, not this image",
                    tarball.display(),
                    loaded.join(", ")
                ),
            });
        }
        if opts.cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
    }
    ensure_image(docker, &req.image, &opts.cancel, sink).await?;

    let result = provision(docker, &req, facts, opts, &kubeconfig_path, sink).await;
    let result = match result {
        Err(Error::Timeout {
            seconds,
            what,
            log_tail,
        }) => {
            let server0 = spec::container_name(&req.name, Role::Server, 0);
            let log_tail = if log_tail.is_empty() {
                log_tail_of(docker, &server0, 20).await
            } else {
                log_tail
            };
            Err(Error::Timeout {
                seconds: if seconds == 0 {
                    opts.timeout.as_secs()
                } else {
                    seconds
                },
                what,
                log_tail,
            })
        }
        other => other,
    };
    match result {
        Ok(()) => {
            sink.step(Step::Done);
            Ok(CreatedCluster {
                context: kubeconfig::entry_name(&req.name),
                name: req.name,
                api_port,
                kubeconfig: kubeconfig_path,
                elapsed: started.elapsed(),
            })
        }
        Err(e) => {
            sink.step(Step::RollingBack);
            tracing::warn!(cluster = %req.name, error = %e, "create failed; rolling back");
            if let Err(r) = rollback::remove_everything_retrying(docker, &req.name).await {
                tracing::error!(cluster = %req.name, error = %r, "rollback incomplete");
            }
            Err(e)
        }
    }
}

/// The engine facts that change container settings.
pub(crate) fn engine_facts(info: &bollard::models::SystemInfo) -> EngineFacts {
    EngineFacts {
        cgroup_v2: info
            .cgroup_version
            .as_ref()
            .map(|v| v.to_string())
            .as_deref()
            == Some("2"),
        no_privileged: std::env::var_os(spec::UNPRIVILEGED_ENV).is_some_and(|v| v == "1"),
    }
}

/// The cluster's admin kubeconfig entries, read from server 0 (k3s writes it
/// there once the API is up).
pub(crate) async fn server_entries(
    docker: &Docker,
    cluster: &str,
    api_port: u16,
) -> Result<Option<Entries>, Error> {
    let server0 = spec::container_name(cluster, Role::Server, 0);
    match read_file(docker, &server0, KUBECONFIG_OUTPUT).await? {
        Some(raw) => kubeconfig::from_k3s(&raw, cluster, api_port).map(Some),
        None => Ok(None),
    }
}

async fn provision(
    docker: &Docker,
    req: &ClusterRequest,
    facts: EngineFacts,
    opts: &CreateOptions,
    kubeconfig_path: &std::path::Path,
    sink: &dyn ProgressSink,
) -> Result<(), Error> {
    let cancelled = || {
        if opts.cancel.load(Ordering::SeqCst) {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    };
    let deadline = Instant::now() + opts.timeout;
    let token = spec::new_token()?;
    let network = spec::network_name(&req.name);
    docker
        .create_network(NetworkCreateRequest {
            name: network.clone(),
            driver: Some("bridge".to_owned()),
            labels: Some(spec::network_labels(&req.name)),
            ..Default::default()
        })
        .await
        .map_err(engine_err("create the cluster network"))?;
    sink.step(Step::Network { name: network });
    cancelled()?;

    let nodes = spec::node_specs(req, &token, facts);
    let server0 = spec::container_name(&req.name, Role::Server, 0);
    // Servers one at a time: etcd cannot take several joining members at once.
    for n in nodes.iter().filter(|n| n.role == Role::Server) {
        launch(docker, n, req.airgap_images.as_ref()).await?;
        wait_for_log(
            docker,
            &n.name,
            "k3s is up and running",
            deadline,
            &opts.cancel,
        )
        .await?;
        sink.step(Step::Server {
            index: n.index + 1,
            of: req.servers,
        });
        cancelled()?;
    }
    let agents: Vec<_> = nodes.iter().filter(|n| n.role == Role::Agent).collect();
    futures_util::future::try_join_all(
        agents
            .iter()
            .map(|n| launch(docker, n, req.airgap_images.as_ref())),
    )
    .await?;
    sink.step(Step::Agents { count: req.agents });
    cancelled()?;

    let raw = poll(deadline, &opts.cancel, || {
        read_file(docker, &server0, KUBECONFIG_OUTPUT)
    })
    .await
    .map_err(|e| timeout_or(e, "the server's kubeconfig"))?;
    let entries = kubeconfig::from_k3s(&raw, &req.name, req.api_port)?;
    let client = kube_client(&entries).await?;
    poll(deadline, &opts.cancel, || readyz(&client))
        .await
        .map_err(|e| timeout_or(e, "/readyz"))?;
    sink.step(Step::ApiReady { port: req.api_port });
    let expected = req.servers + req.agents;
    let last_ready = std::sync::atomic::AtomicU32::new(u32::MAX);
    let nodes_deadline = opts
        .nodes_ready_timeout
        .map_or(deadline, |t| deadline.min(Instant::now() + t));
    poll(nodes_deadline, &opts.cancel, || async {
        let ready = ready_nodes(&client).await?;
        if last_ready.swap(ready, Ordering::SeqCst) != ready {
            sink.step(Step::NodesReady {
                ready,
                of: expected,
            });
        }
        if ready >= expected {
            Ok(Some(()))
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|e| match timeout_or(e, "nodes Ready") {
        Error::Timeout { what, log_tail, .. } => Error::Timeout {
            seconds: opts
                .nodes_ready_timeout
                .unwrap_or(opts.timeout)
                .min(opts.timeout)
                .as_secs(),
            what: format!(
                "{what}: {} of {expected}",
                last_ready.load(Ordering::SeqCst).min(expected)
            ),
            log_tail,
        },
        other => other,
    })?;
    cancelled()?;
    kubeconfig::merge_into_file(kubeconfig_path, &entries, opts.make_current)?;
    sink.step(Step::Kubeconfig {
        context: entries.name.clone(),
    });
    Ok(())
}

/// Internal marker for a poll that ran out of time.
pub(crate) const TIMED_OUT: &str = "\u{0}timed out";

pub(crate) fn timeout_or(e: Error, what: &str) -> Error {
    match e {
        Error::Io { detail } if detail == TIMED_OUT => Error::Timeout {
            seconds: 0,
            what: what.to_owned(),
            log_tail: String::new(),
        },
        other => other,
    }
}

/// Polls `f` every second until it yields a value, the deadline passes or the
/// cancel flag is set. Errors from `f` count as "not yet" (the server is
/// starting), except engine-unreachable, which ends the wait.
pub(crate) async fn poll<T, F, Fut>(
    deadline: Instant,
    cancel: &AtomicBool,
    mut f: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, Error>>,
{
    loop {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        match f().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e @ Error::EngineUnreachable { .. }) => return Err(e),
            Err(e) => tracing::debug!(error = %e, "not ready yet"),
        }
        if Instant::now() >= deadline {
            return Err(Error::Io {
                detail: TIMED_OUT.to_owned(),
            });
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Creates the node container, copies the airgap archive in (k3s imports it
/// as it starts), then starts it.
async fn launch(
    docker: &Docker,
    n: &spec::NodeSpec,
    airgap: Option<&crate::airgap::AirgapArchive>,
) -> Result<(), Error> {
    create_container(docker, n).await?;
    if let Some(archive) = airgap {
        crate::airgap::seed_node(docker, &n.name, archive).await?;
    }
    start_container(docker, n).await
}

pub(crate) async fn create_container(docker: &Docker, n: &spec::NodeSpec) -> Result<(), Error> {
    docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(n.name.clone()),
                ..Default::default()
            }),
            n.body.clone(),
        )
        .await
        .map_err(engine_err("create a node container"))?;
    Ok(())
}

pub(crate) async fn start_container(docker: &Docker, n: &spec::NodeSpec) -> Result<(), Error> {
    docker
        .start_container(&n.name, None::<StartContainerOptions>)
        .await
        .map_err(|e| port_taken(e, n))?;
    Ok(())
}

/// A start failing on a published port is the user's port being taken
/// between our check and the engine binding it (or an address the engine
/// cannot bind). The engine names the socket (`Bind for 127.0.0.1:8080
/// failed: port is already allocated`, `listen tcp4 127.0.0.1:8080: bind:
/// address already in use`), which tells which port it was. Only a node
/// that publishes ports (server 0) can be refused one: every node carries the
/// API-port label, but an agent's bind error is about something else.
fn port_taken(e: bollard::errors::Error, n: &spec::NodeSpec) -> Error {
    let publishes = n
        .body
        .host_config
        .as_ref()
        .is_some_and(|h| h.port_bindings.is_some());
    let labels = n.body.labels.clone().unwrap_or_default();
    publishes
        .then(|| refused_port(&e.to_string(), &labels))
        .flatten()
        .unwrap_or_else(|| engine_err("start a node container")(e))
}

/// The port error an engine's refusal text stands for, if it is one: a
/// mapping it names, else the API port.
fn refused_port(text: &str, labels: &std::collections::HashMap<String, String>) -> Option<Error> {
    let refused = text.contains("address already in use")
        || text.contains("port is already allocated")
        || text.contains("cannot assign requested address");
    if !refused {
        return None;
    }
    let names =
        |port: u16| text.contains(&format!(":{port}:")) || text.contains(&format!(":{port} "));
    let mappings = labels
        .get(spec::LABEL_PORTS)
        .map(|v| crate::ports::from_label(v))
        .unwrap_or_default();
    if let Some(m) = mappings.iter().find(|m| names(m.host_port)) {
        return Some(Error::HostPortInUse {
            port: m.host_port,
            address: m.host_ip.clone(),
            mapping: m.to_string(),
        });
    }
    labels
        .get(spec::LABEL_API_PORT)
        .and_then(|p| p.parse::<u16>().ok())
        .map(|port| Error::PortInUse { port })
}

async fn wait_for_log(
    docker: &Docker,
    container: &str,
    line: &str,
    deadline: Instant,
    cancel: &AtomicBool,
) -> Result<(), Error> {
    let found = poll(deadline, cancel, || async {
        let state = docker
            .inspect_container(container, None)
            .await
            .map_err(engine_err("inspect a node"))?
            .state
            .and_then(|s| s.running)
            .unwrap_or(false);
        let tail = log_tail_of(docker, container, 200).await;
        if tail.contains(line) {
            return Ok(Some(true));
        }
        if !state {
            return Ok(Some(false));
        }
        Ok(None)
    })
    .await;
    match found {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::Timeout {
            seconds: 0,
            what: format!("{container} exited before it was up"),
            log_tail: log_tail_of(docker, container, 20).await,
        }),
        Err(Error::Io { detail }) if detail == TIMED_OUT => Err(Error::Timeout {
            seconds: 0,
            what: format!("{container} did not log \"{line}\""),
            log_tail: log_tail_of(docker, container, 20).await,
        }),
        Err(e) => Err(e),
    }
}

pub(crate) async fn log_tail_of(docker: &Docker, container: &str, lines: u32) -> String {
    let stream = docker.logs(
        container,
        Some(LogsOptions {
            stdout: true,
            stderr: true,
            tail: lines.to_string(),
            ..Default::default()
        }),
    );
    let chunks: Vec<_> = stream.take(10_000).collect().await;
    chunks
        .into_iter()
        .filter_map(Result::ok)
        .map(|c| c.to_string())
        .collect()
}

/// One file out of a container (the engine sends a tar archive).
pub(crate) async fn read_file(
    docker: &Docker,
    container: &str,
    path: &str,
) -> Result<Option<String>, Error> {
    let bytes: Vec<u8> = docker
        .download_from_container(
            container,
            Some(DownloadFromContainerOptions {
                path: path.to_owned(),
            }),
        )
        .map_ok(|b| b.to_vec())
        .try_concat()
        .await
        .map_err(engine_err("read the server's kubeconfig"))?;
    Ok(first_tar_entry(&bytes).map(|b| String::from_utf8_lossy(b).into_owned()))
}

/// The content of the first entry of a ustar archive.
fn first_tar_entry(tar: &[u8]) -> Option<&[u8]> {
    let header = tar.get(..512)?;
    let size_field = std::str::from_utf8(header.get(124..136)?).ok()?;
    let size =
        usize::from_str_radix(size_field.trim_matches(|c: char| c == '\0' || c == ' '), 8).ok()?;
    tar.get(512..512 + size)
}

pub(crate) async fn kube_client(entries: &Entries) -> Result<kube::Client, Error> {
    let bad = |e: String| Error::Kubeconfig { detail: e };
    // Already installed by the app is fine too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let doc = kubeconfig::merge("", entries, true)?;
    let kc = kube::config::Kubeconfig::from_yaml(&doc).map_err(|e| bad(e.to_string()))?;
    let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
        .await
        .map_err(|e| bad(e.to_string()))?;
    kube::Client::try_from(cfg).map_err(|e| bad(e.to_string()))
}

pub(crate) async fn readyz(client: &kube::Client) -> Result<Option<()>, Error> {
    let req = http::Request::get("/readyz")
        .body(Vec::new())
        .map_err(|e| Error::Io {
            detail: e.to_string(),
        })?;
    match client.request_text(req).await {
        Ok(body) if body.trim() == "ok" => Ok(Some(())),
        Ok(_) => Ok(None),
        Err(e) => Err(Error::Io {
            detail: e.to_string(),
        }),
    }
}

async fn ready_nodes(client: &kube::Client) -> Result<u32, Error> {
    let nodes: kube::Api<Node> = kube::Api::all(client.clone());
    let list = nodes
        .list(&Default::default())
        .await
        .map_err(|e| Error::Io {
            detail: e.to_string(),
        })?;
    let ready = list
        .items
        .iter()
        .filter(|n| {
            n.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        })
        .count();
    Ok(u32::try_from(ready).unwrap_or(u32::MAX))
}

/// Pulls the image unless the engine has it. A cancel stops the pull (nothing
/// labelled exists yet, so there is nothing to roll back).
async fn ensure_image(
    docker: &Docker,
    image: &str,
    cancel: &AtomicBool,
    sink: &dyn ProgressSink,
) -> Result<(), Error> {
    if docker.inspect_image(image).await.is_ok() {
        sink.step(Step::Pull {
            image: image.to_owned(),
            skipped: true,
        });
        return Ok(());
    }
    crate::pull::pull(docker, image, cancel, sink).await
}

fn free_port() -> Result<u16, Error> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Io {
            detail: format!("no free port on 127.0.0.1: {e}"),
        })
}

pub(crate) fn check_port_free(port: u16) -> Result<(), Error> {
    std::net::TcpListener::bind(("127.0.0.1", port))
        .map(drop)
        .map_err(|_| Error::PortInUse { port })
}

#[cfg(test)]
mod tests {
    use super::first_tar_entry;

    // The app runs create on a multi-threaded runtime.
    #[allow(dead_code)]
    fn create_is_send(d: &bollard::Docker, o: &super::CreateOptions, s: &dyn super::ProgressSink) {
        fn send<T: Send>(_: T) {}
        send(super::create_cluster(d, o, s));
    }

    #[test]
    fn options_resolve_to_a_validated_request_with_a_free_port() {
        let mut o = super::CreateOptions::new("dev");
        o.image = Some("rancher/k3s:v1.31.4-k3s1".into());
        o.agents = 2;
        let req = o.request().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((req.servers, req.agents), (1, 2));
        assert_ne!(req.api_port, 0);
        o.api_port = Some(40123);
        assert_eq!(o.request().map(|r| r.api_port).ok(), Some(40123));
        o.servers = 2;
        assert!(matches!(
            o.request(),
            Err(crate::Error::InvalidShape { .. })
        ));
        o.servers = 1;
        o.name = "Bad_Name".into();
        assert!(matches!(o.request(), Err(crate::Error::InvalidName { .. })));
    }

    #[test]
    fn an_engine_refusing_a_binding_names_the_port() {
        use crate::spec::{LABEL_API_PORT, LABEL_PORTS};
        let labels = std::collections::HashMap::from([
            (LABEL_API_PORT.to_owned(), "40123".to_owned()),
            (
                LABEL_PORTS.to_owned(),
                "127.0.0.1:8080:80/tcp,127.0.0.1:80:8000/tcp".to_owned(),
            ),
        ]);
        // docker-proxy's and the engine's own phrasings.
        let proxy =
            "driver failed programming external connectivity on endpoint capstan-dev-server-0: \
                     Bind for 127.0.0.1:8080 failed: port is already allocated";
        let kernel = "listen tcp4 127.0.0.1:80: bind: address already in use";
        assert!(matches!(
            super::refused_port(proxy, &labels),
            Some(crate::Error::HostPortInUse { port: 8080, .. })
        ));
        assert!(matches!(
            super::refused_port(kernel, &labels),
            Some(crate::Error::HostPortInUse { port: 80, .. })
        ));
        let api = "Bind for 127.0.0.1:40123 failed: port is already allocated";
        assert!(matches!(
            super::refused_port(api, &labels),
            Some(crate::Error::PortInUse { port: 40123 })
        ));
        assert!(super::refused_port("no such image", &labels).is_none());
    }

    #[test]
    fn only_the_publishing_node_is_refused_a_port() {
        use bollard::models::{ContainerCreateBody, HostConfig};
        let refusal = || bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: "listen tcp4 0.0.0.0:10250: bind: address already in use".into(),
        };
        let node = |port_bindings| crate::spec::NodeSpec {
            name: "capstan-dev-agent-0".into(),
            role: crate::spec::Role::Agent,
            index: 0,
            body: ContainerCreateBody {
                labels: Some(std::collections::HashMap::from([(
                    crate::spec::LABEL_API_PORT.to_owned(),
                    "40123".to_owned(),
                )])),
                host_config: Some(HostConfig {
                    port_bindings,
                    ..Default::default()
                }),
                ..Default::default()
            },
        };
        assert!(matches!(
            super::port_taken(refusal(), &node(None)),
            crate::Error::Engine { .. }
        ));
        assert!(matches!(
            super::port_taken(refusal(), &node(Some(Default::default()))),
            crate::Error::PortInUse { port: 40123 }
        ));
    }

    #[test]
    fn reads_the_first_tar_entry() {
        let mut tar = vec![0u8; 1024];
        tar[..4].copy_from_slice(b"file");
        tar[124..135].copy_from_slice(b"00000000005");
        tar[512..517].copy_from_slice(b"hello");
        assert_eq!(first_tar_entry(&tar), Some(&b"hello"[..]));
        assert_eq!(first_tar_entry(&tar[..100]), None);
    }
}
