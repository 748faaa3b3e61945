use bollard::Docker;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::endpoint::{self, Endpoint};
use crate::Error;

/// What the Docker engine says about itself.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct EngineStatus {
    /// Which engine answered, and how it was found.
    pub endpoint: Endpoint,
    pub version: String,
    pub os: String,
    pub cpus: i64,
    pub memory_bytes: i64,
}

/// Connects to the engine [`connect`] picks and asks it for its version and
/// resources.
pub async fn engine_status() -> Result<EngineStatus, Error> {
    let endpoint = endpoint::resolve(&endpoint::System)?;
    let unreachable = |e: bollard::errors::Error| Error::EngineUnreachable {
        detail: format!("{} ({}): {e}", endpoint.host, endpoint.source),
        source: Some(e),
    };
    let docker = connect_to(&endpoint)?;
    let version = docker.version().await.map_err(unreachable)?;
    let info = docker.info().await.map_err(unreachable)?;
    Ok(EngineStatus {
        endpoint: endpoint.clone(),
        version: version.version.unwrap_or_default(),
        os: info.operating_system.unwrap_or_default(),
        cpus: info.ncpu.unwrap_or_default(),
        memory_bytes: info.mem_total.unwrap_or_default(),
    })
}

/// The engine the docker CLI would use, else rootless Docker's or Podman's
/// socket (see [`endpoint`]).
pub fn connect() -> Result<Docker, Error> {
    let found = endpoint::resolve(&endpoint::System)?;
    tracing::debug!(host = %found.host, source = %found.source, "container engine");
    connect_to(&found)
}

pub(crate) fn connect_to(found: &Endpoint) -> Result<Docker, Error> {
    Docker::connect_with_host(&found.host).map_err(|e| Error::EngineUnreachable {
        detail: format!("{} ({}): {e}", found.host, found.source),
        source: Some(e),
    })
}
