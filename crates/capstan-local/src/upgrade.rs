//! Upgrade in place: the node containers replaced by ones of a newer k3s
//! image over the same data (k3s's directories live in named volumes, see
//! `spec::DATA_VOLUMES`; host folders are mounted again). The old containers
//! are kept, stopped and renamed `<name>-pre-upgrade`, until the new ones are
//! Ready; if they do not get there, the new ones are removed and the old
//! ones renamed back and started, so the cluster runs as before.

use std::time::{Duration, Instant};

use bollard::query_parameters::{
    RemoveContainerOptions, RenameContainerOptions, StartContainerOptions,
};
use bollard::Docker;

use crate::container::{create_container, start_container};
use crate::list::PRE_UPGRADE_SUFFIX;
use crate::readiness::wait_for_log;
use crate::spec::{self, Role};
use crate::{engine_err, Error};

/// Replaces the nodes of `name` with `k3s_version`'s image (a listed version,
/// a custom tag, or an image reference when it contains '/').
/// Returns the version now shown.
pub async fn upgrade_cluster(
    docker: &Docker,
    name: &str,
    k3s_version: &str,
    timeout: Duration,
) -> Result<String, Error> {
    let info = crate::lifecycle::find(docker, name).await?;
    if !info.running() {
        return Err(Error::NotRunning {
            name: name.to_owned(),
            before: "before upgrading it",
        });
    }
    let stored = crate::reset::stored_spec(docker, name).await?;
    let mut opts = stored.options(name);
    if k3s_version.contains('/') {
        opts.image = Some(k3s_version.to_owned());
    } else {
        opts.image = None;
        opts.k3s_version = Some(k3s_version.to_owned());
    }
    // Nothing changes before the image is here: a tag that does not exist
    // fails now, with the pull's message.
    let (image, version) = opts.image_and_version()?;
    crate::pull::ensure_present(docker, &image).await?;
    opts.image = Some(image.clone());
    let mut req = opts.request()?;
    req.version = version.clone();
    let server0 = spec::container_name(name, Role::Server, 0);
    let inspected = docker
        .inspect_container(&server0, None)
        .await
        .map_err(engine_err("inspect the first server"))?;
    let config = inspected.config.unwrap_or_default();
    let labels = config.labels.unwrap_or_default();
    req.registry = labels
        .get(spec::LABEL_REGISTRY)
        .and_then(|v| crate::registry::Info::from_label(name, v));
    // Reset after an upgrade makes the upgraded cluster.
    req.stored = serde_json::to_string(&crate::reset::StoredSpec {
        image: image.clone(),
        ..stored
    })
    .unwrap_or_default();
    let token = config
        .env
        .unwrap_or_default()
        .iter()
        .find_map(|e| e.strip_prefix("K3S_TOKEN=").map(str::to_owned))
        .ok_or_else(|| Error::Damaged {
            name: name.to_owned(),
            detail: "the first server has no cluster token".to_owned(),
        })?;
    let sys = docker
        .info()
        .await
        .map_err(engine_err("describe the engine"))?;
    let specs = spec::node_specs(&req, &token, crate::create::engine_facts(&sys));
    let old: Vec<String> = info.nodes.iter().map(|n| n.container.clone()).collect();

    crate::lifecycle::stop_cluster(docker, name).await?;
    for c in &old {
        rename(docker, c, &format!("{c}{PRE_UPGRADE_SUFFIX}")).await?;
    }
    let started = Instant::now();
    let result = bring_up(docker, name, &specs, &info.services, timeout).await;
    match result {
        Ok(()) => {
            for c in &old {
                remove(docker, &format!("{c}{PRE_UPGRADE_SUFFIX}")).await;
            }
            tracing::info!(cluster = name, %version, seconds = started.elapsed().as_secs(), "upgraded");
            Ok(version)
        }
        Err(e) => {
            tracing::warn!(cluster = name, error = %e, "upgrade failed; putting the old containers back");
            let restored = roll_back(docker, name, &old, timeout).await;
            if let Err(r) = &restored {
                tracing::error!(cluster = name, error = %r, "the old containers could not be put back");
            }
            Err(Error::UpgradeFailed {
                name: name.to_owned(),
                image,
                restored: restored.is_ok(),
                source: Box::new(e),
            })
        }
    }
}

/// The new servers, each up, the load balancer and registry again, the
/// agents, then every node Ready.
async fn bring_up(
    docker: &Docker,
    name: &str,
    specs: &[spec::NodeSpec],
    services: &[crate::list::NodeInfo],
    timeout: Duration,
) -> Result<(), Error> {
    let deadline = Instant::now() + timeout;
    let never = std::sync::atomic::AtomicBool::new(false);
    // All servers start before any is waited for: they restart on existing
    // data, and an HA server's API waits for the etcd quorum of the others.
    let servers: Vec<_> = specs.iter().filter(|n| n.role == Role::Server).collect();
    for n in &servers {
        create_container(docker, n).await?;
        start_container(docker, n).await?;
    }
    for n in &servers {
        wait_for_log(docker, &n.name, "k3s is up and running", deadline, &never).await?;
    }
    for s in services {
        docker
            .start_container(&s.container, None::<StartContainerOptions>)
            .await
            .map_err(engine_err("start the load balancer or registry"))?;
    }
    for n in specs.iter().filter(|n| n.role == Role::Agent) {
        create_container(docker, n).await?;
        start_container(docker, n).await?;
    }
    let left = deadline.saturating_duration_since(Instant::now());
    crate::nodes::wait_cluster_ready(docker, name, left.max(Duration::from_secs(1))).await?;
    Ok(())
}

async fn roll_back(
    docker: &Docker,
    name: &str,
    old: &[String],
    timeout: Duration,
) -> Result<(), Error> {
    crate::lifecycle::stop_cluster(docker, name).await.ok();
    for c in old {
        remove(docker, c).await;
        rename(docker, &format!("{c}{PRE_UPGRADE_SUFFIX}"), c).await?;
    }
    crate::lifecycle::start_cluster(docker, name).await?;
    crate::nodes::wait_cluster_ready(docker, name, timeout).await?;
    Ok(())
}

async fn rename(docker: &Docker, from: &str, to: &str) -> Result<(), Error> {
    docker
        .rename_container(
            from,
            RenameContainerOptions {
                name: to.to_owned(),
            },
        )
        .await
        .map_err(engine_err("rename a node container"))
}

/// Removes a container (missing is fine); its named data volumes stay.
async fn remove(docker: &Docker, container: &str) {
    let r = docker
        .remove_container(
            container,
            Some(RemoveContainerOptions {
                force: true,
                v: true,
                ..Default::default()
            }),
        )
        .await;
    if let Err(e) = r {
        tracing::debug!(container, error = %e, "not removed");
    }
}
