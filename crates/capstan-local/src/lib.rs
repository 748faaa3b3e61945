//! Local k3s clusters in Docker, driven through the Docker Engine API (`bollard`):
//! a network per cluster, server and agent containers labelled so they can be
//! found again, step-by-step progress, rollback of everything on failure, and
//! the kubeconfig merged into the user's file.

mod airgap;
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
mod nodes;
mod offline;
pub mod ports;
pub mod preflight;
mod progress;
mod pull;
mod pull_state;
mod rollback;
pub mod shell;
pub mod spec;

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
pub use shell::{open_shell, Shell};

/// Every way `capstan-local` can fail, phrased so the user knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Docker is not running ({detail}): start it or set DOCKER_HOST")]
    EngineUnreachable { detail: String },
    #[error("`{name}` is not a valid cluster name: use lowercase letters, digits and '-', at most 40 characters")]
    InvalidName { name: String },
    #[error("invalid cluster shape: {detail}")]
    InvalidShape { detail: String },
    #[error("a local cluster named `{name}` already exists: pick another name or delete it first")]
    AlreadyExists { name: String },
    #[error("no local cluster named `{name}`")]
    NotFound { name: String },
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
    #[error("the node image {image} is not available ({detail}): check the name or load it with `docker load`")]
    Image { image: String, detail: String },
    #[error("the airgap images archive {path} cannot be used ({detail})")]
    Airgap { path: String, detail: String },
    #[error("cannot pull the node image {image} ({detail}): check the image name and that its registry can be reached, or create from a local image instead: one the engine already has, or a `docker save` tarball (`--image-tarball`)")]
    ImagePull { image: String, detail: String },
    #[error("the Docker engine refused to {action} ({detail})")]
    Engine { action: String, detail: String },
    #[error("the cluster did not become ready within {seconds} s ({what}); last server log lines:\n{log_tail}")]
    Timeout {
        seconds: u64,
        what: String,
        log_tail: String,
    },
    #[error("cluster creation was cancelled; everything created was removed")]
    Cancelled,
    #[error("kubeconfig: {detail}")]
    Kubeconfig { detail: String },
    #[error("{detail}")]
    Io { detail: String },
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
        },
        other => Error::Engine {
            action: action.to_owned(),
            detail: other.to_string(),
        },
    }
}
