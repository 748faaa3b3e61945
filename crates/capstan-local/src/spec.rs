//! What Capstan asks the engine for: the network and one container per node,
//! configured as k3s needs it in Docker. Pure functions, so the flags can be
//! checked against k3s's documented CLI without an engine.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, DeviceMapping, HostConfig, HostConfigCgroupnsModeEnum, PortBinding,
};

use crate::ports::{self, PortMapping};
use crate::{k3s_args, Error};

pub const LABEL_CLUSTER: &str = "capstan.cluster";
pub const LABEL_ROLE: &str = "capstan.role";
pub const LABEL_INDEX: &str = "capstan.index";
pub const LABEL_API_PORT: &str = "capstan.api-port";
/// On server 0: its host port mappings (`ports::to_label`), so `list` shows
/// them after a restart.
pub const LABEL_PORTS: &str = "capstan.ports";
/// On server 0: the extra agent arguments (a JSON array), so an agent added
/// later gets the same ones.
pub const LABEL_AGENT_ARGS: &str = "capstan.agent-args";
/// On every node: the k3s version it runs (a listed release or the tag).
pub const LABEL_VERSION: &str = "capstan.k3s-version";
/// On server 0: the registry (`registry::Info::to_label`).
pub const LABEL_REGISTRY: &str = "capstan.registry";
/// On server 0: the host folders mounted (a JSON array of `VolumeMount`).
pub const LABEL_VOLUMES: &str = "capstan.volumes";
/// On server 0: what the cluster was created with (`StoredSpec` as JSON),
/// so reset and upgrade make it again the same way.
pub const LABEL_SPEC: &str = "capstan.spec";
/// Port the k3s API server listens on inside the server containers.
pub const K3S_API_PORT: u16 = 6443;
/// Where the server writes its kubeconfig (k3d's convention; k3s's own default
/// is /etc/rancher/k3s/k3s.yaml).
pub const KUBECONFIG_OUTPUT: &str = "/output/kubeconfig.yaml";
/// Overrides the node image (tests use a locally built stand-in).
pub const IMAGE_ENV: &str = "CAPSTAN_K3S_IMAGE";
/// Test-only: engines whose bounding set lacks a capability cannot run
/// `--privileged` containers; this swaps it for every capability but that one.
pub const UNPRIVILEGED_ENV: &str = "CAPSTAN_LOCAL_UNPRIVILEGED_NODES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Server,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Server => "server",
            Role::Agent => "agent",
        }
    }
}

/// What the user asked for (the create dialog / `capstan cluster create`).
#[derive(Debug, Clone, Default)]
pub struct ClusterRequest {
    pub name: String,
    pub image: String,
    /// 1, or 3 for HA with embedded etcd.
    pub servers: u32,
    /// 0..=9
    pub agents: u32,
    pub api_port: u16,
    pub extra_server_args: Vec<String>,
    pub extra_agent_args: Vec<String>,
    /// Published on server 0.
    pub ports: Vec<PortMapping>,
    /// Offline use: a `docker save` tarball loaded before the pull.
    pub image_tarball: Option<std::path::PathBuf>,
    /// Offline use: k3s's airgap images archive copied into every node
    /// (checked when the request is made).
    pub airgap_images: Option<crate::airgap::AirgapArchive>,
    /// The k3s version shown for it (label); empty: not known.
    pub version: String,
    /// The registry its nodes mirror `localhost:<port>` to.
    pub registry: Option<crate::registry::Info>,
    /// Host paths mounted into the nodes their filter names.
    pub volumes: Vec<crate::volumes::VolumeMount>,
    /// The HA load balancer's image; None: the default.
    pub lb_image: Option<String>,
    /// `StoredSpec` as JSON, kept on server 0 (empty: none).
    pub stored: String,
}

/// Facts about the engine that change the container settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct EngineFacts {
    pub cgroup_v2: bool,
    /// The engine cannot grant every capability (see [`UNPRIVILEGED_ENV`]).
    pub no_privileged: bool,
}

/// One node container, ready to hand to the engine.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub role: Role,
    pub index: u32,
    pub body: ContainerCreateBody,
    /// Named volumes (k3s's data directories) created, labelled for the
    /// cluster, before the container: they outlive a container replaced by
    /// an upgrade.
    pub volumes: Vec<String>,
    /// The registry mirror file, written into the node before it starts.
    pub registries_yaml: Option<String>,
}

/// The data directories the k3s image declares as VOLUMEs, kept in named
/// volumes `<container>-<suffix>`.
pub const DATA_VOLUMES: [(&str, &str); 4] = [
    ("k3s", "/var/lib/rancher/k3s"),
    ("kubelet", "/var/lib/kubelet"),
    ("cni", "/var/lib/cni"),
    ("log", "/var/log"),
];

pub fn data_volume(container: &str, suffix: &str) -> String {
    format!("{container}-{suffix}")
}

/// The Docker network of a cluster.
pub fn network_name(cluster: &str) -> String {
    format!("capstan-{cluster}")
}

pub fn container_name(cluster: &str, role: Role, index: u32) -> String {
    format!("capstan-{cluster}-{}-{index}", role.as_str())
}

/// The longest cluster name: `capstan-<name>-server-0` stays a valid hostname.
pub const NAME_MAX: usize = 40;

/// DNS-1123 label, short enough that `capstan-<name>-server-0` stays a valid hostname.
pub fn validate_name(name: &str) -> Result<(), Error> {
    if capstan_kube::names::is_label(name, NAME_MAX) {
        Ok(())
    } else {
        Err(Error::InvalidName {
            name: name.to_owned(),
        })
    }
}

pub fn validate(req: &ClusterRequest) -> Result<(), Error> {
    validate_name(&req.name)?;
    if req.servers != 1 && req.servers != 3 {
        return Err(Error::InvalidShape {
            detail: format!(
                "{} servers: choose 1, or 3 for high availability",
                req.servers
            ),
        });
    }
    if req.agents > 9 {
        return Err(Error::InvalidShape {
            detail: format!("{} agents: choose 0 to 9", req.agents),
        });
    }
    validate_ports(&req.ports, req.api_port)?;
    for (args, role) in [
        (&req.extra_server_args, Role::Server),
        (&req.extra_agent_args, Role::Agent),
    ] {
        for arg in args {
            k3s_args::check(arg).map_err(|e| Error::InvalidK3sArg {
                arg: arg.clone(),
                role: role.as_str(),
                reason: e.to_string(),
            })?;
        }
    }
    Ok(())
}

/// Ports 1..=65535 (parsing guarantees it for parsed ones), none twice on the
/// same host socket, none on the API port.
pub fn validate_ports(mappings: &[PortMapping], api_port: u16) -> Result<(), Error> {
    let bad = |m: &PortMapping, reason: String| Error::InvalidPortMapping {
        mapping: m.to_string(),
        reason,
    };
    for (i, m) in mappings.iter().enumerate() {
        if m.host_port == 0 || m.container_port == 0 {
            return Err(bad(m, "ports are 1 to 65535".to_owned()));
        }
        if m.host_ip.parse::<std::net::Ipv4Addr>().is_err() {
            return Err(bad(
                m,
                format!("`{}` is not an IPv4 address of this machine", m.host_ip),
            ));
        }
        if m.protocol == ports::Protocol::Tcp
            && m.host_port == api_port
            && (m.host_ip == ports::DEFAULT_HOST_IP || m.is_all_interfaces())
        {
            return Err(bad(
                m,
                format!("host port {api_port} is the cluster's API port: choose another"),
            ));
        }
        if let Some(earlier) = mappings[..i].iter().find(|e| e.clashes_with(m)) {
            return Err(bad(
                m,
                format!("host port {} is already mapped by `{earlier}`", m.host_port),
            ));
        }
    }
    Ok(())
}

fn labels(cluster: &str, role: Role, index: u32, api_port: u16) -> HashMap<String, String> {
    HashMap::from([
        (LABEL_CLUSTER.to_owned(), cluster.to_owned()),
        (LABEL_ROLE.to_owned(), role.as_str().to_owned()),
        (LABEL_INDEX.to_owned(), index.to_string()),
        (LABEL_API_PORT.to_owned(), api_port.to_string()),
    ])
}

pub fn network_labels(cluster: &str) -> HashMap<String, String> {
    HashMap::from([(LABEL_CLUSTER.to_owned(), cluster.to_owned())])
}

/// The engine's port bindings of server 0: the API on 127.0.0.1, then the
/// user's mappings (several host ports may go to one container port).
fn port_bindings(req: &ClusterRequest) -> HashMap<String, Option<Vec<PortBinding>>> {
    // HA: the load balancer publishes the API and the TCP mappings.
    let lb = crate::loadbalancer::wanted(req);
    let mut out = HashMap::new();
    if !lb {
        out.insert(
            format!("{K3S_API_PORT}/tcp"),
            Some(vec![PortBinding {
                // Only this machine: a local cluster's API is not for the network.
                host_ip: Some("127.0.0.1".to_owned()),
                host_port: Some(req.api_port.to_string()),
            }]),
        );
    }
    for m in req
        .ports
        .iter()
        .filter(|m| !lb || m.protocol != ports::Protocol::Tcp)
    {
        out.entry(m.container_key())
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: Some(m.host_ip.clone()),
                host_port: Some(m.host_port.to_string()),
            });
    }
    out
}

fn host_config(
    req: &ClusterRequest,
    facts: EngineFacts,
    publish: bool,
    binds: Vec<String>,
) -> HostConfig {
    // k3s needs /run and /var/run as tmpfs (it keeps sockets and state there).
    let tmpfs = HashMap::from([
        ("/run".to_owned(), String::new()),
        ("/var/run".to_owned(), String::new()),
    ]);
    let port_bindings = publish
        .then(|| port_bindings(req))
        .filter(|b| !b.is_empty());
    let mut hc = HostConfig {
        binds: Some(binds),
        privileged: Some(!facts.no_privileged),
        tmpfs: Some(tmpfs),
        // cgroup v2: a private cgroup namespace so k3s sees its own root and can
        // enable controllers (k3d#493); v1 engines keep the host's.
        cgroupns_mode: Some(if facts.cgroup_v2 {
            HostConfigCgroupnsModeEnum::PRIVATE
        } else {
            HostConfigCgroupnsModeEnum::HOST
        }),
        network_mode: Some(network_name(&req.name)),
        port_bindings,
        ..Default::default()
    };
    if facts.no_privileged {
        hc.cap_add = Some(vec!["ALL".to_owned()]);
        hc.cap_drop = Some(vec!["SYS_RESOURCE".to_owned()]);
        hc.security_opt = Some(vec![
            "seccomp=unconfined".to_owned(),
            "apparmor=unconfined".to_owned(),
        ]);
        // The API form of the CLI's `--security-opt systempaths=unconfined`.
        hc.masked_paths = Some(Vec::new());
        hc.readonly_paths = Some(Vec::new());
        hc.devices = Some(vec![DeviceMapping {
            path_on_host: Some("/dev/kmsg".to_owned()),
            path_in_container: Some("/dev/kmsg".to_owned()),
            cgroup_permissions: Some("rwm".to_owned()),
        }]);
    }
    hc
}

/// Every node container of the cluster: servers first (index 0 carries
/// `--cluster-init` when HA), then agents joining server 0.
pub fn node_specs(req: &ClusterRequest, token: &str, facts: EngineFacts) -> Vec<NodeSpec> {
    let server0 = container_name(&req.name, Role::Server, 0);
    let join_url = format!("https://{server0}:{K3S_API_PORT}");
    let mut out = Vec::new();
    let mut node = |role: Role, index: u32, cmd: Vec<String>, mut env: Vec<String>| {
        let name = container_name(&req.name, role, index);
        env.push(format!("K3S_TOKEN={token}"));
        let first = role == Role::Server && index == 0;
        let volumes: Vec<String> = DATA_VOLUMES
            .iter()
            .map(|(suffix, _)| data_volume(&name, suffix))
            .collect();
        let mut binds: Vec<String> = DATA_VOLUMES
            .iter()
            .map(|(suffix, path)| format!("{}:{path}", data_volume(&name, suffix)))
            .collect();
        binds.extend(
            req.volumes
                .iter()
                .filter(|v| v.applies_to(role, index))
                .map(|v| v.bind()),
        );
        let hc = host_config(req, facts, first, binds);
        let mut labels = labels(&req.name, role, index, req.api_port);
        if !req.version.is_empty() {
            labels.insert(LABEL_VERSION.to_owned(), req.version.clone());
        }
        if first {
            labels.insert(LABEL_PORTS.to_owned(), ports::to_label(&req.ports));
            labels.insert(
                LABEL_AGENT_ARGS.to_owned(),
                serde_json::to_string(&req.extra_agent_args).unwrap_or_default(),
            );
            if let Some(r) = &req.registry {
                labels.insert(LABEL_REGISTRY.to_owned(), r.to_label());
            }
            if !req.volumes.is_empty() {
                labels.insert(
                    LABEL_VOLUMES.to_owned(),
                    serde_json::to_string(&req.volumes).unwrap_or_default(),
                );
            }
            if !req.stored.is_empty() {
                labels.insert(LABEL_SPEC.to_owned(), req.stored.clone());
            }
        }
        out.push(NodeSpec {
            name: name.clone(),
            role,
            index,
            body: ContainerCreateBody {
                image: Some(req.image.clone()),
                hostname: Some(name),
                cmd: Some(cmd),
                env: Some(env),
                labels: Some(labels),
                // The Engine API (unlike `docker run -p`) publishes only ports the
                // container exposes: without this the binding is silently ignored.
                exposed_ports: hc.port_bindings.as_ref().map(|b| {
                    let mut keys: Vec<String> = b.keys().cloned().collect();
                    keys.sort();
                    keys
                }),
                host_config: Some(hc),
                ..Default::default()
            },
            volumes,
            registries_yaml: req.registry.as_ref().map(crate::registry::registries_yaml),
        });
    };
    for i in 0..req.servers {
        let mut cmd = vec![
            "server".to_owned(),
            "--tls-san".to_owned(),
            "127.0.0.1".to_owned(),
        ];
        let mut env = vec![format!("K3S_KUBECONFIG_OUTPUT={KUBECONFIG_OUTPUT}")];
        if req.servers > 1 && i == 0 {
            cmd.push("--cluster-init".to_owned());
        }
        if i > 0 {
            env.push(format!("K3S_URL={join_url}"));
        }
        cmd.extend(req.extra_server_args.iter().cloned());
        node(Role::Server, i, cmd, env);
    }
    for i in 0..req.agents {
        let mut cmd = vec!["agent".to_owned()];
        cmd.extend(req.extra_agent_args.iter().cloned());
        node(Role::Agent, i, cmd, vec![format!("K3S_URL={join_url}")]);
    }
    out
}

/// A fresh cluster token: 32 random bytes, hex.
pub fn new_token() -> Result<String, Error> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|source| Error::Randomness { source })?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A k3s image Capstan offers, and the Kubernetes version it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedImage {
    pub image: String,
    pub kubernetes: String,
    /// k3s's release name (`v1.34.6+k3s1`).
    pub version: String,
    pub stable: bool,
    pub latest: bool,
}

/// The listed k3s images (`versions::k3s_versions`), newest first.
pub fn pinned_images() -> Vec<PinnedImage> {
    crate::versions::k3s_versions()
        .map(|l| {
            l.versions
                .into_iter()
                .map(|v| PinnedImage {
                    image: v.reference(),
                    kubernetes: v.kubernetes,
                    version: v.version,
                    stable: v.stable,
                    latest: v.latest,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The node image: `CAPSTAN_K3S_IMAGE`, else the stable listed version.
pub fn default_image() -> String {
    if let Ok(v) = std::env::var(IMAGE_ENV) {
        if !v.is_empty() {
            return v;
        }
    }
    crate::versions::k3s_versions()
        .ok()
        .and_then(|l| l.default_version().map(|v| v.reference()))
        .unwrap_or_else(|| "rancher/k3s:v1.34.6-k3s1".to_owned())
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
