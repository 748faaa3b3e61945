//! Growing and checking a running cluster: another agent, and "every node
//! Ready again" (after start), both judged through the cluster's API.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::container::{create_container, log_tail_of, start_container};
use crate::create::{engine_facts, server_entries};
use crate::lifecycle::find;
use crate::list::ClusterInfo;
use crate::readiness::{api_ready, cluster_client, poll};
use crate::spec::{self, ClusterRequest, Role};
use crate::{engine_err, Error};
use bollard::query_parameters::RemoveContainerOptions;
use bollard::Docker;

/// Generous: a first kubelet start on a busy machine is slow.
const NODE_TIMEOUT: Duration = Duration::from_secs(300);

/// Server 0's container environment, image and labels (the token, image and
/// extra agent arguments an added node must share).
async fn server_env(
    docker: &Docker,
    cluster: &str,
) -> Result<(Vec<String>, String, HashMap<String, String>), Error> {
    let server0 = spec::container_name(cluster, Role::Server, 0);
    let inspect = docker
        .inspect_container(&server0, None)
        .await
        .map_err(engine_err("inspect the first server"))?;
    let config = inspect.config.unwrap_or_default();
    Ok((
        config.env.unwrap_or_default(),
        config.image.unwrap_or_default(),
        config.labels.unwrap_or_default(),
    ))
}

fn agent_index(cluster: &str, container: &str) -> Option<u32> {
    container
        .strip_prefix(&format!("capstan-{cluster}-agent-"))?
        .parse()
        .ok()
}

/// Starts one more agent in a running cluster (next free index, same image,
/// network, token and labels) and waits until its node is Ready through the
/// API. Returns the node name. If it does not get there, the new container is
/// removed again and the cluster is as it was.
pub async fn add_agent(docker: &Docker, cluster: &str) -> Result<String, Error> {
    let info = find(docker, cluster).await?;
    if !info.running() {
        return Err(Error::NotRunning {
            name: cluster.to_owned(),
            before: "before adding an agent",
        });
    }
    let agents: Vec<u32> = info
        .nodes
        .iter()
        .filter(|n| n.role == Role::Agent.as_str())
        .filter_map(|n| agent_index(cluster, &n.container))
        .collect();
    let index = agents.iter().max().map_or(0, |m| m + 1);
    if agents.len() >= 9 {
        return Err(Error::InvalidShape {
            detail: format!("`{cluster}` already has 9 agents, the most Capstan creates"),
        });
    }
    let api_port = info
        .api_port
        .ok_or_else(|| damaged(cluster, "no API port label"))?;
    let (env, image, labels) = server_env(docker, cluster).await?;
    // Clusters made before agent arguments were recorded have no label: none.
    let extra_agent_args: Vec<String> = labels
        .get(spec::LABEL_AGENT_ARGS)
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    let token = env
        .iter()
        .find_map(|e| e.strip_prefix("K3S_TOKEN="))
        .ok_or_else(|| damaged(cluster, "the first server has no cluster token"))?;
    let servers = info
        .nodes
        .iter()
        .filter(|n| n.role == Role::Server.as_str())
        .count();
    let req = ClusterRequest {
        name: cluster.to_owned(),
        image,
        servers: u32::try_from(servers).unwrap_or(1),
        agents: index + 1,
        api_port,
        extra_server_args: Vec::new(),
        extra_agent_args,
        // Only server 0 publishes; an agent spec has none.
        ports: Vec::new(),
        image_tarball: None,
        airgap_images: None,
        // The new agent mirrors the same registry and mounts the same folders.
        version: labels.get(spec::LABEL_VERSION).cloned().unwrap_or_default(),
        registry: labels
            .get(spec::LABEL_REGISTRY)
            .and_then(|v| crate::registry::Info::from_label(cluster, v)),
        volumes: labels
            .get(spec::LABEL_VOLUMES)
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default(),
        ..Default::default()
    };
    let sys = docker
        .info()
        .await
        .map_err(engine_err("describe the engine"))?;
    let node = spec::node_specs(&req, token, engine_facts(&sys))
        .into_iter()
        .find(|n| n.role == Role::Agent && n.index == index)
        .ok_or_else(|| damaged(cluster, "no agent spec for the next index"))?;
    let server0 = spec::container_name(cluster, Role::Server, 0);
    let result = async {
        create_container(docker, &node).await?;
        // Images imported into the cluster earlier, so the new node has them too.
        crate::images::copy_images_dir(docker, &server0, &node.name).await?;
        start_container(docker, &node).await?;
        let mut since = HashMap::new();
        since.insert(node.name.clone(), started_at(docker, &node.name).await?);
        wait_nodes_ready(docker, cluster, api_port, &since, NODE_TIMEOUT).await
    }
    .await;
    match result {
        Ok(()) => Ok(node.name),
        Err(e) => {
            tracing::warn!(cluster, node = %node.name, error = %e, "adding an agent failed; removing it");
            let _ = docker
                .remove_container(
                    &node.name,
                    Some(RemoveContainerOptions {
                        force: true,
                        v: true,
                        ..Default::default()
                    }),
                )
                .await;
            Err(e)
        }
    }
}

/// Waits until the API answers and every node of the cluster is Ready with a
/// heartbeat from after its container's last start (so a node's Ready left
/// over from before a stop does not count). For after `start_cluster`.
pub async fn wait_cluster_ready(
    docker: &Docker,
    cluster: &str,
    timeout: Duration,
) -> Result<ClusterInfo, Error> {
    let info = find(docker, cluster).await?;
    if !info.running() {
        return Err(Error::NotRunning {
            name: cluster.to_owned(),
            before: "first",
        });
    }
    let api_port = info
        .api_port
        .ok_or_else(|| damaged(cluster, "no API port label"))?;
    let mut since = HashMap::new();
    for n in &info.nodes {
        since.insert(n.container.clone(), started_at(docker, &n.container).await?);
    }
    wait_nodes_ready(docker, cluster, api_port, &since, timeout).await?;
    find(docker, cluster).await
}

async fn started_at(
    docker: &Docker,
    container: &str,
) -> Result<k8s_openapi::jiff::Timestamp, Error> {
    let state = docker
        .inspect_container(container, None)
        .await
        .map_err(engine_err("inspect a node"))?
        .state
        .unwrap_or_default();
    state
        .started_at
        .as_deref()
        .and_then(|s| s.parse::<k8s_openapi::jiff::Timestamp>().ok())
        .ok_or_else(|| Error::NotRunning {
            name: container.to_owned(),
            before: "first",
        })
}

/// Polls until every node in `since` is Ready with a heartbeat at or after
/// its time (API timestamps have whole seconds, so compared at that grain).
async fn wait_nodes_ready(
    docker: &Docker,
    cluster: &str,
    api_port: u16,
    since: &HashMap<String, k8s_openapi::jiff::Timestamp>,
    timeout: Duration,
) -> Result<(), Error> {
    let deadline = Instant::now() + timeout;
    let never = AtomicBool::new(false);
    let waiting = std::sync::Mutex::new(Vec::<String>::new());
    let r = poll(deadline, &never, || async {
        let Some(entries) = server_entries(docker, cluster, api_port).await? else {
            return Ok(None);
        };
        let client = cluster_client(&entries).await?;
        if api_ready(&client, &entries.name).await?.is_none() {
            return Ok(None);
        }
        let nodes = capstan_kube::readiness::node_states(&client, &entries.name)
            .await
            .map_err(|source| Error::ClusterApi { source })?;
        let missing = not_fresh_ready(&nodes, since);
        let done = missing.is_empty();
        if let Ok(mut w) = waiting.lock() {
            *w = missing;
        }
        Ok(done.then_some(()))
    })
    .await?;
    if r.is_some() {
        return Ok(());
    }
    let mut missing = waiting.lock().map(|w| w.clone()).unwrap_or_default();
    missing.sort();
    let server0 = spec::container_name(cluster, Role::Server, 0);
    Err(Error::Timeout {
        seconds: timeout.as_secs(),
        what: format!("nodes Ready: waiting for {}", missing.join(", ")),
        log_tail: log_tail_of(docker, &server0, 20).await,
    })
}

/// The nodes of `since` not yet Ready with a heartbeat at or after their time.
fn not_fresh_ready(
    nodes: &[capstan_kube::readiness::NodeState],
    since: &HashMap<String, k8s_openapi::jiff::Timestamp>,
) -> Vec<String> {
    since
        .iter()
        .filter(|(name, t)| {
            !nodes.iter().any(|n| {
                n.name == **name
                    && n.ready
                    && n.last_heartbeat
                        .is_some_and(|h| h.as_second() >= t.as_second())
            })
        })
        .map(|(name, _)| name.clone())
        .collect()
}

fn damaged(cluster: &str, detail: &str) -> Error {
    Error::Damaged {
        name: cluster.to_owned(),
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_nodes_ready_since_their_start_count() {
        use capstan_kube::readiness::NodeState;
        let t = |s: &str| s.parse::<k8s_openapi::jiff::Timestamp>().expect("time");
        let since = std::collections::HashMap::from([
            ("a".to_owned(), t("2026-01-01T00:00:10Z")),
            ("b".to_owned(), t("2026-01-01T00:00:10Z")),
            ("c".to_owned(), t("2026-01-01T00:00:10Z")),
        ]);
        let node = |name: &str, ready, hb: Option<&str>| NodeState {
            name: name.into(),
            ready,
            last_heartbeat: hb.map(t),
        };
        let nodes = [
            // Same second counts (the API has whole seconds).
            node("a", true, Some("2026-01-01T00:00:10Z")),
            // Ready from before the restart does not.
            node("b", true, Some("2026-01-01T00:00:09Z")),
            node("c", false, Some("2026-01-01T00:00:11Z")),
            node("other", true, Some("2026-01-01T00:00:11Z")),
        ];
        let mut missing = super::not_fresh_ready(&nodes, &since);
        missing.sort();
        assert_eq!(missing, ["b", "c"]);
    }

    #[test]
    fn agent_indices_come_from_container_names() {
        assert_eq!(super::agent_index("dev", "capstan-dev-agent-3"), Some(3));
        assert_eq!(super::agent_index("dev", "capstan-dev-server-0"), None);
        assert_eq!(super::agent_index("dev", "capstan-dev-2-agent-1"), None);
    }
}
