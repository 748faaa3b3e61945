//! Creating a cluster, the orchestration: pre-flight, image, network,
//! servers one at a time, agents together, then readiness through the
//! published port (`/readyz`, and every node Ready), then the kubeconfig
//! merge. Any failure or cancel removes everything labelled for the cluster.
//! Container primitives are in `container`, the waits in `readiness`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::models::NetworkCreateRequest;
use bollard::Docker;

use crate::container::{launch, log_tail_of, read_file};
use crate::kubeconfig::{self, Entries};
use crate::preflight::{self, Check, Severity};
use crate::progress::{ProgressSink, Step};
use crate::readiness::{api_ready, cluster_client, poll, ready_nodes, wait_for_log};
use crate::spec::{self, ClusterRequest, EngineFacts, Role, KUBECONFIG_OUTPUT};
use crate::{engine_err, rollback, Error};

#[derive(Debug, Clone)]
pub struct CreateOptions {
    pub name: String,
    /// None: the image of `k3s_version`, else `CAPSTAN_K3S_IMAGE`, else the
    /// stable listed version. Wins over `k3s_version`.
    pub image: Option<String>,
    /// A listed k3s version (`v1.34.6+k3s1`, `1.34`, `stable`, `latest`) or a
    /// custom tag of the list's repository (see [`crate::versions`]).
    pub k3s_version: Option<String>,
    /// An image registry for the cluster (its own or the shared one).
    pub registry: Option<crate::registry::Request>,
    /// Host paths mounted into nodes (`HOST:NODE[@nodes]`).
    pub volumes: Vec<crate::volumes::VolumeMount>,
    /// The HA load balancer's image; None: `CAPSTAN_LB_IMAGE`, else haproxy.
    pub lb_image: Option<String>,
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
            k3s_version: None,
            registry: None,
            volumes: Vec::new(),
            lb_image: None,
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
        let (image, version) = self.image_and_version()?;
        let req = ClusterRequest {
            name: self.name.clone(),
            image,
            version,
            volumes: self.volumes.clone(),
            lb_image: self.lb_image.clone(),
            stored: serde_json::to_string(&crate::reset::StoredSpec::of(self, api_port))
                .unwrap_or_default(),
            servers: self.servers,
            agents: self.agents,
            api_port,
            extra_server_args: self.extra_server_args.clone(),
            extra_agent_args: self.extra_agent_args.clone(),
            ports: self.ports.clone(),
            image_tarball: self.image_tarball.clone(),
            airgap_images: None,
            registry: None,
        };
        spec::validate(&req)?;
        // Host paths must exist before anything is created.
        for v in &req.volumes {
            v.check_host()?;
        }
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

impl CreateOptions {
    /// The node image and the version shown for it: `image` as given, else
    /// `k3s_version` resolved against the list, else `CAPSTAN_K3S_IMAGE`,
    /// else the stable listed version.
    pub fn image_and_version(&self) -> Result<(String, String), Error> {
        if let Some(image) = &self.image {
            return Ok((image.clone(), crate::versions::version_of_image(image)));
        }
        if let Some(v) = &self.k3s_version {
            let r = crate::versions::k3s_versions()?.resolve(v)?;
            return Ok((r.image, r.version));
        }
        let image = spec::default_image();
        Ok((image.clone(), crate::versions::version_of_image(&image)))
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
                source: None,
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
                source: None,
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
    let mut req = req;
    let registry = match &opts.registry {
        Some(r) => {
            let plan = crate::registry::plan(docker, &req.name, r).await?;
            if plan.create && check_port_free(plan.info.port).is_err() {
                return Err(Error::RegistryPortInUse {
                    port: plan.info.port,
                });
            }
            req.registry = Some(plan.info.clone());
            // Reset makes it again on the same port.
            let mut stored: crate::reset::StoredSpec = serde_json::from_str(&req.stored)
                .unwrap_or_else(|_| crate::reset::StoredSpec::of(opts, req.api_port));
            stored.registry = Some(crate::registry::Request {
                port: Some(plan.info.port),
                ..r.clone()
            });
            req.stored = serde_json::to_string(&stored).unwrap_or_default();
            Some(plan)
        }
        None => None,
    };
    let req = req;
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
                source: None,
            });
        }
        if opts.cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
    }
    ensure_image(docker, &req.image, &opts.cancel, sink).await?;

    let result = provision(
        docker,
        &req,
        registry.as_ref(),
        facts,
        opts,
        &kubeconfig_path,
        sink,
    )
    .await;
    let result = match result {
        // The API waits do not see the node's log: add server 0's.
        Err(Error::Timeout {
            seconds,
            what,
            log_tail,
        }) if log_tail.is_empty() => {
            let server0 = spec::container_name(&req.name, Role::Server, 0);
            Err(Error::Timeout {
                seconds,
                what,
                log_tail: log_tail_of(docker, &server0, 20).await,
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
            if let Err(r) = rollback::remove_everything_retrying(docker, &req.name, false).await {
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
    registry: Option<&crate::registry::Plan>,
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
    if let Some(plan) = registry {
        crate::registry::ensure(docker, plan, &req.name).await?;
        cancelled()?;
    }

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
        .await
        .map_err(|e| match e {
            Error::Timeout { what, log_tail, .. } => Error::Timeout {
                seconds: opts.timeout.as_secs(),
                what,
                log_tail,
            },
            other => other,
        })?;
        sink.step(Step::Server {
            index: n.index + 1,
            of: req.servers,
        });
        cancelled()?;
    }
    if crate::loadbalancer::wanted(req) {
        crate::loadbalancer::launch(docker, req).await?;
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

    let timed_out = |what: &str| Error::Timeout {
        seconds: opts.timeout.as_secs(),
        what: what.to_owned(),
        log_tail: String::new(),
    };
    let raw = poll(deadline, &opts.cancel, || {
        read_file(docker, &server0, KUBECONFIG_OUTPUT)
    })
    .await?
    .ok_or_else(|| timed_out("the server's kubeconfig"))?;
    let entries = kubeconfig::from_k3s(&raw, &req.name, req.api_port)?;
    let client = cluster_client(&entries).await?;
    poll(deadline, &opts.cancel, || api_ready(&client, &entries.name))
        .await?
        .ok_or_else(|| timed_out("/readyz"))?;
    sink.step(Step::ApiReady { port: req.api_port });
    let expected = req.servers + req.agents;
    let last_ready = std::sync::atomic::AtomicU32::new(u32::MAX);
    let nodes_deadline = opts
        .nodes_ready_timeout
        .map_or(deadline, |t| deadline.min(Instant::now() + t));
    poll(nodes_deadline, &opts.cancel, || async {
        let ready = ready_nodes(&client, &entries.name).await?;
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
    .await?
    .ok_or_else(|| Error::Timeout {
        seconds: opts
            .nodes_ready_timeout
            .unwrap_or(opts.timeout)
            .min(opts.timeout)
            .as_secs(),
        what: format!(
            "nodes Ready: {} of {expected}",
            last_ready.load(Ordering::SeqCst).min(expected)
        ),
        log_tail: String::new(),
    })?;
    cancelled()?;
    let (file, merged, make_current) = (
        kubeconfig_path.to_path_buf(),
        entries.clone(),
        opts.make_current,
    );
    kubeconfig::off_runtime(move || kubeconfig::merge_into_file(&file, &merged, make_current))
        .await?;
    sink.step(Step::Kubeconfig {
        context: entries.name.clone(),
    });
    Ok(())
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

pub(crate) fn free_port() -> Result<u16, Error> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(Error::io("no free port on 127.0.0.1"))
}

pub(crate) fn check_port_free(port: u16) -> Result<(), Error> {
    std::net::TcpListener::bind(("127.0.0.1", port))
        .map(drop)
        .map_err(|_| Error::PortInUse { port })
}

#[cfg(test)]
mod tests {
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
}
