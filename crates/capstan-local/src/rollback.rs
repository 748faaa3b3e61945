//! Removing everything labelled for a cluster: containers (with their
//! anonymous volumes, which the k3s image declares) and the network. Used by
//! delete and by create when a step fails or is cancelled.

use std::collections::HashMap;

use std::time::Duration;

use bollard::query_parameters::{
    ListContainersOptions, ListNetworksOptions, ListVolumesOptions, RemoveContainerOptions,
    RemoveVolumeOptions,
};
use bollard::Docker;

use crate::spec::LABEL_CLUSTER;
use crate::{engine_err, Error};

pub(crate) fn label_filter(cluster: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([(
        "label".to_owned(),
        vec![format!("{LABEL_CLUSTER}={cluster}")],
    )])
}

/// How long a rollback waits for an engine that went away (a restarting
/// dockerd) before giving up; what is left stays labelled, so `list` shows it
/// and `delete` removes it later.
const ENGINE_RETRY: Duration = Duration::from_secs(20);

/// [`remove_everything`], retried while the engine is unreachable.
pub(crate) async fn remove_everything_retrying(
    docker: &Docker,
    cluster: &str,
    keep_shared: bool,
) -> Result<(), Error> {
    let deadline = tokio::time::Instant::now() + ENGINE_RETRY;
    loop {
        match remove_everything(docker, cluster, keep_shared).await {
            Err(Error::EngineUnreachable { detail, .. })
                if tokio::time::Instant::now() < deadline =>
            {
                tracing::info!(
                    cluster,
                    detail,
                    "engine unreachable during rollback; retrying"
                );
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            other => return other,
        }
    }
}

/// Removes every container, network and volume labelled `capstan.cluster=<cluster>`.
/// Keeps going after a failure so as much as possible is gone; returns the
/// first error. The shared registry is disconnected from the cluster's
/// network, and removed when no cluster uses it any more unless
/// `keep_shared` (a reset makes the cluster again at once).
pub(crate) async fn remove_everything(
    docker: &Docker,
    cluster: &str,
    keep_shared: bool,
) -> Result<(), Error> {
    let mut first: Option<Error> = None;
    let containers = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(label_filter(cluster)),
            ..Default::default()
        }))
        .await
        .map_err(engine_err("list containers"))?;
    for c in containers {
        let Some(id) = c.id else { continue };
        let r = docker
            .remove_container(
                &id,
                Some(RemoveContainerOptions {
                    force: true,
                    v: true,
                    ..Default::default()
                }),
            )
            .await;
        if let Err(e) = r {
            tracing::warn!(cluster, container = %id, error = %e, "could not remove container");
            first.get_or_insert(engine_err("remove a container")(e));
        }
    }
    let networks = docker
        .list_networks(Some(ListNetworksOptions {
            filters: Some(label_filter(cluster)),
        }))
        .await
        .map_err(engine_err("list networks"))?;
    for n in networks {
        let Some(id) = n.id else { continue };
        // The shared registry is still attached: a network with endpoints
        // cannot be removed.
        if let Ok(net) = docker
            .inspect_network(
                &id,
                None::<bollard::query_parameters::InspectNetworkOptions>,
            )
            .await
        {
            for (container, _) in net.containers.unwrap_or_default() {
                let _ = docker
                    .disconnect_network(
                        &id,
                        bollard::models::NetworkDisconnectRequest {
                            container,
                            force: Some(true),
                        },
                    )
                    .await;
            }
        }
        if let Err(e) = docker.remove_network(&id).await {
            tracing::warn!(cluster, network = %id, error = %e, "could not remove network");
            first.get_or_insert(engine_err("remove a network")(e));
        }
    }
    // The image's anonymous volumes went with their containers (`v`); named
    // ones Capstan labels (none yet) go here.
    let volumes = docker
        .list_volumes(Some(ListVolumesOptions {
            filters: Some(label_filter(cluster)),
        }))
        .await
        .map_err(engine_err("list volumes"))?;
    for v in volumes.volumes.unwrap_or_default() {
        if let Err(e) = docker
            .remove_volume(&v.name, Some(RemoveVolumeOptions { force: true }))
            .await
        {
            tracing::warn!(cluster, volume = %v.name, error = %e, "could not remove volume");
            first.get_or_insert(engine_err("remove a volume")(e));
        }
    }
    if !keep_shared {
        if let Err(e) = crate::registry::remove_shared_if_unused(docker).await {
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}
