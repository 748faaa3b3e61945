//! Rediscovering clusters from the engine by their labels (after a restart the
//! app knows nothing else).

use std::collections::BTreeMap;

use bollard::query_parameters::ListContainersOptions;
use bollard::Docker;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::ports::{self, PortMapping};
use crate::spec::{
    LABEL_API_PORT, LABEL_CLUSTER, LABEL_PORTS, LABEL_REGISTRY, LABEL_ROLE, LABEL_VERSION,
    LABEL_VOLUMES,
};
use crate::{engine_err, Error};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct NodeInfo {
    pub container: String,
    /// "server" or "agent"
    pub role: String,
    /// The engine's state: running, exited, created ...
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ClusterInfo {
    pub name: String,
    pub api_port: Option<u16>,
    /// Host ports published on server 0 besides the API (from its label).
    pub ports: Vec<PortMapping>,
    pub nodes: Vec<NodeInfo>,
    /// The k3s version (label of the nodes; server 0's wins).
    pub version: Option<String>,
    /// The registry its nodes mirror, if it has one.
    pub registry: Option<crate::registry::Info>,
    /// Host paths mounted into its nodes.
    pub volumes: Vec<crate::volumes::VolumeMount>,
    /// Containers that are not nodes: the HA load balancer
    /// (role `loadbalancer`), its own registry (role `registry`).
    pub services: Vec<NodeInfo>,
}

impl ClusterInfo {
    pub fn running(&self) -> bool {
        !self.nodes.is_empty()
            && self
                .nodes
                .iter()
                .chain(&self.services)
                .all(|n| n.state == "running")
    }
}

/// A node container kept stopped during an upgrade (renamed with this
/// suffix), put back if the new one fails.
pub const PRE_UPGRADE_SUFFIX: &str = "-pre-upgrade";

pub async fn list_clusters(docker: &Docker) -> Result<Vec<ClusterInfo>, Error> {
    let containers = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(std::collections::HashMap::from([(
                "label".to_owned(),
                vec![LABEL_CLUSTER.to_owned()],
            )])),
            ..Default::default()
        }))
        .await
        .map_err(engine_err("list containers"))?;
    let mut by_name: BTreeMap<String, ClusterInfo> = BTreeMap::new();
    for c in containers {
        let labels = c.labels.unwrap_or_default();
        let Some(cluster) = labels.get(LABEL_CLUSTER) else {
            continue;
        };
        let info = by_name
            .entry(cluster.clone())
            .or_insert_with(|| ClusterInfo {
                name: cluster.clone(),
                api_port: None,
                ports: Vec::new(),
                nodes: Vec::new(),
                version: None,
                registry: None,
                volumes: Vec::new(),
                services: Vec::new(),
            });
        if let Some(p) = labels.get(LABEL_API_PORT).and_then(|p| p.parse().ok()) {
            info.api_port = Some(p);
        }
        let role = labels.get(LABEL_ROLE).cloned().unwrap_or_default();
        let first = role == "server"
            && labels.get(crate::spec::LABEL_INDEX).map(String::as_str) == Some("0");
        if let Some(v) = labels.get(LABEL_PORTS) {
            if first || info.ports.is_empty() {
                info.ports = ports::from_label(v);
            }
        }
        if let Some(v) = labels.get(LABEL_VERSION) {
            if first || info.version.is_none() {
                info.version = Some(v.clone());
            }
        }
        if let Some(r) = labels
            .get(LABEL_REGISTRY)
            .and_then(|v| crate::registry::Info::from_label(cluster, v))
        {
            info.registry = Some(r);
        }
        if let Some(v) = labels
            .get(LABEL_VOLUMES)
            .and_then(|v| serde_json::from_str(v).ok())
        {
            info.volumes = v;
        }
        let container = c
            .names
            .and_then(|n| n.first().cloned())
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_owned();
        if container.ends_with(PRE_UPGRADE_SUFFIX) {
            continue;
        }
        let node = NodeInfo {
            container,
            role: role.clone(),
            state: c.state.map(|s| s.to_string()).unwrap_or_default(),
        };
        if role == "server" || role == "agent" {
            info.nodes.push(node);
        } else {
            info.services.push(node);
        }
    }
    let mut out: Vec<ClusterInfo> = by_name.into_values().collect();
    for c in &mut out {
        c.nodes.sort_by(|a, b| a.container.cmp(&b.container));
    }
    Ok(out)
}
