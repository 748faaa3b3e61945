//! Reset: the cluster deleted and made again with the settings it was
//! created with (kept as JSON in server 0's `capstan.spec` label), on the
//! same API port, so its kubeconfig entry `capstan-<name>` keeps its name
//! and place (the merge replaces it; the current context is left as it is).

use std::path::PathBuf;

use bollard::Docker;
use serde::{Deserialize, Serialize};

use crate::create::{create_cluster, CreateOptions, CreatedCluster};
use crate::progress::ProgressSink;
use crate::spec::{self, Role};
use crate::{engine_err, rollback, Error};

/// What a cluster was created with, as reset and upgrade need it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSpec {
    /// The node image as resolved at create time.
    pub image: String,
    pub servers: u32,
    pub agents: u32,
    pub api_port: u16,
    /// `ports::to_label`.
    pub ports: String,
    pub extra_server_args: Vec<String>,
    pub extra_agent_args: Vec<String>,
    pub registry: Option<crate::registry::Request>,
    pub volumes: Vec<crate::volumes::VolumeMount>,
    pub lb_image: Option<String>,
}

impl StoredSpec {
    pub(crate) fn of(o: &CreateOptions, api_port: u16) -> StoredSpec {
        StoredSpec {
            image: o.image_and_version().map(|(i, _)| i).unwrap_or_default(),
            servers: o.servers,
            agents: o.agents,
            api_port,
            ports: crate::ports::to_label(&o.ports),
            extra_server_args: o.extra_server_args.clone(),
            extra_agent_args: o.extra_agent_args.clone(),
            registry: o.registry.clone(),
            volumes: o.volumes.clone(),
            lb_image: o.lb_image.clone(),
        }
    }

    /// Create options that make this cluster again.
    pub fn options(&self, name: &str) -> CreateOptions {
        let mut o = CreateOptions::new(name);
        o.image = Some(self.image.clone());
        o.servers = self.servers;
        o.agents = self.agents;
        o.api_port = Some(self.api_port);
        o.ports = crate::ports::from_label(&self.ports);
        o.extra_server_args = self.extra_server_args.clone();
        o.extra_agent_args = self.extra_agent_args.clone();
        o.registry = self.registry.clone();
        o.volumes = self.volumes.clone();
        o.lb_image = self.lb_image.clone();
        o
    }
}

/// The stored settings of `name`, from server 0's label.
pub async fn stored_spec(docker: &Docker, name: &str) -> Result<StoredSpec, Error> {
    crate::lifecycle::find(docker, name).await?;
    let server0 = spec::container_name(name, Role::Server, 0);
    let labels = docker
        .inspect_container(&server0, None)
        .await
        .map_err(engine_err("inspect the first server"))?
        .config
        .and_then(|c| c.labels)
        .unwrap_or_default();
    let raw = labels.get(spec::LABEL_SPEC).ok_or_else(|| Error::Damaged {
        name: name.to_owned(),
        detail:
            "it was created before Capstan kept its settings, so it cannot be reset or upgraded"
                .to_owned(),
    })?;
    serde_json::from_str(raw).map_err(|e| Error::Damaged {
        name: name.to_owned(),
        detail: format!("its stored settings cannot be read: {e}"),
    })
}

/// [`StoredSpec::options`] of a cluster.
pub async fn stored_options(docker: &Docker, name: &str) -> Result<CreateOptions, Error> {
    Ok(stored_spec(docker, name).await?.options(name))
}

/// Deletes the cluster's containers, volumes and network (a shared registry
/// stays) and creates it again with the same settings. The kubeconfig entry
/// is replaced in place: same context name, new credentials.
pub async fn reset_cluster(
    docker: &Docker,
    name: &str,
    kubeconfig: Option<PathBuf>,
    timeout: std::time::Duration,
    sink: &dyn ProgressSink,
) -> Result<CreatedCluster, Error> {
    let mut opts = stored_options(docker, name).await?;
    // Agents added since create count too: the cluster comes back as it is.
    let info = crate::lifecycle::find(docker, name).await?;
    let agents = info.nodes.iter().filter(|n| n.role == "agent").count();
    opts.agents = u32::try_from(agents).unwrap_or(opts.agents);
    opts.kubeconfig = kubeconfig;
    opts.make_current = false;
    opts.timeout = timeout;
    tracing::info!(
        cluster = name,
        "reset: removing the cluster to make it again"
    );
    rollback::remove_everything(docker, name, true).await?;
    create_cluster(docker, &opts, sink).await
}
