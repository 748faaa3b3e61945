//! Local k3s clusters in Docker, driven through the Docker Engine API (`bollard`).
//! Provisioning arrives with the local-cluster issue; this crate already owns
//! the engine connection so the shell can report whether Docker is usable.

mod engine;

pub use engine::{engine_status, EngineStatus};

/// Every way `capstan-local` can fail, phrased so the user knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Docker is not reachable ({detail}): start the Docker engine or set DOCKER_HOST")]
    EngineUnreachable { detail: String },
}
