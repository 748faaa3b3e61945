//! `metrics.k8s.io/v1beta1`: PodMetrics and NodeMetrics, read as JSON.

use serde::Deserialize;

use super::error::{classify, MetricsError, Unavailable};
use super::quantity;
use super::usage::{unix_seconds, ContainerUsage, NodeUsage, PodUsage, Usage};

const GROUP: &str = "metrics.k8s.io";

#[derive(Deserialize)]
struct List<T> {
    items: Vec<T>,
}

#[derive(Deserialize)]
struct Meta {
    name: String,
    #[serde(default)]
    namespace: Option<String>,
}

#[derive(Deserialize)]
struct RawUsage {
    #[serde(default)]
    cpu: Option<String>,
    #[serde(default)]
    memory: Option<String>,
}

#[derive(Deserialize)]
struct RawContainer {
    name: String,
    usage: RawUsage,
}

#[derive(Deserialize)]
struct RawPod {
    metadata: Meta,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    containers: Vec<RawContainer>,
}

#[derive(Deserialize)]
struct RawNode {
    metadata: Meta,
    #[serde(default)]
    timestamp: String,
    usage: RawUsage,
}

fn usage(raw: &RawUsage, what: &str) -> Result<Usage, MetricsError> {
    let read = |v: &Option<String>, f: fn(&str) -> Option<u128>| -> Result<u64, MetricsError> {
        match v {
            None => Ok(0),
            Some(text) => {
                f(text)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| MetricsError::Parse {
                        what: what.to_string(),
                        detail: format!("\"{text}\" is not a quantity"),
                    })
            }
        }
    };
    Ok(Usage {
        cpu_nanocores: read(&raw.cpu, quantity::nano)?,
        memory_bytes: read(&raw.memory, quantity::bytes)?,
    })
}

/// Parses a PodMetricsList.
pub fn parse_pods(json: &str) -> Result<Vec<PodUsage>, MetricsError> {
    let list: List<RawPod> = serde_json::from_str(json).map_err(|e| MetricsError::Parse {
        what: "PodMetricsList".into(),
        detail: e.to_string(),
    })?;
    list.items
        .into_iter()
        .map(|p| {
            let namespace = p.metadata.namespace.unwrap_or_default();
            let what = format!("metrics of pod {namespace}/{}", p.metadata.name);
            let containers = p
                .containers
                .iter()
                .map(|c| {
                    Ok(ContainerUsage {
                        name: c.name.clone(),
                        usage: usage(&c.usage, &what)?,
                    })
                })
                .collect::<Result<Vec<_>, MetricsError>>()?;
            Ok(PodUsage {
                namespace,
                name: p.metadata.name,
                timestamp: unix_seconds(&p.timestamp),
                containers,
            })
        })
        .collect()
}

/// Parses a NodeMetricsList.
pub fn parse_nodes(json: &str) -> Result<Vec<NodeUsage>, MetricsError> {
    let list: List<RawNode> = serde_json::from_str(json).map_err(|e| MetricsError::Parse {
        what: "NodeMetricsList".into(),
        detail: e.to_string(),
    })?;
    list.items
        .into_iter()
        .map(|n| {
            let what = format!("metrics of node {}", n.metadata.name);
            Ok(NodeUsage {
                usage: usage(&n.usage, &what)?,
                name: n.metadata.name,
                timestamp: unix_seconds(&n.timestamp),
            })
        })
        .collect()
}

/// Whether the server offers `metrics.k8s.io` (discovery: the group is
/// listed only while an APIService registers it).
pub async fn offered(client: &kube::Client) -> Result<bool, MetricsError> {
    let groups = client
        .list_api_groups()
        .await
        .map_err(|e| MetricsError::request("list API groups", e))?;
    Ok(groups.groups.iter().any(|g| g.name == GROUP))
}

pub(crate) async fn get_text(client: &kube::Client, path: &str) -> Result<String, kube::Error> {
    let req = http::Request::get(path)
        .body(Vec::new())
        .map_err(kube::Error::HttpError)?;
    client.request_text(req).await
}

/// Pods' metrics in one namespace (None: all), or why not.
pub async fn pods(
    client: &kube::Client,
    namespace: Option<&str>,
) -> Result<Result<Vec<PodUsage>, Unavailable>, MetricsError> {
    let path = match namespace {
        Some(ns) => format!("/apis/{GROUP}/v1beta1/namespaces/{ns}/pods"),
        None => format!("/apis/{GROUP}/v1beta1/pods"),
    };
    match get_text(client, &path).await {
        Ok(text) => parse_pods(&text).map(Ok),
        Err(e) => Ok(Err(classify(&e, "list", GROUP, "pods", namespace))),
    }
}

/// Every node's metrics, or why not.
pub async fn nodes(
    client: &kube::Client,
) -> Result<Result<Vec<NodeUsage>, Unavailable>, MetricsError> {
    match get_text(client, &format!("/apis/{GROUP}/v1beta1/nodes")).await {
        Ok(text) => parse_nodes(&text).map(Ok),
        Err(e) => Ok(Err(classify(&e, "list", GROUP, "nodes", None))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_metrics_list() {
        let json = include_str!("fixtures/pod_metrics.json");
        let pods = parse_pods(json).expect("parses");
        assert_eq!(pods.len(), 2);
        assert_eq!(pods[0].namespace, "capstan-demo");
        assert_eq!(pods[0].name, "db-0");
        assert_eq!(pods[0].timestamp, 1_764_784_800);
        assert_eq!(pods[0].containers[0].usage.cpu_nanocores, 1_234_567);
        assert_eq!(pods[0].containers[0].usage.memory_bytes, 1234 * 1024);
        let web = &pods[1];
        assert_eq!(web.containers.len(), 2);
        assert_eq!(
            web.total(),
            Usage {
                cpu_nanocores: 2_000_000 + 250_000_000,
                memory_bytes: (64 << 20) + 100_000
            }
        );
    }

    #[test]
    fn node_metrics_list() {
        let json = include_str!("fixtures/node_metrics.json");
        let nodes = parse_nodes(json).expect("parses");
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].name, "capstan-node");
        assert_eq!(nodes[0].usage.cpu_nanocores, 64_123_456);
        assert_eq!(nodes[0].usage.memory_bytes, 7_580_000 * 1024);
    }

    #[test]
    fn a_bad_quantity_names_the_pod() {
        let json = r#"{"items":[{"metadata":{"name":"p","namespace":"n"},"timestamp":"2025-12-03T18:00:00Z","containers":[{"name":"c","usage":{"cpu":"lots","memory":"1Ki"}}]}]}"#;
        let err = parse_pods(json).expect_err("refused").to_string();
        assert!(err.contains("pod n/p") && err.contains("\"lots\""), "{err}");
    }
}
