//! Stop, start and delete of an existing cluster, found by its labels.

use std::path::Path;

use bollard::query_parameters::{StartContainerOptions, StopContainerOptions};
use bollard::Docker;

use crate::kubeconfig::{entry_name, off_runtime, remove_from_file};
use crate::list::{list_clusters, ClusterInfo};
use crate::{engine_err, rollback, Error};

pub(crate) async fn find(docker: &Docker, name: &str) -> Result<ClusterInfo, Error> {
    list_clusters(docker)
        .await?
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| Error::NotFound {
            name: name.to_owned(),
        })
}

/// Agents first, then the load balancer and registry, then servers (so
/// agents do not log a lost server).
pub async fn stop_cluster(docker: &Docker, name: &str) -> Result<(), Error> {
    let info = find(docker, name).await?;
    for role in ["agent", crate::loadbalancer::ROLE, "registry", "server"] {
        for n in info
            .nodes
            .iter()
            .chain(&info.services)
            .filter(|n| n.role == role && n.state == "running")
        {
            docker
                .stop_container(
                    &n.container,
                    Some(StopContainerOptions {
                        t: Some(30),
                        ..Default::default()
                    }),
                )
                .await
                .map_err(engine_err("stop a node"))?;
        }
    }
    Ok(())
}

/// Servers first, then the registry and load balancer, then agents.
pub async fn start_cluster(docker: &Docker, name: &str) -> Result<(), Error> {
    let info = find(docker, name).await?;
    for role in ["server", "registry", crate::loadbalancer::ROLE, "agent"] {
        for n in info
            .nodes
            .iter()
            .chain(&info.services)
            .filter(|n| n.role == role && n.state != "running")
        {
            docker
                .start_container(&n.container, None::<StartContainerOptions>)
                .await
                .map_err(engine_err("start a node"))?;
        }
    }
    Ok(())
}

/// Removes the containers (with volumes), the network and exactly the
/// kubeconfig entries Capstan added.
pub async fn delete_cluster(docker: &Docker, name: &str, kubeconfig: &Path) -> Result<(), Error> {
    rollback::remove_everything(docker, name, false).await?;
    let (file, entry) = (kubeconfig.to_path_buf(), entry_name(name));
    off_runtime(move || remove_from_file(&file, &entry)).await
}
