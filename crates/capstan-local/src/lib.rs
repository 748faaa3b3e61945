//! Local k3s clusters in Docker, driven through the Docker Engine API (`bollard`):
//! a network per cluster, server and agent containers labelled so they can be
//! found again, step-by-step progress, rollback of everything on failure, and
//! the kubeconfig merged into the user's file.

mod airgap;
mod container;
mod create;
pub mod endpoint;
mod engine;
#[cfg(test)]
mod export_ts;
mod images;
mod import;
pub mod k3s_args;
pub mod kubeconfig;
mod lifecycle;
mod list;
pub mod loadbalancer;
mod nodes;
mod offline;
pub mod ports;
pub mod preflight;
mod progress;
mod pull;
mod pull_state;
mod readiness;
pub mod registry;
mod reset;
mod rollback;
pub mod shell;
pub mod spec;
mod upgrade;
pub mod versions;
pub mod volumes;

pub use airgap::{check_airgap, AirgapArchive, AIRGAP_SUFFIXES};
pub use create::{create_cluster, CreateOptions, CreatedCluster};
pub use endpoint::Endpoint;
pub use engine::{connect, engine_status, EngineStatus};
pub use import::import_image;
pub use lifecycle::{delete_cluster, start_cluster, stop_cluster};
pub use list::{list_clusters, ClusterInfo, NodeInfo};
pub use nodes::{add_agent, wait_cluster_ready};
pub use offline::load_image_tarball;
pub use ports::{PortMapping, Protocol};
pub use preflight::{preflight, Finding, Severity};
pub use progress::{LayerPhase, LayerProgress, NoProgress, ProgressSink, Step};
pub use pull::pull_image;
pub use reset::{reset_cluster, stored_options, StoredSpec};
pub use shell::{open_shell, Shell};
pub use upgrade::upgrade_cluster;
pub use versions::{k3s_versions, K3sVersion, K3sVersions};
pub use volumes::VolumeMount;

/// Every way `capstan-local` can fail, phrased so the user knows what to do.
/// Where another error caused it, that error is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No engine answers. `detail` says where Capstan looked or what the
    /// connection said; `source` is the engine client's error when there is one.
    #[error("Docker is not running ({detail}): start it or set DOCKER_HOST")]
    EngineUnreachable {
        detail: String,
        #[source]
        source: Option<bollard::errors::Error>,
    },
    #[error("`{name}` is not a valid cluster name: use lowercase letters, digits and '-', at most 40 characters")]
    InvalidName { name: String },
    /// Servers/agents the user asked for that Capstan cannot make.
    #[error("invalid cluster shape: {detail}")]
    InvalidShape { detail: String },
    /// The action needs the cluster (or node) running.
    #[error("`{name}` is not running: start it {before}")]
    NotRunning { name: String, before: &'static str },
    /// A cluster's containers lack what Capstan put there (labels, token).
    #[error("the cluster `{name}` is damaged ({detail}): delete it and create it again")]
    Damaged { name: String, detail: String },
    #[error("a local cluster named `{name}` already exists: pick another name or delete it first")]
    AlreadyExists { name: String },
    #[error("no local cluster named `{name}`")]
    NotFound { name: String },
    /// A node name the cluster does not have.
    #[error("`{cluster}` has no node `{node}`; its nodes: {nodes}")]
    NodeNotFound {
        cluster: String,
        node: String,
        nodes: String,
    },
    #[error("port {port} on 127.0.0.1 is already in use: choose another API port or leave it empty for a free one")]
    PortInUse { port: u16 },
    #[error("port {port} on {address} (port mapping `{mapping}`) is already in use: choose another host port")]
    HostPortInUse {
        port: u16,
        address: String,
        mapping: String,
    },
    #[error("port mapping `{mapping}`: {reason}")]
    InvalidPortMapping { mapping: String, reason: String },
    #[error("extra k3s {role} argument `{arg}`: {reason}")]
    InvalidK3sArg {
        arg: String,
        role: &'static str,
        reason: String,
    },
    /// The node image cannot be used. `source` is the engine's error when it
    /// gave one; `detail` is what went wrong in words.
    #[error("the node image {image} is not available ({detail}): check the name or load it with `docker load`")]
    Image {
        image: String,
        detail: String,
        #[source]
        source: Option<bollard::errors::Error>,
    },
    /// A k3s version that is neither listed nor a valid image tag.
    #[error("k3s version `{version}`: {reason}")]
    InvalidVersion { version: String, reason: String },
    #[error("volume `{volume}`: {reason}")]
    InvalidVolume { volume: String, reason: String },
    #[error("registry: {reason}")]
    InvalidRegistry { reason: String },
    #[error("port {port} on 127.0.0.1 is already in use: choose another registry port or leave it empty for a free one")]
    RegistryPortInUse { port: u16 },
    /// The new containers of an upgrade did not come up; the old ones were
    /// put back (`restored`) or could not be.
    #[error("the upgrade of `{name}` to {image} failed ({source}); {}", if *restored { "the old containers were put back and the cluster runs as before" } else { "putting the old containers back failed too: see the log, then `capstan cluster start` or delete it" })]
    UpgradeFailed {
        name: String,
        image: String,
        restored: bool,
        #[source]
        source: Box<Error>,
    },
    #[error("the airgap images archive {path} cannot be used ({detail})")]
    Airgap { path: String, detail: String },
    /// `detail` is the engine's pull message (it comes as text in the pull
    /// stream, not as an error value).
    #[error("cannot pull the node image {image} ({detail}): check the image name and that its registry can be reached, or create from a local image instead: one the engine already has, or a `docker save` tarball (`--image-tarball`)")]
    ImagePull { image: String, detail: String },
    #[error("the Docker engine refused to {action} ({source})")]
    Engine {
        action: String,
        #[source]
        source: bollard::errors::Error,
    },
    /// The engine started a node shell but gave no streams to attach to.
    #[error("the Docker engine did not attach to the shell in {node}: try again")]
    ShellNotAttached { node: String },
    /// A wait ran out of time. `log_tail` holds the server's last log lines.
    #[error("the cluster did not become ready within {seconds} s ({what}); last server log lines:\n{log_tail}")]
    Timeout {
        seconds: u64,
        what: String,
        log_tail: String,
    },
    /// A node stopped before it logged that it was up.
    #[error("{node} exited before it was up; last log lines:\n{log_tail}")]
    NodeExited { node: String, log_tail: String },
    #[error("cluster creation was cancelled; everything created was removed")]
    Cancelled,
    /// The kubeconfig k3s wrote in server 0 cannot be used.
    #[error("the cluster's kubeconfig cannot be used: {detail}")]
    ServerKubeconfig {
        detail: String,
        #[source]
        source: Option<serde_yaml::Error>,
    },
    /// The user's kubeconfig could not be read or written, or a client could
    /// not be made from the cluster's: capstan-kube's error says which.
    #[error("{source}")]
    Kubeconfig {
        #[source]
        source: capstan_kube::Error,
    },
    /// The cluster's API did not answer a readiness question.
    #[error("{source}")]
    ClusterApi {
        #[source]
        source: capstan_kube::Error,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no randomness for the cluster token: {source}")]
    Randomness {
        #[source]
        source: getrandom::Error,
    },
}

impl Error {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let what = what.into();
        move |source| Error::Io { what, source }
    }
}

/// Maps an engine error to the action that failed.
pub(crate) fn engine_err(action: &str) -> impl Fn(bollard::errors::Error) -> Error + '_ {
    move |e| match e {
        // Transport failures (socket gone, connection reset or refused): the
        // engine itself is away, not refusing the request.
        bollard::errors::Error::HyperResponseError { .. }
        | bollard::errors::Error::HyperLegacyError { .. }
        | bollard::errors::Error::SocketNotFoundError(_)
        | bollard::errors::Error::RequestTimeoutError
        | bollard::errors::Error::IOError { .. } => Error::EngineUnreachable {
            detail: e.to_string(),
            source: Some(e),
        },
        source => Error::Engine {
            action: action.to_owned(),
            source,
        },
    }
}
