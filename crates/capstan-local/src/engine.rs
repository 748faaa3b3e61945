use bollard::Docker;
use serde::Serialize;
use ts_rs::TS;

use crate::Error;

/// What the Docker engine says about itself.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EngineStatus {
    pub version: String,
    pub os: String,
    pub cpus: i64,
    pub memory_bytes: i64,
}

/// Connects through DOCKER_HOST, else the platform's default socket, and asks
/// the engine for its version and resources.
pub async fn engine_status() -> Result<EngineStatus, Error> {
    let unreachable = |e: bollard::errors::Error| Error::EngineUnreachable {
        detail: e.to_string(),
    };
    let docker = connect()?;
    let version = docker.version().await.map_err(unreachable)?;
    let info = docker.info().await.map_err(unreachable)?;
    Ok(EngineStatus {
        version: version.version.unwrap_or_default(),
        os: info.operating_system.unwrap_or_default(),
        cpus: info.ncpu.unwrap_or_default(),
        memory_bytes: info.mem_total.unwrap_or_default(),
    })
}

/// The engine at DOCKER_HOST, else the platform's default socket (Podman's
/// Docker-compatible socket works when DOCKER_HOST points at it).
pub fn connect() -> Result<Docker, Error> {
    Docker::connect_with_defaults().map_err(|e| Error::EngineUnreachable {
        detail: e.to_string(),
    })
}
